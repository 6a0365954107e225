using Xunit;
using VerifyCS = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.CloseNotAcknowledgedAnalyzer>;
using VerifyFix = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.CloseNotAcknowledgedAnalyzer, WsAnalyzers.CodeFixes.AcknowledgeCloseFix>;
using VerifyLoop = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.ReceiveLoopIgnoresCloseAnalyzer>;

namespace WsAnalyzers.Tests.Rules;

/// <summary>
/// WS1002 on a socket read through the object that holds it (<c>connection.Socket.ReceiveAsync(..)</c> with
/// <c>connection</c> a parameter): the callers that pass the object are walked from the call, as for a socket parameter.
/// And a receive whose task is stored and awaited or read later (a timeout through <c>Task.WhenAny</c>): the Close
/// arrives where the task is consumed.
/// </summary>
public class HeldSocketTests
{
    private static string Service(string loop, string caller = "await ListenAsync(connection, ct);", string access = "private") => $$"""
        sealed class Connection
        {
            public ClientWebSocket Socket { get; } = new ClientWebSocket();
        }

        sealed class Service
        {
            public async Task RunAsync(CancellationToken ct)
            {
                var connection = new Connection();
                await connection.Socket.ConnectAsync(new Uri("wss://example.org"), ct);
                {{caller}}
            }

            {{access}} async Task ListenAsync(Connection connection, CancellationToken ct)
            {
                var buffer = new byte[4096];
        {{loop}}
            }
        }
        """;

    private const string OpenLoop = """
                while ({|WS1002:connection.Socket.State == WebSocketState.Open|})
                {
                    var result = await connection.Socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }
        """;

    private const string AnsweredLoop = """
                while (connection.Socket.State == WebSocketState.Open)
                {
                    var result = await connection.Socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await connection.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                        return;
                    }

                    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }
        """;

    private const string TimedLoop = """
                while ({|WS1002:connection.Socket.State == WebSocketState.Open|})
                {
                    var receiving = connection.Socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (await Task.WhenAny(receiving, Task.Delay(5000, ct)) != receiving)
                    {
                        break;
                    }

                    var result = receiving.Result;
                    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }
        """;

    private const string TimedAnsweredLoop = """
                while (connection.Socket.State == WebSocketState.Open)
                {
                    var receiving = connection.Socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (await Task.WhenAny(receiving, Task.Delay(5000, ct)) != receiving)
                    {
                        break;
                    }

                    var result = await receiving;
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await connection.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                        break;
                    }

                    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }
        """;

    [Fact]
    public Task Flags_a_loop_on_the_socket_of_a_parameter_whose_caller_leaves_it_unanswered()
        => VerifyCS.DiagnosticsAsync(Service(OpenLoop));

    [Fact]
    public Task Silent_when_the_loop_answers_the_close() => VerifyCS.SilentAsync(Service(AnsweredLoop));

    [Fact]
    public Task Silent_when_the_caller_answers_after_the_loop() => VerifyCS.SilentAsync(Service(
        OpenLoop.Replace("{|WS1002:", "").Replace("|})", ")"),
        """
        await ListenAsync(connection, ct);
                if (connection.Socket.State == WebSocketState.CloseReceived)
                {
                    await connection.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                }
        """));

    [Fact]
    public Task Silent_when_the_caller_hands_the_object_to_another_owner() => VerifyCS.SilentAsync(Service(
        OpenLoop.Replace("{|WS1002:", "").Replace("|})", ")"),
        "Registry.Add(connection);\n        await ListenAsync(connection, ct);")
        + """

        static class Registry
        {
            public static readonly System.Collections.Generic.List<Connection> Connections = new();

            public static void Add(Connection connection) => Connections.Add(connection);

            public static Task CloseAllAsync() => Task.WhenAll(System.Linq.Enumerable.Select(Connections, c => c.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None)));
        }
        """);

