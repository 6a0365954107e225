using Xunit;
using Verify1002 = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.CloseNotAcknowledgedAnalyzer>;

namespace WsAnalyzers.Tests.Rules;

/// <summary>
/// A server that keeps its clients in a list and closes them all when it stops: that shutdown does not answer one
/// peer's Close, so a handler that breaks on the Close and takes its socket out of the list is still reported. A
/// manager that closes the socket it picks (by id, by a filter) may be answering it: left alone.
/// </summary>
public class ShutdownCloseTests
{
    private static string Server(string stop, string flagged) => $$"""
        using System.Collections.Generic;
        using System.Linq;
        using System.Net;

        public sealed class SocketServer
        {
            private readonly HttpListener _listener = new();
            private readonly List<WebSocket> _clients = new();

            public async Task StopAsync(string id)
            {
                {{stop}}
                _clients.Clear();
                _listener.Stop();
            }

            public async Task RunAsync(CancellationToken ct)
            {
                while (!ct.IsCancellationRequested)
                {
                    var context = await _listener.GetContextAsync();
                    var socketContext = await context.AcceptWebSocketAsync(null);
                    var socket = socketContext.WebSocket;
                    lock (_clients)
                    {
                        _clients.Add(socket);
                    }

                    _ = HandleAsync(socket, ct);
                }
            }

            private async Task HandleAsync(WebSocket socket, CancellationToken ct)
            {
                try
                {
                    var buffer = new byte[1024];
                    while (socket.State == WebSocketState.Open && !ct.IsCancellationRequested)
                    {
                        var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                        if ({{flagged}})
                        {
                            break;
                        }
                    }
                }
                finally
                {
                    lock (_clients)
                    {
                        _clients.Remove(socket);
                    }

                    if (socket.State == WebSocketState.Open)
                    {
                        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    }
                }
            }
        }
        """;

    private const string Close = "result.MessageType == WebSocketMessageType.Close";

    [Fact]
    public Task Flags_a_handler_whose_socket_only_a_shutdown_would_close()
        => Verify1002.DiagnosticsAsync(Server("""
            foreach (var client in _clients.ToArray())
                    {
                        try
                        {
                            await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "stopping", CancellationToken.None);
                        }
                        catch (WebSocketException)
                        {
                        }
                    }
            """, "{|WS1002:" + Close + "|}"));

    [Theory]
    [InlineData("foreach (var client in _clients.Where(c => c.GetHashCode().ToString() == id))\n        {\n            await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);\n        }")]
    [InlineData("foreach (var client in _clients)\n        {\n            if (client.GetHashCode().ToString() == id)\n            {\n                await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);\n            }\n        }")]
    public Task Silent_when_the_list_owner_closes_a_socket_it_picks(string stop)
        => Verify1002.SilentAsync(Server(stop, Close));
}
