using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.SocketNotDisposedAnalyzer>;

namespace WsAnalyzers.Tests.Rules;

/// <summary>
/// WS1003 in a compilation where nothing in reach ever releases a socket: no Dispose, DisposeAsync or Abort, no `using`
/// whose receiver or resource may be one, no referenced library that takes one, no public API that lets one out. A
/// socket created or accepted there and handed only to the compilation's own owners (a manager, a session, a list of
/// tuples, a background lambda) is never disposed, however it travels.
/// </summary>
public class NothingReleasesTests
{
    private static DiagnosticResult Nothing(int location, string name)
        => new DiagnosticResult(Descriptors.WS1003SocketNotDisposed).WithLocation(location).WithArguments(name, Descriptors.WS1003NothingReleases);

    /// <summary>A middleware that hands the accepted socket to a handler keeping it in a list of tuples (and unrelated disposables nearby).</summary>
    private static string Middleware(string accept, string extra = "") => $$"""
        using System.Collections.Generic;
        using System.Linq;
        using Microsoft.AspNetCore.Http;

        public class SocketMiddleware
        {
            private readonly RequestDelegate _next;
            private readonly PageSockets _pages;

            public SocketMiddleware(RequestDelegate next, PageSockets pages)
            {
                _next = next;
                _pages = pages;
            }

            public async Task InvokeAsync(HttpContext context)
            {
                if (!context.WebSockets.IsWebSocketRequest)
                {
                    await _next(context);
                    return;
                }

                WebSocket socket = {{accept}};
                await _pages.Serve(context.Request.Path, socket);
            }
        }

        public class PageSockets
        {
            private readonly List<(WebSocket Socket, string Page)> _sockets = new();
            private readonly CancellationTokenSource _stop = new();

            public async Task Serve(string page, WebSocket socket)
            {
                _sockets.Add((socket, page));
                while (socket.State == WebSocketState.Open)
                {
                    await Task.Delay(500);
                }

                _sockets.Remove(_sockets.First(s => s.Socket == socket));
            }

            public async Task Broadcast(string page, byte[] data)
            {
                using var copy = new System.IO.MemoryStream(data);
                foreach (var (socket, at) in _sockets)
                {
                    if (at == page && socket.State == WebSocketState.Open)
                    {
                        await socket.SendAsync(new ArraySegment<byte>(copy.ToArray()), WebSocketMessageType.Text, true, CancellationToken.None);
                    }
                }
            }

            public void Stop()
            {
                _stop.Cancel();
                _stop.Dispose();
            }

            public long Size(IFormFile file)
            {
                using (var stream = file.OpenReadStream())
                {
                    using var reader = System.IO.File.OpenText(file.FileName);
                    return stream.Length + reader.ReadToEnd().Length;
                }
            }
        }{{extra}}
        """;

    [Fact]
    public Task Flags_an_accepted_socket_kept_in_a_list_of_tuples_when_nothing_releases_sockets()
        => VerifyCS.DiagnosticsAsync(Middleware("{|#0:await context.WebSockets.AcceptWebSocketAsync()|}"), Nothing(0, "socket"));

    /// <summary>A `using` of a socket made in its own declaration releases that socket only; a scope from a call is no socket.</summary>
    [Theory]
    [InlineData("\n\nclass Probe\n{\n    async Task Run(Uri uri)\n    {\n        using var ws = new ClientWebSocket();\n        await ws.ConnectAsync(uri, default);\n    }\n}")]
    [InlineData("\n\nclass Echo\n{\n    async Task Run(HttpContext context)\n    {\n        using var ws = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);\n        await ws.SendAsync(new ArraySegment<byte>(new byte[1]), WebSocketMessageType.Binary, true, default);\n    }\n}")]
    [InlineData("\n\nclass Jobs\n{\n    void Run(IServiceProvider services)\n    {\n        using var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateScope(services);\n        GC.KeepAlive(scope);\n    }\n}")]
    [InlineData("\n\nclass Tcp\n{\n    async Task Run(System.Net.Sockets.Socket listener)\n    {\n        var s = await listener.AcceptAsync();\n        s.Dispose();\n        foreach (var t in new[] { new System.IO.MemoryStream() })\n        {\n            t.Dispose();\n        }\n    }\n}")]
    public Task Flags_when_the_only_releases_are_of_other_things_or_of_sockets_made_right_there(string extra)
        => VerifyCS.DiagnosticsAsync(Middleware("{|#0:await context.WebSockets.AcceptWebSocketAsync()|}", extra), Nothing(0, "socket"));

