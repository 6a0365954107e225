using Xunit;
using VerifyCS = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.SocketNotDisposedAnalyzer>;
using VerifyFix = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.SocketNotDisposedAnalyzer, WsAnalyzers.CodeFixes.DisposeReplacedSocketFix>;

namespace WsAnalyzers.Tests.Rules;

/// <summary>WS1003 for sockets a type keeps in a field or property, and for HttpListener's accepted sockets.</summary>
public class FieldDisposalTests
{
    /// <summary>A client that creates its socket into a private field; <paramref name="members"/> are its other members.</summary>
    private static string ClientKeepingItsSocket(string creation, string members) => $$"""
        sealed class Feed : IDisposable
        {
            private ClientWebSocket _ws;

            public Feed() => _ws = {{creation}};

            public async Task ConnectAsync(Uri uri, CancellationToken ct)
            {
                await _ws.ConnectAsync(uri, ct);
                await _ws.SendAsync(new ArraySegment<byte>(new byte[] { 1 }), WebSocketMessageType.Binary, true, ct);
            }

            public bool IsOpen => _ws != null && _ws.State == WebSocketState.Open;
        {{members}}
        }
        """;

    [Fact]
    public Task Flags_a_field_socket_no_member_disposes() => VerifyCS.DiagnosticsAsync(ClientKeepingItsSocket(
        "[|new ClientWebSocket()|]",
        "\n    public void Dispose() => Console.WriteLine(\"bye\");"));

    [Fact]
    public Task Flags_a_field_initializer_no_member_disposes() => VerifyCS.DiagnosticsAsync("""
        class Poller
        {
            private readonly ClientWebSocket _socket = [|new ClientWebSocket()|];

            public async Task PollAsync(CancellationToken ct)
            {
                await _socket.ConnectAsync(new Uri("ws://localhost:5000"), ct);
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
            }
        }
        """);

    [Theory]
    [InlineData("\n    public void Dispose() => _ws.Dispose();")]
    [InlineData("\n    public void Dispose() => _ws?.Dispose();")]
    [InlineData("\n    public void Dispose() => this._ws.Abort();")]
    [InlineData("\n    public void Dispose() { using (_ws) { } }")]
    [InlineData("\n    public void Dispose() => Release(_ws);\n\n    private static void Release(WebSocket socket) => socket.Dispose();")]
    [InlineData("\n    public void Dispose() { }\n\n    public ClientWebSocket Socket => _ws;")]
    public Task Silent_when_a_member_releases_or_hands_on_the_field_socket(string members)
        => VerifyCS.SilentAsync(ClientKeepingItsSocket("new ClientWebSocket()", members) + Elsewhere.ReleasesSockets);

    [Fact]
    public Task Silent_for_a_socket_field_others_can_reach() => VerifyCS.SilentAsync("""
        class Holder
        {
            public ClientWebSocket Socket = new ClientWebSocket();
        }
        """ + Elsewhere.ReleasesSockets);

    /// <summary>The client with a public ReconnectAsync in place of ConnectAsync.</summary>
    private static string Reconnect(string connect) => ReconnectingClient(connect).Replace("public async Task ConnectAsync(", "public async Task ReconnectAsync(");

    /// <summary>A reconnecting client: <paramref name="connect"/> is the body of its ConnectAsync.</summary>
    private static string ReconnectingClient(string connect) => $$"""
        sealed class Feed : IDisposable
        {
            private ClientWebSocket? _ws;

            public async Task ConnectAsync(Uri uri, CancellationToken ct)
            {
                {{connect}}
                await _ws.ConnectAsync(uri, ct);
            }

            public async Task StopAsync()
            {
                if (_ws is { State: WebSocketState.Open })
                {
                    await _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }

                _ws?.Dispose();
                _ws = null;
            }

            public void Dispose() => _ws?.Dispose();

            private void Release()
            {
                var old = _ws;
                _ws = null;
                old?.Dispose();
            }

            private void ReleaseLocked()
            {
                ClientWebSocket? old;
                lock (this)
                {
                    old = _ws;
                    _ws = null;
                }

                old?.Dispose();
            }
        }
        """;

