using Xunit;
using VerifyAck = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.CloseNotAcknowledgedAnalyzer>;
using VerifyGuard = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.CloseGuardedByOpenAnalyzer>;
using VerifyLoop = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.ReceiveLoopIgnoresCloseAnalyzer>;

namespace WsAnalyzers.Tests.Rules;

/// <summary>
/// The type that keeps a socket in a field or property: its members (a close helper, Stop, Dispose, a reconnect),
/// the callers of its receive loop, and the objects that hold a socket handed to them. In these sources `[|..|]` marks
/// WS1002 and `{|WS1004:..|}` marks WS1004; each rule is verified on its own.
/// </summary>
public class TypeScopeTests
{
    private static Task Ack(string source) => VerifyAck.DiagnosticsAsync(source.Replace("{|WS1004:", string.Empty).Replace("|}", string.Empty));

    private static Task Guard(string source) => VerifyGuard.DiagnosticsAsync(source.Replace("[|", string.Empty).Replace("|]", string.Empty));

    private static string Unmarked(string source)
        => source.Replace("{|WS1004:", string.Empty).Replace("|}", string.Empty).Replace("[|", string.Empty).Replace("|]", string.Empty);

    /// <summary>A client whose Close branch calls its own close helper; <paramref name="helper"/> is the helper's body.</summary>
    private static string ClientWithCloseHelper(string helper, string members = "") => $$"""
        class Feed
        {
            private readonly ClientWebSocket _ws = new();

            public async Task ListenAsync(CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var r = await _ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if ([|r.MessageType == WebSocketMessageType.Close|])
                    {
                        await DisconnectAsync();
                        return;
                    }

                    Console.WriteLine(r.Count);
                }
            }

            private async Task DisconnectAsync()
            {
                {{helper}}
            }
        {{members}}
        }

        enum ConnectionStatus { Connected, Closing, Disconnected }
        """;

    public static TheoryData<string> GuardsThatSkipCloseReceived => new()
    {
        "if ({|WS1004:_ws.State != WebSocketState.Open|}) return;\n        await _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, \"bye\", CancellationToken.None);",
        "if ({|WS1004:_ws.State != WebSocketState.Open|}) throw new InvalidOperationException(\"not connected\");\n        await _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, \"bye\", CancellationToken.None);",
        "if ({|WS1004:_ws.State == WebSocketState.Open || _ws.State == WebSocketState.Connecting|}) await _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, \"bye\", CancellationToken.None);",
        "if ({|WS1004:_ws.State is WebSocketState.Open or WebSocketState.Connecting|}) await _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, \"bye\", CancellationToken.None);",
        "if ({|WS1004:WebSocketState.Open.Equals(_ws.State)|}) await _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, \"bye\", CancellationToken.None);",
    };

    [Theory]
    [MemberData(nameof(GuardsThatSkipCloseReceived))]
    public Task Flags_a_close_helper_of_the_type_that_only_closes_while_open(string helper) => Ack(ClientWithCloseHelper(helper));

    [Theory]
    [MemberData(nameof(GuardsThatSkipCloseReceived))]
    public Task Reports_the_helpers_guard(string helper) => Guard(ClientWithCloseHelper(helper));

    [Theory]
    [InlineData("switch (_ws.State)\n        {\n            case WebSocketState.CloseReceived:\n            case WebSocketState.Closed:\n                return;\n        }\n\n        await _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, \"bye\", CancellationToken.None);")]
    [InlineData("if (IsConnected) await _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, \"bye\", CancellationToken.None);", "\n    public bool IsConnected => _ws.State == WebSocketState.Open;")]
    [InlineData("if (!IsConnected()) return;\n        await _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, \"bye\", CancellationToken.None);", "\n    private bool IsConnected() { return _ws.State == WebSocketState.Open; }")]
    [InlineData("if (Status == ConnectionStatus.Connected) await _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, \"bye\", CancellationToken.None);",
        "\n    public ConnectionStatus Status => _ws.State switch\n    {\n        WebSocketState.Open => ConnectionStatus.Connected,\n        WebSocketState.CloseReceived or WebSocketState.CloseSent => ConnectionStatus.Closing,\n        _ => ConnectionStatus.Disconnected,\n    };")]
    public Task Flags_a_close_helper_guarded_by_a_switch_or_a_member_of_the_type_that_wraps_state(string helper, string members = "")
        => Ack(ClientWithCloseHelper(helper, members));

