using WsAnalyzers.Tests.Verifiers;
using Xunit;
using VerifyCS = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.CloseGuardedByOpenAnalyzer>;
using VerifyFix = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.CloseGuardedByOpenAnalyzer, WsAnalyzers.CodeFixes.AdmitCloseReceivedFix>;

namespace WsAnalyzers.Tests.Rules;

public class WS1004Tests
{
    private static string HelperCalledFromCloseBranch(string guard, string body = "await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, \"bye\", ct);") => $$"""
        class Client
        {
            async Task Run(CancellationToken ct)
            {
                using var ws = new ClientWebSocket();
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await CloseQuietly(ws, ct);
                        return;
                    }
                }
            }

            static async Task CloseQuietly(WebSocket ws, CancellationToken ct)
            {
                if ({{guard}})
                {
                    {{body}}
                }
            }
        }
        """;

    [Fact]
    public Task Flags_helper_guard_reached_from_the_close_branch()
        => VerifyCS.DiagnosticsAsync(HelperCalledFromCloseBranch("{|WS1004:ws.State == WebSocketState.Open|}"));

    [Fact]
    public Task Flags_is_open_pattern()
        => VerifyCS.DiagnosticsAsync(HelperCalledFromCloseBranch("{|WS1004:ws.State is WebSocketState.Open|}"));

    [Fact]
    public Task Flags_guard_after_a_receive_loop_in_the_same_method() => VerifyCS.DiagnosticsAsync("""
        class Server
        {
            async Task Run(Microsoft.AspNetCore.Http.HttpContext context)
            {
                using var ws = await context.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), context.RequestAborted);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }
                }

                if ({|WS1004:ws.State == WebSocketState.Open|})
                {
                    await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                }
            }
        }
        """);

