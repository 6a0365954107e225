using Xunit;
using Verify1002 = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.CloseNotAcknowledgedAnalyzer>;
using Verify1004 = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.CloseGuardedByOpenAnalyzer>;

namespace WsAnalyzers.Tests.Rules;

/// <summary>
/// A socket also kept in a list of the base library (`_sockets.Add(ws)`): the list cannot answer the close, so the
/// Close path is judged on its own. A method of the compilation on that path that closes a socket it looks up (a
/// connection manager's `RemoveSocket(id)`) may be answering this one: the path is left alone there.
/// </summary>
public class SharedSocketTests
{
    private static string Handler(string onClose) => $$"""
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using Microsoft.AspNetCore.Http;

        class Manager
        {
            private readonly ConcurrentDictionary<string, WebSocket> _sockets = new();

            public string Add(WebSocket socket)
            {
                var id = Guid.NewGuid().ToString();
                _sockets.TryAdd(id, socket);
                return id;
            }

            public async Task RemoveSocket(string id)
            {
                if (_sockets.TryRemove(id, out var socket))
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "Closed by the manager", CancellationToken.None);
                }
            }

            public void Forget(string id) => _sockets.TryRemove(id, out _);
        }

        class Handler
        {
            private readonly List<WebSocket> _sockets = new();
            private readonly Manager _manager = new();

            public async Task Handle(WebSocket webSocket)
            {
                _sockets.Add(webSocket);
                var id = _manager.Add(webSocket);
                var buffer = new byte[4096];
                WebSocketReceiveResult? result = null;
                try
                {
                    result = await webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                    while (!result.CloseStatus.HasValue)
                    {
                        result = await webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                    }
                }
                finally
                {
                    _sockets.Remove(webSocket);
                    {{onClose}}
                }
            }
        }

        class Endpoint
        {
            public async Task Accept(HttpContext context, Handler handler)
            {
                using var ws = await context.WebSockets.AcceptWebSocketAsync();
                await handler.Handle(ws);
            }
        }
        """;

    [Fact]
    public Task Flags_a_close_path_that_only_drops_the_socket_from_its_lists()
        => Verify1002.DiagnosticsAsync(Handler("""
            _manager.Forget(id);
                    if (result != null && webSocket.State == WebSocketState.Open)
                    {
                        await webSocket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    }
            """).Replace("while (!result.CloseStatus.HasValue)", "while (!{|WS1002:result.CloseStatus.HasValue|})"));

    [Fact]
    public Task Flags_the_open_guard_the_close_path_reaches()
        => Verify1004.DiagnosticsAsync(Handler("""
            _manager.Forget(id);
                    if (result != null && [|webSocket.State == WebSocketState.Open|])
                    {
                        await webSocket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    }
            """));

    [Fact]
    public Task Silent_when_the_close_path_asks_a_manager_that_closes_what_it_finds()
        => Verify1002.SilentAsync(Handler("await _manager.RemoveSocket(id);"));

    [Fact]
    public Task Silent_when_the_close_path_answers()
        => Verify1002.SilentAsync(Handler("""
            if (result?.CloseStatus is { } status && webSocket.State == WebSocketState.CloseReceived)
                    {
                        await webSocket.CloseOutputAsync(status, null, CancellationToken.None);
                    }
            """));

    [Fact]
    public Task Flags_when_the_manager_asked_to_close_was_never_given_the_socket()
        => Verify1002.DiagnosticsAsync(Handler("await _manager.RemoveSocket(id);")
            .Replace("var id = _manager.Add(webSocket);", "var id = Guid.NewGuid().ToString();")
            .Replace("while (!result.CloseStatus.HasValue)", "while (!{|WS1002:result.CloseStatus.HasValue|})"));

    [Fact]
    public Task Flags_when_the_manager_closes_what_it_finds_only_while_open()
        => Verify1002.DiagnosticsAsync(Handler("await _manager.RemoveSocket(id);")
            .Replace("if (_sockets.TryRemove(id, out var socket))", "if (_sockets.TryRemove(id, out var socket) && socket.State == WebSocketState.Open)")
            .Replace("while (!result.CloseStatus.HasValue)", "while (!{|WS1002:result.CloseStatus.HasValue|})"));
}
