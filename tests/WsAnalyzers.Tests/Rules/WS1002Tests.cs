using WsAnalyzers.Tests.Verifiers;
using Xunit;
using VerifyCS = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.CloseNotAcknowledgedAnalyzer>;
using VerifyFix = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.CloseNotAcknowledgedAnalyzer, WsAnalyzers.CodeFixes.AcknowledgeCloseFix>;

namespace WsAnalyzers.Tests.Rules;

public class WS1002Tests
{
    private const string EchoWithBreak = """
        class Server
        {
            async Task Echo(CancellationToken ct)
            {
                using var ws = new ClientWebSocket();
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if ({|WS1002:result.MessageType == WebSocketMessageType.Close|})
                    {
                        break;
                    }

                    await ws.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, ct);
                }
            }
        }
        """;

    [Fact]
    public Task Flags_break_on_close_without_acknowledgement() => VerifyCS.DiagnosticsAsync(EchoWithBreak);

    [Fact]
    public Task Flags_state_loop_with_nothing_after_it() => VerifyCS.DiagnosticsAsync("""
        class Server
        {
            async Task Run(Microsoft.AspNetCore.Http.HttpContext context)
            {
                using var webSocket = await context.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[4096];
                while ({|WS1002:webSocket.State == WebSocketState.Open|})
                {
                    var result = await webSocket.ReceiveAsync(buffer.AsMemory(), context.RequestAborted);
                    if (result.MessageType == WebSocketMessageType.Text)
                    {
                        await webSocket.SendAsync(buffer.AsMemory(0, result.Count), WebSocketMessageType.Text, result.EndOfMessage, context.RequestAborted);
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Flags_state_loop_that_decodes_the_close_payload_before_its_condition_ends_it() => VerifyCS.DiagnosticsAsync("""
        class Server
        {
            async Task Run(Microsoft.AspNetCore.Http.HttpContext context)
            {
                using var webSocket = await context.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[4096];
                while ({|WS1002:webSocket.State == WebSocketState.Open|})
                {
                    var result = await webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), context.RequestAborted);
                    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }
            }
        }
        """);

    /// <summary>Handed to the handler as a message first (WS1001), the Close is reported at the receive.</summary>
    [Fact]
    public Task Flags_state_loop_that_hands_the_close_payload_on_at_its_receive() => VerifyCS.DiagnosticsAsync("""
        class Server
        {
            async Task Run(Microsoft.AspNetCore.Http.HttpContext context)
            {
                using var webSocket = await context.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[4096];
                while (webSocket.State == WebSocketState.Open)
                {
                    var result = await {|WS1002:webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), context.RequestAborted)|};
                    Handle(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }
            }

            void Handle(string message) { }
        }
        """);

    [Theory]
    [InlineData("ws.Dispose();")]
    [InlineData("ws.Abort();")]
    public Task Flags_close_branch_that_only_disposes_or_aborts(string ending) => VerifyCS.DiagnosticsAsync($$"""
        class Client
        {
            async Task Run(ClientWebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if ({|WS1002:result.MessageType == WebSocketMessageType.Close|})
                    {
                        {{ending}}
                        return;
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Flags_close_branch_calling_a_wrapper_named_close_that_aborts() => VerifyCS.DiagnosticsAsync("""
        class Connection
        {
            async Task Run(CancellationToken ct)
            {
                var ws = new ClientWebSocket();
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if ({|WS1002:result.MessageType == WebSocketMessageType.Close|})
                    {
                        await CloseAsync(ws);
                        return;
                    }
                }
            }

            static Task CloseAsync(WebSocket socket)
            {
                socket.Abort();
                return Task.CompletedTask;
            }
        }
        """);

    [Fact]
    public Task Flags_receive_method_whose_only_caller_never_closes() => VerifyCS.DiagnosticsAsync("""
        class Server
        {
            async Task Handle(Microsoft.AspNetCore.Http.HttpContext context)
            {
                using var ws = await context.WebSockets.AcceptWebSocketAsync();
                await Echo(ws);
            }

            async Task Echo(WebSocket ws)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                    if ({|WS1002:result.MessageType == WebSocketMessageType.Close|})
                    {
                        return;
                    }

                    await ws.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, CancellationToken.None);
                }
            }
        }
        """);

    [Fact]
    public Task Flags_close_helper_guarded_by_open() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            async Task Run(CancellationToken ct)
            {
                using var ws = new ClientWebSocket();
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if ({|WS1002:result.MessageType == WebSocketMessageType.Close|})
                    {
                        await CloseQuietly(ws, ct);
                        return;
                    }
                }
            }

            static async Task CloseQuietly(WebSocket ws, CancellationToken ct)
            {
                if (ws.State == WebSocketState.Open)
                {
                    await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", ct);
                }
            }
        }
        """);

    [Fact]
    public Task Flags_switch_case_that_returns() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            async Task Run(CancellationToken ct)
            {
                using var ws = new ClientWebSocket();
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    switch (result.MessageType)
                    {
                        case {|WS1002:WebSocketMessageType.Close|}:
                            return;
                        default:
                            Console.WriteLine(result.Count);
                            break;
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Flags_a_field_socket_no_code_closes() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            private readonly ClientWebSocket _socket = new();

            public async Task Listen(CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if ({|WS1002:result.MessageType == WebSocketMessageType.Close|})
                    {
                        break;
                    }
                }
            }
        }
        """);

    /// <summary>A field socket whose Close branch closes only when the state is Open; <paramref name="guard"/> carries the markup.</summary>
    internal static string FieldSocketWithAnOpenGuardInTheCloseBranch(string guard, string elsewhere = "") => $$"""
        class Streamer
        {
            private readonly ClientWebSocket _ws = new();

            public async Task Listen(CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var r = await _ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (r.MessageType == WebSocketMessageType.Close)
                    {
                        if ({{guard}})
                            await _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", ct);
                        return;
                    }

                    Console.WriteLine(r.Count);
                }
            }
        {{elsewhere}}
        }
        """;

    [Fact]
    public Task Flags_a_field_socket_whose_only_close_is_skipped_by_an_open_guard_in_the_close_branch()
        => VerifyCS.DiagnosticsAsync(FieldSocketWithAnOpenGuardInTheCloseBranch("{|WS1002:_ws.State == WebSocketState.Open|}"));

    [Fact]
    public Task No_fix_where_the_close_is_seen_at_an_open_guard_whose_widening_is_WS1004s_fix()
        => VerifyFix.NoFixAsync(FieldSocketWithAnOpenGuardInTheCloseBranch("{|WS1002:_ws.State == WebSocketState.Open|}"));

    [Fact]
    public Task Flags_a_field_socket_whose_owner_closes_it_elsewhere_off_the_close_path()
        => VerifyCS.DiagnosticsAsync(FieldSocketWithAnOpenGuardInTheCloseBranch(
            "{|WS1002:_ws.State == WebSocketState.Open|}",
            "\n    public Task StopAsync() => _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, \"stop\", CancellationToken.None);"));

    [Fact]
    public Task Silent_when_close_branch_acknowledges() => VerifyCS.SilentAsync("""
        class Server
        {
            async Task Echo(CancellationToken ct)
            {
                using var ws = new ClientWebSocket();
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                        break;
                    }

                    await ws.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, ct);
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_close_is_in_finally() => VerifyCS.SilentAsync("""
        class Server
        {
            async Task Echo(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                try
                {
                    while (ws.State == WebSocketState.Open)
                    {
                        var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                        if (result.MessageType == WebSocketMessageType.Close)
                        {
                            break;
                        }
                    }
                }
                finally
                {
                    await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_public_method_has_no_caller_in_sight() => VerifyCS.SilentAsync("""
        public class Library
        {
            public async Task ReceiveUntilClosed(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Flags_a_socket_kept_in_a_list_that_nothing_closes_from() => VerifyCS.DiagnosticsAsync(HubKeepingItsSockets(string.Empty));

    [Fact]
    public Task Silent_when_the_socket_is_kept_in_a_list_its_type_closes_a_picked_socket_from() => VerifyCS.SilentAsync(HubKeepingItsSockets("""

            public async Task CloseAsync(int hash)
            {
                foreach (var socket in _sockets)
                {
                    if (socket.GetHashCode() == hash)
                    {
                        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    }
                }
            }
        """).Replace("[|", string.Empty).Replace("|]", string.Empty));

    // A receive that waits for the answer to this side's own close: the Close it returns ends the handshake.
    [Fact]
    public Task Silent_on_a_receive_that_waits_for_the_answer_to_our_close() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task LeaveAsync(ClientWebSocket ws, CancellationToken ct)
            {
                await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                var buffer = new byte[1024];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                Console.WriteLine(result.MessageType);
            }

            async Task DrainAsync(ClientWebSocket ws, CancellationToken ct)
            {
                if (ws.State == WebSocketState.CloseSent)
                {
                    _ = await ws.ReceiveAsync(new ArraySegment<byte>(new byte[16]), ct);
                }
            }
        }
        """);

    // Closing every kept socket is a shutdown, not an answer to this peer's Close (ShutdownCloseTests).
    [Fact]
    public Task Flags_a_socket_kept_in_a_list_its_type_only_closes_all_at_once() => VerifyCS.DiagnosticsAsync(HubKeepingItsSockets("""

            public async Task CloseAllAsync()
            {
                foreach (var socket in _sockets)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }
            }
        """));

    /// <summary>A hub that keeps each accepted socket in a list; <paramref name="members"/> are its other members.</summary>
    private static string HubKeepingItsSockets(string members) => $$"""
        class Hub
        {
            private readonly System.Collections.Generic.List<WebSocket> _sockets = new();

            async Task Handle(Microsoft.AspNetCore.Http.HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                _sockets.Add(ws);
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), context.RequestAborted);
                    if ([|result.MessageType == WebSocketMessageType.Close|])
                    {
                        return;
                    }
                }
            }{{members}}
        }
        """;

    [Fact]
    public Task Fix_acknowledges_in_the_close_branch() => VerifyFix.FixAsync(EchoWithBreak, """
        class Server
        {
            async Task Echo(CancellationToken ct)
            {
                using var ws = new ClientWebSocket();
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        if (ws.State == WebSocketState.CloseReceived)
                        {
                            await ws.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, ct);
                        }

                        break;
                    }

                    await ws.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, ct);
                }
            }
        }
        """);

    [Fact]
    public Task Fix_acknowledges_after_a_state_loop_with_the_sockets_status() => VerifyFix.FixAsync("""
        class Server
        {
            async Task Echo(WebSocket webSocket)
            {
                var buffer = new byte[4096];
                while ({|WS1002:webSocket.State == WebSocketState.Open|})
                {
                    var result = await webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        continue;
                    }

                    await webSocket.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), WebSocketMessageType.Text, result.EndOfMessage, CancellationToken.None);
                }
            }

            async Task Run(Microsoft.AspNetCore.Http.HttpContext context)
            {
                using var ws = await context.WebSockets.AcceptWebSocketAsync();
                await Echo(ws);
            }
        }
        """, """
        class Server
        {
            async Task Echo(WebSocket webSocket)
            {
                var buffer = new byte[4096];
                while (webSocket.State == WebSocketState.Open)
                {
                    var result = await webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        continue;
                    }

                    await webSocket.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), WebSocketMessageType.Text, result.EndOfMessage, CancellationToken.None);
                }

                if (webSocket.State == WebSocketState.CloseReceived)
                {
                    await webSocket.CloseOutputAsync(webSocket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, webSocket.CloseStatusDescription, CancellationToken.None);
                }
            }

            async Task Run(Microsoft.AspNetCore.Http.HttpContext context)
            {
                using var ws = await context.WebSockets.AcceptWebSocketAsync();
                await Echo(ws);
            }
        }
        """);

    [Fact]
    public Task Fix_acknowledges_in_the_switch_section() => VerifyFix.FixAsync("""
        class Client
        {
            async Task Run(CancellationToken ct)
            {
                using var ws = new ClientWebSocket();
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    switch (result.MessageType)
                    {
                        case {|WS1002:WebSocketMessageType.Close|}:
                            return;
                        default:
                            Console.WriteLine(result.Count);
                            break;
                    }
                }
            }
        }
        """, """
        class Client
        {
            async Task Run(CancellationToken ct)
            {
                using var ws = new ClientWebSocket();
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    switch (result.MessageType)
                    {
                        case WebSocketMessageType.Close:
                            if (ws.State == WebSocketState.CloseReceived)
                            {
                                await ws.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, ct);
                            }

                            return;
                        default:
                            Console.WriteLine(result.Count);
                            break;
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Fix_all_fixes_both_documents() => VerifyFix.FixAllAsync(new[]
    {
        (EchoWithBreak, """
        class Server
        {
            async Task Echo(CancellationToken ct)
            {
                using var ws = new ClientWebSocket();
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        if (ws.State == WebSocketState.CloseReceived)
                        {
                            await ws.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, ct);
                        }

                        break;
                    }

                    await ws.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, ct);
                }
            }
        }
        """),
        ("""
        class Other
        {
            async Task Run()
            {
                var ws = new ClientWebSocket();
                var buffer = new byte[8];
                while (true)
                {
                    var r = await ws.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                    if ({|WS1002:r.MessageType == WebSocketMessageType.Close|}) return;
                }
            }
        }
        """, """
        class Other
        {
            async Task Run()
            {
                var ws = new ClientWebSocket();
                var buffer = new byte[8];
                while (true)
                {
                    var r = await ws.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                    if (r.MessageType == WebSocketMessageType.Close)
                    {
                        if (ws.State == WebSocketState.CloseReceived)
                        {
                            await ws.CloseOutputAsync(ws.CloseStatus ?? WebSocketCloseStatus.NormalClosure, ws.CloseStatusDescription, CancellationToken.None);
                        }

                        return;
                    }
                }
            }
        }
        """),
    });
    // Issue 11: the close is seen by one operand of `&&`; the path left unanswered is the one where the other operand
    // is false, which skips the branch that closes. The acknowledgement goes where that path goes (an else), and as the
    // condition tests the token (it may be cancelled there) it answers with CancellationToken.None.
    private const string CloseSkippedByTheOtherOperandOfAnd = """
        class Client
        {
            async Task Run(WebSocket ws, CancellationToken token)
            {
                var buffer = new byte[1024];
                var r = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), token);
                if ({|WS1002:r.CloseStatus.HasValue|} && !Environment.HasShutdownStarted)
                {
                    await ws.CloseAsync(r.CloseStatus.Value, r.CloseStatusDescription, token);
                }
            }

            async Task Main()
            {
                using var ws = new ClientWebSocket();
                await Run(ws, CancellationToken.None);
            }
        }
        """;

    private const string CloseSkippedByTheOtherOperandOfAndFixed = """
        class Client
        {
            async Task Run(WebSocket ws, CancellationToken token)
            {
                var buffer = new byte[1024];
                var r = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), token);
                if (r.CloseStatus.HasValue && !Environment.HasShutdownStarted)
                {
                    await ws.CloseAsync(r.CloseStatus.Value, r.CloseStatusDescription, token);
                }
                else if (ws.State == WebSocketState.CloseReceived)
                {
                    await ws.CloseOutputAsync(r.CloseStatus ?? WebSocketCloseStatus.NormalClosure, r.CloseStatusDescription, token);
                }
            }

            async Task Main()
            {
                using var ws = new ClientWebSocket();
                await Run(ws, CancellationToken.None);
            }
        }
        """;

    [Fact]
    public Task Fix_acknowledges_in_an_else_when_the_other_operand_of_and_skips_the_closing_branch()
        => VerifyFix.FixAsync(CloseSkippedByTheOtherOperandOfAnd, CloseSkippedByTheOtherOperandOfAndFixed);

    [Fact]
    public Task Fix_acknowledges_at_the_start_of_an_existing_else_when_the_other_operand_of_and_skips_the_closing_branch() => VerifyFix.FixAsync("""
        class Client
        {
            async Task Run(WebSocket ws, bool ready)
            {
                var buffer = new byte[1024];
                var r = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), default);
                if ({|WS1002:r.MessageType == WebSocketMessageType.Close|} && ready)
                {
                    await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, default);
                }
                else
                {
                    Console.WriteLine(r.Count);
                }
            }

            async Task Main()
            {
                using var ws = new ClientWebSocket();
                await Run(ws, true);
            }
        }
        """, """
        class Client
        {
            async Task Run(WebSocket ws, bool ready)
            {
                var buffer = new byte[1024];
                var r = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), default);
                if (r.MessageType == WebSocketMessageType.Close && ready)
                {
                    await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, default);
                }
                else
                {
                    if (ws.State == WebSocketState.CloseReceived)
                    {
                        await ws.CloseOutputAsync(r.CloseStatus ?? WebSocketCloseStatus.NormalClosure, r.CloseStatusDescription, CancellationToken.None);
                    }

                    Console.WriteLine(r.Count);
                }
            }

            async Task Main()
            {
                using var ws = new ClientWebSocket();
                await Run(ws, true);
            }
        }
        """);

    // The mirror image: the close is seen by one operand of `||` as false; the other operand being true takes the
    // branch that does not close.
    private const string CloseTakenAwayByTheOtherOperandOfOr = """
        class Client
        {
            async Task Run(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var r = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                if (!{|WS1002:r.CloseStatus.HasValue|} || Environment.HasShutdownStarted)
                {
                    return;
                }

                await ws.CloseOutputAsync(r.CloseStatus.Value, r.CloseStatusDescription, ct);
            }

            async Task Main()
            {
                using var ws = new ClientWebSocket();
                await Run(ws, CancellationToken.None);
            }
        }
        """;

    private const string CloseTakenAwayByTheOtherOperandOfOrFixed = """
        class Client
        {
            async Task Run(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var r = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                if (!r.CloseStatus.HasValue || Environment.HasShutdownStarted)
                {
                    if (ws.State == WebSocketState.CloseReceived)
                    {
                        await ws.CloseOutputAsync(r.CloseStatus ?? WebSocketCloseStatus.NormalClosure, r.CloseStatusDescription, ct);
                    }

                    return;
                }

                await ws.CloseOutputAsync(r.CloseStatus.Value, r.CloseStatusDescription, ct);
            }

            async Task Main()
            {
                using var ws = new ClientWebSocket();
                await Run(ws, CancellationToken.None);
            }
        }
        """;

    [Fact]
    public Task Fix_acknowledges_in_the_branch_the_other_operand_of_or_takes()
        => VerifyFix.FixAsync(CloseTakenAwayByTheOtherOperandOfOr, CloseTakenAwayByTheOtherOperandOfOrFixed);

    [Fact]
    public Task Fix_all_acknowledges_where_the_other_operand_sends_the_close_path() => VerifyFix.FixAllAsync(new[]
    {
        (CloseSkippedByTheOtherOperandOfAnd, CloseSkippedByTheOtherOperandOfAndFixed),
        (CloseTakenAwayByTheOtherOperandOfOr.Replace("class Client", "class Other"), CloseTakenAwayByTheOtherOperandOfOrFixed.Replace("class Client", "class Other")),
    });

    private const string ClosedByAHelperTheAnalysisCannotFollow = """
        class Client
        {
            static readonly System.Collections.Generic.List<WebSocket> Sessions = new();

            async Task Run(CancellationToken ct)
            {
                var ws = new ClientWebSocket();
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if ([|result.MessageType == WebSocketMessageType.Close|])
                    {
                        await Sessions.CloseAllAsync();
                        return;
                    }
                }
            }
        }

        static class SessionExtensions
        {
            public static async Task CloseAllAsync(this System.Collections.Generic.List<WebSocket> sessions)
            {
                foreach (var session in sessions)
                {
                    await session.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }
            }
        }
        """;

    [Fact]
    public Task Flags_a_close_the_analysis_cannot_attribute_to_the_socket()
        => VerifyCS.DiagnosticsAsync(ClosedByAHelperTheAnalysisCannotFollow);

    [Theory]
    [InlineData("M:SessionExtensions.CloseAllAsync(System.Collections.Generic.List{System.Net.WebSockets.WebSocket})")]
    [InlineData("M:SessionExtensions.CloseAllAsync")]
    [InlineData("M:Other.Thing | M:SessionExtensions.CloseAllAsync")]
    [InlineData("SessionExtensions.CloseAllAsync")]
    public Task Silent_when_editorconfig_names_the_close_helper(string helpers)
        => VerifyCS.DiagnosticsWithConfigAsync(
            ClosedByAHelperTheAnalysisCannotFollow.Replace("[|", string.Empty).Replace("|]", string.Empty),
            "wsanalyzers.close_helpers = " + helpers);

    [Fact]
    public Task Fix_acknowledges_in_the_else_branch() => VerifyFix.FixAsync("""
        class Client
        {
            async Task Run(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if ({|WS1002:result.MessageType != WebSocketMessageType.Close|})
                    {
                        Console.WriteLine(result.Count);
                    }
                    else
                    {
                        return;
                    }
                }
            }

            async Task Main()
            {
                using var ws = new ClientWebSocket();
                await Run(ws, CancellationToken.None);
            }
        }
        """, """
        class Client
        {
            async Task Run(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType != WebSocketMessageType.Close)
                    {
                        Console.WriteLine(result.Count);
                    }
                    else
                    {
                        if (ws.State == WebSocketState.CloseReceived)
                        {
                            await ws.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, ct);
                        }

                        return;
                    }
                }
            }

            async Task Main()
            {
                using var ws = new ClientWebSocket();
                await Run(ws, CancellationToken.None);
            }
        }
        """);

    [Fact]
    public async Task Fix_adds_the_websockets_using_when_the_file_has_none()
    {
        var test = new Microsoft.CodeAnalysis.CSharp.Testing.CSharpCodeFixTest<WsAnalyzers.Rules.CloseNotAcknowledgedAnalyzer, WsAnalyzers.CodeFixes.AcknowledgeCloseFix, Microsoft.CodeAnalysis.Testing.DefaultVerifier>
        {
            ReferenceAssemblies = Targets.Net10,
            TestCode = """
                using System;
                using System.Threading.Tasks;

                class Client
                {
                    async Task Run()
                    {
                        var ws = new System.Net.WebSockets.ClientWebSocket();
                        var buffer = new byte[8];
                        while (true)
                        {
                            var r = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), default);
                            if ({|WS1002:r.MessageType == System.Net.WebSockets.WebSocketMessageType.Close|})
                            {
                                return;
                            }
                        }
                    }
                }
                """,
            FixedCode = """
                using System;
                using System.Net.WebSockets;
                using System.Threading;
                using System.Threading.Tasks;

                class Client
                {
                    async Task Run()
                    {
                        var ws = new System.Net.WebSockets.ClientWebSocket();
                        var buffer = new byte[8];
                        while (true)
                        {
                            var r = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), default);
                            if (r.MessageType == System.Net.WebSockets.WebSocketMessageType.Close)
                            {
                                if (ws.State == WebSocketState.CloseReceived)
                                {
                                    await ws.CloseOutputAsync(r.CloseStatus ?? WebSocketCloseStatus.NormalClosure, r.CloseStatusDescription, CancellationToken.None);
                                }

                                return;
                            }
                        }
                    }
                }
                """,
        };
        await test.RunAsync();
    }
    private static string ReceiveLoopInTaskRun(string after) => $$"""
        class Program
        {
            static async Task Main()
            {
                var ws = new ClientWebSocket();
                await ws.ConnectAsync(new Uri("ws://127.0.0.1:5000/ws"), CancellationToken.None);
                var receiving = Task.Run(async () =>
                {
                    var buffer = new byte[1024];
                    while (true)
                    {
                        var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                        if ({{(after.Length == 0 ? "{|WS1002:" : "")}}result.MessageType == WebSocketMessageType.Close{{(after.Length == 0 ? "|}" : "")}})
                        {
                            break;
                        }

                        Console.WriteLine(result.Count);
                    }
                });

                await receiving;
                {{after}}
            }
        }
        """;

    [Fact]
    public Task Flags_receive_loop_in_task_run_when_nobody_closes_the_captured_socket()
        => VerifyCS.DiagnosticsAsync(ReceiveLoopInTaskRun(string.Empty));

    [Fact]
    public Task Silent_when_the_enclosing_method_closes_the_captured_socket()
        => VerifyCS.SilentAsync(ReceiveLoopInTaskRun("await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);"));
    [Fact]
    public Task Silent_for_a_two_way_proxy_whose_pumps_guard_the_destination() => VerifyCS.SilentAsync("""
        static class WsProxy
        {
            public static async Task Proxy(this Microsoft.AspNetCore.Http.HttpContext context, Uri uri)
            {
                using var toEndpoint = new ClientWebSocket();
                await toEndpoint.ConnectAsync(uri, context.RequestAborted);
                using (var toClient = await context.WebSockets.AcceptWebSocketAsync())
                    await Task.WhenAll(Pump(toEndpoint, toClient, context.RequestAborted), Pump(toClient, toEndpoint, context.RequestAborted));
            }

            static async Task Pump(WebSocket source, WebSocket destination, CancellationToken ct)
            {
                var buffer = new byte[4096];
                while (true)
                {
                    var result = await source.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (destination.State != WebSocketState.Open && destination.State != WebSocketState.CloseReceived)
                        return;
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await destination.CloseOutputAsync(source.CloseStatus!.Value, source.CloseStatusDescription, ct);
                        return;
                    }

                    await destination.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, ct);
                }
            }
        }
        """);

    /// <summary>
    /// A client that makes its socket into a private field and hands every result to a handler of a derived type;
    /// <paramref name="guard"/> guards its only close, <paramref name="members"/> are its other members.
    /// </summary>
    private static string ClientHandingResultsToAHandler(string receive, string guard, string members = "") => $$"""
        public abstract class Feed
        {
            private ClientWebSocket _ws;

            public async Task ConnectAsync(Uri uri, CancellationToken ct)
            {
                _ws = new ClientWebSocket();
                await _ws.ConnectAsync(uri, ct);
                await ReadAsync(ct);
            }

            protected abstract Task OnResultAsync(WebSocketReceiveResult result, ArraySegment<byte> data);

            private async Task ReadAsync(CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (_ws.State == WebSocketState.Open)
                {
                    var result = {{receive}};
                    await OnResultAsync(result, new ArraySegment<byte>(buffer, 0, result.Count));
                }
            }

            public async Task DisconnectAsync()
            {
                if ({{guard}})
                {
                    await _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }
            }{{members}}
        }
        """;

    [Fact]
    public Task Flags_a_close_handed_to_a_handler_when_no_member_can_answer_it() => VerifyCS.DiagnosticsAsync(ClientHandingResultsToAHandler(
        "await {|WS1002:_ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct)|}", "_ws.State == WebSocketState.Open"));

    [Theory]
    [InlineData("_ws.State == WebSocketState.Open || _ws.State == WebSocketState.CloseReceived", "")]
    [InlineData("_ws.State == WebSocketState.Open", "\n\n    protected WebSocket Socket => _ws;")]
    [InlineData("_ws.State == WebSocketState.Open", "\n\n    protected Task StopAsync() => _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);")]
    [InlineData("_ws.State == WebSocketState.Open", "\n\n    protected Task SendAsync(string text) => _ws.SendTextAsync(text);")]
    public Task Silent_when_a_member_or_the_handler_can_answer_the_close(string guard, string members) => VerifyCS.SilentAsync(ClientHandingResultsToAHandler(
        "await _ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct)", guard, members) + """

        static class SocketText
        {
            public static Task SendTextAsync(this WebSocket ws, string text) => ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        """);

    /// <summary>A loop that never looks for the Close (WS1001) never answers it either: reported at the receive, without a fix of its own.</summary>
    [Fact]
    public Task Flags_a_loop_that_never_looks_for_the_close_at_its_receive() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            async Task Run(Uri uri, CancellationToken ct)
            {
                using var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await {|WS1002:ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct)|};
                    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }
            }
        }
        """);

    [Fact]
    public Task Silent_for_an_injected_socket_field_whose_owner_is_out_of_sight() => VerifyCS.SilentAsync("""
        public class Connection
        {
            private readonly WebSocket _ws;

            public Connection(WebSocket ws) => _ws = ws;

            public WebSocketCloseStatus? CloseStatus { get; private set; }

            public string? CloseStatusDescription { get; private set; }

            public async Task ReceiveMessagesUntilCloseAsync()
            {
                var buffer = new byte[4096];
                var result = await _ws.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                while (result.MessageType != WebSocketMessageType.Close)
                {
                    Console.WriteLine(result.Count);
                    result = await _ws.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                }

                CloseStatus = result.CloseStatus;
                CloseStatusDescription = result.CloseStatusDescription;
            }
        }
        """);
