using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using WsAnalyzers.Rules;
using WsAnalyzers.Tests.Verifiers;
using Xunit;
using VerifyCS = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.RequestEndsBeforeSocketAnalyzer>;
using VerifyFix = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.RequestEndsBeforeSocketAnalyzer, WsAnalyzers.CodeFixes.AwaitDiscardedTaskFix>;

namespace WsAnalyzers.Tests.Rules;

public class WS1008Tests
{
    private const string Echo = """

        static class Work
        {
            public static async Task Echo(WebSocket ws)
            {
                var buffer = new byte[1024];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                while (result.MessageType != WebSocketMessageType.Close)
                {
                    result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                }

                await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
        }
        """;

    // ---- Flagged ----

    [Fact]
    public Task Flags_discarded_Task_Run_in_middleware() => VerifyCS.DiagnosticsAsync("""
        using Microsoft.AspNetCore.Http;

        class EchoMiddleware
        {
            private readonly RequestDelegate _next;
            public EchoMiddleware(RequestDelegate next) => _next = next;

            public async Task InvokeAsync(HttpContext context)
            {
                if (!context.WebSockets.IsWebSocketRequest)
                {
                    await _next(context);
                    return;
                }

                var ws = await context.WebSockets.AcceptWebSocketAsync();
                _ = {|WS1008:Task.Run(() => Work.Echo(ws))|};
            }
        }
        """ + Echo);

    [Fact]
    public Task Flags_unawaited_call_given_the_socket_in_MapGet() => VerifyCS.DiagnosticsAsync("""
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;

        static class Endpoints
        {
            public static void Map(WebApplication app)
            {
                app.MapGet("/ws", async (HttpContext context) =>
                {
                    using var ws = await context.WebSockets.AcceptWebSocketAsync();
                    {|WS1008:Work.Echo(ws)|};
                });
            }
        }
        """ + Echo);

    [Fact]
    public Task Flags_unawaited_send_on_the_socket_in_Run() => VerifyCS.DiagnosticsAsync("""
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;

        static class Pipeline
        {
            public static void Configure(WebApplication app)
            {
                app.Run(async context =>
                {
                    var ws = await context.WebSockets.AcceptWebSocketAsync();
                    _ = {|WS1008:ws.SendAsync(new ArraySegment<byte>(Encoding.UTF8.GetBytes("hello")), WebSocketMessageType.Text, true, CancellationToken.None)|};
                });
            }
        }
        """);

    [Fact]
    public Task Flags_async_void_method_given_the_socket_in_Use() => VerifyCS.DiagnosticsAsync("""
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;

        static class Pipeline
        {
            public static void Configure(WebApplication app)
            {
                app.Use(async (context, next) =>
                {
                    if (!context.WebSockets.IsWebSocketRequest)
                    {
                        await next();
                        return;
                    }

                    var ws = await context.WebSockets.AcceptWebSocketAsync();
                    {|WS1008:Handle(ws)|};
                });
            }

            static async void Handle(WebSocket ws) => await Work.Echo(ws);
        }
        """ + Echo);

    [Fact]
    public Task Flags_socket_stored_in_a_collection_with_nothing_awaited() => VerifyCS.DiagnosticsAsync("""
        using System.Collections.Concurrent;
        using Microsoft.AspNetCore.Mvc;

        public class ChatController : ControllerBase
        {
            private static readonly ConcurrentDictionary<Guid, WebSocket> Sockets = new();

            [HttpGet("/chat")]
            public async Task Get()
            {
                if (HttpContext.WebSockets.IsWebSocketRequest)
                {
                    var ws = await HttpContext.WebSockets.AcceptWebSocketAsync();
                    {|WS1008:Sockets.TryAdd(Guid.NewGuid(), ws)|};
                }
            }
        }
        """);

    [Fact]
    public Task Flags_socket_given_to_a_service_that_keeps_it() => VerifyCS.DiagnosticsAsync("""
        using System.Collections.Generic;
        using Microsoft.AspNetCore.Http;

        class ConnectionManager
        {
            private readonly List<WebSocket> _sockets = new();
            public void Add(WebSocket socket) => _sockets.Add(socket);
        }

        class Hub
        {
            private readonly ConnectionManager _manager = new();

            public async Task Invoke(HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                {|WS1008:_manager.Add(ws)|};
            }
        }
        """);