    [Theory]
    [InlineData("if (_ws == null || _ws.State != WebSocketState.Open)\n        {\n            _ws = [|new ClientWebSocket()|];\n        }")]
    [InlineData("if (_ws != null)\n        {\n            Console.WriteLine(_ws.State);\n        }\n\n        _ws = [|new ClientWebSocket()|];")]
    public Task Flags_a_reconnect_that_replaces_the_field_socket_without_disposing_it(string connect)
        => VerifyCS.DiagnosticsAsync(ReconnectingClient(connect));

    /// <summary>
    /// A public ConnectAsync that makes the socket without looking at an old one, in a type whose StopAsync and Dispose
    /// release it: Connect and Stop are the type's pair, and a second Connect without Stop is the caller's error.
    /// </summary>
    [Fact]
    public Task Silent_for_a_public_connect_paired_with_a_teardown() => VerifyCS.SilentAsync(ReconnectingClient("_ws = new ClientWebSocket();"));

    [Fact]
    public Task Flags_a_public_reconnect_even_when_paired_with_a_teardown() => VerifyCS.DiagnosticsAsync(
        ReconnectingClient("_ws = [|new ClientWebSocket()|];").Replace("public async Task ConnectAsync(", "public async Task ReconnectAsync("));

    [Fact]
    public Task Flags_a_private_connect_even_when_the_type_has_a_teardown() => VerifyCS.DiagnosticsAsync(
        ReconnectingClient("_ws = [|new ClientWebSocket()|];").Replace("public async Task ConnectAsync(", "private async Task ConnectAsync("));

    [Theory]
    [InlineData("_ws?.Dispose();\n        _ws = new ClientWebSocket();")]
    [InlineData("_ws?.Abort();\n        _ws = new ClientWebSocket();")]
    [InlineData("if (_ws == null)\n        {\n            _ws = new ClientWebSocket();\n        }")]
    [InlineData("_ws ??= new ClientWebSocket();")]
    [InlineData("await StopAsync();\n        _ws = new ClientWebSocket();")]
    [InlineData("Dispose();\n        _ws = new ClientWebSocket();")]
    [InlineData("Release();\n        _ws = new ClientWebSocket();")]
    [InlineData("ReleaseLocked();\n        _ws = new ClientWebSocket();")]
    [InlineData("if (_ws != null)\n        {\n            _ws.Dispose();\n        }\n\n        _ws = new ClientWebSocket();")]
    [InlineData("var old = _ws;\n        _ws = null;\n        old?.Dispose();\n        _ws = new ClientWebSocket();")]
    [InlineData("_ws = new ClientWebSocket();\n        try\n        {\n            await Task.Delay(1, ct);\n        }\n        finally\n        {\n            _ws.Dispose();\n        }")]
    public Task Silent_when_the_old_field_socket_is_released_or_absent(string connect)
        => VerifyCS.SilentAsync(ReconnectingClient(connect));

    [Fact]
    public Task Flags_a_stop_that_clears_the_field_without_disposing() => VerifyCS.DiagnosticsAsync(ReconnectingClient("_ws?.Dispose();\n        _ws = new ClientWebSocket();")
        .Replace("        _ws?.Dispose();\n        _ws = null;", "        [|_ws = null|];"));

    [Fact]
    public Task Fix_disposes_the_old_socket_before_the_reconnect_replaces_it() => VerifyFix.FixAsync(
        ReconnectingClient("if (_ws == null || _ws.State != WebSocketState.Open)\n        {\n            _ws = [|new ClientWebSocket()|];\n        }"),
        ReconnectingClient("if (_ws == null || _ws.State != WebSocketState.Open)\n        {\n            _ws?.Dispose();\n            _ws = new ClientWebSocket();\n        }"));