    [Theory]
    [InlineData("if (_ws.State is WebSocketState.Open or WebSocketState.CloseReceived) await _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, \"bye\", CancellationToken.None);")]
    [InlineData("if (_ws.State != WebSocketState.Open && _ws.State != WebSocketState.CloseReceived) return;\n        await _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, \"bye\", CancellationToken.None);")]
    [InlineData("await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);")]
    [InlineData("if (Status != ConnectionStatus.Disconnected) await _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, \"bye\", CancellationToken.None);",
        "\n    public ConnectionStatus Status => _ws.State switch\n    {\n        WebSocketState.Open => ConnectionStatus.Connected,\n        WebSocketState.CloseReceived or WebSocketState.CloseSent => ConnectionStatus.Closing,\n        _ => ConnectionStatus.Disconnected,\n    };")]
    public Task Silent_when_the_close_helper_of_the_type_admits_close_received(string helper, string members = "")
        => VerifyAck.SilentAsync(Unmarked(ClientWithCloseHelper(helper, members)));

    /// <summary>An endpoint that hands its socket to a session object and awaits the session's loop; <paramref name="after"/> follows.</summary>
    private static string SessionHandedTheSocket(string after, string creation = "new Session(ws)") => $$"""
        public static class Endpoint
        {
            public static async Task Handle(Microsoft.AspNetCore.Http.HttpContext context)
            {
                using var ws = await context.WebSockets.AcceptWebSocketAsync();
                var session = {{creation}};
                await session.RunAsync(context.RequestAborted);
                {{after}}
            }
        }

        public sealed class Session
        {
            public Session()
            {
            }

            public Session(WebSocket socket) => Socket = socket;

            public WebSocket Socket { get; init; } = null!;

            public async Task RunAsync(CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var r = await Socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if ([|r.MessageType == WebSocketMessageType.Close|])
                    {
                        return;
                    }

                    Console.WriteLine(r.Count);
                }
            }

            public Task CloseAsync(CancellationToken ct) => Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
        }
        """;

    [Theory]
    [InlineData("new Session(ws)")]
    [InlineData("new Session { Socket = ws }")]
    public Task Flags_a_session_loop_whose_creator_never_answers(string creation) => Ack(SessionHandedTheSocket(string.Empty, creation));

    [Theory]
    [InlineData("await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);")]
    [InlineData("await session.CloseAsync(CancellationToken.None);")]
    [InlineData("await session.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);")]
    public Task Silent_when_the_sessions_creator_answers_after_the_loop(string after) => VerifyAck.SilentAsync(Unmarked(SessionHandedTheSocket(after)));

    [Fact]
    public Task Silent_when_the_session_is_handed_on_to_an_owner_out_of_sight() => VerifyAck.SilentAsync(Unmarked(SessionHandedTheSocket(
        "Sessions.All.Add(session);")
        .Replace("using var ws", "var ws")
        .Replace("public sealed class Session", "public static class Sessions\n{\n    public static readonly System.Collections.Concurrent.ConcurrentBag<Session> All = new();\n}\n\npublic sealed class Session")));

    /// <summary>A client whose loop is started by <paramref name="start"/>; StopAsync closes, but is not on the close path.</summary>
    private static string ClientStartingItsLoop(string start) => $$"""
        class Ticker
        {
            private readonly ClientWebSocket _ws = new();

            public async Task StartAsync(Uri uri, CancellationToken ct)
            {
                await _ws.ConnectAsync(uri, ct);
                {{start}}
            }

            private async Task ReceiveLoopAsync(CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var r = await _ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if ([|r.MessageType == WebSocketMessageType.Close|])
                    {
                        break;
                    }

                    Console.WriteLine(r.Count);
                }
            }

            public Task StopAsync() => _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "stop", CancellationToken.None);
        }
        """;

    [Theory]
    [InlineData("_ = ReceiveLoopAsync(ct);")]
    [InlineData("_ = Task.Run(() => ReceiveLoopAsync(ct));")]
    [InlineData("await ReceiveLoopAsync(ct);")]
    public Task Flags_a_loop_whose_starter_never_answers_though_stop_would_close(string start) => Ack(ClientStartingItsLoop(start));

    [Theory]
    [InlineData("await ReceiveLoopAsync(ct);\n        await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);")]
    [InlineData("await ReceiveLoopAsync(ct);\n        await StopAsync();")]
    public Task Silent_when_the_caller_of_the_loop_answers_after_it(string start) => VerifyAck.SilentAsync(Unmarked(ClientStartingItsLoop(start)));