    [Fact]
    public Task Flags_started_task_kept_in_a_local_and_never_awaited() => VerifyCS.DiagnosticsAsync("""
        using Microsoft.AspNetCore.Http;

        class Handler
        {
            public async Task Invoke(HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                var pump = {|WS1008:Task.Run(() => Work.Echo(ws))|};
                context.Response.Headers["x-started"] = "1";
            }

            private Task? _pump;

            public async Task Invoke2(HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                _pump = {|WS1008:Task.Run(() => Work.Echo(ws))|};
            }
        }
        """ + Echo);

    [Fact]
    public Task Flags_thread_pool_work_item_and_continuation_given_the_socket() => VerifyCS.DiagnosticsAsync("""
        using Microsoft.AspNetCore.Http;

        class Handler
        {
            public async Task Invoke(HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                {|WS1008:ThreadPool.QueueUserWorkItem(_ => Work.Echo(ws).Wait())|};
            }

            public async Task Invoke2(HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                _ = {|WS1008:Work.Echo(ws).ContinueWith(t => Console.WriteLine(t.Status))|};
            }
        }
        """ + Echo);

    [Fact]
    public Task Flags_wrapper_around_the_socket_stored_with_nothing_awaited() => VerifyCS.DiagnosticsAsync("""
        using System.Collections.Generic;
        using Microsoft.AspNetCore.Http;

        sealed class Connection
        {
            public Connection(WebSocket socket) => Socket = socket;
            public WebSocket Socket { get; }
            public Task RunAsync() => Work.Echo(Socket);
        }

        class Handler
        {
            private static readonly List<Connection> Connections = new();

            public async Task Invoke(HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                var connection = new Connection(ws);
                {|WS1008:Connections.Add(connection)|};
            }

            public async Task Invoke2(HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                var connection = new Connection(ws);
                _ = {|WS1008:connection.RunAsync()|};
            }
        }
        """ + Echo);

    [Fact]
    public Task Flags_holder_made_with_an_object_initializer_stored_with_nothing_awaited() => VerifyCS.DiagnosticsAsync("""
        using System.Collections.Generic;
        using Microsoft.AspNetCore.Http;

        sealed class Peer
        {
            public WebSocket Socket { get; set; } = null!;
        }

        class Handler
        {
            private static readonly List<Peer> Peers = new();

            public async Task Invoke(HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                var peer = new Peer { Socket = ws };
                {|WS1008:Peers.Add(peer)|};
            }
        }
        """ + Echo);

    [Fact]
    public Task Silent_when_a_holder_made_with_an_object_initializer_is_served_until_it_closes() => VerifyCS.SilentAsync("""
        using Microsoft.AspNetCore.Http;

        sealed class Peer
        {
            public WebSocket Socket { get; set; } = null!;
        }

        class ChatMiddleware
        {
            public async Task Invoke(HttpContext context)
            {
                WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
                var peer = new Peer { Socket = socket };
                await Serve(peer);
            }

            static async Task Serve(Peer peer)
            {
                var buffer = new byte[1024];
                WebSocketReceiveResult result;
                do
                {
                    result = await peer.Socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                }
                while (!result.CloseStatus.HasValue);
                await peer.Socket.CloseOutputAsync(result.CloseStatus.Value, result.CloseStatusDescription, CancellationToken.None);
            }
        }
        """);

    [Fact]
    public Task Flags_socket_given_to_a_service_that_starts_work_on_it() => VerifyCS.DiagnosticsAsync("""
        using Microsoft.AspNetCore.Http;

        class SocketService
        {
            public void Start(WebSocket socket) => _ = Task.Run(() => Work.Echo(socket));
        }

        class Handler
        {
            private readonly SocketService _service = new();

            public async Task Invoke(HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                {|WS1008:_service.Start(ws)|};
            }
        }
        """ + Echo);

    // ---- Silent ----

    [Fact]
    public Task Silent_when_awaited_helper_or_plain_helper_only_uses_the_socket() => VerifyCS.SilentAsync("""
        using Microsoft.AspNetCore.Http;

        class Handler
        {
            public async Task Invoke(HttpContext context, IProgress<WebSocket> sink)
            {
                using var ws = await context.WebSockets.AcceptWebSocketAsync();
                Log(ws);
                await Process(ws, sink);
            }

            static void Log(WebSocket ws) => Console.WriteLine(ws);

            static async Task Process(WebSocket ws, IProgress<WebSocket> sink)
            {
                sink.Report(ws);
                await Work.Echo(ws);
            }
        }
        """ + Echo);


