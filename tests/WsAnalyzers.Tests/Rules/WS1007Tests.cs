using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.InvalidCloseArgumentsAnalyzer>;
using VerifyFix = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.InvalidCloseArgumentsAnalyzer, WsAnalyzers.CodeFixes.InvalidCloseArgumentsFix>;

namespace WsAnalyzers.Tests.Rules;

public class WS1007Tests
{
    private static readonly string E62 = new('é', 62); // 62 chars, 124 UTF-8 bytes
    private static readonly string E61 = new('é', 61); // 122 bytes: the next 'é' would not fit

    [Fact]
    public Task Flags_empty_status_with_a_message_saying_why() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            async Task Stop(ClientWebSocket ws, CancellationToken ct)
            {
                await ws.CloseAsync({|#0:WebSocketCloseStatus.Empty|}, null, ct);
            }
        }
        """,
        new DiagnosticResult(Descriptors.WS1007InvalidCloseArguments).WithLocation(0)
            .WithMessage("WebSocketCloseStatus.Empty (1005) is illegal on the wire and the peer fails the connection: send NormalClosure"));

    [Fact]
    public Task Fixes_empty_status_to_normal_closure() => VerifyFix.FixAsync("""
        class Client
        {
            async Task Stop(ClientWebSocket ws, CancellationToken ct)
            {
                await ws.CloseAsync({|WS1007:WebSocketCloseStatus.Empty|}, null, ct);
            }
        }
        """, """
        class Client
        {
            async Task Stop(ClientWebSocket ws, CancellationToken ct)
            {
                await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
            }
        }
        """);

    [Fact]
    public Task Fixes_empty_status_with_a_description_in_close_output_on_the_server() => VerifyFix.FixAsync("""
        class Server
        {
            async Task Handle(Microsoft.AspNetCore.Http.HttpContext context)
            {
                using var ws = await context.WebSockets.AcceptWebSocketAsync();
                await ws.CloseOutputAsync({|WS1007:WebSocketCloseStatus.Empty|}, "bye", context.RequestAborted);
            }
        }
        """, """
        class Server
        {
            async Task Handle(Microsoft.AspNetCore.Http.HttpContext context)
            {
                using var ws = await context.WebSockets.AcceptWebSocketAsync();
                await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
            }
        }
        """);

    [Fact]
    public Task Flags_empty_with_a_description_as_throwing() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            Task Stop(WebSocket ws) => ws.CloseOutputAsync({|#0:WebSocketCloseStatus.Empty|}, "done", CancellationToken.None);
        }
        """,
        new DiagnosticResult(Descriptors.WS1007InvalidCloseArguments).WithLocation(0)
            .WithMessage("WebSocketCloseStatus.Empty with a description throws ArgumentException, and Empty (1005) is illegal on the wire: send NormalClosure"));

    [Fact]
    public Task Fixes_empty_written_as_a_cast_of_1005() => VerifyFix.FixAsync("""
        class Client
        {
            Task Stop(WebSocket ws) => ws.CloseAsync({|WS1007:(WebSocketCloseStatus)1005|}, null, CancellationToken.None);
        }
        """, """
        class Client
        {
            Task Stop(WebSocket ws) => ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        """);

    [Theory]
    [InlineData(0)]
    [InlineData(999)]
    [InlineData(1004)]
    [InlineData(1006)]
    [InlineData(1015)]
    [InlineData(1016)]
    [InlineData(2999)]
    [InlineData(5000)]
    [InlineData(65535)]
    public Task Flags_status_cast_from_an_invalid_code(int code) => VerifyCS.DiagnosticsAsync($$"""
        class Client
        {
            Task Stop(WebSocket ws) => ws.CloseAsync({|WS1007:(WebSocketCloseStatus){{code}}|}, null, CancellationToken.None);
        }
        """);

    [Fact]
    public Task Flags_a_default_status_as_code_zero() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            Task Stop(WebSocket ws) => ws.CloseAsync({|#0:default|}, null, CancellationToken.None);
        }
        """,
        new DiagnosticResult(Descriptors.WS1007InvalidCloseArguments).WithLocation(0)
            .WithMessage("Close status 0 throws ArgumentException: send 1000-1003, 1007-1014 or 3000-4999"));

    [Fact]
    public Task Flags_empty_with_an_empty_description_only_as_illegal_on_the_wire() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            Task Stop(WebSocket ws) => ws.CloseOutputAsync({|#0:WebSocketCloseStatus.Empty|}, "", CancellationToken.None);
        }
        """,
        new DiagnosticResult(Descriptors.WS1007InvalidCloseArguments).WithLocation(0)
            .WithMessage("WebSocketCloseStatus.Empty (1005) is illegal on the wire and the peer fails the connection: send NormalClosure"));