    /// <summary>A client that reconnects when the server closes; <paramref name="reconnect"/> replaces the socket.</summary>
    private static string ReconnectingClient(string closeBranch) => $$"""
        class Stream
        {
            private ClientWebSocket _ws = new();
            private readonly Uri _uri = new("wss://example.org/feed");

            public async Task ListenAsync(CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var r = await _ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if ([|r.MessageType == WebSocketMessageType.Close|])
                    {
                        {{closeBranch}}
                        continue;
                    }

                    Console.WriteLine(r.Count);
                }
            }

            private async Task ReconnectAsync(CancellationToken ct)
            {
                _ws.Dispose();
                _ws = new ClientWebSocket();
                await _ws.ConnectAsync(_uri, ct);
            }

            private async Task ReconnectAnsweringAsync(CancellationToken ct)
            {
                if (_ws.State == WebSocketState.CloseReceived)
                {
                    await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                }

                _ws.Dispose();
                _ws = new ClientWebSocket();
                await _ws.ConnectAsync(_uri, ct);
            }
        }
        """;

    [Theory]
    [InlineData("_ws = new ClientWebSocket();\n                await _ws.ConnectAsync(_uri, ct);")]
    [InlineData("await ReconnectAsync(ct);")]
    public Task Flags_a_reconnect_that_replaces_the_socket_unanswered(string closeBranch) => Ack(ReconnectingClient(closeBranch));

    [Fact]
    public Task No_WS1001_after_a_reconnect_replaced_the_socket() => VerifyLoop.SilentAsync(Unmarked(ReconnectingClient("await ReconnectAsync(ct);")));

    [Fact]
    public Task Silent_when_the_reconnect_answers_first() => VerifyAck.SilentAsync(Unmarked(ReconnectingClient("await ReconnectAnsweringAsync(ct);")));

    [Fact]
    public Task No_WS1001_when_the_loop_condition_is_a_property_of_the_type_that_wraps_state() => VerifyLoop.SilentAsync("""
        class Counter
        {
            private readonly ClientWebSocket _ws = new();
            private long _bytes;

            private bool IsConnected => _ws.State == WebSocketState.Open;

            public async Task CountAsync(CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (IsConnected)
                {
                    var r = await _ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    _bytes += r.Count;
                }

                await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
            }
        }
        """);

    private static string LoopOnASnapshotOfTheField(string closeBranch) => $$"""
        class Listener
        {
            private ClientWebSocket _ws = new();

            public async Task ListenAsync(CancellationToken ct)
            {
                var ws = _ws;
                var buffer = new byte[1024];
                while (true)
                {
                    var r = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if ([|r.MessageType == WebSocketMessageType.Close|])
                    {
                        {{closeBranch}}
                        return;
                    }

                    Console.WriteLine(r.Count);
                }
            }

            private Task StopAsync() => _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        """;

    [Fact]
    public Task Flags_a_loop_on_a_local_snapshot_of_the_field() => Ack(LoopOnASnapshotOfTheField("Console.WriteLine(\"closed\");"));

    [Fact]
    public Task Silent_when_the_snapshot_loop_calls_the_member_that_closes() => VerifyAck.SilentAsync(Unmarked(LoopOnASnapshotOfTheField("await StopAsync();")));

    [Fact]
    public Task Silent_when_the_callers_finally_disconnects_through_a_copy_of_the_field() => VerifyAck.SilentAsync("""
        class Connection
        {
            private ClientWebSocket? _socket = new();

            public async Task RunAsync(CancellationToken ct)
            {
                try
                {
                    await _socket!.ConnectAsync(new Uri("ws://localhost:5000"), ct);
                    await ReceiveAsync(ct);
                }
                finally
                {
                    await DisconnectAsync();
                }
            }

            private async Task<WebSocketCloseStatus> ReceiveAsync(CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (_socket != null)
                {
                    var result = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return result.CloseStatus.GetValueOrDefault();
                    }

                    Console.WriteLine(result.Count);
                }

                return WebSocketCloseStatus.NormalClosure;
            }

            private async Task DisconnectAsync()
            {
                if (_socket != null)
                {
                    var socket = _socket;
                    _socket = null;
                    try
                    {
                        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "Disconnecting", CancellationToken.None);
                    }
                    finally
                    {
                        socket.Dispose();
                    }
                }
            }
        }
        """);
}
