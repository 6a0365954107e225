using Xunit;
using VerifyCS = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.FragmentsTreatedAsMessagesAnalyzer>;
using VerifyFix = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.FragmentsTreatedAsMessagesAnalyzer, WsAnalyzers.CodeFixes.AssembleMessageFix>;

namespace WsAnalyzers.Tests.Rules;

public class WS1005Tests
{
    [Fact]
    public Task Flags_getstring_of_one_piece_in_a_receive_loop() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            async Task Loop(ClientWebSocket ws, Action<string> onMessage, CancellationToken ct)
            {
                var buffer = new byte[4096];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                        return;
                    }

                    var text = {|WS1005:Encoding.UTF8.GetString(buffer, 0, result.Count)|};
                    onMessage(text);
                }
            }
        }
        """);

    [Fact]
    public Task Flags_deserializing_one_piece_received_into_memory_on_the_server() => VerifyCS.DiagnosticsAsync("""
        using System.Text.Json;

        record Command(string Name);

        class Server
        {
            async Task<Command?> Next(Microsoft.AspNetCore.Http.HttpContext context, WebSocket ws)
            {
                var buffer = new byte[1024];
                var result = await ws.ReceiveAsync(buffer.AsMemory(), context.RequestAborted);
                return {|WS1005:JsonSerializer.Deserialize<Command>(buffer.AsSpan(0, result.Count))|};
            }
        }
        """);

    [Fact]
    public Task Flags_parsing_one_piece_as_a_json_document() => VerifyCS.DiagnosticsAsync("""
        using System.Text.Json;

        class Client
        {
            async Task<JsonDocument> Next(WebSocket ws, CancellationToken ct)
            {
                var segment = new ArraySegment<byte>(new byte[1024]);
                var result = await ws.ReceiveAsync(segment, ct);
                return {|WS1005:JsonDocument.Parse(segment.AsMemory(0, result.Count))|};
            }
        }
        """);

    [Fact]
    public Task Flags_any_serializer_deserializing_one_piece() => VerifyCS.DiagnosticsAsync("""
        static class Packets
        {
            public static T Deserialize<T>(ReadOnlyMemory<byte> bytes) => default!;
        }

        class Client
        {
            async Task<int> Next(ClientWebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[512];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                return {|WS1005:Packets.Deserialize<int>(buffer.AsMemory(0, result.Count))|};
            }
        }
        """);

    [Fact]
    public Task Silent_for_a_decoder_reading_other_bytes() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task<string> Next(ClientWebSocket ws, byte[] greeting, CancellationToken ct)
            {
                var buffer = new byte[512];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                return Encoding.UTF8.GetString(greeting) + result.Count;
            }
        }
        """);

    [Fact]
    public Task Flags_printing_each_piece_as_a_line() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            async Task Print(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[256];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                Console.WriteLine({|WS1005:Encoding.UTF8.GetString(buffer, 0, result.Count)|});
                Console.WriteLine("Received: " + {|WS1005:Encoding.UTF8.GetString(buffer, 0, result.Count)|});
            }
        }
        """);

    [Fact]
    public Task Silent_when_pieces_are_accumulated_until_end_of_message_for_both_overloads() => VerifyCS.SilentAsync("""
        class Reader
        {
            async Task<string> Segment(ClientWebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                using var stream = new System.IO.MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    stream.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);

                return Encoding.UTF8.GetString(stream.ToArray());
            }

            async Task<string> Memory(Microsoft.AspNetCore.Http.HttpContext context, WebSocket ws)
            {
                var buffer = new byte[1024];
                var text = new StringBuilder();
                while (true)
                {
                    var result = await ws.ReceiveAsync(buffer.AsMemory(), context.RequestAborted);
                    text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
                    if (result.EndOfMessage)
                    {
                        return text.ToString();
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_decoded_pieces_are_concatenated() => VerifyCS.SilentAsync("""
        class Client
        {
            string _text = "";

            async Task Next(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[256];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                _text = _text + Encoding.UTF8.GetString(buffer, 0, result.Count);
            }
        }
        """);

    [Fact]
    public Task Silent_when_echoing_with_end_of_message_passed_on() => VerifyCS.SilentAsync("""
        class Server
        {
            async Task Echo(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[4096];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                while (!result.CloseStatus.HasValue)
                {
                    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
                    await ws.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, ct);
                    result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_partial_messages_are_rejected() => VerifyCS.SilentAsync("""
        class Server
        {
            async Task<string?> Next(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[4096];
                var result = await ws.ReceiveAsync(buffer.AsMemory(), ct);
                if (!result.EndOfMessage)
                {
                    await ws.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "too big", ct);
                    return null;
                }

                return Encoding.UTF8.GetString(buffer, 0, result.Count);
            }
        }
        """);

    [Fact]
    public Task Silent_when_streaming_into_a_pipe() => VerifyCS.SilentAsync("""
        class Server
        {
            async Task Pump(WebSocket ws, System.IO.Pipelines.PipeWriter writer, CancellationToken ct)
            {
                while (true)
                {
                    var memory = writer.GetMemory(4096);
                    var result = await ws.ReceiveAsync(memory, ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }

                    writer.Advance(result.Count);
                    await writer.FlushAsync(ct);
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_result_goes_to_a_helper() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task Next(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                Handle(result, Encoding.UTF8.GetString(buffer, 0, result.Count));
            }

            void Handle(WebSocketReceiveResult result, string piece) { }
        }
        """);

    [Fact]
    public Task Silent_when_received_at_an_offset() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task<string> Next(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[8192];
                var count = 0;
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer, count, buffer.Length - count), ct);
                count += result.Count;
                return Encoding.UTF8.GetString(buffer, 0, count);
            }
        }
        """);
    [Fact]
    public Task Flags_raising_an_event_with_one_piece() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            public event Action<ArraySegment<byte>>? MessageReceived;

            async Task Run(WebSocket socket, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                        return;
                    }

                    MessageReceived?{|WS1005:.Invoke(new ArraySegment<byte>(buffer, 0, result.Count))|};
                }
            }
        }
        """);

    [Fact]
    public Task Flags_a_callback_and_a_channel_given_one_piece() => VerifyCS.DiagnosticsAsync("""
        class Server
        {
            async Task Run(WebSocket socket, Func<ReadOnlyMemory<byte>, Task> onMessage, System.Threading.Channels.ChannelWriter<byte[]> inbox, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await socket.ReceiveAsync(buffer.AsMemory(), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                        return;
                    }

                    await {|WS1005:onMessage(buffer.AsMemory(0, result.Count))|};
                    {|WS1005:inbox.TryWrite(buffer[..result.Count])|};
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_event_gets_the_end_of_message_flag() => VerifyCS.SilentAsync("""
        class Client
        {
            public event Action<ArraySegment<byte>, bool>? FragmentReceived;

            async Task Run(WebSocket socket, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                        return;
                    }

                    FragmentReceived?.Invoke(new ArraySegment<byte>(buffer, 0, result.Count), result.EndOfMessage);
                }
            }
        }
        """);

    [Fact]
    public Task Flags_an_endpoint_lambda_although_another_function_of_the_same_body_reads_EndOfMessage() => VerifyCS.DiagnosticsAsync("""
        class Endpoints
        {
            static void Map(string path, Func<WebSocket, Task> handler) { }

            void Register()
            {
                Map("/chat", async ws =>
                {
                    var buffer = new byte[1024];
                    while (true)
                    {
                        var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                        if (result.MessageType == WebSocketMessageType.Close)
                        {
                            await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                            return;
                        }

                        Console.WriteLine({|WS1005:Encoding.UTF8.GetString(buffer, 0, result.Count)|});
                    }
                });

                static bool Done(WebSocketReceiveResult r) => r.EndOfMessage;
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_receiving_lambda_itself_reads_EndOfMessage() => VerifyCS.SilentAsync("""
        class Endpoints
        {
            static void Map(string path, Func<WebSocket, Task> handler) { }

            void Register()
            {
                Map("/chat", async ws =>
                {
                    var buffer = new byte[1024];
                    var text = new StringBuilder();
                    while (true)
                    {
                        var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                        if (result.MessageType == WebSocketMessageType.Close)
                        {
                            await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                            return;
                        }

                        if (!result.EndOfMessage)
                        {
                            continue;
                        }

                        Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
                    }
                });
            }
        }
        """);

    [Fact]
    public Task Reports_a_decoded_piece_handed_to_an_event_once_at_the_decode() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            public event Action<string>? OnMessage;

            async Task Run(WebSocket socket, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                        return;
                    }

                    OnMessage?.Invoke({|WS1005:Encoding.UTF8.GetString(buffer, 0, result.Count)|});
                }
            }
        }
        """);

    [Fact]
    public Task Flags_a_segment_over_the_whole_buffer_spelled_with_offset_zero_and_length() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            async Task<string> Next(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer, 0, buffer.Length), ct);
                var memory = new byte[1024];
                var other = await ws.ReceiveAsync(memory.AsMemory(0, memory.Length), ct);
                return {|WS1005:Encoding.UTF8.GetString(buffer, 0, result.Count)|} + {|WS1005:Encoding.UTF8.GetString(memory, 0, other.Count)|};
            }
        }
        """);

    [Fact]
    public Task Flags_buffers_held_in_a_field_or_an_auto_property() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            private readonly byte[] _buffer = new byte[4096];

            private byte[] Scratch { get; } = new byte[4096];

            async Task<string> Next(WebSocket ws, CancellationToken ct)
            {
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(_buffer), ct);
                return {|WS1005:Encoding.UTF8.GetString(_buffer, 0, result.Count)|};
            }

            async Task<string> Other(WebSocket ws, CancellationToken ct)
            {
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(Scratch), ct);
                return {|WS1005:Encoding.UTF8.GetString(Scratch, 0, result.Count)|};
            }
        }
        """);

    [Fact]
    public Task Flags_a_buffer_allocated_anew_before_each_receive() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            async Task Loop(WebSocket ws, Action<string> onMessage, CancellationToken ct)
            {
                byte[] buffer;
                while (ws.State == WebSocketState.Open)
                {
                    buffer = new byte[8192];
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                        return;
                    }

                    onMessage({|WS1005:Encoding.UTF8.GetString(buffer, 0, result.Count)|});
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_buffer_is_reassigned_between_the_receive_and_the_decode() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task<string> Next(WebSocket ws, byte[] saved, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                buffer = saved;
                return Encoding.UTF8.GetString(buffer, 0, result.Count);
            }
        }
        """);

    [Fact]
    public Task Flags_pieces_parsed_while_end_of_message_is_only_echoed_or_logged() => VerifyCS.DiagnosticsAsync("""
        using System.Text.Json;

        record Command(string Name);

        class Server
        {
            async Task Proxy(WebSocket ws, WebSocket upstream, Action<Command?> dispatch, CancellationToken ct)
            {
                var buffer = new byte[4096];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                        return;
                    }

                    Console.WriteLine($"{result.Count} bytes, end: {result.EndOfMessage}");
                    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
                    dispatch({|WS1005:JsonSerializer.Deserialize<Command>(buffer.AsSpan(0, result.Count))|});
                    await upstream.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, ct);
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_end_of_message_decides_something_besides_the_echo() => VerifyCS.SilentAsync("""
        class Server
        {
            async Task Proxy(WebSocket ws, WebSocket upstream, Action<string> dispatch, CancellationToken ct)
            {
                var buffer = new byte[4096];
                var text = "";
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    var piece = Encoding.UTF8.GetString(buffer, 0, result.Count);
                    await upstream.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, ct);
                    if (result.EndOfMessage)
                    {
                        dispatch(piece);
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Fix_receives_until_end_of_message_and_keeps_the_close_handling() => VerifyFix.FixAsync("""
        class Server
        {
            async Task Chat(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[4096];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                        break;
                    }

                    var message = {|WS1005:Encoding.UTF8.GetString(buffer, 0, result.Count)|};
                    Console.WriteLine($"chat: {message} ({result.Count} bytes)");
                }
            }
        }
        """, """
        class Server
        {
            async Task Chat(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[4096];
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
                        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                        break;
                    }

                    var message = Encoding.UTF8.GetString(buffer, 0, count);
                    Console.WriteLine($"chat: {message} ({count} bytes)");
                }
            }
        }
        """);

    [Fact]
    public Task Fix_keeps_the_memory_overload_and_configure_await_and_picks_a_free_name() => VerifyFix.FixAsync("""
        using System.Text.Json;

        record Command(string Name);

        class Server
        {
            async Task<Command?> Next(WebSocket ws, CancellationToken ct)
            {
                var count = 0;
                var buffer = new byte[1024];
                var result = await ws.ReceiveAsync(buffer.AsMemory(), ct).ConfigureAwait(false);
                count++;
                return {|WS1005:JsonSerializer.Deserialize<Command>(buffer.AsSpan(0, result.Count))|};
            }
        }
        """, """
        using System.Text.Json;

        record Command(string Name);

        class Server
        {
            async Task<Command?> Next(WebSocket ws, CancellationToken ct)
            {
                var count = 0;
                var buffer = new byte[1024];
                var result = await ws.ReceiveAsync(buffer.AsMemory(), ct).ConfigureAwait(false);
                var received = result.Count;
                while (!result.EndOfMessage)
                {
                    if (received == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    result = await ws.ReceiveAsync(new Memory<byte>(buffer, received, buffer.Length - received), ct).ConfigureAwait(false);
                    received += result.Count;
                }

                count++;
                return JsonSerializer.Deserialize<Command>(buffer.AsSpan(0, received));
            }
        }
        """);

    [Fact]
    public Task Fix_with_the_result_assigned_to_a_local_declared_before_the_loop() => VerifyFix.FixAsync("""
        class Client
        {
            static async Task Run(ClientWebSocket socket)
            {
                var buffer = new byte[1024];
                WebSocketReceiveResult result;
                while (true)
                {
                    result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                        return;
                    }
                    Console.WriteLine({|WS1005:Encoding.UTF8.GetString(buffer, 0, result.Count)|});
                }
            }
        }
        """, """
        class Client
        {
            static async Task Run(ClientWebSocket socket)
            {
                var buffer = new byte[1024];
                WebSocketReceiveResult result;
                while (true)
                {
                    result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                    var count = result.Count;
                    while (!result.EndOfMessage)
                    {
                        if (count == buffer.Length)
                        {
                            Array.Resize(ref buffer, buffer.Length * 2);
                        }

                        result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, count, buffer.Length - count), CancellationToken.None);
                        count += result.Count;
                    }

                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                        return;
                    }
                    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, count));
                }
            }
        }
        """);

    [Fact]
    public Task Offers_no_fix_when_the_count_is_read_outside_the_receive_block() => VerifyFix.NoFixAsync("""
        class Client
        {
            async Task<string> Next(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[512];
                WebSocketReceiveResult result;
                {
                    result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                }

                return {|WS1005:Encoding.UTF8.GetString(buffer, 0, result.Count)|};
            }
        }
        """);

    [Fact]
    public Task Offers_no_fix_for_a_pooled_buffer_or_a_piece_decoded_whole() => VerifyFix.NoFixAsync("""
        class Client
        {
            async Task<string> Pooled(WebSocket ws, CancellationToken ct)
            {
                var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(512);
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                var text = {|WS1005:Encoding.UTF8.GetString(buffer, 0, result.Count)|};
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                return text;
            }

            async Task Whole(WebSocket ws, Action<byte[]> onMessage, CancellationToken ct)
            {
                var buffer = new byte[512];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                {|WS1005:onMessage(buffer)|};
            }
        }
        """);

    [Fact]
    public Task Fix_all_assembles_two_loops_of_a_file_and_both_documents() => VerifyFix.FixAllAsync(new[]
    {
        ("""
        class A
        {
            async Task First(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[256];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                        return;
                    }

                    Console.WriteLine({|WS1005:Encoding.UTF8.GetString(buffer, 0, result.Count)|});
                }
            }

            async Task Second(WebSocket ws, CancellationToken ct)
            {
                var bytes = new byte[256];
                while (true)
                {
                    var received = await ws.ReceiveAsync(bytes.AsMemory(), ct);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                        return;
                    }

                    Console.WriteLine({|WS1005:Encoding.UTF8.GetString(bytes, 0, received.Count)|});
                }
            }
        }
        """, """
        class A
        {
            async Task First(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[256];
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
                        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                        return;
                    }

                    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, count));
                }
            }

            async Task Second(WebSocket ws, CancellationToken ct)
            {
                var bytes = new byte[256];
                while (true)
                {
                    var received = await ws.ReceiveAsync(bytes.AsMemory(), ct);
                    var count = received.Count;
                    while (!received.EndOfMessage)
                    {
                        if (count == bytes.Length)
                        {
                            Array.Resize(ref bytes, bytes.Length * 2);
                        }

                        received = await ws.ReceiveAsync(new Memory<byte>(bytes, count, bytes.Length - count), ct);
                        count += received.Count;
                    }

                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                        return;
                    }

                    Console.WriteLine(Encoding.UTF8.GetString(bytes, 0, count));
                }
            }
        }
        """),
        ("""
        class B
        {
            async Task<string> Read(ClientWebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[64];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                return {|WS1005:Encoding.UTF8.GetString(buffer, 0, result.Count)|};
            }
        }
        """, """
        class B
        {
            async Task<string> Read(ClientWebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[64];
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

                return Encoding.UTF8.GetString(buffer, 0, count);
            }
        }
        """),
    });

    private const string PieceCopiedBeforeDecoding = """
        using System.Linq;

        class Client
        {
            async Task<string> ReceiveLineAsync(ClientWebSocket ws, CancellationToken ct)
            {
                var bytes = new byte[512];
                var segment = new ArraySegment<byte>(bytes);
                var result = await ws.ReceiveAsync(segment, ct);
                var piece = segment.Skip(segment.Offset).Take(result.Count).ToArray();
                return {|WS1005:Encoding.UTF8.GetString(piece)|};
            }
        }
        """;

    [Fact]
    public Task Flags_decoding_a_copy_of_one_piece() => VerifyCS.DiagnosticsAsync(PieceCopiedBeforeDecoding);

    [Fact]
    public Task No_fix_for_a_copy_of_one_piece() => VerifyFix.NoFixAsync(PieceCopiedBeforeDecoding);

    [Fact]
    public Task Flags_decoding_a_range_of_one_piece() => VerifyCS.DiagnosticsAsync("""
        class Server
        {
            async Task Loop(WebSocket ws, Action<string> handle)
            {
                var buffer = new byte[4096];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                    if (result.CloseStatus is not null)
                    {
                        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                        return;
                    }

                    var received = buffer[..result.Count];
                    handle({|WS1005:Encoding.UTF8.GetString(received)|});
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_copies_of_the_pieces_are_collected() => VerifyCS.DiagnosticsAsync("""
        class Server
        {
            async Task<string> ReceiveAll(WebSocket ws)
            {
                var buffer = new byte[4096];
                using var message = new System.IO.MemoryStream();
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                    var piece = buffer.AsSpan(0, result.Count).ToArray();
                    message.Write(piece, 0, piece.Length);
                    if (result.EndOfMessage)
                    {
                        return Encoding.UTF8.GetString(message.ToArray());
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Flags_each_piece_handed_to_a_method_that_decodes_it_as_a_message() => VerifyCS.DiagnosticsAsync("""
        class Server
        {
            private readonly WebSocket _ws;

            public Server(WebSocket ws) => _ws = ws;

            public async Task Echo()
            {
                var buffer = new byte[4096];
                var result = await _ws.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                while (!result.CloseStatus.HasValue)
                {
                    {|WS1005:Print(buffer)|};
                    result = await _ws.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                }

                await _ws.CloseAsync(result.CloseStatus.Value, result.CloseStatusDescription, CancellationToken.None);
            }

            private static void Print(byte[] data) => Console.WriteLine(Encoding.UTF8.GetString(data).TrimEnd('\0'));
        }
        """);

    [Fact]
    public Task Silent_when_the_method_given_the_piece_collects_it_or_the_loop_assembles() => VerifyCS.SilentAsync("""
        class Server
        {
            private readonly StringBuilder _text = new();

            public async Task Echo(WebSocket ws)
            {
                var buffer = new byte[4096];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                while (!result.CloseStatus.HasValue)
                {
                    Collect(buffer);
                    if (result.EndOfMessage)
                    {
                        Print(buffer);
                    }

                    result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                }

                await ws.CloseAsync(result.CloseStatus.Value, result.CloseStatusDescription, CancellationToken.None);
            }

            private void Collect(byte[] data) => _text.Append(Encoding.UTF8.GetString(data));

            private static void Print(byte[] data) => Console.WriteLine(Encoding.UTF8.GetString(data));
        }
        """);

    private static string NullCheckedResult(string decode, string check) => $$"""
        class Handler
        {
            public static void Dispatch(string data) => Console.WriteLine(data);

            public static void Keep(WebSocketReceiveResult? result) => Console.WriteLine(result);

            private async Task Handle(WebSocket ws)
            {
                WebSocketReceiveResult? result = null;
                do
                {
                    var buffer = new byte[1024];
                    result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Text)
                    {
                        var text = {{decode}};
                        Dispatch(text);
                    }

                    {{check}}
                }
                while (!result.CloseStatus.HasValue);
            }
        }
        """;

    /// <summary>A null test on the result (`if (result == null) break;`) is a test, not a hand-over of the result.</summary>
    [Theory]
    [InlineData("if (result == null) break;")]
    [InlineData("if (result is null) break;")]
    public Task Flags_a_piece_decoded_in_a_loop_that_tests_its_result_for_null(string check)
        => VerifyCS.DiagnosticsAsync(NullCheckedResult("{|WS1005:Encoding.UTF8.GetString(buffer, 0, result.Count)|}", check));

    [Fact]
    public Task Silent_when_the_result_is_handed_on()
        => VerifyCS.SilentAsync(NullCheckedResult("Encoding.UTF8.GetString(buffer, 0, result.Count)", "Keep(result);"));

    private static string Relay(string send) => $$"""
        static class Relay
        {
            static readonly System.Collections.Generic.List<WebSocket> Peers = new();

            static async Task Pump(WebSocket socket)
            {
                var buffer = new ArraySegment<byte>(new byte[65535]);
                while (true)
                {
                    var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                        return;
                    }

                    var piece = new ArraySegment<byte>(buffer.Array!, buffer.Offset, result.Count);
                    foreach (var peer in Peers)
                    {
                        await {{send}};
                    }
                }
            }
        }
        """;

    private const string WholeRelay = "{|WS1005:peer.SendAsync(piece, result.MessageType, true, CancellationToken.None)|}";

    [Fact]
    public Task Flags_a_relay_that_sends_each_piece_as_a_whole_message() => VerifyCS.DiagnosticsAsync(Relay(WholeRelay));

    [Fact]
    public Task Silent_when_the_relay_passes_end_of_message_on() => VerifyCS.SilentAsync(
        Relay("peer.SendAsync(piece, result.MessageType, result.EndOfMessage, CancellationToken.None)"));

    [Fact]
    public Task No_fix_for_a_relay() => VerifyFix.NoFixAsync(Relay(WholeRelay));

    [Fact]
    public Task Silent_when_the_decoded_piece_is_never_read() => VerifyCS.SilentAsync("""
        static class Client
        {
            static async Task Drain(WebSocket socket)
            {
                var buffer = new byte[4096];
                while (socket.State == WebSocketState.Open)
                {
                    var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                        break;
                    }

                    string message = Encoding.UTF8.GetString(buffer, 0, result.Count);
                }
            }
        }
        """);
}