    [Fact]
    public Task Offers_no_fix_for_an_invalid_numeric_code() => VerifyFix.NoFixAsync("""
        class Client
        {
            Task Stop(WebSocket ws) => ws.CloseAsync({|WS1007:(WebSocketCloseStatus)1006|}, null, CancellationToken.None);
        }
        """);

    [Theory]
    [InlineData("(WebSocketCloseStatus)1000")]
    [InlineData("(WebSocketCloseStatus)1003")]
    [InlineData("(WebSocketCloseStatus)1007")]
    [InlineData("(WebSocketCloseStatus)1012")]
    [InlineData("(WebSocketCloseStatus)1014")]
    [InlineData("(WebSocketCloseStatus)3000")]
    [InlineData("(WebSocketCloseStatus)4999")]
    [InlineData("WebSocketCloseStatus.NormalClosure")]
    [InlineData("WebSocketCloseStatus.EndpointUnavailable")]
    [InlineData("WebSocketCloseStatus.InternalServerError")]
    [InlineData("WebSocketCloseStatus.PolicyViolation")]
    public Task Silent_for_a_valid_status(string status) => VerifyCS.SilentAsync($$"""
        class Client
        {
            Task Stop(WebSocket ws) => ws.CloseAsync({{status}}, "bye", CancellationToken.None);
        }
        """);

    [Fact]
    public Task Silent_when_echoing_the_received_status_with_array_segment_receive() => VerifyCS.SilentAsync("""
        class Server
        {
            async Task Run(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await ws.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.Empty, result.CloseStatusDescription, ct);
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_echoing_the_socket_status_with_memory_receive() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task Run(ClientWebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var result = await ws.ReceiveAsync(buffer.AsMemory(), ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await ws.CloseOutputAsync(ws.CloseStatus!.Value, ws.CloseStatusDescription, ct);
                }
            }
        }
        """);

    [Fact]
    public Task Silent_for_empty_as_a_value_that_is_not_sent() => VerifyCS.SilentAsync("""
        class Client
        {
            bool ClosedWithoutStatus(WebSocket ws) => ws.CloseStatus == WebSocketCloseStatus.Empty;
        }
        """);

    [Fact]
    public Task Flags_description_over_123_utf8_bytes_and_shortens_it_at_a_character() => VerifyFix.FixAsync($$"""
        class Client
        {
            Task Stop(WebSocket ws) => ws.CloseAsync(WebSocketCloseStatus.NormalClosure, {|WS1007:"{{E62}}"|}, CancellationToken.None);
        }
        """, $$"""
        class Client
        {
            Task Stop(WebSocket ws) => ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "{{E61}}", CancellationToken.None);
        }
        """);

    [Fact]
    public Task Shortens_without_splitting_a_surrogate_pair() => VerifyFix.FixAsync($$"""
        class Client
        {
            Task Stop(WebSocket ws) => ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, {|WS1007:"abc{{Repeat("😀", 31)}}"|}, CancellationToken.None);
        }
        """, $$"""
        class Client
        {
            Task Stop(WebSocket ws) => ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "abc{{Repeat("😀", 30)}}", CancellationToken.None);
        }
        """);

    [Fact]
    public Task Silent_for_a_description_of_exactly_123_bytes() => VerifyCS.SilentAsync($$"""
        class Client
        {
            Task Stop(WebSocket ws) => ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "{{new string('x', 123)}}", CancellationToken.None);
        }
        """);

    [Fact]
    public Task Flags_a_long_constant_description_but_offers_no_fix_when_it_is_not_a_literal() => VerifyFix.NoFixAsync($$"""
        class Client
        {
            const string Reason = "{{E62}}";
            Task Stop(WebSocket ws) => ws.CloseAsync(WebSocketCloseStatus.NormalClosure, {|WS1007:Reason|}, CancellationToken.None);
        }
        """);

    [Fact]
    public Task Silent_for_a_long_description_that_is_not_constant() => VerifyCS.SilentAsync("""
        class Client
        {
            Task Stop(WebSocket ws, Exception error) => ws.CloseAsync(WebSocketCloseStatus.InternalServerError, error.Message, CancellationToken.None);
        }
        """);

    [Fact]
    public Task Fix_all_fixes_both_documents() => VerifyFix.FixAllAsync(new[]
    {
        ("""
        class A
        {
            Task Stop(WebSocket ws) => ws.CloseAsync({|WS1007:WebSocketCloseStatus.Empty|}, null, CancellationToken.None);
        }
        """, """
        class A
        {
            Task Stop(WebSocket ws) => ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        """),
        ($$"""
        class B
        {
            Task Stop(WebSocket ws) => ws.CloseOutputAsync({|WS1007:WebSocketCloseStatus.Empty|}, {|WS1007:"{{E62}}"|}, CancellationToken.None);
        }
        """, $$"""
        class B
        {
            Task Stop(WebSocket ws) => ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "{{E61}}", CancellationToken.None);
        }
        """),
    });

    private static string Repeat(string s, int count) => string.Concat(Enumerable.Repeat(s, count));
}