    /// <summary>The accepting method's own `using` disposes the socket once its owners are done with it.</summary>
    [Fact]
    public Task Silent_when_the_socket_is_a_using_variable_and_nothing_else_releases_sockets()
        => VerifyCS.SilentAsync(Middleware("await context.WebSockets.AcceptWebSocketAsync()").Replace("WebSocket socket = ", "using WebSocket socket = "));

    [Theory]
    [InlineData("\n\nclass Probe\n{\n    void Stop()\n    {\n        var ws = Make();\n        ws.Dispose();\n    }\n\n    static WebSocket Make() => new ClientWebSocket();\n}")]
    [InlineData("\n\nclass Probe\n{\n    async Task Run(Uri uri)\n    {\n        using var ws = Make();\n        await ws.ConnectAsync(uri, default);\n    }\n\n    static ClientWebSocket Make() => new ClientWebSocket();\n}")]
    [InlineData("\n\nclass Resources\n{\n    private readonly List<IDisposable> _all = new();\n    public void Release() { foreach (var d in _all) d.Dispose(); }\n}")]
    [InlineData("\n\nclass Owner\n{\n    private WebSocket? _held;\n    public void Stop() => _held?.Abort();\n}")]
    [InlineData("\n\nclass Owner\n{\n    public void Stop(object held) => ((IDisposable)held).Dispose();\n}")]
    [InlineData("\n\nclass Owner\n{\n    public void Keep(HttpContext context, WebSocket socket) => context.Response.RegisterForDispose(socket);\n}")]
    [InlineData("\n\nclass Owner\n{\n    public async Task Stop(IAsyncDisposable held) { await using (held) { } }\n}")]
    [InlineData("\n\nclass Owner\n{\n    private ClientWebSocket? _held;\n    public void Stop() => _held.DisposeSafely();\n}\n\nstatic class Quietly\n{\n    public static void DisposeSafely(this object? kept) => GC.KeepAlive(kept);\n}")]
    public Task Silent_when_something_in_the_compilation_may_release_a_socket(string extra)
        => VerifyCS.SilentAsync(Middleware("await context.WebSockets.AcceptWebSocketAsync()", extra));

    [Fact]
    public Task Flags_a_socket_handed_to_a_manager_behind_an_interface_of_the_compilation() => VerifyCS.DiagnosticsAsync("""
        using System.Collections.Concurrent;
        using Microsoft.AspNetCore.Http;

        public interface IConnections
        {
            string Add(WebSocket socket);
            Task RunAsync(string id, CancellationToken ct);
        }

        sealed class Connections : IConnections
        {
            private readonly ConcurrentDictionary<string, WebSocket> _all = new();

            public string Add(WebSocket socket)
            {
                var id = Guid.NewGuid().ToString("N");
                _all[id] = socket;
                return id;
            }

            public ConcurrentDictionary<string, WebSocket> All() => _all;

            public async Task RunAsync(string id, CancellationToken ct)
            {
                var socket = _all[id];
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                        _all.TryRemove(id, out _);
                        return;
                    }
                }
            }
        }

        static class Endpoint
        {
            public static async Task Handle(HttpContext context, IConnections connections)
            {
                var socket = {|#0:await context.WebSockets.AcceptWebSocketAsync()|};
                var id = connections.Add(socket);
                await connections.RunAsync(id, context.RequestAborted);
            }
        }
        """, Nothing(0, "socket"));

    [Fact]
    public Task Flags_a_socket_a_background_lambda_only_closes() => VerifyCS.DiagnosticsAsync("""
        using Microsoft.AspNetCore.Http;

        class Handler
        {
            public async Task Handle(HttpContext context)
            {
                var ws = {|#0:await context.WebSockets.AcceptWebSocketAsync()|};
                _ = Task.Run(async () =>
                {
                    await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, default);
                });
            }
        }
        """, Nothing(0, "ws"));