    [Fact]
    public Task Fix_disposes_the_old_socket_before_a_stop_clears_it() => VerifyFix.FixAsync(
        ReconnectingClient("_ws?.Dispose();\n        _ws = new ClientWebSocket();").Replace("        _ws?.Dispose();\n        _ws = null;", "        [|_ws = null|];"),
        ReconnectingClient("_ws?.Dispose();\n        _ws = new ClientWebSocket();"));

    [Fact]
    public Task Fix_all_disposes_every_replaced_socket() => VerifyFix.FixAllAsync(new[]
    {
        (Reconnect("_ws = [|new ClientWebSocket()|];"), Reconnect("_ws?.Dispose();\n        _ws = new ClientWebSocket();")),
        (Reconnect("_ws = [|new ClientWebSocket()|];").Replace("class Feed", "class Other"),
            Reconnect("_ws?.Dispose();\n        _ws = new ClientWebSocket();").Replace("class Feed", "class Other")),
    });

    [Fact]
    public Task No_fix_for_a_field_no_member_disposes() => VerifyFix.NoFixAsync(ClientKeepingItsSocket(
        "[|new ClientWebSocket()|]",
        "\n    public void Dispose() => Console.WriteLine(\"bye\");"));

    [Fact]
    public Task Flags_an_http_listener_socket_the_handler_never_disposes() => VerifyCS.DiagnosticsAsync("""
        static class ListenerServer
        {
            static async Task Serve(System.Net.HttpListenerContext context)
            {
                var accepted = await context.AcceptWebSocketAsync(null);
                var socket = [|accepted.WebSocket|];
                var buffer = new byte[1024];
                var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_http_listener_socket_is_disposed() => VerifyCS.SilentAsync("""
        static class ListenerServer
        {
            static async Task Serve(System.Net.HttpListenerContext context)
            {
                var accepted = await context.AcceptWebSocketAsync(null);
                using var socket = accepted.WebSocket;
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
        }
        """);

    [Fact]
    public Task Flags_an_http_listener_socket_taken_from_the_accepting_task_result() => VerifyCS.DiagnosticsAsync("""
        static class ListenerServer
        {
            static void Serve(System.Net.HttpListenerContext context)
            {
                var socket = [|context.AcceptWebSocketAsync(null).Result.WebSocket|];
                socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).Wait();
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_socket_is_read_from_a_context_kept_elsewhere() => VerifyCS.SilentAsync("""
        using System.Collections.Generic;

        class ListenerServer
        {
            private readonly List<HttpListenerWebSocketContext> _connected = new();

            public void Broadcast(ArraySegment<byte> bytes)
            {
                foreach (HttpListenerWebSocketContext context in _connected)
                {
                    WebSocket ws = context.WebSocket;
                    Console.WriteLine(ws.State);
                }

                var first = _connected[0];
                Console.WriteLine(first.WebSocket.State);
                Console.WriteLine(_connected[0].WebSocket.State);
            }
        }
        """);

    /// <summary>A handler that accepts a socket and hands it to a session; <paramref name="session"/> is the session's other members.</summary>
    private static string HandedToSession(string accept, string session) => $$"""
        sealed class Session
        {
            private readonly WebSocket _socket;

            public Session(WebSocket socket) => _socket = socket;

            public async Task RunAsync(CancellationToken ct)
            {
                var buffer = new byte[1024];
                var result = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                }
            }
        {{session}}
        }

        static class Endpoint
        {
            public static async Task Handle(Microsoft.AspNetCore.Http.HttpContext context)
            {
                var ws = {{accept}};
                var session = new Session(ws);
                await session.RunAsync(context.RequestAborted);
            }
        }
        """;

    [Fact]
    public Task Flags_a_socket_handed_to_a_session_that_never_disposes_it() => VerifyCS.DiagnosticsAsync(
        HandedToSession("{|#0:await context.WebSockets.AcceptWebSocketAsync()|}", ""),
        new Microsoft.CodeAnalysis.Testing.DiagnosticResult(Descriptors.WS1003SocketNotDisposed).WithLocation(0).WithMessage("'ws' is kept in a private field, property or collection that its type never disposes, aborts or hands on, and this method does not dispose it either: dispose it in that type's Dispose, or here once its work is done"));

    /// <summary>An endpoint that adds its accepted socket to a registry; <paramref name="members"/> are the registry's other members.</summary>
    private static string AddedToRegistry(string accept, string add, string members) => $$"""
        using System.Collections.Concurrent;

        sealed class Registry
        {
            private static readonly ConcurrentDictionary<string, WebSocket> _clients = new();

            public void Add(string id, WebSocket socket) => {{add}};

            public void Remove(string id) => _clients.TryRemove(id, out _);

            public async Task BroadcastAsync(byte[] data, CancellationToken ct)
            {
                foreach (var client in _clients.Values)
                {
                    if (client.State == WebSocketState.Open)
                    {
                        await client.SendAsync(data, WebSocketMessageType.Text, true, ct);
                    }
                }
            }{{members}}
        }

        sealed class Endpoint
        {
            private readonly Registry _registry = new();

            public async Task Handle(Microsoft.AspNetCore.Http.HttpContext context)
            {
                var ws = {{accept}};
                var id = Guid.NewGuid().ToString();
                _registry.Add(id, ws);
                var buffer = new byte[1024];
                while (ws.State == WebSocketState.Open)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), context.RequestAborted);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                    }
                }

                _registry.Remove(id);
            }
        }
        """;

    [Theory]
    [InlineData("_clients.TryAdd(id, socket)")]
    [InlineData("_clients[id] = socket")]
    public Task Flags_a_socket_added_to_a_registry_that_never_releases_it(string add) => VerifyCS.DiagnosticsAsync(
        AddedToRegistry("{|#0:await context.WebSockets.AcceptWebSocketAsync()|}", add, ""),
        new Microsoft.CodeAnalysis.Testing.DiagnosticResult(Descriptors.WS1003SocketNotDisposed).WithLocation(0).WithArguments("ws", Descriptors.WS1003Kept));

    [Fact]
    public Task Flags_a_registry_whose_using_disposes_something_else() => VerifyCS.DiagnosticsAsync(
        AddedToRegistry("{|#0:await context.WebSockets.AcceptWebSocketAsync()|}", "_clients.TryAdd(id, socket)",
            "\n\n    public static byte[] Snapshot() { using var ms = new System.IO.MemoryStream(); return ms.ToArray(); }"),
        new Microsoft.CodeAnalysis.Testing.DiagnosticResult(Descriptors.WS1003SocketNotDisposed).WithLocation(0).WithArguments("ws", Descriptors.WS1003Kept));

    [Fact]
    public Task Silent_when_the_registry_may_dispose_a_socket_in_a_using() => VerifyCS.SilentAsync(
        AddedToRegistry("await context.WebSockets.AcceptWebSocketAsync()", "_clients.TryAdd(id, socket)",
            "\n\n    public async Task DropAsync(string id) { if (_clients.TryRemove(id, out var s)) { using (s) { await s.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None); } } }"));

    [Theory]
    [InlineData("\n\n    public void Close(string id) { if (_clients.TryRemove(id, out var s)) s.Dispose(); }")]
    [InlineData("\n\n    public void Stop() { foreach (var s in _clients.Values) s.Abort(); }")]
    [InlineData("\n\n    public WebSocket Get(string id) => _clients[id];")]
    [InlineData("\n\n    public System.Collections.Generic.IEnumerable<WebSocket> All => _clients.Values;")]
    [InlineData("\n\n    public Task CloseAsync(string id) => Closer.CloseAndDisposeAsync(_clients[id]);")]
    public Task Silent_when_the_registry_releases_or_lets_out_its_sockets(string members) => VerifyCS.SilentAsync(
        AddedToRegistry("await context.WebSockets.AcceptWebSocketAsync()", "_clients.TryAdd(id, socket)", members) + """

        static class Closer
        {
            public static async Task CloseAndDisposeAsync(WebSocket ws)
            {
                await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                ws.Dispose();
            }
        }
        """);

    /// <summary>The registry lets its sockets out through <c>GetAll()</c>; <paramref name="use"/> is what its one caller does with them.</summary>
    private static string LetOutTo(string use) => """

        sealed class Closer
        {
            private readonly Registry _registry = new();

            public async Task Close(string id)
            {
                if (_registry.GetAll().TryRemove(id, out var socket))
                {
                    {{USE}}
                }
            }
        }
        """.Replace("{{USE}}", use);

    [Fact]
    public Task Flags_a_socket_let_out_only_to_callers_that_release_nothing() => VerifyCS.DiagnosticsAsync(
        AddedToRegistry("{|#0:await context.WebSockets.AcceptWebSocketAsync()|}", "_clients.TryAdd(id, socket)",
            "\n\n    internal ConcurrentDictionary<string, WebSocket> GetAll() => _clients;")
            + LetOutTo("await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);"),
        new Microsoft.CodeAnalysis.Testing.DiagnosticResult(Descriptors.WS1003SocketNotDisposed).WithLocation(0).WithArguments("ws", Descriptors.WS1003Kept));

    [Fact]
    public Task Silent_when_a_caller_the_sockets_are_let_out_to_releases_them() => VerifyCS.SilentAsync(
        AddedToRegistry("await context.WebSockets.AcceptWebSocketAsync()", "_clients.TryAdd(id, socket)",
            "\n\n    internal ConcurrentDictionary<string, WebSocket> GetAll() => _clients;")
            + LetOutTo("socket.Dispose();"));

    [Fact]
    public Task Silent_when_the_socket_is_added_to_a_public_collection() => VerifyCS.SilentAsync(
        AddedToRegistry("await context.WebSockets.AcceptWebSocketAsync()", "Clients.TryAdd(id, socket)", "\n\n    public ConcurrentDictionary<string, WebSocket> Clients { get; } = new();") + Elsewhere.ReleasesSockets);

    [Theory]
    [InlineData("\n    public void Dispose() => _socket.Dispose();")]
    [InlineData("\n    public void Stop() => _socket.Abort();")]
    [InlineData("\n    public WebSocket Socket => _socket;")]
    public Task Silent_when_the_session_releases_or_exposes_the_socket(string members)
        => VerifyCS.SilentAsync(HandedToSession("await context.WebSockets.AcceptWebSocketAsync()", members) + Elsewhere.ReleasesSockets);

    [Fact]
    public Task Silent_when_the_handler_disposes_what_it_handed_to_the_session()
        => VerifyCS.SilentAsync(HandedToSession("await context.WebSockets.AcceptWebSocketAsync()", "")
            .Replace("        var ws = await", "        using var ws = await"));

    [Fact]
    public Task Silent_when_the_session_constructor_is_out_of_sight() => VerifyCS.SilentAsync("""
        static class Endpoint
        {
            public static async Task Handle(Microsoft.AspNetCore.Http.HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                var stream = new System.IO.BufferedStream(System.IO.Stream.Null);
                var holder = new System.Collections.Generic.List<WebSocket> { ws };
                await Task.Delay(1);
            }
        }
        """ + Elsewhere.ReleasesSockets);

    [Fact]
    public Task Flags_a_created_socket_stored_in_a_field_its_type_never_releases() => VerifyCS.DiagnosticsAsync("""
        sealed class Feed
        {
            private ClientWebSocket _ws;

            public async Task StartAsync(Uri uri, CancellationToken ct)
            {
                var ws = [|new ClientWebSocket()|];
                await ws.ConnectAsync(uri, ct);
                _ws = ws;
            }

            public Task SendAsync(byte[] data, CancellationToken ct)
                => _ws.SendAsync(new ArraySegment<byte>(data), WebSocketMessageType.Binary, true, ct);
        }
        """);
}