#if !ROSLYN3_7_TESTS // C# 10 input (record struct), beyond Roslyn 3.7's parser; the plain-struct twin below runs everywhere.
    [Fact]
    public Task Silent_when_the_caller_tells_the_close_apart_by_what_the_helper_returns() => VerifyCS.SilentAsync("""
        public static class R
        {
            readonly record struct Msg(WebSocketMessageType Type, byte[] Payload);

            public static async Task Handle(Microsoft.AspNetCore.Http.HttpContext context, CancellationToken ct)
            {
                using var ws = await context.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[1024];
                while (true)
                {
                    Msg? m = await ReceiveFull(ws, buffer, ct);
                    if (m is null) break;
                    if (m.Value.Type == WebSocketMessageType.Close)
                    {
                        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", ct);
                        break;
                    }

                    await ws.SendAsync(m.Value.Payload, m.Value.Type, true, ct);
                }
            }

            static async Task<Msg?> ReceiveFull(WebSocket ws, byte[] buffer, CancellationToken ct)
            {
                var result = await ws.ReceiveAsync(buffer, ct);
                if (result.MessageType == WebSocketMessageType.Close)
                    return new Msg(result.MessageType, Array.Empty<byte>());
                return new Msg(result.MessageType, buffer[..result.Count]);
            }
        }
        """);
