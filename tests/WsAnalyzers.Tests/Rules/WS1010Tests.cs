using Microsoft.CodeAnalysis.Testing;
using WsAnalyzers.Tests.Verifiers;
using Xunit;
using VerifyCS = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.DisposedWhileOpenAnalyzer>;
using VerifyFix = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.DisposedWhileOpenAnalyzer, WsAnalyzers.CodeFixes.CloseBeforeDisposeFix>;

namespace WsAnalyzers.Tests.Rules;

public class WS1010Tests
{
    // ---- Flagged ----

    [Fact]
    public Task Flags_a_using_declaration_that_ends_while_the_client_is_open() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                {|WS1010:using|} var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                await ws.SendAsync(new ArraySegment<byte>(new byte[] { 1 }), WebSocketMessageType.Binary, true, ct);
            }
        }
        """);

    [Fact]
    public Task Message_says_what_the_peer_sees() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                {|#0:ws.Dispose()|};
            }
        }
        """,
        new DiagnosticResult(Descriptors.WS1010DisposedWhileOpen).WithLocation(0)
            .WithMessage("'ws' may still be Open when it is disposed here, and no close was sent on that path: the peer sees the connection drop without a Close frame (1006); call CloseAsync first"));

    [Fact]
    public Task Flags_a_using_statement_whose_loop_can_end_on_cancellation_while_open() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                {|WS1010:using|} (var ws = new ClientWebSocket())
                {
                    await ws.ConnectAsync(uri, ct);
                    var buffer = new byte[1024];
                    while (!ct.IsCancellationRequested)
                    {
                        var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                        if (result.MessageType == WebSocketMessageType.Close)
                        {
                            await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                            break;
                        }
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Flags_a_dispose_after_a_data_message_was_received() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            async Task<string> Ask(Uri uri, CancellationToken ct)
            {
                var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                var buffer = new byte[1024];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                var text = result.MessageType == WebSocketMessageType.Text ? Encoding.UTF8.GetString(buffer, 0, result.Count) : "";
                {|WS1010:ws.Dispose()|};
                return text;
            }
        }
        """);

    [Fact]
    public Task Flags_a_finally_that_disposes_on_the_normal_path() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                var ws = new ClientWebSocket();
                try
                {
                    await ws.ConnectAsync(uri, ct);
                    await ws.SendAsync(new ArraySegment<byte>(new byte[] { 1 }), WebSocketMessageType.Binary, true, ct);
                }
                finally
                {
                    {|WS1010:ws.Dispose()|};
                }
            }
        }
        """);

    [Fact]
    public Task Flags_when_a_helper_only_sends_on_the_socket() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                using var ws = new ClientWebSocket();
                await Connect(ws, uri, ct);
                await Hello(ws, ct);
                {|WS1010:ws.Dispose()|};
            }

            static Task Connect(ClientWebSocket ws, Uri uri, CancellationToken ct) => ws.ConnectAsync(uri, ct);

            static async Task Hello(WebSocket ws, CancellationToken ct)
            {
                if (ws.State == WebSocketState.Open)
                {
                    await ws.SendAsync(new ArraySegment<byte>(Encoding.UTF8.GetBytes("hi")), WebSocketMessageType.Text, true, ct);
                }
            }
        }
        """);

    [Fact]
    public Task Flags_an_accepted_socket_disposed_by_a_send_only_endpoint() => VerifyCS.DiagnosticsAsync("""
        using Microsoft.AspNetCore.Http;

        class Feed
        {
            public async Task Invoke(HttpContext context)
            {
                {|WS1010:using|} var ws = await context.WebSockets.AcceptWebSocketAsync();
                await ws.SendAsync(new ArraySegment<byte>(Encoding.UTF8.GetBytes("tick")), WebSocketMessageType.Text, true, context.RequestAborted);
            }
        }
        """);

    [Fact]
    public Task Flags_an_accepted_socket_left_open_when_the_handler_returns() => VerifyCS.DiagnosticsAsync("""
        using Microsoft.AspNetCore.Http;

        class Feed
        {
            public async Task Invoke(HttpContext context)
            {
                var ws = {|#0:await context.WebSockets.AcceptWebSocketAsync()|};
                await ws.SendAsync(new ArraySegment<byte>(Encoding.UTF8.GetBytes("tick")), WebSocketMessageType.Text, true, context.RequestAborted);
            }
        }
        """,
        new DiagnosticResult(Descriptors.WS1010DisposedWhileOpen).WithLocation(0)
            .WithMessage("'ws' may still be Open when this handler returns, and no close was sent on that path: the request ends, the connection drops without a Close frame (1006); call CloseAsync before returning"));

    [Fact]
    public Task Flags_the_owning_type_disposing_the_socket_it_connected() => VerifyCS.DiagnosticsAsync("""
        sealed class Bot : IDisposable
        {
            private readonly ClientWebSocket _ws = new ClientWebSocket();

            public Task StartAsync(Uri uri, CancellationToken ct) => _ws.ConnectAsync(uri, ct);

            public Task SayAsync(string text, CancellationToken ct)
                => _ws.SendAsync(new ArraySegment<byte>(Encoding.UTF8.GetBytes(text)), WebSocketMessageType.Text, true, ct);

            public void Dispose() => {|WS1010:_ws.Dispose()|};
        }
        """);

    [Fact]
    public Task Flags_a_socket_captured_by_a_lambda_that_only_sends() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                Func<string, Task> say = text => ws.SendAsync(new ArraySegment<byte>(Encoding.UTF8.GetBytes(text)), WebSocketMessageType.Text, true, ct);
                await say("hi");
                {|WS1010:ws.Dispose()|};
            }
        }
        """);

    // ---- Silent ----

    [Fact]
    public Task Silent_after_a_close() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                using var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                await ws.SendAsync(new ArraySegment<byte>(new byte[] { 1 }), WebSocketMessageType.Binary, true, ct);
                await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", ct);
            }
        }
        """);

    [Fact]
    public Task Silent_after_a_guarded_close_in_a_finally() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                var ws = new ClientWebSocket();
                try
                {
                    await ws.ConnectAsync(uri, ct);
                    await ws.SendAsync(new ArraySegment<byte>(new byte[] { 1 }), WebSocketMessageType.Binary, true, ct);
                }
                finally
                {
                    if (ws.State == WebSocketState.Open)
                    {
                        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    }

                    ws.Dispose();
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_a_while_open_loop_ends() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                using var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                var buffer = new byte[1024];
                while (ws.State == WebSocketState.Open)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_peer_closed_first_which_is_WS1002s_business() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                var buffer = new byte[1024];
                var done = false;
                while (!done)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        done = true;
                    }
                }

                ws.Dispose();
            }
        }
        """);

    [Fact]
    public Task Silent_when_a_do_loop_runs_until_the_close() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                using (var ws = new ClientWebSocket())
                {
                    await ws.ConnectAsync(uri, ct);
                    var buffer = new byte[1024];
                    WebSocketReceiveResult result;
                    do
                    {
                        result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    }
                    while (!result.CloseStatus.HasValue);
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_switch_on_the_message_type_breaks_on_close() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                using var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    switch (result.MessageType)
                    {
                        case WebSocketMessageType.Close:
                            return;
                        case WebSocketMessageType.Text:
                            Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
                            break;
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_never_connected() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task Run(Uri uri, bool enabled, CancellationToken ct)
            {
                using var ws = new ClientWebSocket();
                ws.Options.KeepAliveInterval = TimeSpan.FromSeconds(10);
                if (!enabled)
                {
                    return;
                }

                try
                {
                    await ws.ConnectAsync(uri, ct);
                }
                catch (WebSocketException)
                {
                    return;
                }

                await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
            }
        }
        """);

    [Fact]
    public Task Silent_on_abort_and_on_exceptional_paths() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                var ws = new ClientWebSocket();
                try
                {
                    await ws.ConnectAsync(uri, ct);
                    await ws.SendAsync(new ArraySegment<byte>(new byte[] { 1 }), WebSocketMessageType.Binary, true, ct);
                }
                catch (OperationCanceledException)
                {
                    ws.Dispose();
                    throw;
                }

                ws.Abort();
                ws.Dispose();
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_socket_is_handed_on() => VerifyCS.SilentAsync("""
        class Client
        {
            private WebSocket? _kept;

            async Task<ClientWebSocket> Open(Uri uri, CancellationToken ct)
            {
                var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                return ws;
            }

            async Task Keep(Uri uri, CancellationToken ct)
            {
                using var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                _kept = ws;
            }
        }
        """);

    [Fact]
    public Task Silent_when_a_helper_receives_until_the_close() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                using var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                await Pump(ws, ct);
            }

            static async Task Pump(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (ws.State == WebSocketState.Open)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Flags_the_owning_types_dispose_though_another_member_would_close() => VerifyCS.DiagnosticsAsync("""
        sealed class Bot : IDisposable
        {
            private readonly ClientWebSocket _ws = new ClientWebSocket();

            public Task StartAsync(Uri uri, CancellationToken ct) => _ws.ConnectAsync(uri, ct);

            public Task StopAsync(CancellationToken ct) => _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);

            public void Dispose() => {|WS1010:_ws.Dispose()|};
        }
        """);

    /// <summary>The host calls a hosted service's StopAsync before its Dispose: a StopAsync that closes (itself or through a method of the type) comes first.</summary>
    [Theory]
    [InlineData("public Task StopAsync(CancellationToken ct) => _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);")]
    [InlineData("public async Task StopAsync(CancellationToken ct) { await LeaveAsync(ct); }\n\n    private async Task LeaveAsync(CancellationToken ct)\n    {\n        if (_ws.State == WebSocketState.Open)\n        {\n            await _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);\n        }\n    }")]
    public Task Silent_on_the_dispose_of_a_hosted_service_whose_stop_closes(string stop) => VerifyCS.SilentAsync($$"""
        sealed class Feed : Microsoft.Extensions.Hosting.IHostedService, IDisposable
        {
            private readonly ClientWebSocket _ws = new ClientWebSocket();

            public Task StartAsync(CancellationToken ct) => _ws.ConnectAsync(new Uri("wss://example.org"), ct);

            {{stop}}

            public void Dispose() => _ws.Dispose();
        }
        """);

    [Fact]
    public Task Flags_the_dispose_of_a_hosted_service_whose_stop_does_not_close() => VerifyCS.DiagnosticsAsync("""
        sealed class Feed : Microsoft.Extensions.Hosting.IHostedService, IDisposable
        {
            private readonly ClientWebSocket _ws = new ClientWebSocket();

            public Task StartAsync(CancellationToken ct) => _ws.ConnectAsync(new Uri("wss://example.org"), ct);

            public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

            public void Dispose() => {|WS1010:_ws.Dispose()|};
        }
        """);

    private static string ClientExposingItsSocket(string setter, string user) => $$"""
        sealed class Client : IDisposable
        {
            public ClientWebSocket Socket { get; {{setter}} } = new ClientWebSocket();

            public bool IsConnected => Socket.State == WebSocketState.Open;

            public async Task ConnectAsync(Uri uri, CancellationToken ct)
            {
                Socket = Socket ?? throw new ObjectDisposedException(nameof(Socket));
                await Socket.ConnectAsync(uri, ct);
            }

            public void Dispose() => Socket.Dispose();
        }

        sealed class User
        {
            async Task UseAsync(Client client, CancellationToken ct)
            {
                {{user}}
            }
        }
        """;

    [Fact]
    public Task Flags_the_dispose_of_a_socket_the_type_exposes_read_only() => VerifyCS.DiagnosticsAsync(
        ClientExposingItsSocket("private set;", "await client.Socket.SendAsync(new byte[1], WebSocketMessageType.Text, true, ct);")
            .Replace("public void Dispose() => Socket.Dispose();", "public void Dispose() => {|WS1010:Socket.Dispose()|};"));

    [Fact]
    public Task Silent_when_code_outside_the_type_closes_the_exposed_socket() => VerifyCS.SilentAsync(
        ClientExposingItsSocket("private set;", "await client.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);"));

    [Fact]
    public Task Silent_when_the_exposed_socket_can_be_set_from_outside() => VerifyCS.SilentAsync(
        ClientExposingItsSocket("set;", "await Task.Yield();"));

    [Fact]
    public Task Flags_the_owning_types_dispose_when_the_member_is_named_in_nameof_and_used_with_a_null_forgiving_operator() => VerifyCS.DiagnosticsAsync("""
        #nullable enable
        sealed class Feed : IDisposable
        {
            private ClientWebSocket? _client;

            [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(_client))]
            public bool IsConnected { get; private set; }

            public async Task ConnectAsync(Uri uri, CancellationToken ct)
            {
                _client = new ClientWebSocket();
                await (_client).ConnectAsync(uri, ct);
                IsConnected = true;
            }

            public Task SendAsync(byte[] data, CancellationToken ct)
                => _client!.SendAsync(data, WebSocketMessageType.Text, true, ct);

            public void Dispose() => _client?{|WS1010:.Dispose()|};
        }
        """);

    [Fact]
    public Task Flags_the_owning_types_dispose_of_a_socket_connected_as_a_local_then_stored() => VerifyCS.DiagnosticsAsync("""
        sealed class Ticker : IDisposable
        {
            private ClientWebSocket _socket;

            public async Task OpenAsync(Uri uri, CancellationToken ct)
            {
                var socket = new ClientWebSocket();
                await socket.ConnectAsync(uri, ct);
                _socket = socket;
            }

            public Task SendAsync(byte[] data, CancellationToken ct) => _socket.SendAsync(data, WebSocketMessageType.Binary, true, ct);

            public void Dispose() => {|WS1010:_socket.Dispose()|};
        }
        """);

    /// <summary>A wrapper given its socket by the constructor; <paramref name="close"/> is its close member.</summary>
    private static string WrapperOverAGivenSocket(string close, string dispose) => $$"""
        sealed class MessageStream : IDisposable
        {
            private readonly WebSocket _socket;

            public MessageStream(WebSocket socket)
            {
                _socket = socket;
            }

            public Task WriteAsync(byte[] data, CancellationToken ct) => _socket.SendAsync(data, WebSocketMessageType.Binary, true, ct);
        {{close}}
            public void Dispose() => {{dispose}};
        }
        """;

    [Fact]
    public Task Flags_the_dispose_of_a_wrapper_that_closes_its_given_socket_elsewhere() => VerifyCS.DiagnosticsAsync(WrapperOverAGivenSocket(
        "\n    public Task CloseAsync(CancellationToken ct) => _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);\n",
        "{|WS1010:_socket.Dispose()|}"));

    [Fact]
    public Task Silent_on_a_wrapper_that_never_closes_its_given_socket() => VerifyCS.SilentAsync(WrapperOverAGivenSocket("", "_socket.Dispose()"));

    /// <summary>A client with its own connection flag; <paramref name="dispose"/> is the body of its DisposeAsync.</summary>
    private static string ClientWithAConnectionFlag(string dispose) => $$"""
        sealed class Lavalink : IAsyncDisposable
        {
            private readonly ClientWebSocket _socket = new ClientWebSocket();

            public bool IsConnected { get; private set; }

            public bool Verbose { get; set; }

            public async Task ConnectAsync(Uri uri, CancellationToken ct)
            {
                await _socket.ConnectAsync(uri, ct);
                IsConnected = true;
            }

            public async Task DisconnectAsync()
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                IsConnected = false;
            }

            public async ValueTask DisposeAsync()
            {
        {{dispose}}
            }
        }
        """;

    [Fact]
    public Task Silent_when_the_dispose_closes_behind_the_types_own_connection_flag() => VerifyCS.SilentAsync(ClientWithAConnectionFlag("""
                if (IsConnected)
                {
                    await DisconnectAsync();
                }

                _socket.Dispose();
        """));

    [Fact]
    public Task Flags_the_dispose_when_a_flag_guards_something_else() => VerifyCS.DiagnosticsAsync(ClientWithAConnectionFlag("""
                if (Verbose)
                {
                    Console.WriteLine("disposing");
                }

                {|WS1010:_socket.Dispose()|};
                await Task.CompletedTask;
        """));

    /// <summary>A client whose disconnect member disposes its socket; <paramref name="disconnect"/> is that member.</summary>
    private static string ClientWithADisconnect(string disconnect) => $$"""
        public sealed class Ledger
        {
            private ClientWebSocket _ws;

            public async Task ConnectAsync(Uri uri, CancellationToken ct)
            {
                _ws = new ClientWebSocket();
                await _ws.ConnectAsync(uri, ct);
            }

            public Task SendAsync(byte[] data, CancellationToken ct) => _ws.SendAsync(data, WebSocketMessageType.Text, true, ct);

        {{disconnect}}
        }
        """;

    private const string InvertedGuardDisconnect = """
            public async Task DisconnectAsync()
            {
                if (_ws.State != WebSocketState.Open)
                {
                    await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }

                {|WS1010:_ws.Dispose()|};
            }
        """;

    [Fact]
    public Task Flags_a_public_disconnect_whose_close_guard_is_inverted() => VerifyCS.DiagnosticsAsync(ClientWithADisconnect(InvertedGuardDisconnect));

    [Fact]
    public Task Fix_closes_before_the_dispose_of_a_public_disconnect() => VerifyFix.FixAsync(ClientWithADisconnect(InvertedGuardDisconnect), ClientWithADisconnect("""
            public async Task DisconnectAsync()
            {
                if (_ws.State != WebSocketState.Open)
                {
                    await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }

                if (_ws.State == WebSocketState.Open || _ws.State == WebSocketState.CloseReceived)
                {
                    using var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, closeTimeout.Token);
                }

                _ws.Dispose();
            }
        """));

    [Theory]
    [InlineData("""
            public async Task DisconnectAsync()
            {
                if (_ws.State == WebSocketState.Open)
                {
                    await _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }

                _ws.Dispose();
            }
        """)]
    [InlineData("""
            private void Drop()
            {
                _ws.Dispose();
            }

            public Task FailAsync() { Drop(); return Task.CompletedTask; }
        """)]
    [InlineData("""
            public async Task ReconnectAsync(Uri uri, CancellationToken ct)
            {
                _ws.Dispose();
                _ws = new ClientWebSocket();
                await _ws.ConnectAsync(uri, ct);
            }
        """)]
    public Task Silent_on_a_disconnect_that_closes_a_private_helper_or_a_reconnect(string disconnect) => VerifyCS.SilentAsync(ClientWithADisconnect(disconnect));

    [Fact]
    public Task Silent_when_the_member_is_handed_on_behind_a_null_forgiving_operator() => VerifyCS.SilentAsync("""
        #nullable enable
        sealed class Feed : IDisposable
        {
            private ClientWebSocket? _client;

            public async Task ConnectAsync(Uri uri, CancellationToken ct)
            {
                _client = new ClientWebSocket();
                await _client.ConnectAsync(uri, ct);
            }

            public Task StopAsync(CancellationToken ct) => Closer.CloseAsync(_client!, ct);

            public void Dispose() => _client?.Dispose();
        }

        static class Closer
        {
            public static Task CloseAsync(WebSocket ws, CancellationToken ct) => ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
        }
        """);

    [Theory]
    [InlineData("StopAsync(CancellationToken.None).GetAwaiter().GetResult();")]
    [InlineData("if (_ws.State == WebSocketState.Open) _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).Wait();")]
    [InlineData("_ws.Abort();")]
    public Task Silent_when_the_owning_types_dispose_closes_first(string first) => VerifyCS.SilentAsync($$"""
        sealed class Bot : IDisposable
        {
            private readonly ClientWebSocket _ws = new ClientWebSocket();

            public Task StartAsync(Uri uri, CancellationToken ct) => _ws.ConnectAsync(uri, ct);

            public Task StopAsync(CancellationToken ct) => _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);

            public void Dispose()
            {
                {{first}}
                _ws.Dispose();
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_owning_type_never_connects_its_socket() => VerifyCS.SilentAsync("""
        sealed class Holder : IDisposable
        {
            private readonly ClientWebSocket _ws = new ClientWebSocket();

            public WebSocketState State => _ws.State;

            public void Dispose() => _ws.Dispose();
        }
        """);

    [Fact]
    public Task Silent_when_an_accepted_socket_is_closed_before_the_handler_returns() => VerifyCS.SilentAsync("""
        using Microsoft.AspNetCore.Http;

        class Feed
        {
            public async Task Invoke(HttpContext context)
            {
                using var ws = await context.WebSockets.AcceptWebSocketAsync();
                await ws.SendAsync(new ArraySegment<byte>(Encoding.UTF8.GetBytes("tick")), WebSocketMessageType.Text, true, context.RequestAborted);
                await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", context.RequestAborted);
            }
        }
        """);

    [Fact]
    public Task Silent_on_half_typed_code() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                using var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                {|CS0103:Missing|}.Take(ws);
            }
        }
        """);

    // ---- Fix ----

    [Fact]
    public Task Fix_closes_before_an_explicit_dispose() => VerifyFix.FixAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                await ws.SendAsync(new ArraySegment<byte>(new byte[] { 1 }), WebSocketMessageType.Binary, true, ct);
                {|WS1010:ws.Dispose()|};
            }
        }
        """, """
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                await ws.SendAsync(new ArraySegment<byte>(new byte[] { 1 }), WebSocketMessageType.Binary, true, ct);
                if (ws.State == WebSocketState.Open || ws.State == WebSocketState.CloseReceived)
                {
                    using var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, closeTimeout.Token);
                }

                ws.Dispose();
            }
        }
        """);

    [Fact]
    public Task Fix_closes_at_the_end_of_a_using_declaration_scope_before_its_return() => VerifyFix.FixAsync("""
        class Client
        {
            async Task<int> Run(Uri uri, CancellationToken ct)
            {
                var closeTimeout = 1;
                {|WS1010:using|} var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                await ws.SendAsync(new ArraySegment<byte>(new byte[] { 1 }), WebSocketMessageType.Binary, true, ct);
                return closeTimeout;
            }
        }
        """, """
        class Client
        {
            async Task<int> Run(Uri uri, CancellationToken ct)
            {
                var closeTimeout = 1;
                using var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                await ws.SendAsync(new ArraySegment<byte>(new byte[] { 1 }), WebSocketMessageType.Binary, true, ct);
                if (ws.State == WebSocketState.Open || ws.State == WebSocketState.CloseReceived)
                {
                    using var closeTimeout2 = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, closeTimeout2.Token);
                }

                return closeTimeout;
            }
        }
        """);

    [Fact]
    public Task Fix_closes_at_the_end_of_a_using_statement_and_of_a_handler() => VerifyFix.FixAsync("""
        using Microsoft.AspNetCore.Http;

        class Feed
        {
            public async Task Invoke(HttpContext context)
            {
                var ws = {|WS1010:await context.WebSockets.AcceptWebSocketAsync()|};
                await ws.SendAsync(new ArraySegment<byte>(Encoding.UTF8.GetBytes("tick")), WebSocketMessageType.Text, true, context.RequestAborted);
            }

            async Task Client(Uri uri, CancellationToken ct)
            {
                {|WS1010:using|} (var ws = new ClientWebSocket())
                {
                    await ws.ConnectAsync(uri, ct);
                }
            }
        }
        """, """
        using Microsoft.AspNetCore.Http;

        class Feed
        {
            public async Task Invoke(HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                await ws.SendAsync(new ArraySegment<byte>(Encoding.UTF8.GetBytes("tick")), WebSocketMessageType.Text, true, context.RequestAborted);

                if (ws.State == WebSocketState.Open || ws.State == WebSocketState.CloseReceived)
                {
                    using var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, closeTimeout.Token);
                }
            }

            async Task Client(Uri uri, CancellationToken ct)
            {
                using (var ws = new ClientWebSocket())
                {
                    await ws.ConnectAsync(uri, ct);

                    if (ws.State == WebSocketState.Open || ws.State == WebSocketState.CloseReceived)
                    {
                        using var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, closeTimeout.Token);
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Fix_uses_a_using_statement_before_CSharp_8() => VerifyFix.FixAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                {|WS1010:ws.Dispose()|};
            }
        }
        """, """
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                if (ws.State == WebSocketState.Open || ws.State == WebSocketState.CloseReceived)
                {
                    using (var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
                    {
                        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, closeTimeout.Token);
                    }
                }

                ws.Dispose();
            }
        }
        """, LanguageVersionChoice.CSharp7_3);

    [Fact]
    public Task No_fix_in_a_dispose_that_is_not_async() => VerifyFix.NoFixAsync("""
        sealed class Bot : IDisposable
        {
            private readonly ClientWebSocket _ws = new ClientWebSocket();

            public Task StartAsync(Uri uri, CancellationToken ct) => _ws.ConnectAsync(uri, ct);

            public void Dispose()
            {
                {|WS1010:_ws.Dispose()|};
            }
        }
        """);

    [Fact]
    public Task Fix_closes_in_the_owning_types_DisposeAsync() => VerifyFix.FixAsync("""
        sealed class Bot : IAsyncDisposable
        {
            private readonly ClientWebSocket _ws = new ClientWebSocket();

            public Task StartAsync(Uri uri, CancellationToken ct) => _ws.ConnectAsync(uri, ct);

            public async ValueTask DisposeAsync()
            {
                await Task.Yield();
                {|WS1010:_ws.Dispose()|};
            }
        }
        """, """
        sealed class Bot : IAsyncDisposable
        {
            private readonly ClientWebSocket _ws = new ClientWebSocket();

            public Task StartAsync(Uri uri, CancellationToken ct) => _ws.ConnectAsync(uri, ct);

            public async ValueTask DisposeAsync()
            {
                await Task.Yield();
                if (_ws.State == WebSocketState.Open || _ws.State == WebSocketState.CloseReceived)
                {
                    using var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, closeTimeout.Token);
                }

                _ws.Dispose();
            }
        }
        """);

    [Fact]
    public Task Fix_all_closes_in_both_documents() => VerifyFix.FixAllAsync(new[]
    {
        ("""
        class A
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                {|WS1010:ws.Dispose()|};
            }

            async Task Twice(Uri uri, CancellationToken ct)
            {
                {|WS1010:using|} var first = new ClientWebSocket();
                await first.ConnectAsync(uri, ct);
                var second = new ClientWebSocket();
                await second.ConnectAsync(uri, ct);
                {|WS1010:second.Dispose()|};
            }
        }
        """, """
        class A
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                if (ws.State == WebSocketState.Open || ws.State == WebSocketState.CloseReceived)
                {
                    using var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, closeTimeout.Token);
                }

                ws.Dispose();
            }

            async Task Twice(Uri uri, CancellationToken ct)
            {
                using var first = new ClientWebSocket();
                await first.ConnectAsync(uri, ct);
                var second = new ClientWebSocket();
                await second.ConnectAsync(uri, ct);
                if (second.State == WebSocketState.Open || second.State == WebSocketState.CloseReceived)
                {
                    using var closeTimeout2 = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await second.CloseAsync(WebSocketCloseStatus.NormalClosure, null, closeTimeout2.Token);
                }

                second.Dispose();

                if (first.State == WebSocketState.Open || first.State == WebSocketState.CloseReceived)
                {
                    using var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await first.CloseAsync(WebSocketCloseStatus.NormalClosure, null, closeTimeout.Token);
                }
            }
        }
        """),
        ("""
        class B
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                {|WS1010:using|} var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
            }
        }
        """, """
        class B
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                using var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);

                if (ws.State == WebSocketState.Open || ws.State == WebSocketState.CloseReceived)
                {
                    using var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, closeTimeout.Token);
                }
            }
        }
        """),
    });
}
