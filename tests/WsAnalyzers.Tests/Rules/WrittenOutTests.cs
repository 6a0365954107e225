using Xunit;
using Disposal = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.SocketNotDisposedAnalyzer>;
using Handshake = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.CloseNotAcknowledgedAnalyzer>;
using Leaving = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.DisposedWhileOpenAnalyzer>;

namespace WsAnalyzers.Tests.Rules;

/// <summary>
/// A socket written out (<c>Console.WriteLine(ws)</c>, a log call, <c>string.Format</c>, an interpolation) is not handed
/// to another owner: the rules keep following it where they used to stop as if it had left for code out of sight.
/// </summary>
public class WrittenOutTests
{
    [Fact]
    public Task WS1010_flags_an_endpoint_that_prints_the_socket_and_leaves() => Leaving.DiagnosticsAsync("""
        using Microsoft.AspNetCore.Http;

        class Probe
        {
            public async Task Get(HttpContext context)
            {
                if (context.WebSockets.IsWebSocketRequest)
                {
                    {|WS1010:using|} var webSocket = await context.WebSockets.AcceptWebSocketAsync();
                    Console.WriteLine(webSocket);
                }
                else
                {
                    context.Response.StatusCode = 400;
                }
            }
        }
        """);

    [Fact]
    public Task WS1010_flags_a_client_logged_through_a_helper_before_its_dispose() => Leaving.DiagnosticsAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                Trace(ws);
                System.Diagnostics.Debug.WriteLine(string.Format("{0} {1}", ws, ws.State));
                {|WS1010:ws.Dispose()|};
            }

            private static void Trace(WebSocket socket) => Console.WriteLine($"socket {socket} is {socket.State}");
        }
        """);

    [Fact]
    public Task WS1010_stays_silent_when_the_printed_socket_is_closed_first() => Leaving.SilentAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                using var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                Console.WriteLine(ws);
                await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", ct);
            }
        }
        """);

    [Fact]
    public Task WS1003_flags_a_socket_that_is_only_printed() => Disposal.DiagnosticsAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                var ws = {|WS1003:new ClientWebSocket()|};
                await ws.ConnectAsync(uri, ct);
                Console.WriteLine(ws);
                await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", ct);
            }
        }
        """);

    [Fact]
    public Task WS1003_stays_silent_when_a_printed_socket_is_disposed() => Disposal.SilentAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                Console.Out.WriteLine(ws.ToString());
                Console.Error.WriteLine(ws);
                ws.Dispose();
            }
        }
        """);

    [Fact]
    public Task WS1002_flags_a_loop_that_prints_the_socket_and_leaves_on_close() => Handshake.DiagnosticsAsync("""
        using Microsoft.AspNetCore.Http;

        class Echo
        {
            public async Task Invoke(HttpContext context)
            {
                using var ws = await context.WebSockets.AcceptWebSocketAsync();
                Console.WriteLine(ws);
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), context.RequestAborted);
                    if ({|WS1002:result.MessageType == WebSocketMessageType.Close|})
                    {
                        break;
                    }

                    await ws.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, context.RequestAborted);
                }
            }
        }
        """);
}