    [Fact]
    public Task Silent_when_the_callers_are_out_of_sight() => VerifyCS.SilentAsync(Service(
        OpenLoop.Replace("{|WS1002:", "").Replace("|})", ")"),
        caller: "await Task.Yield();",
        access: "public") + """

        static class Elsewhere
        {
            public static Task CloseAsync(WebSocket socket) => socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        """);

    private static string Disconnecting(string onDisconnected, string check) => Service($$"""
                while (connection.Socket.State == WebSocketState.Open)
                {
                    var result = await connection.Socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if ({{check}})
                    {
                        await OnDisconnectedAsync(connection);
                        break;
                    }

                    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }
            }

            private static async Task OnDisconnectedAsync(Connection connection)
            {
        {{onDisconnected}}
        """);

    [Fact]
    public Task Silent_when_the_close_branch_hands_the_object_to_a_method_that_closes_its_socket() => VerifyCS.SilentAsync(Disconnecting(
        "        await connection.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);",
        "result.MessageType == WebSocketMessageType.Close"));

    [Fact]
    public Task Flags_a_close_branch_handing_the_object_to_a_method_that_only_logs() => VerifyCS.DiagnosticsAsync(Disconnecting(
        "        Console.WriteLine(connection.Socket.State);\n        await Task.Yield();",
        "{|WS1002:result.MessageType == WebSocketMessageType.Close|}"));

    [Fact]
    public Task Flags_a_listener_loop_on_the_accepted_context_socket() => VerifyCS.DiagnosticsAsync("""
        static class ListenerServer
        {
            static async Task Serve(System.Net.HttpListenerContext http, CancellationToken ct)
            {
                var accepted = await http.AcceptWebSocketAsync(null);
                var buffer = new byte[1024];
                while ({|WS1002:accepted.WebSocket.State == WebSocketState.Open|})
                {
                    var result = await accepted.WebSocket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    Console.WriteLine(result.Count);
                }

                accepted.WebSocket.Dispose();
            }
        }
        """);

    [Fact]
    public Task Silent_when_a_copy_of_the_context_socket_answers() => VerifyCS.SilentAsync("""
        static class ListenerServer
        {
            static async Task Serve(System.Net.HttpListenerContext http, CancellationToken ct)
            {
                var accepted = await http.AcceptWebSocketAsync(null);
                var socket = accepted.WebSocket;
                var buffer = new byte[1024];
                while (accepted.WebSocket.State == WebSocketState.Open)
                {
                    var result = await accepted.WebSocket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                        break;
                    }
                }

                socket.Dispose();
            }
        }
        """);

    private const string TimedHelper = """
        sealed class Feed
        {
            private readonly ClientWebSocket _ws = new ClientWebSocket();
            private readonly byte[] _buffer = new byte[4096];

            public async Task RunAsync(CancellationToken ct)
            {
                while (_ws.State == WebSocketState.Open)
                {
                    var result = await ReceiveWithTimeoutAsync(ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                        break;
                    }

                    Console.WriteLine(Encoding.UTF8.GetString(_buffer, 0, result.Count));
                }
            }

            private async Task<WebSocketReceiveResult> ReceiveWithTimeoutAsync(CancellationToken ct)
            {
                var receiving = _ws.ReceiveAsync(new ArraySegment<byte>(_buffer), ct);
                if (await Task.WhenAny(receiving, Task.Delay(5000, ct)).ConfigureAwait(false) != receiving)
                {
                    throw new TimeoutException();
                }

                return await receiving.ConfigureAwait(false);
            }
        }
        """;

    [Fact]
    public Task Silent_when_a_timeout_helper_returns_the_stored_receive_to_a_loop_that_answers() => VerifyCS.SilentAsync(TimedHelper);

    [Fact]
    public Task A_timeout_helper_returning_the_stored_receive_tells_the_close_apart() => VerifyLoop.SilentAsync(TimedHelper);

