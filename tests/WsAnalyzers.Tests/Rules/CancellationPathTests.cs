using Xunit;
using VerifyCS = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.CloseNotAcknowledgedAnalyzer>;

namespace WsAnalyzers.Tests.Rules;

/// <summary>
/// On the path after the peer's Close nothing asked to cancel: <c>IsCancellationRequested</c> is false there. A close
/// skipped only when cancelling answers; a close sent only when cancelling does not.
/// </summary>
public class CancellationPathTests
{
    private static string Client(string afterLoop, string closeBranch = "break;") => $$"""
        class Client
        {
            async Task Run(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                try
                {
                    while (!ct.IsCancellationRequested)
                    {
                        var r = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                        if (r.MessageType == WebSocketMessageType.Close)
                        {
                            {{closeBranch}}
                        }

                        Console.WriteLine(r.Count);
                    }
                }
                finally
                {
                    {{afterLoop}}
                }
            }

            async Task Main()
            {
                using var ws = new ClientWebSocket();
                await Run(ws, CancellationToken.None);
            }
        }
        """;

    [Fact]
    public Task Flags_a_close_sent_only_when_cancelling() => VerifyCS.DiagnosticsAsync(Client(
        "if (ct.IsCancellationRequested) await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);")
        .Replace("if (r.MessageType", "if ({|WS1002:r.MessageType").Replace("Close)\n", "Close|})\n"));

    [Fact]
    public Task Silent_when_the_close_is_skipped_only_when_cancelling() => VerifyCS.SilentAsync(Client(
        "if (!ct.IsCancellationRequested) await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);"));

    [Fact]
    public Task Silent_when_the_close_branch_answers_unless_cancelled() => VerifyCS.SilentAsync(Client(
        "Console.WriteLine(\"done\");",
        "if (!ct.IsCancellationRequested) await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None); break;"));
}