    [Fact]
    public Task Silent_when_the_wrapper_is_stored_and_its_work_awaited() => VerifyCS.SilentAsync("""
        using System.Collections.Generic;
        using Microsoft.AspNetCore.Http;

        sealed class Connection
        {
            public Connection(WebSocket socket) => Socket = socket;
            public WebSocket Socket { get; }
            public Task RunAsync() => Work.Echo(Socket);
        }

        class Handler
        {
            private static readonly List<Connection> Connections = new();

            public async Task Invoke(HttpContext context)
            {
                using var ws = await context.WebSockets.AcceptWebSocketAsync();
                var connection = new Connection(ws);
                lock (Connections)
                {
                    Connections.Add(connection);
                }

                try
                {
                    await connection.RunAsync();
                }
                finally
                {
                    lock (Connections)
                    {
                        Connections.Remove(connection);
                    }
                }
            }
        }
        """ + Echo);


    [Fact]
    public Task Silent_when_the_work_is_awaited() => VerifyCS.SilentAsync("""
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;

        static class Pipeline
        {
            public static void Configure(WebApplication app)
            {
                app.MapGet("/ws", async (HttpContext context) =>
                {
                    using var ws = await context.WebSockets.AcceptWebSocketAsync();
                    await Work.Echo(ws);
                });
                app.Use(async (context, next) =>
                {
                    using (var ws = await context.WebSockets.AcceptWebSocketAsync())
                    {
                        await Task.Run(() => Work.Echo(ws));
                    }

                    await next();
                });
                app.Run(async context =>
                {
                    var ws = await context.WebSockets.AcceptWebSocketAsync();
                    try
                    {
                        var pump = Task.Run(() => Work.Echo(ws));
                        await pump;
                    }
                    finally
                    {
                        ws.Dispose();
                    }
                });
            }
        }
        """ + Echo);

    [Fact]
    public Task Silent_when_handler_awaits_a_TaskCompletionSource_completed_by_the_background_owner() => VerifyCS.SilentAsync("""
        using System.Collections.Concurrent;
        using Microsoft.AspNetCore.Http;

        static class BackgroundSocketProcessor
        {
            private static readonly ConcurrentQueue<(WebSocket, TaskCompletionSource<object?>)> Queue = new();

            public static void AddSocket(WebSocket socket, TaskCompletionSource<object?> done) => Queue.Enqueue((socket, done));
        }

        class Handler
        {
            public async Task Invoke(HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                var socketFinished = new TaskCompletionSource<object?>();
                BackgroundSocketProcessor.AddSocket(ws, socketFinished);
                await socketFinished.Task;
            }

            public async Task Invoke2(HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                var socketFinished = new TaskCompletionSource();
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await Work.Echo(ws);
                    }
                    finally
                    {
                        socketFinished.TrySetResult();
                    }
                });
                await socketFinished.Task;
            }
        }
        """ + Echo);

    // Issue 11: a synchronous wait on the kept tasks keeps the request running until the socket is done.
    [Theory]
    [InlineData("Task.WaitAll(receiving, sending);")]
    [InlineData("Task.WaitAll(new[] { receiving, sending }, context.RequestAborted);")]
    [InlineData("Task.WhenAll(receiving, sending).Wait();")]
    [InlineData("Task.WhenAll(receiving, sending).GetAwaiter().GetResult();")]
    [InlineData("receiving.Wait(); sending.GetAwaiter().GetResult();")]
    public Task Silent_when_the_kept_tasks_are_waited_synchronously(string wait) => VerifyCS.SilentAsync($$"""
        using Microsoft.AspNetCore.Http;

        class Handler
        {
            public async Task Invoke(HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                var receiving = Task.Run(() => Work.Echo(ws));
                var sending = ws.SendAsync(new ArraySegment<byte>(new byte[] { 1 }), WebSocketMessageType.Binary, true, default);
                {{wait}}
            }
        }
        """ + Echo);

