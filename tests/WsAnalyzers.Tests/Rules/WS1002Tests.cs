using WsAnalyzers.Rules;
using WsAnalyzers.Tests.Verifiers;
using Xunit;
using VerifyCS = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.CloseNotAcknowledgedAnalyzer>;

namespace WsAnalyzers.Tests.Rules;

public class WS1002Tests
{
    [Fact]
    public Task Flags_break_on_close_without_acknowledgement() => VerifyCS.DiagnosticsAsync("""
        class Server
        {
            async Task Echo(CancellationToken ct)
            {
                using var ws = new ClientWebSocket();
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if ({|WS1002:result.MessageType == WebSocketMessageType.Close|})
                    {
                        break;
                    }

                    await ws.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, ct);
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_close_branch_acknowledges() => VerifyCS.SilentAsync("""
        class Server
        {
            async Task Echo(CancellationToken ct)
            {
                using var ws = new ClientWebSocket();
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                        break;
                    }

                    await ws.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, ct);
                }
            }
        }
        """);
}