    [Fact]
    public Task Flags_early_return_when_not_open() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            async Task Run(CancellationToken ct)
            {
                using var ws = new ClientWebSocket();
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await Shutdown(ws);
                        return;
                    }
                }
            }

            static async Task Shutdown(WebSocket ws)
            {
                if ({|WS1004:ws.State != WebSocketState.Open|})
                {
                    return;
                }

                await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
            }
        }
        """);

    [Theory]
    [InlineData("ws.State == WebSocketState.Open || ws.State == WebSocketState.CloseReceived")]
    [InlineData("ws.State is WebSocketState.Open or WebSocketState.CloseReceived")]
    [InlineData("ws.State != WebSocketState.Closed")]
    public Task Silent_when_the_guard_admits_close_received(string guard)
        => VerifyCS.SilentAsync(HelperCalledFromCloseBranch(guard));

    [Fact]
    public Task Silent_when_the_guarded_close_only_starts_a_close() => VerifyCS.SilentAsync("""
        class Client
        {
            private readonly ClientWebSocket _ws = new();

            public async Task DisconnectAsync()
            {
                if (_ws.State == WebSocketState.Open)
                {
                    await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "client leaving", CancellationToken.None);
                }
            }

            static async Task Stop(WebSocket ws)
            {
                if (ws.State == WebSocketState.Open)
                {
                    await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }
            }

            async Task Main()
            {
                using var ws = new ClientWebSocket();
                await ws.ConnectAsync(new Uri("ws://127.0.0.1:1"), CancellationToken.None);
                await Stop(ws);
            }
        }
        """);

    [Fact]
    public Task Fix_widens_the_guard_with_a_pattern() => VerifyFix.FixAsync(
        HelperCalledFromCloseBranch("{|WS1004:ws.State == WebSocketState.Open|}"),
        HelperCalledFromCloseBranch("ws.State is WebSocketState.Open or WebSocketState.CloseReceived"));

    [Fact]
    public Task Fix_widens_the_guard_below_csharp_9() => VerifyFix.FixAsync(
        HelperCalledFromCloseBranch("{|WS1004:ws.State == WebSocketState.Open|}"),
        HelperCalledFromCloseBranch("ws.State == WebSocketState.Open || ws.State == WebSocketState.CloseReceived"),
        LanguageVersionChoice.CSharp8);

    [Fact]
    public Task Fix_widens_a_guard_written_constant_first() => VerifyFix.FixAsync(
        HelperCalledFromCloseBranch("{|WS1004:WebSocketState.Open == ws.State|}"),
        HelperCalledFromCloseBranch("ws.State is WebSocketState.Open or WebSocketState.CloseReceived"));

    [Fact]
    public Task Fix_widens_an_early_return_written_constant_first() => VerifyFix.FixAsync(
        EarlyReturn("{|WS1004:WebSocketState.Open != ws.State|}"),
        EarlyReturn("ws.State is not (WebSocketState.Open or WebSocketState.CloseReceived)"));

    private static string EarlyReturn(string guard) => $$"""
        class Client
        {
            async Task Run(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await ws.ReceiveAsync(buffer.AsMemory(), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }
                }

                if ({{guard}})
                {
                    return;
                }

                await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
            }

            async Task Main()
            {
                using var ws = new ClientWebSocket();
                await Run(ws, CancellationToken.None);
            }
        }
        """;

    [Fact]
    public Task Fix_widens_an_early_return_with_a_negated_pattern() => VerifyFix.FixAsync(
        EarlyReturn("{|WS1004:ws.State is not WebSocketState.Open|}"),
        EarlyReturn("ws.State is not (WebSocketState.Open or WebSocketState.CloseReceived)"));

    [Fact]
    public Task Fix_widens_an_early_return_below_csharp_9() => VerifyFix.FixAsync(
        EarlyReturn("{|WS1004:ws.State != WebSocketState.Open|}"),
        EarlyReturn("ws.State != WebSocketState.Open && ws.State != WebSocketState.CloseReceived"),
        LanguageVersionChoice.CSharp8);

    [Fact]
    public Task Fix_all_fixes_both_documents() => VerifyFix.FixAllAsync(new[]
    {
        (HelperCalledFromCloseBranch("{|WS1004:ws.State == WebSocketState.Open|}"),
         HelperCalledFromCloseBranch("ws.State is WebSocketState.Open or WebSocketState.CloseReceived")),
        ("""
        class Server
        {
            async Task Run(WebSocket ws)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }
                }

                if ({|WS1004:ws.State == WebSocketState.Open|})
                {
                    await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }
            }

            async Task Accept(Microsoft.AspNetCore.Http.HttpContext context)
            {
                using var ws = await context.WebSockets.AcceptWebSocketAsync();
                await Run(ws);
            }
        }
        """, """
        class Server
        {
            async Task Run(WebSocket ws)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }
                }

                if (ws.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }
            }

            async Task Accept(Microsoft.AspNetCore.Http.HttpContext context)
            {
                using var ws = await context.WebSockets.AcceptWebSocketAsync();
                await Run(ws);
            }
        }
        """),
    });
    [Fact]
    public Task Flags_guard_after_a_helper_that_returns_when_the_peer_closed() => VerifyCS.DiagnosticsAsync("""
        public static class R
        {
            public static async Task Handle(Microsoft.AspNetCore.Http.HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                while (true)
                {
                    var text = await ReceiveString(ws);
                    if (text is null) break;
                    Console.WriteLine(text);
                }

                if ({|WS1004:ws.State == WebSocketState.Open|})
                    await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "Closing", CancellationToken.None);
                ws.Dispose();
            }

            static async Task<string?> ReceiveString(WebSocket ws)
            {
                var buffer = new byte[8192];
                var result = await ws.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType != WebSocketMessageType.Text) return null;
                return Encoding.UTF8.GetString(buffer, 0, result.Count);
            }
        }
        """);
    [Fact]
    public Task Flags_guard_after_a_helper_whose_null_the_caller_checks_with_is_null_or_empty() => VerifyCS.DiagnosticsAsync("""
        public static class R
        {
            public static async Task Handle(Microsoft.AspNetCore.Http.HttpContext context)
            {
                WebSocket ws = await context.WebSockets.AcceptWebSocketAsync();
                while (true)
                {
                    string? data = null;
                    try
                    {
                        data = await ReceiveStringAsync(ws, CancellationToken.None);
                    }
                    catch (Exception ex)
                    {
                        Console.WriteLine(ex);
                    }

                    if (string.IsNullOrEmpty(data))
                    {
                        break;
                    }

                    Console.WriteLine(data);
                }

                if (null != ws && {|WS1004:ws.State == WebSocketState.Open|})
                    await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "Closing", CancellationToken.None);
                ws.Dispose();
            }

            static async Task<string?> ReceiveStringAsync(WebSocket socket, CancellationToken ct)
            {
                var buffer = new ArraySegment<byte>(new byte[8192]);
                using var ms = new System.IO.MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer, ct);
                    ms.Write(buffer.Array!, buffer.Offset, result.Count);
                }
                while (!result.EndOfMessage);

                if (result.MessageType != WebSocketMessageType.Text)
                {
                    return null;
                }

                return Encoding.UTF8.GetString(ms.ToArray());
            }
        }
        """);

    [Fact]
    public Task Flags_the_guard_in_the_close_branch_but_not_the_loop_condition_around_it() => VerifyCS.DiagnosticsAsync("""
        static class GuardedLoop
        {
            static async Task Loop(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (ws.State == WebSocketState.Open)
                {
                    var r = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (r.MessageType == WebSocketMessageType.Close)
                    {
                        if ({|WS1004:ws.State == WebSocketState.Open|})
                            await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", ct);
                    }
                }
            }

            public static async Task Run(WebSocket ws)
            {
                await Loop(ws, CancellationToken.None);
                ws.Dispose();
            }
        }
        """);

    [Fact]
    public Task Flags_an_open_guard_in_the_close_branch_of_a_field_socket_nobody_else_closes()
        => VerifyCS.DiagnosticsAsync(WS1002Tests.FieldSocketWithAnOpenGuardInTheCloseBranch("{|WS1004:_ws.State == WebSocketState.Open|}"));
}
