using Xunit;
using VerifyCS = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.SendNotAwaitedAnalyzer>;
using VerifyFix = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.SendNotAwaitedAnalyzer, WsAnalyzers.CodeFixes.AwaitSendFix>;

namespace WsAnalyzers.Tests.Rules;

public class WS1009Tests
{
    [Fact]
    public Task Silent_where_the_compiler_reports_CS4014_on_the_same_line() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task Send(ClientWebSocket ws, byte[] data, CancellationToken ct)
            {
                ws.SendAsync(new ArraySegment<byte>(data), WebSocketMessageType.Binary, true, ct);
                ws.SendAsync(data.AsMemory(), WebSocketMessageType.Binary, true, ct).ConfigureAwait(false);
                ws.SendAsync(new ArraySegment<byte>(data), WebSocketMessageType.Binary, true, ct).ContinueWith(t => Console.WriteLine(t.Status));
                Task.Run(() => ws.SendAsync(new ArraySegment<byte>(data), WebSocketMessageType.Binary, true, ct));
                Func<Task> later = async () => { ws.SendAsync(new ArraySegment<byte>(data), WebSocketMessageType.Binary, true, ct); await Task.Yield(); };
                async Task Local() { ws.SendAsync(new ArraySegment<byte>(data), WebSocketMessageType.Binary, true, ct); await Task.Yield(); }
                await later();
                await Local();
            }
        }
        """);

    [Fact]
    public Task Flags_what_the_compiler_does_not_report() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            async Task Send(ClientWebSocket? ws, byte[] data, CancellationToken ct)
            {
                ws?{|WS1009:.SendAsync(new ArraySegment<byte>(data), WebSocketMessageType.Binary, true, ct)|};
                Action ping = () => { {|WS1009:ws!.SendAsync(new ArraySegment<byte>(data), WebSocketMessageType.Binary, true, ct)|}; };
                ping();
                await Task.Yield();
            }

            void Continue(WebSocket ws, byte[] data)
            {
                {|WS1009:ws.SendAsync(new ArraySegment<byte>(data), WebSocketMessageType.Binary, true, CancellationToken.None)|}.ContinueWith(t => Console.WriteLine(t.Status));
            }
        }
        """);

    [Fact]
    public Task Flags_and_awaits_a_discarded_memory_send() => VerifyFix.FixAsync("""
        class Client
        {
            async Task Send(WebSocket ws, string text, CancellationToken ct)
            {
                // fire and forget
                _ = {|WS1009:ws.SendAsync(Encoding.UTF8.GetBytes(text).AsMemory(), WebSocketMessageType.Text, true, ct)|};
            }
        }
        """, """
        class Client
        {
            async Task Send(WebSocket ws, string text, CancellationToken ct)
            {
                // fire and forget
                await ws.SendAsync(Encoding.UTF8.GetBytes(text).AsMemory(), WebSocketMessageType.Text, true, ct);
            }
        }
        """);

    [Fact]
    public Task Awaits_with_configure_await_kept() => VerifyFix.FixAsync("""
        class Client
        {
            async Task Send(WebSocket ws, ReadOnlyMemory<byte> data)
            {
                _ = {|WS1009:ws.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None)|}.ConfigureAwait(false);
            }
        }
        """, """
        class Client
        {
            async Task Send(WebSocket ws, ReadOnlyMemory<byte> data)
            {
                await ws.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None).ConfigureAwait(false);
            }
        }
        """);

    [Fact]
    public Task Awaits_sends_of_a_server_in_an_async_lambda() => VerifyFix.FixAsync("""
        using Microsoft.AspNetCore.Builder;

        class Server
        {
            void Map(IApplicationBuilder app)
            {
                app.Run(async context =>
                {
                    using var ws = await context.WebSockets.AcceptWebSocketAsync();
                    var hello = Encoding.UTF8.GetBytes("hello");
                    _ = {|WS1009:ws.SendAsync(new ArraySegment<byte>(hello), WebSocketMessageType.Text, true, context.RequestAborted)|};
                    _ = {|WS1009:ws.SendAsync(new ArraySegment<byte>(hello), WebSocketMessageType.Text, true, context.RequestAborted)|};
                    await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                });
            }
        }
        """, """
        using Microsoft.AspNetCore.Builder;

        class Server
        {
            void Map(IApplicationBuilder app)
            {
                app.Run(async context =>
                {
                    using var ws = await context.WebSockets.AcceptWebSocketAsync();
                    var hello = Encoding.UTF8.GetBytes("hello");
                    await ws.SendAsync(new ArraySegment<byte>(hello), WebSocketMessageType.Text, true, context.RequestAborted);
                    await ws.SendAsync(new ArraySegment<byte>(hello), WebSocketMessageType.Text, true, context.RequestAborted);
                    await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                });
            }
        }
        """);

    [Fact]
    public Task Flags_but_offers_no_fix_in_a_method_that_is_not_async() => VerifyFix.NoFixAsync("""
        class Client
        {
            void Send(WebSocket ws, byte[] data)
            {
                {|WS1009:ws.SendAsync(new ArraySegment<byte>(data), WebSocketMessageType.Binary, true, CancellationToken.None)|};
            }
        }
        """);

    [Fact]
    public Task Flags_a_send_in_a_timer_callback() => VerifyFix.NoFixAsync("""
        class Client
        {
            Timer Ping(WebSocket ws) => new Timer(_ => {|WS1009:ws.SendAsync(new ArraySegment<byte>(new byte[] { 1 }), WebSocketMessageType.Binary, true, CancellationToken.None)|}, null, 0, 1000);
        }
        """);

    [Fact]
    public Task Flags_a_send_assigned_to_a_parameter_named_underscore() => VerifyFix.NoFixAsync("""
        class Heartbeat
        {
            private readonly WebSocket _ws;

            Heartbeat(WebSocket ws) => _ws = ws;

            void Beat(object? _)
            {
                _ = {|WS1009:_ws.SendAsync(new ArraySegment<byte>(new byte[] { 1 }), WebSocketMessageType.Binary, true, CancellationToken.None)|};
            }

            static Timer Ping(WebSocket ws) =>
                new Timer(_ => { _ = {|WS1009:ws.SendAsync(new ArraySegment<byte>(new byte[] { 2 }), WebSocketMessageType.Binary, true, CancellationToken.None)|}; }, null, 0, 1000);
        }
        """);

    [Fact]
    public Task Flags_but_offers_no_fix_inside_a_lock() => VerifyFix.NoFixAsync("""
        class Client
        {
            readonly object _gate = new();

            async Task Send(WebSocket ws, byte[] data)
            {
                lock (_gate)
                {
                    _ = {|WS1009:ws.SendAsync(new ArraySegment<byte>(data), WebSocketMessageType.Binary, true, CancellationToken.None)|};
                }

                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Flags_but_offers_no_fix_for_a_conditional_send() => VerifyFix.NoFixAsync("""
        class Client
        {
            WebSocket? _ws;

            async Task Send(ReadOnlyMemory<byte> data)
            {
                _ = _ws?{|WS1009:.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None)|};
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Flags_a_task_stored_in_a_local_nobody_reads() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            void Send(WebSocket ws, byte[] data)
            {
                var sending = {|WS1009:ws.SendAsync(new ArraySegment<byte>(data), WebSocketMessageType.Binary, true, CancellationToken.None)|};
            }
        }
        """);

    [Fact]
    public Task Silent_when_awaited_for_both_overloads_on_client_and_server() => VerifyCS.SilentAsync("""
        class Echo
        {
            async Task Client(ClientWebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                await ws.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, ct);
            }

            async Task Server(Microsoft.AspNetCore.Http.HttpContext context)
            {
                using var ws = await context.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[1024];
                var result = await ws.ReceiveAsync(buffer.AsMemory(), context.RequestAborted);
                await ws.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, context.RequestAborted).ConfigureAwait(false);
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_task_is_returned() => VerifyCS.SilentAsync("""
        class Client
        {
            Task Send(WebSocket ws, byte[] data) => ws.SendAsync(new ArraySegment<byte>(data), WebSocketMessageType.Binary, true, CancellationToken.None);

            ValueTask SendMemory(WebSocket ws, ReadOnlyMemory<byte> data)
            {
                return ws.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None);
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_task_is_stored_and_awaited_later() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task Send(WebSocket ws, byte[] data, CancellationToken ct)
            {
                var sending = ws.SendAsync(new ArraySegment<byte>(data), WebSocketMessageType.Binary, true, ct);
                await Task.Delay(1, ct);
                await sending;
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_task_is_handed_to_a_send_queue() => VerifyCS.SilentAsync("""
        class Client
        {
            readonly System.Collections.Generic.List<Task> _pending = new();
            readonly System.Threading.Channels.Channel<Func<Task>> _queue = System.Threading.Channels.Channel.CreateUnbounded<Func<Task>>();

            void Enqueue(WebSocket ws, byte[] data)
            {
                _queue.Writer.TryWrite(() => ws.SendAsync(new ArraySegment<byte>(data), WebSocketMessageType.Binary, true, CancellationToken.None));
                _pending.Add(ws.SendAsync(new ArraySegment<byte>(data), WebSocketMessageType.Binary, true, CancellationToken.None));
            }

            Task Broadcast(WebSocket[] sockets, byte[] data)
                => Task.WhenAll(Array.ConvertAll(sockets, s => s.SendAsync(new ArraySegment<byte>(data), WebSocketMessageType.Text, true, CancellationToken.None)));
        }
        """);

    [Fact]
    public Task Silent_when_waited_synchronously() => VerifyCS.SilentAsync("""
        class Client
        {
            void Send(WebSocket ws, byte[] data)
            {
                ws.SendAsync(new ArraySegment<byte>(data), WebSocketMessageType.Binary, true, CancellationToken.None).Wait();
                ws.SendAsync(data.AsMemory(), WebSocketMessageType.Binary, true, CancellationToken.None).GetAwaiter().GetResult();
            }
        }
        """);

    [Fact]
    public Task Silent_for_a_send_method_of_another_type() => VerifyCS.SilentAsync("""
        class Client
        {
            void Send(System.Net.Sockets.Socket socket, byte[] data)
            {
                _ = socket.SendAsync(new ArraySegment<byte>(data), System.Net.Sockets.SocketFlags.None);
            }
        }
        """);

    [Fact]
    public Task Fix_all_awaits_sends_in_both_documents() => VerifyFix.FixAllAsync(new[]
    {
        ("""
        class A
        {
            async Task Send(WebSocket ws, byte[] data)
            {
                _ = {|WS1009:ws.SendAsync(new ArraySegment<byte>(data), WebSocketMessageType.Binary, false, CancellationToken.None)|};
                _ = {|WS1009:ws.SendAsync(new ArraySegment<byte>(data), WebSocketMessageType.Binary, true, CancellationToken.None)|};
            }
        }
        """, """
        class A
        {
            async Task Send(WebSocket ws, byte[] data)
            {
                await ws.SendAsync(new ArraySegment<byte>(data), WebSocketMessageType.Binary, false, CancellationToken.None);
                await ws.SendAsync(new ArraySegment<byte>(data), WebSocketMessageType.Binary, true, CancellationToken.None);
            }
        }
        """),
        ("""
        class B
        {
            async Task Send(WebSocket ws, ReadOnlyMemory<byte> data)
            {
                _ = {|WS1009:ws.SendAsync(data, WebSocketMessageType.Text, true, CancellationToken.None)|};
            }
        }
        """, """
        class B
        {
            async Task Send(WebSocket ws, ReadOnlyMemory<byte> data)
            {
                await ws.SendAsync(data, WebSocketMessageType.Text, true, CancellationToken.None);
            }
        }
        """),
    });
    [Fact]
    public Task Flags_a_send_started_on_the_thread_pool_and_dropped() => VerifyCS.DiagnosticsAsync("""
        class Connection
        {
            private readonly WebSocket _ws;

            public Connection(WebSocket ws) => _ws = ws;

            public void Send(string message)
                => Task.Run(() => {|WS1009:_ws.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None)|});

            public void SendLater(string message)
            {
                _ = Task.Factory.StartNew(() => {|WS1009:_ws.SendAsync(new ArraySegment<byte>(Encoding.UTF8.GetBytes(message)), WebSocketMessageType.Text, true, CancellationToken.None)|});
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_started_send_is_awaited() => VerifyCS.SilentAsync("""
        class Connection
        {
            private readonly WebSocket _ws;

            public Connection(WebSocket ws) => _ws = ws;

            public async Task Send(string message)
                => await Task.Run(() => _ws.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None));
        }
        """);

    /// <summary>A client with send wrappers; <paramref name="calls"/> is the body of an async method and <paramref name="syncCalls"/> of a synchronous one.</summary>
    private static string WrappingClient(string calls, string syncCalls = "") => $$"""
        sealed class Feed
        {
            private readonly ClientWebSocket _ws = new();
            private readonly SemaphoreSlim _gate = new(1, 1);

            public Task SendTextAsync(string text)
                => _ws.SendAsync(new ArraySegment<byte>(System.Text.Encoding.UTF8.GetBytes(text)), WebSocketMessageType.Text, true, CancellationToken.None);

            public async Task SendJsonAsync(object value)
            {
                var text = value.ToString() ?? "";
                await SendTextAsync(text);
            }

            public async Task SendOrderedAsync(string text)
            {
                await _gate.WaitAsync();
                try
                {
                    await SendTextAsync(text);
                }
                finally
                {
                    _gate.Release();
                }
            }

            public async Task RunAsync()
            {
                {{calls}}
                await Task.Yield();
            }

            public void Beat()
            {
                {{syncCalls}}
            }
        }
        """;

    [Fact]
    public Task Flags_a_dropped_call_of_a_method_whose_task_is_a_send() => VerifyCS.DiagnosticsAsync(
        WrappingClient(
            "_ = {|#0:SendTextAsync(\"a\")|};\n        _ = {|WS1009:SendJsonAsync(1)|};",
            "{|WS1009:SendTextAsync(\"beat\")|};"),
        new Microsoft.CodeAnalysis.Testing.DiagnosticResult(Descriptors.WS1009SendNotAwaited).WithLocation(0)
            .WithMessage("The task of this call of 'SendTextAsync', which sends on a WebSocket, is discarded: await it so the next send cannot overlap and interleave with it"));

    [Fact]
    public Task Silent_for_awaited_wrappers_ordered_wrappers_and_CS4014_lines() => VerifyCS.SilentAsync(WrappingClient(
        "await SendTextAsync(\"a\");\n        _ = SendOrderedAsync(\"b\");\n        SendJsonAsync(2);\n        var kept = SendTextAsync(\"c\");\n        await kept;",
        "_ = SendOrderedAsync(\"beat\");"));

    [Fact]
    public Task Silent_for_sender_loops_dispatchers_and_sessions() => VerifyCS.SilentAsync("""
        sealed class Session
        {
            private readonly ClientWebSocket _ws = new();

            public async Task PumpAsync(System.Collections.Concurrent.BlockingCollection<byte[]> outbox, CancellationToken ct)
            {
                while (!ct.IsCancellationRequested)
                {
                    await _ws.SendAsync(new ArraySegment<byte>(outbox.Take(ct)), WebSocketMessageType.Binary, true, ct);
                }
            }

            public async Task HandleAsync(string kind)
            {
                switch (kind)
                {
                    case "ping":
                        await _ws.SendAsync(new ArraySegment<byte>(new byte[] { 1 }), WebSocketMessageType.Binary, true, CancellationToken.None);
                        break;
                    default:
                        Console.WriteLine(kind);
                        break;
                }
            }

            public async Task ConnectAndHelloAsync(Uri uri)
            {
                await _ws.ConnectAsync(uri, CancellationToken.None);
                await _ws.SendAsync(new ArraySegment<byte>(new byte[] { 2 }), WebSocketMessageType.Binary, true, CancellationToken.None);
            }

            public void Start(System.Collections.Concurrent.BlockingCollection<byte[]> outbox, Uri uri)
            {
                _ = PumpAsync(outbox, CancellationToken.None);
                _ = HandleAsync("ping");
                _ = ConnectAndHelloAsync(uri);
            }
        }
        """);

    /// <summary>A request that sends and reads its one answer is a send; a session that receives in a loop is not.</summary>
    [Fact]
    public Task Flags_a_dropped_request_that_sends_then_reads_one_answer() => VerifyCS.DiagnosticsAsync("""
        sealed class Chat
        {
            private readonly ClientWebSocket _ws = new();

            private async Task PostAsync(string text)
            {
                await _ws.SendAsync(new ArraySegment<byte>(Encoding.UTF8.GetBytes(text)), WebSocketMessageType.Text, true, CancellationToken.None);
                var answer = new byte[64];
                var result = await _ws.ReceiveAsync(new ArraySegment<byte>(answer), CancellationToken.None);
                Console.WriteLine(Encoding.UTF8.GetString(answer, 0, result.Count));
            }

            private async Task ListenAsync()
            {
                var buffer = new byte[64];
                while (_ws.State == WebSocketState.Open)
                {
                    var result = await _ws.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                        return;
                    }

                    await _ws.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, CancellationToken.None);
                }
            }

            public void OnClick()
            {
                _ = {|WS1009:PostAsync("hello")|};
                _ = ListenAsync();
            }
        }
        """);

    [Fact]
    public Task Fix_awaits_a_dropped_wrapper_call() => VerifyFix.FixAsync(
        WrappingClient("_ = {|WS1009:SendJsonAsync(1)|};"),
        WrappingClient("await SendJsonAsync(1);"));

    private const string AsyncVoidSender = """
        class Client
        {
            private readonly ClientWebSocket _ws = new ClientWebSocket();

            public void Send(string text) => SendMessageAsync(text);

            private async void SendMessageAsync(string text)
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                for (var offset = 0; offset < bytes.Length; offset += 1024)
                {
                    var count = Math.Min(1024, bytes.Length - offset);
                    await {|WS1009:_ws.SendAsync(new ArraySegment<byte>(bytes, offset, count), WebSocketMessageType.Text, offset + count == bytes.Length, CancellationToken.None)|};
                }
            }
        }
        """;

    [Fact]
    public Task Flags_a_send_in_an_async_void_method() => VerifyCS.DiagnosticsAsync(AsyncVoidSender);

    [Fact]
    public Task No_fix_for_a_send_in_an_async_void_method() => VerifyFix.NoFixAsync(AsyncVoidSender);

    [Fact]
    public Task Silent_on_async_void_event_handlers_sender_loops_and_ordered_sends() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            private readonly ClientWebSocket _ws = new ClientWebSocket();
            private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
            private readonly System.Collections.Concurrent.BlockingCollection<byte[]> _outbox = new();

            private async void OnClick(object? sender, EventArgs e)
                => await _ws.SendAsync(new byte[] { 1 }, WebSocketMessageType.Binary, true, CancellationToken.None);

            private async void SendOrdered(byte[] data)
            {
                await _gate.WaitAsync();
                try
                {
                    await _ws.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None);
                }
                finally
                {
                    _gate.Release();
                }
            }

            private async void SenderLoop()
            {
                while (true)
                {
                    var next = _outbox.Take();
                    await _ws.SendAsync(next, WebSocketMessageType.Binary, true, CancellationToken.None);
                }
            }

            private async Task SendAsync(byte[] data)
                => await _ws.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None);
        }
        """);

    private const string ParallelSends = """
        using System.Collections.Generic;

        class Hub
        {
            private readonly List<WebSocket> _sockets = new();

            public void Broadcast(ArraySegment<byte> data)
            {
                Parallel.ForEach(_sockets, async socket =>
                {
                    if (socket.State == WebSocketState.Open)
                    {
                        await {|WS1009:socket.SendAsync(data, WebSocketMessageType.Text, true, CancellationToken.None)|};
                    }
                });
                _sockets.ForEach(async socket => await {|WS1009:socket.SendAsync(data, WebSocketMessageType.Text, true, CancellationToken.None)|});
            }
        }
        """;

    [Fact]
    public Task Flags_sends_in_an_async_lambda_run_by_parallel_or_list_foreach() => VerifyCS.DiagnosticsAsync(ParallelSends);

    [Fact]
    public Task No_fix_for_sends_in_an_async_lambda_run_as_void() => VerifyFix.NoFixAsync(ParallelSends);

    [Fact]
    public Task Silent_when_the_loop_awaits_its_lambdas() => VerifyCS.SilentAsync("""
        using System.Collections.Generic;
        using System.Linq;

        class Hub
        {
            private readonly List<WebSocket> _sockets = new();

            public async Task Broadcast(ArraySegment<byte> data, CancellationToken ct)
            {
                await Parallel.ForEachAsync(_sockets, ct, async (socket, token) => await socket.SendAsync(data, WebSocketMessageType.Text, true, token));
                await Task.WhenAll(_sockets.Select(async socket => await socket.SendAsync(data, WebSocketMessageType.Text, true, ct)));
                foreach (var socket in _sockets)
                {
                    await socket.SendAsync(data, WebSocketMessageType.Text, true, ct);
                }
            }
        }
        """);

    private const string WhenAllBroadcast = """
        using System.Collections.Generic;
        using System.Linq;

        class Room
        {
            private readonly List<WebSocket> _sockets = new();

            public void Join(WebSocket socket)
            {
                _sockets.Add(socket);
                {|WS1009:BroadcastAsync("joined")|};
            }

            public async Task Leave(WebSocket socket)
            {
                _sockets.Remove(socket);
                await BroadcastAsync("left");
            }

            private async Task BroadcastAsync(string text)
            {
                var data = new ArraySegment<byte>(Encoding.UTF8.GetBytes(text));
                var tasks = _sockets.Where(s => s.State == WebSocketState.Open).Select(s => SafeSendAsync(s, data));
                await Task.WhenAll(tasks);
            }

            private async Task SafeSendAsync(WebSocket socket, ArraySegment<byte> data)
            {
                try
                {
                    await socket.SendAsync(data, WebSocketMessageType.Text, true, CancellationToken.None);
                }
                catch (WebSocketException)
                {
                }
            }
        }
        """;

    [Fact]
    public Task Flags_a_dropped_broadcast_that_awaits_its_sends_with_when_all() => VerifyCS.DiagnosticsAsync(WhenAllBroadcast);

    private const string StartedSends = """
        class Client
        {
            private readonly ClientWebSocket _ws = new();

            public void Subscribe(string topic)
            {
                Task.Run(async () => await {|WS1009:SendTextAsync(topic)|});
            }

            public void Ping()
            {
                _ = Task.Run(async () => await {|WS1009:_ws.SendAsync(new byte[] { 1 }, WebSocketMessageType.Binary, true, CancellationToken.None)|});
            }

            public async Task SubscribeAndWait(string topic) => await Task.Run(async () => await SendTextAsync(topic));

            private async Task SendTextAsync(string text)
                => await _ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        """;

    [Fact]
    public Task Flags_a_send_awaited_by_a_started_lambda_whose_task_is_dropped() => VerifyCS.DiagnosticsAsync(StartedSends);

    [Fact]
    public Task No_fix_for_a_send_awaited_by_a_started_lambda() => VerifyFix.NoFixAsync(StartedSends);

    private static string StartedGuardedSend(string send, string discard = "_ = ", string after = "") => $$"""
        class Hub
        {
            private readonly System.Collections.Concurrent.ConcurrentDictionary<int, WebSocket> _clients = new();

            public void Broadcast(byte[] json)
            {
                foreach (var ws in _clients.Values)
                {
                    {{discard}}Task.Run(async () =>
                    {
                        try
                        {
                            await {{send}};
                        }
                        catch
                        {
                        }
                    });
                    {{after}}
                }
            }
        }
        """;

    [Fact]
    public Task Flags_a_send_alone_in_a_try_of_a_started_lambda_whose_task_is_dropped() => VerifyCS.DiagnosticsAsync(StartedGuardedSend(
        "{|WS1009:ws.SendAsync(new ArraySegment<byte>(json), WebSocketMessageType.Text, true, CancellationToken.None)|}"));

    [Fact]
    public Task Silent_when_the_started_lambda_with_a_try_is_kept() => VerifyCS.SilentAsync(StartedGuardedSend(
        "ws.SendAsync(new ArraySegment<byte>(json), WebSocketMessageType.Text, true, CancellationToken.None)", "var sending = ", "sending.Wait();"));

    [Fact]
    public Task Flags_a_send_appended_to_a_sequence_that_is_dropped() => VerifyCS.DiagnosticsAsync("""
        class Game
        {
            async Task TickAsync(WebSocket one, WebSocket two, byte[] state)
            {
                var tasks = new System.Collections.Generic.List<Task>(2);
                System.Linq.Enumerable.Append(tasks, {|WS1009:one.SendAsync(new ArraySegment<byte>(state), WebSocketMessageType.Text, true, CancellationToken.None)|});
                tasks = System.Linq.Enumerable.ToList(System.Linq.Enumerable.Append(tasks, two.SendAsync(new ArraySegment<byte>(state), WebSocketMessageType.Text, true, CancellationToken.None)));
                await Task.WhenAll(tasks);
            }
        }
        """);
}