#endif

    // The same shape in C# 9, for the analyzers built against Roslyn 3.7 (tests/OlderRoslyn/Roslyn3.7).
    [Fact]
    public Task Silent_when_the_caller_tells_the_close_apart_by_what_the_helper_returns_in_a_plain_struct() => VerifyCS.SilentAsync("""
        public static class R
        {
            readonly struct Msg
            {
                public Msg(WebSocketMessageType type, byte[] payload) { Type = type; Payload = payload; }
                public WebSocketMessageType Type { get; }
                public byte[] Payload { get; }
            }

            public static async Task Handle(Microsoft.AspNetCore.Http.HttpContext context, CancellationToken ct)
            {
                using var ws = await context.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[1024];
                while (true)
                {
                    Msg? m = await ReceiveFull(ws, buffer, ct);
                    if (m is null) break;
                    if (m.Value.Type == WebSocketMessageType.Close)
                    {
                        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", ct);
                        break;
                    }

                    await ws.SendAsync(m.Value.Payload, m.Value.Type, true, ct);
                }
            }

            static async Task<Msg?> ReceiveFull(WebSocket ws, byte[] buffer, CancellationToken ct)
            {
                var result = await ws.ReceiveAsync(buffer, ct);
                if (result.MessageType == WebSocketMessageType.Close)
                    return new Msg(result.MessageType, Array.Empty<byte>());
                return new Msg(result.MessageType, buffer[..result.Count]);
            }
        }
        """);

    private static string ResultHandedToACallback(string callback, string access = "private") => $$"""
        using Microsoft.AspNetCore.Http;

        {{(access == "public" ? "public " : "")}}class Endpoint
        {
            public async Task Get(HttpContext context)
            {
                using WebSocket ws = await context.WebSockets.AcceptWebSocketAsync();
                await Listen(ws, {{callback}});
            }

            {{access}} static async Task Listen(WebSocket socket, Action<WebSocketReceiveResult, byte[]> handle)
            {
                var buffer = new byte[1024];
                while ([|socket.State == WebSocketState.Open|])
                {
                    var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                    handle(result, buffer);
                }
            }
        }
        """;

    [Fact]
    public Task Flags_a_loop_that_hands_each_result_to_a_callback_that_cannot_reach_the_socket()
        => VerifyCS.DiagnosticsAsync(ResultHandedToACallback("(r, b) => Console.WriteLine(r.MessageType)"));

    [Fact]
    public Task Silent_when_the_callback_can_close_the_socket()
        => VerifyCS.SilentAsync(ResultHandedToACallback(
            "(r, b) => { if (r.MessageType == WebSocketMessageType.Close) ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).Wait(); }")
            .Replace("[|", string.Empty).Replace("|]", string.Empty));

    /// <summary>A public method of a public type: callers out of sight may pass a callback that closes the socket.</summary>
    [Fact]
    public Task Silent_when_callers_out_of_sight_may_pass_the_callback()
        => VerifyCS.SilentAsync(ResultHandedToACallback("(r, b) => Console.WriteLine(r.MessageType)", access: "public")
            .Replace("[|", string.Empty).Replace("|]", string.Empty));

    private static string FieldSocketClosedElsewhere(string stop, string textBranch = "Console.WriteLine(r.Count);") => $$"""
        class Streamer
        {
            private readonly ClientWebSocket _ws = new();

            public async Task Listen(CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var r = await _ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if ([|r.MessageType == WebSocketMessageType.Close|])
                    {
                        return;
                    }

                    {{textBranch}}
                }
            }

            public async Task StopAsync()
            {
                {{stop}}
            }
        }
        """;

    [Fact]
    public Task Flags_a_field_socket_whose_other_close_only_runs_when_open()
        => VerifyCS.DiagnosticsAsync(FieldSocketClosedElsewhere(
            "if (_ws.State == WebSocketState.Open && buffered == 0) await _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, \"stop\", CancellationToken.None);")
            .Replace("public async Task StopAsync()", "int buffered;\n\n    public async Task StopAsync()"));

    [Fact]
    public Task Flags_a_field_socket_whose_only_unguarded_close_is_on_another_path_of_the_receiving_method()
        => VerifyCS.DiagnosticsAsync(FieldSocketClosedElsewhere(
            "await Task.Yield();",
            "if (r.MessageType == WebSocketMessageType.Text) { await _ws.CloseAsync(WebSocketCloseStatus.PolicyViolation, \"binary only\", ct); return; }"));

    // Decided on the path (issue 11): a Stop that would close, but that nothing on the close path calls, is no answer.
    [Theory]
    [InlineData("await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, \"stop\", CancellationToken.None);")]
    [InlineData("if (_ws.State is WebSocketState.Open or WebSocketState.CloseReceived) await _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, \"stop\", CancellationToken.None);")]
    public Task Flags_a_field_socket_another_method_could_close_but_the_close_path_never_calls(string stop)
        => VerifyCS.DiagnosticsAsync(FieldSocketClosedElsewhere(stop));

    [Theory]
    [InlineData("await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, \"stop\", CancellationToken.None);")]
    [InlineData("if (_ws.State is WebSocketState.Open or WebSocketState.CloseReceived) await _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, \"stop\", CancellationToken.None);")]
    public Task Silent_when_the_close_branch_calls_the_member_that_closes(string stop)
        => VerifyCS.SilentAsync(FieldSocketClosedElsewhere(stop).Replace("[|", string.Empty).Replace("|]", string.Empty)
            .Replace("                return;", "                await StopAsync();\n                return;"));

    [Fact]
    public Task Silent_for_a_field_socket_the_receiving_method_answers_on_its_next_call() => VerifyCS.SilentAsync("""
        class Poller
        {
            private readonly ClientWebSocket _ws = new();

            public async Task PollAsync(CancellationToken ct)
            {
                if (_ws.State == WebSocketState.CloseReceived)
                {
                    await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                    return;
                }

                var buffer = new byte[1024];
                var r = await _ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                Console.WriteLine(r.Count);
            }
        }
        """);

    private static string TextHelperWhoseCaller(string use) => $$"""
        static class Reader
        {
            static async Task Run()
            {
                using var ws = new ClientWebSocket();
                await ws.ConnectAsync(new Uri("ws://localhost:5000"), CancellationToken.None);
                {{use}}
            }

            static async Task<string> ReceiveText(WebSocket ws)
            {
                var buffer = new ArraySegment<byte>(new byte[8192]);
                var text = new StringBuilder();
                WebSocketReceiveResult r;
                do
                {
                    r = await ws.ReceiveAsync(buffer, CancellationToken.None);
                    text.Append(Encoding.UTF8.GetString(buffer.Array!, buffer.Offset, r.Count));
                }
                while (![|r.EndOfMessage|]);
                return text.ToString();
            }
        }
        """;

    [Theory]
    [InlineData("Console.WriteLine(await ReceiveText(ws));")]
    [InlineData("var message = await ReceiveText(ws); Console.WriteLine(message);")]
    public Task Flags_a_text_helper_whose_caller_only_prints_what_it_returns(string use)
        => VerifyCS.DiagnosticsAsync(TextHelperWhoseCaller(use));

    [Fact]
    public Task Silent_when_the_caller_closes_after_the_text_helper_returns()
        => VerifyCS.SilentAsync(TextHelperWhoseCaller(
            "var message = await ReceiveText(ws); Console.WriteLine(message); await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);")
            .Replace("[|", string.Empty).Replace("|]", string.Empty));

    private static string HelperThatThrowsOnClose(string call) => $$"""
        class RpcClient
        {
            public async Task<string> Call(Uri uri, CancellationToken ct)
            {
                using var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                {{call}}
            }

            private static async Task<string> ReceiveJson(ClientWebSocket ws, CancellationToken ct)
            {
                var buffer = new ArraySegment<byte>(new byte[4096]);
                using var ms = new System.IO.MemoryStream();
                while (true)
                {
                    var result = await ws.ReceiveAsync(buffer, ct);
                    if ([|result.MessageType == WebSocketMessageType.Close|])
                        throw new InvalidOperationException("closed");
                    ms.Write(buffer.Array!, buffer.Offset, result.Count);
                    if (result.EndOfMessage) break;
                }

                return Encoding.UTF8.GetString(ms.ToArray());
            }
        }
        """;

    [Fact]
    public Task Flags_a_helper_that_throws_on_close_when_the_callers_using_only_disposes()
        => VerifyCS.DiagnosticsAsync(HelperThatThrowsOnClose("""
            while (ws.State == WebSocketState.Open)
                    {
                        var message = await ReceiveJson(ws, ct);
                        if (message.Length > 0) return message;
                    }

                    throw new InvalidOperationException("disconnected");
            """));

    [Fact]
    public Task Silent_when_the_caller_catches_the_helpers_exception_and_closes()
        => VerifyCS.SilentAsync(HelperThatThrowsOnClose("""
            try
                    {
                        return await ReceiveJson(ws, ct);
                    }
                    catch (InvalidOperationException)
                    {
                        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                        throw;
                    }
            """).Replace("[|", string.Empty).Replace("|]", string.Empty));

    [Fact]
    public Task Silent_on_a_close_between_the_pieces_of_a_message_whose_first_receive_answers() => VerifyCS.SilentAsync("""
        class Server
        {
            async Task Run(WebSocket webSocket, CancellationToken ct)
            {
                while (webSocket.State == WebSocketState.Open)
                {
                    var buffer = new byte[1024];
                    var result = await webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await webSocket.CloseAsync(WebSocketCloseStatus.NormalClosure, "Accept", ct);
                        break;
                    }

                    var count = result.Count;
                    while (!result.EndOfMessage)
                    {
                        if (count >= buffer.Length)
                        {
                            Array.Resize(ref buffer, buffer.Length + 1024);
                        }

                        result = await webSocket.ReceiveAsync(new ArraySegment<byte>(buffer, count, buffer.Length - count), ct);
                        count += result.Count;
                    }

                    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, count));
                }
            }
        }
        """);
}
