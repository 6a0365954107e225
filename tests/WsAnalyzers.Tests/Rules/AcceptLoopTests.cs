using Xunit;
using Verify1002 = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.CloseNotAcknowledgedAnalyzer>;

namespace WsAnalyzers.Tests.Rules;

/// <summary>
/// WS1002 on a handler whose caller is an accept loop (an HttpListener server): after the handler returns on the peer's
/// Close, the loop's next turn gives its variable another socket, so the first one is left unanswered unless the caller
/// answers it after the call or hands it on.
/// </summary>
public class AcceptLoopTests
{
    private static string Server(string handOver, string after = "", string flagged = "{|WS1002:ws.State == WebSocketState.Open|}") => $$"""
        using System.Net;

        public static class SocketServer
        {
            public static async Task Start(HttpListener listener)
            {
                while (true)
                {
                    var context = await listener.GetContextAsync();
                    if (!context.Request.IsWebSocketRequest)
                    {
                        context.Response.StatusCode = 400;
                        context.Response.Close();
                        continue;
                    }

                    var socketContext = await context.AcceptWebSocketAsync(null);
                    {{handOver}}{{after}}
                }
            }

            private static Task Bye(WebSocket socket) => socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);

            private static async Task Handle(WebSocket ws)
            {
                var buffer = new ArraySegment<byte>(new byte[1024]);
                while ({{flagged}})
                {
                    var result = await ws.ReceiveAsync(buffer, CancellationToken.None);
                    Console.WriteLine(Encoding.UTF8.GetString(buffer.Array!, 0, result.Count));
                }
            }
        }
        """;

    private const string Open = "ws.State == WebSocketState.Open";

    [Fact]
    public Task Flags_a_handler_given_the_socket_of_the_loops_context()
        => Verify1002.DiagnosticsAsync(Server("await Handle(socketContext.WebSocket);"));

    [Fact]
    public Task Flags_a_handler_given_a_local_the_next_turn_reassigns()
        => Verify1002.DiagnosticsAsync(Server("var socket = socketContext.WebSocket;\n            await Handle(socket);"));

    [Theory]
    [InlineData("\n            await socketContext.WebSocket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);")]
    [InlineData("\n            await Bye(socketContext.WebSocket);")]
    public Task Silent_when_the_loop_answers_or_hands_the_socket_on_after_the_call(string after)
        => Verify1002.SilentAsync(Server("await Handle(socketContext.WebSocket);", after, Open));

    [Fact]
    public Task Silent_when_the_loop_answers_through_a_local_copy()
        => Verify1002.SilentAsync(Server("var socket = socketContext.WebSocket;\n            await Handle(socket);",
            "\n            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);", Open));
}