    [Fact]
    public Task Flags_kept_tasks_when_only_unrelated_work_is_waited_synchronously() => VerifyCS.DiagnosticsAsync("""
        using Microsoft.AspNetCore.Http;

        class Handler
        {
            public async Task Invoke(HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                var receiving = {|WS1008:Task.Run(() => Work.Echo(ws))|};
                Task.Delay(10).Wait();
            }
        }
        """ + Echo);

    // Issue 11: the accept's continuation runs the socket's work after the handler has moved on: ContinueWith with an
    // async lambda gives a Task<Task> whose outer task ends when the work starts, and a dropped continuation is not
    // waited for at all.
    [Fact]
    public Task Flags_socket_work_in_a_continuation_of_the_accept() => VerifyCS.DiagnosticsAsync("""
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;

        static class Pipeline
        {
            public static void Configure(WebApplication app)
            {
                app.Use(async (context, next) =>
                {
                    if (!context.WebSockets.IsWebSocketRequest)
                    {
                        await next();
                        return;
                    }

                    await {|#0:context.WebSockets.AcceptWebSocketAsync().ContinueWith(async t =>
                    {
                        var ws = t.Result;
                        await Work.Echo(ws);
                    })|};
                });
                app.Run(async context =>
                {
                    _ = {|#1:context.WebSockets.AcceptWebSocketAsync().ContinueWith(t => Work.Echo(t.Result).Wait())|};
                    await Task.Yield();
                });
                app.Run(context => {|#2:context.WebSockets.AcceptWebSocketAsync().ContinueWith(t => Work.Echo(t.Result))|});
            }
        }
        """ + Echo,
        new DiagnosticResult(Descriptors.WS1008RequestEndsBeforeSocket).WithLocation(0).WithArguments("ws"),
        new DiagnosticResult(Descriptors.WS1008RequestEndsBeforeSocket).WithLocation(1).WithArguments("t.Result"),
        new DiagnosticResult(Descriptors.WS1008RequestEndsBeforeSocket).WithLocation(2).WithArguments("t.Result"));

    [Fact]
    public Task Silent_when_the_accepts_continuation_is_waited_for_to_its_end() => VerifyCS.SilentAsync("""
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;

        static class Pipeline
        {
            public static void Configure(WebApplication app)
            {
                app.Run(async context => await context.WebSockets.AcceptWebSocketAsync().ContinueWith(t => Work.Echo(t.Result)).Unwrap());
                app.Run(async context => await await context.WebSockets.AcceptWebSocketAsync().ContinueWith(async t => await Work.Echo(t.Result)));
                app.Run(async context => await context.WebSockets.AcceptWebSocketAsync().ContinueWith(t => Work.Echo(t.Result).Wait()));
                app.Run(context => context.WebSockets.AcceptWebSocketAsync().ContinueWith(t => Work.Echo(t.Result)).Unwrap());
                app.Run(async context =>
                {
                    var work = context.WebSockets.AcceptWebSocketAsync().ContinueWith(t => Work.Echo(t.Result)).Unwrap();
                    await work;
                });
            }
        }
        """ + Echo);

    [Fact]
    public Task Silent_when_stored_socket_is_served_by_the_handler_until_it_closes() => VerifyCS.SilentAsync("""
        using System.Collections.Concurrent;
        using Microsoft.AspNetCore.Http;

        class ChatHandler
        {
            private static readonly ConcurrentDictionary<Guid, WebSocket> Sockets = new();

            public async Task Invoke(HttpContext context)
            {
                var id = Guid.NewGuid();
                using var ws = await context.WebSockets.AcceptWebSocketAsync();
                Sockets.TryAdd(id, ws);
                try
                {
                    await Work.Echo(ws);
                }
                finally
                {
                    Sockets.TryRemove(id, out _);
                }
            }
        }
        """ + Echo);

    [Fact]
    public Task Silent_in_HttpListener_accept_loop_that_starts_a_task_per_client() => VerifyCS.SilentAsync("""
        using System.Net;

        class Server
        {
            public async Task Run(HttpListener listener)
            {
                while (true)
                {
                    var context = await listener.GetContextAsync();
                    var wsContext = await context.AcceptWebSocketAsync(null);
                    var ws = wsContext.WebSocket;
                    _ = Task.Run(() => Work.Echo(ws));
                }
            }
        }
        """ + Echo);

