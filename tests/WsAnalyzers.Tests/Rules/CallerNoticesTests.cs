using Xunit;
using VerifyCS = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.CloseNotAcknowledgedAnalyzer>;
using VerifyFix = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.CloseNotAcknowledgedAnalyzer, WsAnalyzers.CodeFixes.AcknowledgeCloseFix>;
using VerifyLoop = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.ReceiveLoopIgnoresCloseAnalyzer>;

namespace WsAnalyzers.Tests.Rules;

/// <summary>
/// A helper that reads one message (its loop ends on EndOfMessage, and the Close's empty payload is decoded like data)
/// called by a loop that tells the Close apart afterwards (<c>while (_ws.State == WebSocketState.Open)</c>): the Close is
/// noticed one level up, so the helper's loop is not WS1001's; what stays unanswered is WS1002's, reported in the helper.
/// </summary>
public class CallerNoticesTests
{
    private static string Service(string callerLoop, string endCheck = "if (result.EndOfMessage)") => $$"""
        public sealed class Service
        {
            private readonly ClientWebSocket _ws = new ClientWebSocket();

            public Task OpenAsync(CancellationToken ct) => _ws.ConnectAsync(new Uri("wss://example.org"), ct);

            private async Task ReadMessageAsync(byte[] buffer)
            {
                while (true)
                {
                    var result = await _ws.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
                    {{endCheck}}
                    {
                        break;
                    }
                }
            }

            public async Task RunAsync()
            {
                var buffer = new byte[4096];
                {{callerLoop}}
                {
                    await ReadMessageAsync(buffer);
                }

                Console.WriteLine("closed");
            }
        }

        public static class Program
        {
            public static async Task Main()
            {
                var service = new Service();
                await service.OpenAsync(CancellationToken.None);
                await service.RunAsync();
            }
        }
        """;

    [Fact]
    public Task Flags_the_unanswered_close_in_the_helper() => VerifyCS.DiagnosticsAsync(
        Service("while (_ws.State == WebSocketState.Open)", "if ({|WS1002:result.EndOfMessage|})"));

    [Fact]
    public Task The_helper_loop_is_not_WS1001_when_its_caller_tells_the_close_apart() => VerifyLoop.SilentAsync(
        Service("while (_ws.State == WebSocketState.Open)"));

    [Fact]
    public Task The_helper_loop_is_WS1001_when_its_caller_receives_again_regardless() => VerifyLoop.DiagnosticsAsync(
        Service("while (true)").Replace("var result = await _ws.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);",
            "var result = await {|WS1001:_ws.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None)|};"));

    [Fact]
    public Task Fix_answers_where_the_helper_ends_the_message() => VerifyFix.FixAsync(
        Service("while (_ws.State == WebSocketState.Open)", "if ({|WS1002:result.EndOfMessage|})"),
        Service("while (_ws.State == WebSocketState.Open)").Replace(
            "            {\n                break;",
            "            {\n                if (_ws.State == WebSocketState.CloseReceived)\n                {\n                    await _ws.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, CancellationToken.None);\n                }\n\n                break;"));
}