    [Fact]
    public Task Flags_a_field_socket_handed_to_a_listener_when_nothing_releases_sockets() => VerifyCS.DiagnosticsAsync("""
        sealed class DeckConnection
        {
            private readonly ClientWebSocket _socket;

            public DeckConnection()
            {
                _socket = {|#0:new ClientWebSocket()|};
            }

            public async Task StartAsync(Uri uri, CancellationToken ct)
            {
                await _socket.ConnectAsync(uri, ct);
                await Listen(_socket, ct);
            }

            private static async Task Listen(WebSocket socket, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (socket.State == WebSocketState.Open)
                {
                    var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                    }
                }
            }
        }
        """, new DiagnosticResult(Descriptors.WS1003SocketNotDisposed).WithLocation(0).WithArguments("_socket", Descriptors.WS1003FieldNothingReleases));

    [Fact]
    public Task Silent_when_the_socket_goes_to_code_out_of_sight() => VerifyCS.SilentAsync("""
        using Microsoft.AspNetCore.Http;

        class Handler
        {
            public async Task Handle(HttpContext context, IProgress<WebSocket> sink)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                sink.Report(ws);
            }

            public async Task Handle2(HttpContext context, dynamic owner)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                owner.Take(ws);
            }

        }
        """);

    [Fact]
    public Task Silent_when_a_public_type_of_a_library_lets_the_socket_out() => VerifyCS.SilentAsync("""
        public sealed class Feed
        {
            private ClientWebSocket? _socket;

            public WebSocket? Socket => _socket;

            public async Task StartAsync(Uri uri, CancellationToken ct)
            {
                var socket = new ClientWebSocket();
                await socket.ConnectAsync(uri, ct);
                _socket = socket;
            }
        }
        """);
}

/// <summary>WS1003 on an HttpListener context whose socket is used in place, where nothing releases sockets.</summary>
public class ListenerContextTests
{
    private static string Server(string handOver) => $$"""
        using System.Net;

        public static class SocketServer
        {
            public static string Status = "";

            public static async Task Start(HttpListener listener)
            {
                while (true)
                {
                    var context = await listener.GetContextAsync();
                    if (context.Request.IsWebSocketRequest)
                    {
                        var socketContext = {|#0:await context.AcceptWebSocketAsync(null)|};
                        await socketContext.WebSocket.SendAsync(new ArraySegment<byte>(Encoding.UTF8.GetBytes(Status == "" ? "none" : Status)), WebSocketMessageType.Text, true, CancellationToken.None);
                        {{handOver}}
                    }
                    else
                    {
                        context.Response.StatusCode = 400;
                        context.Response.Close();
                    }
                }
            }

            private static async Task Handle(WebSocket ws)
            {
                var buffer = new ArraySegment<byte>(new byte[1024]);
                while (ws.State == WebSocketState.Open)
                {
                    var result = await ws.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    }
                }
            }
        }
        """;

    [Fact]
    public Task Flags_the_accept_of_a_context_whose_socket_is_served_and_left()
        => VerifyCS.DiagnosticsAsync(Server("await Handle(socketContext.WebSocket);"),
            new DiagnosticResult(Descriptors.WS1003SocketNotDisposed).WithLocation(0).WithArguments("socketContext.WebSocket", Descriptors.WS1003NothingReleases));

    [Fact]
    public Task Flags_the_accept_of_a_context_whose_socket_is_kept_in_a_list()
        => VerifyCS.DiagnosticsAsync(Server("Sockets.Add(socketContext.WebSocket);").Replace("public static string Status", "private static readonly System.Collections.Generic.List<WebSocket> Sockets = new();\n\n    public static string Status"),
            new DiagnosticResult(Descriptors.WS1003SocketNotDisposed).WithLocation(0).WithArguments("socketContext.WebSocket", Descriptors.WS1003NothingReleases));

    [Theory]
    [InlineData("socketContext.WebSocket.Dispose();")]
    [InlineData("System.Threading.ThreadPool.QueueUserWorkItem(_ => { }, socketContext.WebSocket);")]
    [InlineData("await Handle(socketContext.WebSocket);\n                        Keep(socketContext);")]
    public Task Silent_when_the_socket_is_released_or_goes_out_of_sight(string handOver)
        => VerifyCS.SilentAsync(Server(handOver).Replace("{|#0:", "").Replace("|}", "").Replace("public static string Status", "private static void Keep(object kept) => System.GC.KeepAlive(kept);\n\n    public static string Status"));
}