    private static string Session(string cleanup) => $$"""
        sealed class Session
        {
            public WebSocket WebSocket { get; init; }

            public async Task CleanupAsync()
            {
        {{cleanup}}
            }
        }

        sealed class Handler
        {
            public async Task HandleAsync(Microsoft.AspNetCore.Http.HttpContext context, CancellationToken ct)
            {
                var session = new Session { WebSocket = await context.WebSockets.AcceptWebSocketAsync() };
                await PumpAsync(session, ct);
            }

            private async Task PumpAsync(Session session, CancellationToken ct)
            {
                var webSocket = session.WebSocket;
                var buffer = new byte[4096];
                while (webSocket.State == WebSocketState.Open)
                {
                    var result = await webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await session.CleanupAsync();
                        return;
                    }

                    Console.WriteLine(result.Count);
                }
            }
        }
        """;

    [Fact]
    public Task Silent_when_a_copy_of_the_held_socket_is_answered_by_the_holder() => VerifyCS.SilentAsync(Session(
        "        await WebSocket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);\n        WebSocket.Dispose();"));

    [Fact]
    public Task Flags_a_copy_of_the_held_socket_whose_holder_only_disposes() => VerifyCS.DiagnosticsAsync(Session(
        "        WebSocket.Dispose();\n        await Task.Yield();")
        .Replace("if (result.MessageType == WebSocketMessageType.Close)", "if ({|WS1002:result.MessageType == WebSocketMessageType.Close|})"));

    private const string PendingReceives = """
        sealed class Connection
        {
            public ClientWebSocket Client { get; } = new ClientWebSocket();
            public byte[] Buffer { get; } = new byte[4096];
            public Task<WebSocketReceiveResult> Pending { get; set; }
        }

        sealed class Monitor
        {
            private readonly System.Collections.Generic.List<Connection> _connections = new();

            public void Run(CancellationToken ct)
            {
                while (!ct.IsCancellationRequested && _connections.Count > 0)
                {
                    var pending = System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Select(_connections, c => c.Pending));
                    var index = Task.WaitAny(pending);
                    var conn = _connections[index];
                    var result = conn.Pending.Result;
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        conn.Client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct).Wait();
                        _connections.Remove(conn);
                        continue;
                    }

                    conn.Pending = conn.Client.ReceiveAsync(new ArraySegment<byte>(conn.Buffer), ct);
                }
            }
        }
        """;

    [Fact]
    public Task Silent_when_the_receive_task_is_kept_for_code_that_awaits_it_elsewhere() => VerifyCS.SilentAsync(PendingReceives);

    [Fact]
    public Task A_receive_task_kept_for_later_is_not_a_loop_that_ignores_the_close() => VerifyLoop.SilentAsync(PendingReceives);

    [Fact]
    public Task Flags_a_stored_receive_task_read_after_a_timeout() => VerifyCS.DiagnosticsAsync(Service(TimedLoop));

    [Fact]
    public Task Silent_when_the_stored_receive_task_is_checked_for_the_close() => VerifyCS.SilentAsync(Service(TimedAnsweredLoop));

    [Fact]
    public Task Fix_answers_after_the_loop_through_the_holder() => VerifyFix.FixAsync(
        Service(OpenLoop),
        Service(OpenLoop.Replace("{|WS1002:", "").Replace("|})", ")") + Answer));

    [Fact]
    public Task Fix_all_answers_every_held_socket_loop() => VerifyFix.FixAllAsync(new[]
    {
        (Service(OpenLoop), Service(OpenLoop.Replace("{|WS1002:", "").Replace("|})", ")") + Answer)),
        (Service(TimedLoop).Replace("class Service", "class Other").Replace("class Connection", "class Connection2").Replace("Connection connection", "Connection2 connection").Replace("new Connection()", "new Connection2()"),
            Service(TimedLoop.Replace("{|WS1002:", "").Replace("|})", ")") + Answer).Replace("class Service", "class Other").Replace("class Connection", "class Connection2").Replace("Connection connection", "Connection2 connection").Replace("new Connection()", "new Connection2()")),
    });

    private const string Answer = "\n" + """

                if (connection.Socket.State == WebSocketState.CloseReceived)
                {
                    await connection.Socket.CloseOutputAsync(connection.Socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, connection.Socket.CloseStatusDescription, ct);
                }
        """;
}
