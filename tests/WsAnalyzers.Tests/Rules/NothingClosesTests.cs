using Xunit;
using VerifyCS = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.CloseNotAcknowledgedAnalyzer>;

namespace WsAnalyzers.Tests.Rules;

/// <summary>
/// WS1002 in a compilation where nothing in reach ever closes a socket: no call named CloseAsync or CloseOutputAsync
/// anywhere, no referenced library that takes a WebSocket, no public API that lets one out. A Close the project receives
/// is then never answered, whichever owner the socket was handed to (a registry, a public dictionary, a session).
/// </summary>
public class NothingClosesTests
{
    private static string Chat(string extra = "") => $$"""
        using System.Collections.Generic;
        using System.Net;

        internal class Server
        {
            internal Dictionary<int, WebSocket> Connections = new();
            private int _count;

            internal async Task Accept(HttpListenerContext context)
            {
                var socketContext = await context.AcceptWebSocketAsync(null);
                var webSocket = socketContext.WebSocket;
                int id;
                lock (Connections)
                {
                    id = ++_count;
                    Connections[id] = webSocket;
                }

                await HandleConnection(webSocket, id);
            }

            private async Task HandleConnection(WebSocket webSocket, int id)
            {
                var received = new byte[1024];
                while ({|#0:webSocket.State == WebSocketState.Open|})
                {
                    var result = await webSocket.ReceiveAsync(new ArraySegment<byte>(received), CancellationToken.None);
                    var message = Encoding.UTF8.GetString(received, 0, result.Count);
                    foreach (var other in Connections.Values)
                    {
                        await other.SendAsync(new ArraySegment<byte>(Encoding.UTF8.GetBytes(id + " " + message)), WebSocketMessageType.Text, true, CancellationToken.None);
                    }
                }
            }
            {{extra}}
        }
        """;

    [Fact]
    public Task Flags_a_loop_whose_socket_went_to_a_registry_when_nothing_closes_a_socket()
        => VerifyCS.DiagnosticsAsync(Chat().Replace("{|#0:webSocket.State == WebSocketState.Open|}", "{|WS1002:webSocket.State == WebSocketState.Open|}"));

    [Fact]
    public Task Silent_when_something_in_the_project_closes_sockets()
        => VerifyCS.SilentAsync(Chat("""

            internal async Task Stop()
            {
                foreach (var socket in Connections.Values)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "stopping", CancellationToken.None);
                }
            }
            """).Replace("{|#0:", "").Replace("|}", ""));
}
