using WsAnalyzers.Rules;
using WsAnalyzers.Tests.Verifiers;
using Xunit;
using VerifyCS = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.ReceiveLoopIgnoresCloseAnalyzer>;
using VerifyFix = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.ReceiveLoopIgnoresCloseAnalyzer, WsAnalyzers.CodeFixes.HandleCloseMessageFix>;

namespace WsAnalyzers.Tests.Rules;

public class WS1001Tests
{
    [Fact]
    public Task Flags_loop_that_decodes_every_result() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            async Task Run(WebSocket socket, CancellationToken cancellationToken)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await {|WS1001:socket.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken)|};
                    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }
            }
        }
        """);

    [Fact]
    public Task Flags_state_loop_that_hands_the_close_payload_to_its_handler_before_the_condition() => VerifyCS.DiagnosticsAsync("""
        class Server
        {
            // The Close's empty payload goes to the handler as a message before the loop's condition ends the loop.
            async Task Echo(WebSocket webSocket)
            {
                var buffer = new byte[4096];
                while (webSocket.State == WebSocketState.Open)
                {
                    var result = await {|WS1001:webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None)|};
                    Handle(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }
            }

            void Handle(string message) { }
        }
        """);

    [Fact]
    public Task Flags_state_loop_that_parses_the_close_payload_with_a_parser_that_returns_null() => VerifyCS.DiagnosticsAsync("""
        namespace Newtonsoft.Json
        {
            public static class JsonConvert
            {
                public static T? DeserializeObject<T>(string value) => default;
            }
        }

        class Feed
        {
            async Task Run(WebSocket webSocket, CancellationToken ct)
            {
                var buffer = new byte[4096];
                while (webSocket.State == WebSocketState.Open)
                {
                    var result = await {|WS1001:webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), ct)|};
                    var message = Encoding.UTF8.GetString(buffer, 0, result.Count);
                    var quote = Newtonsoft.Json.JsonConvert.DeserializeObject<Quote>(message);
                    if (quote is null)
                    {
                        continue;
                    }

                    Console.WriteLine(quote.Price);
                }
            }
        }

        class Quote
        {
            public decimal Price { get; set; }
        }
        """);

    [Theory]
    [InlineData("Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));")]
    [InlineData("var text = Encoding.UTF8.GetString(buffer, 0, result.Count);\n            if (result.MessageType == WebSocketMessageType.Text) { Handle(text); }")]
    [InlineData("Handle(result, Encoding.UTF8.GetString(buffer, 0, result.Count));")]
    public Task Silent_on_state_loop_that_only_writes_the_payload_out_or_lets_the_handler_see_the_result(string body) => VerifyCS.SilentAsync($$"""
        class Server
        {
            // Written out once, checked before it is handed on, or handed on with the result (the handler can tell):
            // the loop's condition then ends the loop. That nothing answers the Close is WS1002's report.
            async Task Echo(WebSocket webSocket)
            {
                var buffer = new byte[4096];
                while (webSocket.State == WebSocketState.Open)
                {
                    var result = await webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                    {{body}}
                }
            }

            void Handle(string message) { }

            void Handle(WebSocketReceiveResult result, string message) { }
        }
        """);

    [Fact]
    public Task Flags_loop_that_receives_again_after_the_close() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            int messages;

            async Task Drain(ClientWebSocket socket)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    await {|WS1001:socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None)|};
                    messages++;
                }
            }
        }
        """);

    [Fact]
    public Task Flags_memory_overload() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            async Task Run(WebSocket socket, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (!ct.IsCancellationRequested)
                {
                    var result = await {|WS1001:socket.ReceiveAsync(buffer.AsMemory(), ct)|};
                    Console.WriteLine(Encoding.UTF8.GetString(buffer.AsSpan(0, result.Count)));
                }
            }
        }
        """);

    [Fact]
    public Task Flags_loop_that_checks_only_for_text() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            async Task Run(WebSocket socket, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await {|WS1001:socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct)|};
                    if (result.MessageType == WebSocketMessageType.Text)
                    {
                        Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Flags_loop_that_skips_empty_results_and_receives_again() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            async Task Run(WebSocket socket, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await {|WS1001:socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct)|};
                    if (result.Count == 0)
                    {
                        continue;
                    }

                    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }
            }
        }
        """);

    [Fact]
    public Task Silent_for_the_aspnetcore_docs_echo_loop() => VerifyCS.SilentAsync("""
        class Server
        {
            async Task Echo(WebSocket webSocket)
            {
                var buffer = new byte[1024 * 4];
                var receiveResult = await webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                while (!receiveResult.CloseStatus.HasValue)
                {
                    await webSocket.SendAsync(new ArraySegment<byte>(buffer, 0, receiveResult.Count), receiveResult.MessageType, receiveResult.EndOfMessage, CancellationToken.None);
                    receiveResult = await webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                }

                await webSocket.CloseAsync(receiveResult.CloseStatus.Value, receiveResult.CloseStatusDescription, CancellationToken.None);
            }
        }
        """);

    [Theory]
    [InlineData("result.MessageType == WebSocketMessageType.Close")]
    [InlineData("result.MessageType is WebSocketMessageType.Close")]
    [InlineData("result is { MessageType: WebSocketMessageType.Close }")]
    [InlineData("result.CloseStatus.HasValue")]
    [InlineData("result.CloseStatus != null")]
    [InlineData("result.CloseStatus is not null")]
    [InlineData("socket.CloseStatus.HasValue")]
    [InlineData("socket.State != WebSocketState.Open")]
    [InlineData("socket.State == WebSocketState.CloseReceived")]
    [InlineData("IsClose(result)")]
    [InlineData("result.MessageType != WebSocketMessageType.Text && result.MessageType != WebSocketMessageType.Binary")]
    public Task Silent_when_the_close_is_checked(string check) => VerifyCS.SilentAsync($$"""
        class Client
        {
            async Task Run(WebSocket socket, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if ({{check}})
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                        return;
                    }

                    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }
            }

            static bool IsClose(WebSocketReceiveResult r) => r.MessageType == WebSocketMessageType.Close;
        }
        """);

    [Fact]
    public Task Silent_for_switch_statement_and_switch_expression() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task Run(WebSocket socket, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    switch (result.MessageType)
                    {
                        case WebSocketMessageType.Close:
                            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                            return;
                        default:
                            Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
                            break;
                    }
                }
            }

            async Task Run2(WebSocket socket, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await socket.ReceiveAsync(buffer.AsMemory(), ct);
                    var done = result.MessageType switch
                    {
                        WebSocketMessageType.Close => true,
                        _ => false,
                    };
                    if (done)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                        return;
                    }

                    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }
            }
        }
        """);

    [Fact]
    public Task Silent_for_fragments_accumulated_before_the_check() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task Run(WebSocket socket, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var message = new System.IO.MemoryStream();
                    WebSocketReceiveResult result;
                    do
                    {
                        result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                        message.Write(buffer, 0, result.Count);
                    }
                    while (!result.EndOfMessage);

                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                        return;
                    }

                    Console.WriteLine(Encoding.UTF8.GetString(message.ToArray()));
                }
            }
        }
        """);

    [Fact]
    public Task Silent_for_a_single_receive_outside_a_loop() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task<string> ReceiveOne(WebSocket socket, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                return Encoding.UTF8.GetString(buffer, 0, result.Count);
            }
        }
        """);

    [Fact]
    public Task Fix_inserts_close_handling_after_the_receive() => VerifyFix.FixAsync("""
        class Client
        {
            async Task Run(WebSocket socket, CancellationToken cancellationToken)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    // Wait for the next message.
                    var result = await {|WS1001:socket.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken)|};
                    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }
            }
        }
        """, """
        class Client
        {
            async Task Run(WebSocket socket, CancellationToken cancellationToken)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    // Wait for the next message.
                    var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        if (socket.State == WebSocketState.CloseReceived)
                        {
                            await socket.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, cancellationToken);
                        }

                        break;
                    }

                    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }
            }
        }
        """);

    [Fact]
    public Task Fix_answers_the_close_before_a_state_loop_hands_it_to_its_handler() => VerifyFix.FixAsync("""
        class Server
        {
            public event Action<string>? MessageReceived;

            async Task Run(WebSocket socket, CancellationToken cancellationToken)
            {
                var buffer = new byte[1024];
                while (socket.State == WebSocketState.Open)
                {
                    var result = await {|WS1001:socket.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken)|};
                    MessageReceived?.Invoke(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }
            }
        }
        """, """
        class Server
        {
            public event Action<string>? MessageReceived;

            async Task Run(WebSocket socket, CancellationToken cancellationToken)
            {
                var buffer = new byte[1024];
                while (socket.State == WebSocketState.Open)
                {
                    var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        if (socket.State == WebSocketState.CloseReceived)
                        {
                            await socket.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, cancellationToken);
                        }

                        break;
                    }

                    MessageReceived?.Invoke(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }
            }
        }
        """);

    [Fact]
    public Task Fix_introduces_a_result_local_and_uses_none_token() => VerifyFix.FixAsync("""
        class Client
        {
            int messages;

            async Task Drain(ClientWebSocket socket)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    await {|WS1001:socket.ReceiveAsync(new ArraySegment<byte>(buffer), default)|};
                    messages++;
                }
            }
        }
        """, """
        class Client
        {
            int messages;

            async Task Drain(ClientWebSocket socket)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), default);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        if (socket.State == WebSocketState.CloseReceived)
                        {
                            await socket.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, CancellationToken.None);
                        }

                        break;
                    }

                    messages++;
                }
            }
        }
        """);

    [Fact]
    public Task Fix_for_memory_overload_reads_the_status_from_the_socket() => VerifyFix.FixAsync("""
        class Client
        {
            async Task Run(WebSocket socket, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (!ct.IsCancellationRequested)
                {
                    var result = await {|WS1001:socket.ReceiveAsync(buffer.AsMemory(), ct)|};
                    Console.WriteLine(Encoding.UTF8.GetString(buffer.AsSpan(0, result.Count)));
                }
            }
        }
        """, """
        class Client
        {
            async Task Run(WebSocket socket, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (!ct.IsCancellationRequested)
                {
                    var result = await socket.ReceiveAsync(buffer.AsMemory(), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        if (socket.State == WebSocketState.CloseReceived)
                        {
                            await socket.CloseOutputAsync(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, socket.CloseStatusDescription, ct);
                        }

                        break;
                    }

                    Console.WriteLine(Encoding.UTF8.GetString(buffer.AsSpan(0, result.Count)));
                }
            }
        }
        """);

    [Fact]
    public Task Fix_returns_from_a_nested_loop() => VerifyFix.FixAsync("""
        class Client
        {
            async Task Run(WebSocket socket, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var text = new StringBuilder();
                    WebSocketReceiveResult result;
                    do
                    {
                        result = await {|WS1001:socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct)|};
                        text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
                    }
                    while (!result.EndOfMessage);
                }
            }
        }
        """, """
        class Client
        {
            async Task Run(WebSocket socket, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var text = new StringBuilder();
                    WebSocketReceiveResult result;
                    do
                    {
                        result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                        if (result.MessageType == WebSocketMessageType.Close)
                        {
                            if (socket.State == WebSocketState.CloseReceived)
                            {
                                await socket.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, ct);
                            }

                            return;
                        }

                        text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
                    }
                    while (!result.EndOfMessage);
                }
            }
        }
        """);

    [Fact]
    public Task No_fix_outside_an_async_method() => VerifyFix.NoFixAsync("""
        class Client
        {
            void Run(WebSocket socket)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var result = {|WS1001:socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None)|}.GetAwaiter().GetResult();
                    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }
            }
        }
        """);

    [Fact]
    public Task Fix_all_fixes_every_loop_in_two_documents() => VerifyFix.FixAllAsync(new[]
    {
        ("""
        class A
        {
            async Task Run(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[16];
                while (true)
                {
                    var r = await {|WS1001:ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct)|};
                    Console.WriteLine(r.Count + buffer[0]);
                }
            }
        }
        """, """
        class A
        {
            async Task Run(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[16];
                while (true)
                {
                    var r = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (r.MessageType == WebSocketMessageType.Close)
                    {
                        if (ws.State == WebSocketState.CloseReceived)
                        {
                            await ws.CloseOutputAsync(r.CloseStatus ?? WebSocketCloseStatus.NormalClosure, r.CloseStatusDescription, ct);
                        }

                        break;
                    }

                    Console.WriteLine(r.Count + buffer[0]);
                }
            }
        }
        """),
        ("""
        class B
        {
            async Task Run(WebSocket ws)
            {
                var buffer = new byte[16];
                while (true)
                {
                    await {|WS1001:ws.ReceiveAsync(buffer.AsMemory(), CancellationToken.None)|};
                }
            }
        }
        """, """
        class B
        {
            async Task Run(WebSocket ws)
            {
                var buffer = new byte[16];
                while (true)
                {
                    var result = await ws.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        if (ws.State == WebSocketState.CloseReceived)
                        {
                            await ws.CloseOutputAsync(ws.CloseStatus ?? WebSocketCloseStatus.NormalClosure, ws.CloseStatusDescription, CancellationToken.None);
                        }

                        break;
                    }
                }
            }
        }
        """),
    });
    // Issue 11: `break` out of a `while (true)` makes the end of a value-returning method reachable (CS0161).
    [Fact]
    public Task Fix_throws_after_acknowledging_where_break_would_leave_a_value_returning_method_without_a_return() => VerifyFix.FixAsync("""
        class Client
        {
            async Task<int> CountUntilStop(WebSocket socket, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var count = 0;
                while (true)
                {
                    var result = await {|WS1001:socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct)|};
                    if (Encoding.UTF8.GetString(buffer, 0, result.Count) == "stop")
                    {
                        return count;
                    }

                    count++;
                }
            }
        }
        """, """
        class Client
        {
            async Task<int> CountUntilStop(WebSocket socket, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var count = 0;
                while (true)
                {
                    var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        if (socket.State == WebSocketState.CloseReceived)
                        {
                            await socket.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, ct);
                        }

                        throw new WebSocketException(WebSocketError.InvalidState, "The remote party closed the WebSocket connection.");
                    }

                    if (Encoding.UTF8.GetString(buffer, 0, result.Count) == "stop")
                    {
                        return count;
                    }

                    count++;
                }
            }
        }
        """);

    [Theory]
    [InlineData("null")]
    [InlineData("default")]
    public Task Fix_returns_the_methods_own_empty_value_where_break_would_leave_it_without_a_return(string empty) => VerifyFix.FixAsync($$"""
        class Client
        {
            async Task<string> ReadCommand(WebSocket socket, CancellationToken ct)
            {
                var buffer = new byte[1024];
                for (;;)
                {
                    var result = await {|WS1001:socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct)|};
                    var text = Encoding.UTF8.GetString(buffer, 0, result.Count);
                    if (text == "quit")
                    {
                        return {{empty}};
                    }

                    if (text.StartsWith("/"))
                    {
                        return text;
                    }
                }
            }
        }
        """, $$"""
        class Client
        {
            async Task<string> ReadCommand(WebSocket socket, CancellationToken ct)
            {
                var buffer = new byte[1024];
                for (;;)
                {
                    var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        if (socket.State == WebSocketState.CloseReceived)
                        {
                            await socket.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, ct);
                        }

                        return {{empty}};
                    }

                    var text = Encoding.UTF8.GetString(buffer, 0, result.Count);
                    if (text == "quit")
                    {
                        return {{empty}};
                    }

                    if (text.StartsWith("/"))
                    {
                        return text;
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Fix_keeps_break_in_a_value_returning_method_when_code_after_the_loop_returns() => VerifyFix.FixAsync("""
        class Client
        {
            async Task<int> Count(WebSocket socket, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var count = 0;
                while (!ct.IsCancellationRequested)
                {
                    var result = await {|WS1001:socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct)|};
                    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
                    count++;
                }

                return count;
            }
        }
        """, """
        class Client
        {
            async Task<int> Count(WebSocket socket, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var count = 0;
                while (!ct.IsCancellationRequested)
                {
                    var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        if (socket.State == WebSocketState.CloseReceived)
                        {
                            await socket.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, ct);
                        }

                        break;
                    }

                    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
                    count++;
                }

                return count;
            }
        }
        """);

    [Fact]
    public Task Fix_all_handles_value_returning_loops_in_two_documents() => VerifyFix.FixAllAsync(new[]
    {
        ("""
        class A
        {
            async Task<int> Run(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[16];
                while (true)
                {
                    var r = await {|WS1001:ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct)|};
                    if (Encoding.UTF8.GetString(buffer, 0, r.Count) == "n")
                    {
                        return r.Count;
                    }
                }
            }
        }
        """, """
        class A
        {
            async Task<int> Run(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[16];
                while (true)
                {
                    var r = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (r.MessageType == WebSocketMessageType.Close)
                    {
                        if (ws.State == WebSocketState.CloseReceived)
                        {
                            await ws.CloseOutputAsync(r.CloseStatus ?? WebSocketCloseStatus.NormalClosure, r.CloseStatusDescription, ct);
                        }

                        throw new WebSocketException(WebSocketError.InvalidState, "The remote party closed the WebSocket connection.");
                    }

                    if (Encoding.UTF8.GetString(buffer, 0, r.Count) == "n")
                    {
                        return r.Count;
                    }
                }
            }
        }
        """),
        ("""
        class B
        {
            async Task<string> Run(WebSocket ws)
            {
                var buffer = new byte[16];
                while (true)
                {
                    var r = await {|WS1001:ws.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None)|};
                    var text = Encoding.UTF8.GetString(buffer, 0, r.Count);
                    if (text.Length > 3)
                    {
                        return text;
                    }

                    if (text == "x")
                    {
                        return null;
                    }
                }
            }
        }
        """, """
        class B
        {
            async Task<string> Run(WebSocket ws)
            {
                var buffer = new byte[16];
                while (true)
                {
                    var r = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                    if (r.MessageType == WebSocketMessageType.Close)
                    {
                        if (ws.State == WebSocketState.CloseReceived)
                        {
                            await ws.CloseOutputAsync(r.CloseStatus ?? WebSocketCloseStatus.NormalClosure, r.CloseStatusDescription, CancellationToken.None);
                        }

                        return null;
                    }

                    var text = Encoding.UTF8.GetString(buffer, 0, r.Count);
                    if (text.Length > 3)
                    {
                        return text;
                    }

                    if (text == "x")
                    {
                        return null;
                    }
                }
            }
        }
        """),
    });

    // Issue 11: two receives in one loop body whose results are not stored. Each fix introduces a local; fix-all
    // planned both on the original code, so both were named `result` (CS0128) and the second receive stayed broken.
    private const string TwoReceivesInOneLoop = """
        class Client
        {
            int frames;

            async Task Run(WebSocket ws, CancellationToken ct)
            {
                var header = new byte[4];
                var body = new byte[1024];
                do
                {
                    await {|WS1001:ws.ReceiveAsync(new ArraySegment<byte>(header), ct)|};
                    frames++;
                    await {|WS1001:ws.ReceiveAsync(new ArraySegment<byte>(body), ct)|};
                    frames++;
                }
                while (!ct.IsCancellationRequested);
            }
        }
        """;

    private const string TwoReceivesInOneLoopFixed = """
        class Client
        {
            int frames;

            async Task Run(WebSocket ws, CancellationToken ct)
            {
                var header = new byte[4];
                var body = new byte[1024];
                do
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(header), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        if (ws.State == WebSocketState.CloseReceived)
                        {
                            await ws.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, ct);
                        }

                        break;
                    }

                    frames++;
                    var receiveResult = await ws.ReceiveAsync(new ArraySegment<byte>(body), ct);
                    if (receiveResult.MessageType == WebSocketMessageType.Close)
                    {
                        if (ws.State == WebSocketState.CloseReceived)
                        {
                            await ws.CloseOutputAsync(receiveResult.CloseStatus ?? WebSocketCloseStatus.NormalClosure, receiveResult.CloseStatusDescription, ct);
                        }

                        break;
                    }

                    frames++;
                }
                while (!ct.IsCancellationRequested);
            }
        }
        """;

    [Fact]
    public Task Fix_all_handles_both_receives_of_one_loop() => VerifyFix.FixAsync(TwoReceivesInOneLoop, TwoReceivesInOneLoopFixed);

    [Fact]
    public Task Fix_all_handles_both_receives_of_one_loop_in_two_documents() => VerifyFix.FixAllAsync(new[]
    {
        (TwoReceivesInOneLoop, TwoReceivesInOneLoopFixed),
        (TwoReceivesInOneLoop.Replace("class Client", "class Other"), TwoReceivesInOneLoopFixed.Replace("class Client", "class Other")),
    });

    [Fact]
    public Task Silent_when_the_result_goes_to_a_callback_with_the_buffer() => VerifyCS.SilentAsync("""
        class Server
        {
            async Task Receive(WebSocket socket, Func<WebSocketReceiveResult, byte[], Task> handle)
            {
                var buffer = new byte[4096];
                while (socket.State == WebSocketState.Open)
                {
                    var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                    await handle(result, buffer);
                }
            }

            public Task Serve(WebSocket socket) => Receive(socket, async (result, buffer) =>
            {
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return;
                }

                Console.WriteLine(result.Count);
            });
        }
        """);
    [Fact]
    public Task Does_not_crash_on_a_local_function_receiving_inside_a_block_after_a_using_declaration() => VerifyCS.SilentAsync("""
        public static class R
        {
            public static async Task Handle(WebSocket ws, bool b)
            {
                using var x = new System.IO.MemoryStream();
                if (b)
                {
                    async Task<int> receive(WebSocket socket)
                    {
                        var r = await socket.ReceiveAsync(new ArraySegment<byte>(new byte[16]), CancellationToken.None);
                        return r.Count;
                    }

                    await receive(ws);
                }
            }
        }
        """);

    [Theory]
    [InlineData(".Result")]
    [InlineData(".GetAwaiter().GetResult()")]
    public Task Silent_when_a_synchronously_read_result_is_checked_for_text_then_close(string read) => VerifyCS.SilentAsync($$"""
        static class SyncReader
        {
            public static string ReadOne(WebSocket socket, byte[] buffer)
            {
                while (true)
                {
                    var result = socket.ReceiveAsync(new ArraySegment<byte>(buffer), default){{read}};
                    if (result.MessageType == WebSocketMessageType.Text)
                        return Encoding.UTF8.GetString(buffer, 0, result.Count);
                    if (result.MessageType == WebSocketMessageType.Close)
                        return null;
                }
            }
        }
        """);

    [Theory]
    [InlineData(".Result")]
    [InlineData(".GetAwaiter().GetResult()")]
    public Task Flags_a_synchronously_read_result_that_is_never_checked(string read) => VerifyCS.DiagnosticsAsync($$"""
        static class SyncReader
        {
            public static void ReadAll(WebSocket socket, byte[] buffer)
            {
                while (true)
                {
                    var result = {|WS1001:socket.ReceiveAsync(new ArraySegment<byte>(buffer), default)|}{{read}};
                    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }
            }
        }
        """);

    private static string LoopHandingEachResultTo(string handler) => $$"""
        class Client
        {
            async Task Run(WebSocket socket, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await [|socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct)|];
                    Handle(result, buffer);
                }
            }

            void Handle(WebSocketReceiveResult result, byte[] buffer)
            {
                {{handler}}
            }
        }
        """;

    [Theory]
    [InlineData("switch (result.MessageType)\n        {\n            case WebSocketMessageType.Text:\n                Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));\n                break;\n            case WebSocketMessageType.Binary:\n                Console.WriteLine(result.Count);\n                break;\n        }")]
    [InlineData("if (result.MessageType == WebSocketMessageType.Text) Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));")]
    public Task Flags_a_loop_whose_helper_only_picks_text_or_binary(string handler)
        => VerifyCS.DiagnosticsAsync(LoopHandingEachResultTo(handler));

    [Theory]
    [InlineData("if (result.MessageType == WebSocketMessageType.Close) throw new OperationCanceledException();\n        Console.WriteLine(result.Count);")]
    [InlineData("if (result.CloseStatus.HasValue) throw new OperationCanceledException();\n        Console.WriteLine(result.Count);")]
    public Task Silent_when_the_helper_tells_the_close_apart(string handler)
        => VerifyCS.SilentAsync(LoopHandingEachResultTo(handler).Replace("[|", string.Empty).Replace("|]", string.Empty));

    [Fact]
    public Task Reports_a_message_read_in_pieces_once_and_tells_the_close_apart_after_its_last_piece() => VerifyFix.FixAsync("""
        class Client
        {
            async Task Print(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await {|WS1001:ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct)|};
                    var count = result.Count;
                    while (!result.EndOfMessage)
                    {
                        if (count == buffer.Length)
                        {
                            Array.Resize(ref buffer, buffer.Length * 2);
                        }

                        result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer, count, buffer.Length - count), ct);
                        count += result.Count;
                    }

                    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, count));
                }
            }
        }
        """, """
        class Client
        {
            async Task Print(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    var count = result.Count;
                    while (!result.EndOfMessage)
                    {
                        if (count == buffer.Length)
                        {
                            Array.Resize(ref buffer, buffer.Length * 2);
                        }

                        result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer, count, buffer.Length - count), ct);
                        count += result.Count;
                    }

                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        if (ws.State == WebSocketState.CloseReceived)
                        {
                            await ws.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, ct);
                        }

                        break;
                    }

                    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, count));
                }
            }
        }
        """);

    [Fact]
    public Task Silent_on_a_do_loop_whose_condition_tells_the_close_after_comparing_the_text() => VerifyCS.DiagnosticsAsync("""
        class Runner
        {
            // The Close's payload decodes to "": the comparison is false, and the loop's condition then sees the Close.
            async Task Serve(WebSocket socket)
            {
                var buffer = new byte[4096];
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                    var command = Encoding.UTF8.GetString(buffer, 0, result.Count);
                    if (command == "start")
                    {
                        await Start(socket);
                    }
                }
                while (!result.CloseStatus.HasValue);

                await socket.CloseAsync(result.CloseStatus.Value, result.CloseStatusDescription, CancellationToken.None);
            }

            Task Start(WebSocket socket) => socket.SendAsync(new byte[] { 1 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        }
        """);

    [Fact]
    public Task Flags_a_loop_that_compares_the_text_and_receives_again() => VerifyCS.DiagnosticsAsync("""
        class Runner
        {
            async Task Serve(WebSocket socket, Action<string> handle)
            {
                var buffer = new byte[4096];
                while (true)
                {
                    var result = await {|WS1001:socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None)|};
                    var command = Encoding.UTF8.GetString(buffer, 0, result.Count);
                    if (command == "ping")
                    {
                        continue;
                    }

                    handle(command);
                }
            }
        }
        """);

    [Fact]
    public Task Flags_a_loop_that_parses_the_close_as_json_before_its_condition_looks() => VerifyCS.DiagnosticsAsync("""
        using System.Text.Json;

        record Note(string Text);

        class Notes
        {
            // System.Text.Json throws on the Close's empty payload, so the loop's CloseStatus condition is never reached.
            async Task Serve(WebSocket socket, Action<Note?> store)
            {
                var buffer = new byte[4096];
                var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                while (!result.CloseStatus.HasValue)
                {
                    result = await {|WS1001:socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None)|};
                    var json = Encoding.UTF8.GetString(buffer, 0, result.Count);
                    store(JsonSerializer.Deserialize<Note>(json));
                }

                await socket.CloseAsync(result.CloseStatus.Value, result.CloseStatusDescription, CancellationToken.None);
            }
        }
        """);
}