/// <summary>
/// A socket handed to the project's own delegates (a dispatcher's table of handlers) and looked up by comparison in a
/// registry: in a project where nothing releases or closes a socket, neither takes it out of sight. The types are
/// internal: a library's public API that takes or lets out a socket is code out of sight.
/// </summary>
public class DispatchedSocketTests
{
    private static string Server(string handler) => $$"""
        using System.Collections.Generic;
        using System.Linq;
        using Microsoft.AspNetCore.Http;

        internal class Player
        {
            public Player(string name, WebSocket socket) { Name = name; Socket = socket; }
            public string Name { get; }
            public WebSocket Socket { get; set; }
        }

        internal class Players
        {
            private readonly List<Player> _all = new();
            public void Add(Player player) => _all.Add(player);
            public Player? Find(WebSocket socket) => _all.FirstOrDefault(p => p.Socket == socket);
            public Player? FindSame(WebSocket socket) => _all.FirstOrDefault(p => ReferenceEquals(p.Socket, socket));
        }

        internal class Dispatcher
        {
            private readonly Dictionary<string, Func<string, WebSocket, Task>> _handlers = new();
            public void Register(string action, Func<string, WebSocket, Task> handler) => _handlers[action] = handler;

            public async Task Handle(string message, WebSocket socket)
            {
                if (_handlers.TryGetValue(message, out var handler))
                {
                    await handler(message, socket);
                }
            }
        }

        internal static class Endpoint
        {
            public static void Setup(Dispatcher dispatcher, Players players)
            {
                dispatcher.Register("join", (name, ws) =>
                {
                    {{handler}}
                    return Task.CompletedTask;
                });
            }

            public static async Task Run(HttpContext context, Dispatcher dispatcher, Players players)
            {
                var socket = {|#0:await context.WebSockets.AcceptWebSocketAsync()|};
                var buffer = new byte[1024];
                try
                {
                    while ({|#1:socket.State == WebSocketState.Open|})
                    {
                        var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                        if (result.MessageType == WebSocketMessageType.Text)
                        {
                            await dispatcher.Handle(Encoding.UTF8.GetString(buffer, 0, result.Count), socket);
                        }
                    }
                }
                finally
                {
                    var player = players.Find(socket) ?? players.FindSame(socket);
                    Console.WriteLine(player?.Name);
                }
            }
        }
        """;

    [Fact]
    public Task WS1003_flags_a_socket_given_to_the_projects_handlers_when_nothing_releases_sockets()
        => Verifiers.Verify<WsAnalyzers.Rules.SocketNotDisposedAnalyzer>.DiagnosticsAsync(Server("players.Add(new Player(name, ws));").Replace("{|#1:socket.State == WebSocketState.Open|}", "socket.State == WebSocketState.Open"),
            new DiagnosticResult(Descriptors.WS1003SocketNotDisposed).WithLocation(0).WithArguments("socket", Descriptors.WS1003NothingReleases));

    [Fact]
    public Task WS1003_silent_when_a_handler_releases_the_socket()
        => Verifiers.Verify<WsAnalyzers.Rules.SocketNotDisposedAnalyzer>.SilentAsync(Server("ws.Dispose();").Replace("{|#0:", "").Replace("{|#1:", "").Replace("|}", ""));

    [Fact]
    public Task WS1002_flags_a_loop_whose_socket_is_only_looked_up_by_comparison_when_nothing_closes()
        => Verifiers.Verify<WsAnalyzers.Rules.CloseNotAcknowledgedAnalyzer>.DiagnosticsAsync(Server("players.Add(new Player(name, ws));").Replace("{|#0:await context.WebSockets.AcceptWebSocketAsync()|}", "await context.WebSockets.AcceptWebSocketAsync()").Replace("{|#1:socket.State == WebSocketState.Open|}", "{|WS1002:socket.State == WebSocketState.Open|}"));

    [Fact]
    public Task WS1002_silent_when_a_handler_closes_the_socket()
        => Verifiers.Verify<WsAnalyzers.Rules.CloseNotAcknowledgedAnalyzer>.SilentAsync(Server("_ = ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);").Replace("{|#0:", "").Replace("{|#1:", "").Replace("|}", ""));
}
