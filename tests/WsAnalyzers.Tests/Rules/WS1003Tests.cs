using Microsoft.CodeAnalysis.Testing;
using WsAnalyzers.Tests.Verifiers;
using Xunit;
using VerifyCS = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.SocketNotDisposedAnalyzer>;
using VerifyFix = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.SocketNotDisposedAnalyzer, WsAnalyzers.CodeFixes.AddUsingFix>;

namespace WsAnalyzers.Tests.Rules;

public class WS1003Tests
{
    // ---- Flagged ----

    [Fact]
    public Task Flags_client_socket_never_disposed() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                var ws = {|WS1003:new ClientWebSocket()|};
                await ws.ConnectAsync(uri, ct);
                await ws.SendAsync(new ArraySegment<byte>(new byte[] { 1 }), WebSocketMessageType.Binary, true, ct);
                await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
            }
        }
        """);

    [Fact]
    public Task Message_says_what_to_do_in_plain_words() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                var ws = {|#0:new ClientWebSocket()|};
                await ws.ConnectAsync(uri, ct);
            }
        }
        """,
        new DiagnosticResult(Descriptors.WS1003SocketNotDisposed).WithLocation(0)
            .WithMessage("'ws' can leave this method without being disposed, and on that path it is not returned, stored or passed to another owner: add 'using' or dispose it in a finally block"));

    [Fact]
    public Task Flags_accepted_socket_in_middleware_never_disposed() => VerifyCS.DiagnosticsAsync("""
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

                WebSocket webSocket = {|WS1003:await context.WebSockets.AcceptWebSocketAsync()|};
                var buffer = new byte[1024];
                var result = await webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), context.RequestAborted);
                await webSocket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
            }
        }
        """);

    [Fact]
    public Task Flags_socket_created_from_stream_never_disposed() => VerifyCS.DiagnosticsAsync("""
        class Peer
        {
            async Task Run(System.IO.Stream stream, CancellationToken ct)
            {
                var ws = {|WS1003:WebSocket.CreateFromStream(stream, isServer: true, subProtocol: null, keepAliveInterval: TimeSpan.FromSeconds(30))|};
                await ws.SendAsync(new ArraySegment<byte>(new byte[] { 1 }), WebSocketMessageType.Binary, true, ct);
            }
        }
        """);

    [Fact]
    public Task Flags_early_return_before_dispose() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            async Task<bool> Probe(Uri uri, CancellationToken ct)
            {
                var ws = {|WS1003:new ClientWebSocket()|};
                await ws.ConnectAsync(uri, ct);
                if (ws.State != WebSocketState.Open)
                {
                    return false;
                }

                await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                ws.Dispose();
                return true;
            }
        }
        """);

    [Fact]
    public Task Flags_socket_assigned_in_branches_when_one_branch_leaks() => VerifyCS.DiagnosticsAsync("""
        class Peer
        {
            async Task Run(System.IO.Stream stream, Uri uri, bool server, CancellationToken ct)
            {
                WebSocket ws;
                if (server)
                {
                    ws = {|WS1003:WebSocket.CreateFromStream(stream, isServer: true, subProtocol: null, keepAliveInterval: TimeSpan.Zero)|};
                }
                else
                {
                    var client = {|WS1003:new ClientWebSocket()|};
                    await client.ConnectAsync(uri, ct);
                    ws = client;
                }

                await ws.SendAsync(new ArraySegment<byte>(new byte[] { 1 }), WebSocketMessageType.Binary, true, ct);
            }
        }
        """);

    [Fact]
    public Task Flags_socket_accepted_in_MapGet_lambda() => VerifyCS.DiagnosticsAsync("""
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;

        static class Endpoints
        {
            public static void Map(WebApplication app)
            {
                app.MapGet("/ws", async (HttpContext context) =>
                {
                    var ws = {|WS1003:await context.WebSockets.AcceptWebSocketAsync()|};
                    await ws.SendAsync(new ArraySegment<byte>(Encoding.UTF8.GetBytes("hi")), WebSocketMessageType.Text, true, context.RequestAborted);
                });
            }
        }
        """);

    [Fact]
    public Task Flags_socket_accepted_in_Use_and_Run_lambdas() => VerifyCS.DiagnosticsAsync("""
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;

        static class Pipeline
        {
            public static void Configure(WebApplication app)
            {
                app.Use(async (context, next) =>
                {
                    if (context.Request.Path != "/ws")
                    {
                        await next();
                        return;
                    }

                    var ws = {|WS1003:await context.WebSockets.AcceptWebSocketAsync()|};
                    await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
                });
                app.Run(async context =>
                {
                    var ws = {|WS1003:await context.WebSockets.AcceptWebSocketAsync("chat")|};
                    await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
                });
            }
        }
        """);

    [Fact]
    public Task Flags_socket_given_to_helper_that_neither_keeps_nor_disposes_it() => VerifyCS.DiagnosticsAsync("""
        using Microsoft.AspNetCore.Http;

        class Handler
        {
            public async Task Handle(HttpContext context)
            {
                var ws = {|WS1003:await context.WebSockets.AcceptWebSocketAsync()|};
                await Echo(ws, context.RequestAborted);
            }

            static async Task Echo(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                while (result.MessageType != WebSocketMessageType.Close)
                {
                    await ws.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, ct);
                    result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                }

                await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
            }
        }
        """);

    [Fact]
    public Task Flags_socket_created_in_loop_without_dispose() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            async Task Reconnect(Uri uri, CancellationToken ct)
            {
                while (!ct.IsCancellationRequested)
                {
                    var ws = {|WS1003:new ClientWebSocket()|};
                    await ws.ConnectAsync(uri, ct);
                    await Task.Delay(1000, ct);
                }
            }
        }
        """);

    [Fact]
    public Task Flags_socket_used_by_awaited_lambda_that_does_not_dispose_it() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                var ws = {|WS1003:new ClientWebSocket()|};
                await ws.ConnectAsync(uri, ct);
                await Task.Run(async () => await ws.SendAsync(new ArraySegment<byte>(new byte[1]), WebSocketMessageType.Binary, true, ct));
            }
        }
        """);

    [Fact]
    public Task Flags_socket_created_with_CreateClientWebSocket() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            void Run(System.IO.Stream stream)
            {
                var ws = {|WS1003:WebSocket.CreateClientWebSocket(stream, null, 1024, 1024, TimeSpan.FromSeconds(30), false, WebSocket.CreateClientBuffer(1024, 1024))|};
                Console.WriteLine(ws.State);
            }
        }
        """);

    // ---- Silent ----

    [Fact]
    public Task Silent_with_using_declaration() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                using var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                if (ws.State != WebSocketState.Open)
                {
                    return;
                }

                await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
            }
        }
        """);

    [Fact]
    public Task Silent_with_using_statement() => VerifyCS.SilentAsync("""
        using Microsoft.AspNetCore.Http;

        class Handler
        {
            public async Task Handle(HttpContext context)
            {
                using (var ws = await context.WebSockets.AcceptWebSocketAsync())
                {
                    await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                }
            }
        }
        """);

    [Fact]
    public Task Silent_with_dispose_in_finally() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                var ws = new ClientWebSocket();
                try
                {
                    await ws.ConnectAsync(uri, ct);
                    if (ws.State != WebSocketState.Open)
                    {
                        return;
                    }

                    await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                }
                finally
                {
                    ws.Dispose();
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_assigned_inside_try_and_disposed_conditionally_in_finally() => VerifyCS.SilentAsync("""
        using Microsoft.AspNetCore.Http;

        class Handler
        {
            public async Task Handle(HttpContext context)
            {
                WebSocket? ws = null;
                try
                {
                    ws = await context.WebSockets.AcceptWebSocketAsync();
                    await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                }
                finally
                {
                    ws?.Dispose();
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_sockets_assigned_in_branches_are_disposed() => VerifyCS.SilentAsync("""
        class Peer
        {
            async Task Run(System.IO.Stream stream, bool server, CancellationToken ct)
            {
                WebSocket ws;
                if (server)
                {
                    ws = WebSocket.CreateFromStream(stream, isServer: true, subProtocol: null, keepAliveInterval: TimeSpan.Zero);
                }
                else
                {
                    ws = WebSocket.CreateFromStream(stream, isServer: false, subProtocol: null, keepAliveInterval: TimeSpan.Zero);
                }

                try
                {
                    await ws.SendAsync(new ArraySegment<byte>(new byte[] { 1 }), WebSocketMessageType.Binary, true, ct);
                }
                finally
                {
                    if (ws != null)
                    {
                        ws.Dispose();
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_disposed_at_the_end_of_every_path() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                if (ws.State != WebSocketState.Open)
                {
                    ws.Abort();
                    return;
                }

                await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                ws.Dispose();
            }
        }
        """);

    [Fact]
    public Task Silent_in_lambdas_with_using() => VerifyCS.SilentAsync("""
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;

        static class Pipeline
        {
            public static void Configure(WebApplication app)
            {
                app.MapGet("/ws", async (HttpContext context) =>
                {
                    using var ws = await context.WebSockets.AcceptWebSocketAsync();
                    await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                });
                app.Use(async (context, next) =>
                {
                    using (var ws = await context.WebSockets.AcceptWebSocketAsync())
                    {
                        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                    }

                    await next();
                });
                app.Run(async context =>
                {
                    var ws = await context.WebSockets.AcceptWebSocketAsync();
                    try
                    {
                        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                    }
                    finally
                    {
                        ws.Dispose();
                    }
                });
            }
        }
        """);

    [Fact]
    public Task Silent_when_socket_is_returned() => VerifyCS.SilentAsync("""
        class Factory
        {
            async Task<ClientWebSocket> Connect(Uri uri, CancellationToken ct)
            {
                var ws = new ClientWebSocket();
                ws.Options.KeepAliveInterval = TimeSpan.FromSeconds(10);
                await ws.ConnectAsync(uri, ct);
                return ws;
            }

            WebSocket Wrap(System.IO.Stream stream) => WebSocket.CreateFromStream(stream, false, null, TimeSpan.Zero);

            WebSocket Create(System.IO.Stream stream)
            {
                var ws = WebSocket.CreateFromStream(stream, false, null, TimeSpan.Zero);
                return ws;
            }
        }
        """ + Elsewhere.ReleasesSockets);

    [Fact]
    public Task Silent_when_socket_is_stored_in_field_property_or_collection() => VerifyCS.SilentAsync("""
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using Microsoft.AspNetCore.Http;

        class Hub
        {
            private ClientWebSocket? _client;
            private readonly List<WebSocket> _sockets = new();

            // The type releases what it stores in its private field (a field it never releases is WS1003's: FieldDisposalTests).
            void Disconnect() => _client?.Dispose();
            private readonly ConcurrentDictionary<string, WebSocket> _byId = new();
            public WebSocket? Current { get; private set; }

            async Task Connect(Uri uri, CancellationToken ct)
            {
                var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                _client = ws;
            }

            async Task Accept(HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                _sockets.Add(ws);
            }

            async Task AcceptById(HttpContext context, string id)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                _byId[id] = ws;
            }

            async Task AcceptTry(HttpContext context, string id)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                _byId.TryAdd(id, ws);
            }

            async Task AcceptCurrent(HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                Current = ws;
            }
        }
        """);

    [Fact]
    public Task Silent_when_socket_is_passed_to_a_constructor() => VerifyCS.SilentAsync("""
        using Microsoft.AspNetCore.Http;

        sealed class Connection : IDisposable
        {
            private readonly WebSocket _socket;
            public Connection(WebSocket socket) => _socket = socket;
            public void Dispose() => _socket.Dispose();
        }

        class Handler
        {
            private readonly System.Collections.Generic.List<Connection> _connections = new();

            public async Task Handle(HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                var connection = new Connection(ws);
                _connections.Add(connection);
            }
        }
        """);

    [Fact]
    public Task Silent_when_socket_is_captured_by_a_returned_lambda_or_task() => VerifyCS.SilentAsync("""
        class Client
        {
            Func<Task> Sender(Uri uri)
            {
                var ws = new ClientWebSocket();
                return async () =>
                {
                    using (ws)
                    {
                        await ws.ConnectAsync(uri, CancellationToken.None);
                    }
                };
            }

            Task Start(System.IO.Stream stream)
            {
                var ws = WebSocket.CreateFromStream(stream, true, null, TimeSpan.Zero);
                return Task.Run(() => Pump(ws));
            }

            Task Start2(System.IO.Stream stream)
            {
                var ws = WebSocket.CreateFromStream(stream, true, null, TimeSpan.Zero);
                return Pump(ws);
            }

            static async Task Pump(WebSocket ws)
            {
                using (ws)
                {
                    await ws.SendAsync(new ArraySegment<byte>(new byte[1]), WebSocketMessageType.Binary, true, default);
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_helper_of_this_compilation_disposes_or_keeps_the_socket() => VerifyCS.SilentAsync("""
        using Microsoft.AspNetCore.Http;

        class Handler
        {
            private WebSocket? _kept;

            public async Task Handle(HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                await EchoAndDispose(ws, context.RequestAborted);
            }

            public async Task Handle2(HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                Keep(ws);
            }

            public async Task Handle3(HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                try
                {
                    await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                }
                finally
                {
                    Cleanup(ws);
                }
            }

            void Keep(WebSocket socket) => _kept = socket;

            void Drop() => _kept?.Abort();

            static void Cleanup(WebSocket socket) => socket.Dispose();

            static async Task EchoAndDispose(WebSocket ws, CancellationToken ct)
            {
                try
                {
                    await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                }
                finally
                {
                    ws.Dispose();
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_ownership_moves_out_of_sight() => VerifyCS.SilentAsync("""
        using Microsoft.AspNetCore.Http;

        class Handler
        {
            public async Task Handle(HttpContext context, IProgress<WebSocket> sink)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                sink.Report(ws);
            }

            public async Task Handle2(HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                _ = Task.Run(async () =>
                {
                    await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, default);
                });
            }
        }
        """ + Elsewhere.ReleasesSockets);

    [Fact]
    public Task Silent_when_local_function_disposes_the_socket() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                Close();

                void Close() => ws.Dispose();
            }
        }
        """);

    [Fact]
    // A field the type creates and never disposes is reported (FieldDisposalTests); a parameter is its caller's.
    public Task Silent_on_socket_parameters_but_not_on_a_field_never_disposed() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            private readonly ClientWebSocket _ws = [|new ClientWebSocket()|];

            async Task Send(WebSocket ws, CancellationToken ct)
            {
                await ws.SendAsync(new ArraySegment<byte>(new byte[1]), WebSocketMessageType.Binary, true, ct);
                await _ws.SendAsync(new ArraySegment<byte>(new byte[1]), WebSocketMessageType.Binary, true, ct);
            }
        }
        """);

    [Fact]
    public Task Silent_on_other_disposables() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task<int> Run(Uri uri, CancellationToken ct)
            {
                var stream = new System.IO.MemoryStream();
                var http = new System.Net.Http.HttpClient();
                var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var text = await http.GetStringAsync(uri, cts.Token);
                stream.WriteByte(1);
                return text.Length;
            }
        }
        """);

    // ValidCode silence for every analyzer is checked by Meta/SilenceTests.

    // ---- Fixes ----

    [Fact]
    public Task Fix_adds_using_declaration_keeping_comments() => VerifyFix.FixAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                // the connection to the feed
                var ws = {|WS1003:new ClientWebSocket()|}; // one per run
                await ws.ConnectAsync(uri, ct);
                await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
            }
        }
        """, """
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                // the connection to the feed
                using var ws = new ClientWebSocket(); // one per run
                await ws.ConnectAsync(uri, ct);
                await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
            }
        }
        """);

    [Fact]
    public Task Fix_adds_using_declaration_to_accepted_socket_in_lambda() => VerifyFix.FixAsync("""
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;

        static class Endpoints
        {
            public static void Map(WebApplication app)
            {
                app.MapGet("/ws", async (HttpContext context) =>
                {
                    WebSocket ws = {|WS1003:await context.WebSockets.AcceptWebSocketAsync()|};
                    await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                });
            }
        }
        """, """
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;

        static class Endpoints
        {
            public static void Map(WebApplication app)
            {
                app.MapGet("/ws", async (HttpContext context) =>
                {
                    using WebSocket ws = await context.WebSockets.AcceptWebSocketAsync();
                    await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                });
            }
        }
        """);

    [Fact]
    public Task Fix_adds_using_declaration_when_disposed_on_some_paths() => VerifyFix.FixAsync("""
        class Client
        {
            async Task<bool> Probe(Uri uri, CancellationToken ct)
            {
                var ws = {|WS1003:new ClientWebSocket()|};
                await ws.ConnectAsync(uri, ct);
                if (ws.State != WebSocketState.Open)
                {
                    return false;
                }

                ws.Dispose();
                return true;
            }
        }
        """, """
        class Client
        {
            async Task<bool> Probe(Uri uri, CancellationToken ct)
            {
                using var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                if (ws.State != WebSocketState.Open)
                {
                    return false;
                }

                ws.Dispose();
                return true;
            }
        }
        """);

    [Fact]
    public Task Fix_below_CSharp8_wraps_the_rest_of_the_block_in_a_using_statement() => VerifyFix.FixAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                var ws = {|WS1003:new ClientWebSocket()|};
                // connect first
                await ws.ConnectAsync(uri, ct);
                await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
            }
        }
        """, """
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                using (var ws = new ClientWebSocket())
                {
                    // connect first
                    await ws.ConnectAsync(uri, ct);
                    await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                }
            }
        }
        """, LanguageVersionChoice.CSharp7_3);

    [Fact]
    public Task Fix_all_below_CSharp8_nests_using_statements() => VerifyFix.FixAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                var first = {|WS1003:new ClientWebSocket()|};
                var second = {|WS1003:new ClientWebSocket()|};
                await first.ConnectAsync(uri, ct);
                await second.ConnectAsync(uri, ct);
            }
        }
        """, """
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                using (var first = new ClientWebSocket())
                {
                    using (var second = new ClientWebSocket())
                    {
                        await first.ConnectAsync(uri, ct);
                        await second.ConnectAsync(uri, ct);
                    }
                }
            }
        }
        """, LanguageVersionChoice.CSharp7_3);

    [Fact]
    public Task No_fix_when_assigned_after_declaration() => VerifyFix.NoFixAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                ClientWebSocket ws;
                ws = {|WS1003:new ClientWebSocket()|};
                await ws.ConnectAsync(uri, ct);
            }
        }
        """);

    [Fact]
    public Task No_fix_when_ownership_moves_on_another_path() => VerifyFix.NoFixAsync("""
        class Client
        {
            async Task<ClientWebSocket?> Connect(Uri uri, CancellationToken ct)
            {
                var ws = {|WS1003:new ClientWebSocket()|};
                await ws.ConnectAsync(uri, ct);
                if (ws.State != WebSocketState.Open)
                {
                    return null;
                }

                return ws;
            }
        }
        """);

    [Fact]
    public Task No_fix_when_the_socket_is_copied_to_another_local() => VerifyFix.NoFixAsync("""
        class Peer
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                WebSocket ws;
                {
                    var client = {|WS1003:new ClientWebSocket()|};
                    await client.ConnectAsync(uri, ct);
                    ws = client;
                }

                await ws.SendAsync(new ArraySegment<byte>(new byte[] { 1 }), WebSocketMessageType.Binary, true, ct);
            }
        }
        """);

    [Fact]
    public Task No_fix_in_a_switch_section() => VerifyFix.NoFixAsync("""
        class Client
        {
            async Task Run(Uri uri, int mode, CancellationToken ct)
            {
                switch (mode)
                {
                    case 1:
                        var ws = {|WS1003:new ClientWebSocket()|};
                        await ws.ConnectAsync(uri, ct);
                        break;
                }
            }
        }
        """);

    [Fact]
    public Task Fix_all_in_two_documents() => VerifyFix.FixAllAsync(new[]
    {
        ("""
        class A
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                var first = {|WS1003:new ClientWebSocket()|};
                var second = {|WS1003:new ClientWebSocket()|};
                await first.ConnectAsync(uri, ct);
                await second.ConnectAsync(uri, ct);
            }
        }
        """, """
        class A
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                using var first = new ClientWebSocket();
                using var second = new ClientWebSocket();
                await first.ConnectAsync(uri, ct);
                await second.ConnectAsync(uri, ct);
            }
        }
        """),
        ("""
        using Microsoft.AspNetCore.Http;

        class B
        {
            public async Task Handle(HttpContext context)
            {
                var ws = {|WS1003:await context.WebSockets.AcceptWebSocketAsync()|};
                await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
            }
        }
        """, """
        using Microsoft.AspNetCore.Http;

        class B
        {
            public async Task Handle(HttpContext context)
            {
                using var ws = await context.WebSockets.AcceptWebSocketAsync();
                await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
            }
        }
        """),
    });
    [Fact]
    public Task Flags_socket_used_by_a_task_awaited_later_and_never_disposed() => VerifyCS.DiagnosticsAsync("""
        class C
        {
            async Task Run()
            {
                var ws = {|WS1003:new ClientWebSocket()|};
                await ws.ConnectAsync(new Uri("ws://localhost:5000/ws"), CancellationToken.None);
                var sendTask = Task.Run(async () =>
                    await ws.SendAsync(new ArraySegment<byte>(new byte[] { 1 }), WebSocketMessageType.Binary, true, CancellationToken.None));
                await sendTask;
                await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
        }
        """);
    [Fact]
    public Task Silent_when_the_socket_goes_to_code_that_does_not_resolve() => VerifyCS.SilentAsync("""
        class Middleware
        {
            public async Task Invoke(Microsoft.AspNetCore.Http.HttpContext context)
            {
                WebSocket webSocket = await context.WebSockets.AcceptWebSocketAsync();
                var connection = new {|CS0246:MissingConnectionType|}(webSocket);
                await connection.RunAsync();
            }
        }
        """);
}