    [Fact]
    public Task Silent_for_a_client_socket_outside_a_handler() => VerifyCS.SilentAsync("""
        class Client
        {
            public async Task Run(Uri uri)
            {
                var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, CancellationToken.None);
                _ = Task.Run(() => Work.Echo(ws));
            }
        }
        """ + Echo);

    [Fact]
    public Task Silent_when_unrelated_work_is_discarded() => VerifyCS.SilentAsync("""
        using Microsoft.AspNetCore.Http;

        class Handler
        {
            public async Task Invoke(HttpContext context)
            {
                using var ws = await context.WebSockets.AcceptWebSocketAsync();
                _ = Task.Run(() => Console.WriteLine("accepted"));
                await Work.Echo(ws);
            }
        }
        """ + Echo);

    // ValidCode silence for every analyzer is checked by Meta/SilenceTests.

    // ---- Fixes ----

    [Fact]
    public Task Fix_awaits_the_discarded_task() => VerifyFix.FixAsync("""
        using Microsoft.AspNetCore.Http;

        class Handler
        {
            public async Task Invoke(HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                // serve the socket
                _ = {|WS1008:Task.Run(() => Work.Echo(ws))|}; // until it closes
            }
        }
        """ + Echo, """
        using Microsoft.AspNetCore.Http;

        class Handler
        {
            public async Task Invoke(HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                // serve the socket
                await Task.Run(() => Work.Echo(ws)); // until it closes
            }
        }
        """ + Echo);

    [Fact]
    public Task Fix_awaits_the_unawaited_call_statement() => VerifyFix.FixAsync("""
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;

        static class Endpoints
        {
            public static void Map(WebApplication app)
            {
                app.MapGet("/ws", async (HttpContext context) =>
                {
                    using var ws = await context.WebSockets.AcceptWebSocketAsync();
                    {|WS1008:Work.Echo(ws)|};
                });
            }
        }
        """ + Echo, """
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;

        static class Endpoints
        {
            public static void Map(WebApplication app)
            {
                app.MapGet("/ws", async (HttpContext context) =>
                {
                    using var ws = await context.WebSockets.AcceptWebSocketAsync();
                    await Work.Echo(ws);
                });
            }
        }
        """ + Echo);

    [Fact]
    public Task No_fix_for_a_stored_socket() => VerifyFix.NoFixAsync("""
        using System.Collections.Concurrent;
        using Microsoft.AspNetCore.Http;

        class Handler
        {
            private static readonly ConcurrentBag<WebSocket> Sockets = new();

            public async Task Invoke(HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                {|WS1008:Sockets.Add(ws)|};
            }
        }
        """);

    [Fact]
    public Task No_fix_for_an_async_void_helper() => VerifyFix.NoFixAsync("""
        using Microsoft.AspNetCore.Http;

        class Handler
        {
            public async Task Invoke(HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                {|WS1008:Serve(ws)|};
            }

            static async void Serve(WebSocket ws) => await Work.Echo(ws);
        }
        """ + Echo);

    [Fact]
    public Task Fix_all_in_two_documents() => VerifyFix.FixAllAsync(new[]
    {
        ("""
        using Microsoft.AspNetCore.Http;

        class A
        {
            public async Task Invoke(HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                _ = {|WS1008:Task.Run(() => Work.Echo(ws))|};
            }
        }
        """ + Echo, """
        using Microsoft.AspNetCore.Http;

        class A
        {
            public async Task Invoke(HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                await Task.Run(() => Work.Echo(ws));
            }
        }
        """ + Echo),
        ("""
        using Microsoft.AspNetCore.Http;

        class B
        {
            public async Task Invoke(HttpContext context)
            {
                using var ws = await context.WebSockets.AcceptWebSocketAsync();
                {|WS1008:Work2.Echo(ws)|};
            }
        }

        static class Work2
        {
            public static Task Echo(WebSocket ws) => ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        """, """
        using Microsoft.AspNetCore.Http;

        class B
        {
            public async Task Invoke(HttpContext context)
            {
                using var ws = await context.WebSockets.AcceptWebSocketAsync();
                await Work2.Echo(ws);
            }
        }

        static class Work2
        {
            public static Task Echo(WebSocket ws) => ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        """),
    });
}
