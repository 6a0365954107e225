using Xunit;
using VerifyCS = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.ReceivedCountIgnoredAnalyzer>;
using VerifyFix = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.ReceivedCountIgnoredAnalyzer, WsAnalyzers.CodeFixes.SliceByReceivedCountFix>;

namespace WsAnalyzers.Tests.Rules;

public class WS1006Tests
{
    [Fact]
    public Task Flags_getstring_of_whole_buffer_and_slices_by_count() => VerifyFix.FixAsync("""
        class Client
        {
            async Task<string> Read(ClientWebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                return Encoding.UTF8.GetString({|WS1006:buffer|});
            }
        }
        """, """
        class Client
        {
            async Task<string> Read(ClientWebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                return Encoding.UTF8.GetString(buffer, 0, result.Count);
            }
        }
        """);

    [Fact]
    public Task Flags_getstring_of_segment_array_and_uses_its_offset() => VerifyFix.FixAsync("""
        class Server
        {
            async Task<string> Read(WebSocket ws, CancellationToken ct)
            {
                var segment = new ArraySegment<byte>(new byte[4096]);
                WebSocketReceiveResult result = await ws.ReceiveAsync(segment, ct).ConfigureAwait(false);
                return Encoding.UTF8.GetString({|WS1006:segment.Array|}!);
            }
        }
        """, """
        class Server
        {
            async Task<string> Read(WebSocket ws, CancellationToken ct)
            {
                var segment = new ArraySegment<byte>(new byte[4096]);
                WebSocketReceiveResult result = await ws.ReceiveAsync(segment, ct).ConfigureAwait(false);
                return Encoding.UTF8.GetString(segment.Array!, segment.Offset, result.Count);
            }
        }
        """);

    [Fact]
    public Task Flags_the_segments_own_count_and_slices_by_the_received_one() => VerifyFix.FixAsync("""
        class Server
        {
            async Task<string> Read(WebSocket ws, CancellationToken ct)
            {
                var buffer = new ArraySegment<byte>(new byte[4096]);
                var received = await ws.ReceiveAsync(buffer, ct);
                return Encoding.UTF8.GetString(buffer.Array!, buffer.Offset, {|WS1006:buffer.Count|});
            }
        }
        """, """
        class Server
        {
            async Task<string> Read(WebSocket ws, CancellationToken ct)
            {
                var buffer = new ArraySegment<byte>(new byte[4096]);
                var received = await ws.ReceiveAsync(buffer, ct);
                return Encoding.UTF8.GetString(buffer.Array!, buffer.Offset, received.Count);
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_segment_is_sliced_to_the_received_count_first() => VerifyCS.SilentAsync("""
        class Server
        {
            async Task<string> Read(WebSocket ws, CancellationToken ct)
            {
                var buffer = new ArraySegment<byte>(new byte[4096]);
                var received = await ws.ReceiveAsync(buffer, ct);
                var piece = new ArraySegment<byte>(buffer.Array!, buffer.Offset, received.Count);
                return Encoding.UTF8.GetString(piece.Array!, piece.Offset, piece.Count);
            }
        }
        """);

    [Fact]
    public Task Flags_buffer_length_spelled_out() => VerifyFix.FixAsync("""
        class Client
        {
            async Task<string> Read(WebSocket ws, byte[] buffer, CancellationToken ct)
            {
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                return Encoding.UTF8.GetString(buffer, 0, {|WS1006:buffer.Length|});
            }
        }
        """, """
        class Client
        {
            async Task<string> Read(WebSocket ws, byte[] buffer, CancellationToken ct)
            {
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                return Encoding.UTF8.GetString(buffer, 0, result.Count);
            }
        }
        """);

    [Fact]
    public Task Flags_to_array_of_whole_buffer_and_slices_as_span() => VerifyFix.FixAsync("""
        using System.Linq;

        class Client
        {
            async Task<byte[]> Read(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var result = await ws.ReceiveAsync(buffer, ct);
                return {|WS1006:buffer|}.ToArray();
            }
        }
        """, """
        using System.Linq;

        class Client
        {
            async Task<byte[]> Read(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var result = await ws.ReceiveAsync(buffer, ct);
                return buffer.AsSpan(0, result.Count).ToArray();
            }
        }
        """);

    [Fact]
    public Task Flags_memory_span_and_slices_it() => VerifyFix.FixAsync("""
        class Client
        {
            async Task<string> Read(ClientWebSocket ws, CancellationToken ct)
            {
                Memory<byte> memory = new byte[1024];
                var result = await ws.ReceiveAsync(memory, ct);
                return Encoding.UTF8.GetString({|WS1006:memory.Span|});
            }
        }
        """, """
        class Client
        {
            async Task<string> Read(ClientWebSocket ws, CancellationToken ct)
            {
                Memory<byte> memory = new byte[1024];
                var result = await ws.ReceiveAsync(memory, ct);
                return Encoding.UTF8.GetString(memory.Span.Slice(0, result.Count));
            }
        }
        """);

    [Fact]
    public Task Flags_deserializing_the_whole_array() => VerifyFix.FixAsync("""
        using System.Text.Json;

        record Message(string Text);

        class Server
        {
            async Task<Message?> Read(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[4096];
                var result = await ws.ReceiveAsync(buffer.AsMemory(), ct);
                return JsonSerializer.Deserialize<Message>({|WS1006:buffer|});
            }
        }
        """, """
        using System.Text.Json;

        record Message(string Text);

        class Server
        {
            async Task<Message?> Read(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[4096];
                var result = await ws.ReceiveAsync(buffer.AsMemory(), ct);
                return JsonSerializer.Deserialize<Message>(buffer.AsSpan(0, result.Count));
            }
        }
        """);

    [Fact]
    public Task Flags_json_reader_and_document_over_whole_buffers() => VerifyFix.FixAsync("""
        using System.Text.Json;

        class Client
        {
            async Task Read(WebSocket ws, CancellationToken ct)
            {
                var segment = new ArraySegment<byte>(new byte[4096]);
                var result = await ws.ReceiveAsync(segment, ct);
                var depth = Depth(new Utf8JsonReader({|WS1006:segment.Array|}));
                using var document = JsonDocument.Parse({|WS1006:segment.AsMemory()|});
            }

            static int Depth(Utf8JsonReader reader) => reader.CurrentDepth;
        }
        """, """
        using System.Text.Json;

        class Client
        {
            async Task Read(WebSocket ws, CancellationToken ct)
            {
                var segment = new ArraySegment<byte>(new byte[4096]);
                var result = await ws.ReceiveAsync(segment, ct);
                var depth = Depth(new Utf8JsonReader(segment.Slice(0, result.Count)));
                using var document = JsonDocument.Parse(segment.AsMemory(0, result.Count));
            }

            static int Depth(Utf8JsonReader reader) => reader.CurrentDepth;
        }
        """);

    [Fact]
    public Task Flags_echoing_the_whole_segment() => VerifyFix.FixAsync("""
        class Server
        {
            async Task Echo(Microsoft.AspNetCore.Http.HttpContext context)
            {
                using var ws = await context.WebSockets.AcceptWebSocketAsync();
                var segment = new ArraySegment<byte>(new byte[4096]);
                var result = await ws.ReceiveAsync(segment, context.RequestAborted);
                await ws.SendAsync({|WS1006:segment|}, result.MessageType, result.EndOfMessage, context.RequestAborted);
            }
        }
        """, """
        class Server
        {
            async Task Echo(Microsoft.AspNetCore.Http.HttpContext context)
            {
                using var ws = await context.WebSockets.AcceptWebSocketAsync();
                var segment = new ArraySegment<byte>(new byte[4096]);
                var result = await ws.ReceiveAsync(segment, context.RequestAborted);
                await ws.SendAsync(segment.Slice(0, result.Count), result.MessageType, result.EndOfMessage, context.RequestAborted);
            }
        }
        """);

    [Fact]
    public Task Flags_echoing_the_whole_memory() => VerifyFix.FixAsync("""
        class Client
        {
            async Task Echo(ClientWebSocket ws, CancellationToken ct)
            {
                var memory = new Memory<byte>(new byte[4096]);
                var result = await ws.ReceiveAsync(memory, ct);
                await ws.SendAsync({|WS1006:memory|}, result.MessageType, result.EndOfMessage, ct);
            }
        }
        """, """
        class Client
        {
            async Task Echo(ClientWebSocket ws, CancellationToken ct)
            {
                var memory = new Memory<byte>(new byte[4096]);
                var result = await ws.ReceiveAsync(memory, ct);
                await ws.SendAsync(memory.Slice(0, result.Count), result.MessageType, result.EndOfMessage, ct);
            }
        }
        """);

    [Fact]
    public Task Flags_echoing_a_new_segment_over_the_whole_buffer() => VerifyFix.FixAsync("""
        class Client
        {
            async Task Echo(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[4096];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                await ws.SendAsync({|WS1006:new ArraySegment<byte>(buffer)|}, result.MessageType, result.EndOfMessage, ct);
            }
        }
        """, """
        class Client
        {
            async Task Echo(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[4096];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                await ws.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, ct);
            }
        }
        """);

    [Fact]
    public Task Flags_in_a_receive_loop_using_the_loop_result() => VerifyFix.FixAsync("""
        class Client
        {
            readonly byte[] _buffer = new byte[4096];

            async Task Loop(WebSocket ws, Action<string> onText, CancellationToken ct)
            {
                while (ws.State == WebSocketState.Open)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(_buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                        return;
                    }

                    onText(Encoding.UTF8.GetString({|WS1006:_buffer|}));
                }
            }
        }
        """, """
        class Client
        {
            readonly byte[] _buffer = new byte[4096];

            async Task Loop(WebSocket ws, Action<string> onText, CancellationToken ct)
            {
                while (ws.State == WebSocketState.Open)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(_buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                        return;
                    }

                    onText(Encoding.UTF8.GetString(_buffer, 0, result.Count));
                }
            }
        }
        """);

    [Fact]
    public Task Flags_but_offers_no_fix_when_the_result_is_not_stored() => VerifyFix.NoFixAsync("""
        class Client
        {
            async Task<string> Read(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                return Encoding.UTF8.GetString({|WS1006:buffer|});
            }
        }
        """);

    [Fact]
    public Task Silent_when_sliced_by_count_for_both_overloads() => VerifyCS.SilentAsync("""
        using System.Text.Json;

        class Echo
        {
            async Task<string> Segment(ClientWebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                await ws.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, ct);
                return Encoding.UTF8.GetString(buffer, 0, result.Count);
            }

            async Task<JsonDocument> Memory(Microsoft.AspNetCore.Http.HttpContext context)
            {
                using var ws = await context.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[1024];
                var result = await ws.ReceiveAsync(buffer.AsMemory(), context.RequestAborted);
                await ws.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, context.RequestAborted);
                var text = Encoding.UTF8.GetString(buffer.AsSpan(0, result.Count));
                return JsonDocument.Parse(buffer.AsMemory(..result.Count));
            }
        }
        """);

    [Fact]
    public Task Silent_when_received_at_an_offset_until_the_buffer_is_full() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task<string> ReadExactly(WebSocket ws, int length, CancellationToken ct)
            {
                var buffer = new byte[length];
                var offset = 0;
                while (offset < length)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer, offset, length - offset), ct);
                    offset += result.Count;
                }

                return Encoding.UTF8.GetString(buffer);
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_buffer_is_replaced_by_the_received_bytes() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task<string> Read(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                Array.Resize(ref buffer, result.Count);
                return Encoding.UTF8.GetString(buffer);
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_accumulated_stream_is_decoded() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task<string> Read(ClientWebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                using var stream = new System.IO.MemoryStream();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await ws.ReceiveAsync(buffer.AsMemory(), ct);
                    stream.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);

                return Encoding.UTF8.GetString(stream.ToArray());
            }
        }
        """);

    [Fact]
    public Task Flags_a_decode_trimmed_of_nul_even_when_the_buffer_is_fresh() => VerifyFix.FixAsync("""
        class Client
        {
            async Task<string> Read(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                return Encoding.UTF8.GetString({|WS1006:buffer|}).TrimEnd('\0');
            }

            async Task Loop(WebSocket ws, Action<string> onText, CancellationToken ct)
            {
                while (ws.State == WebSocketState.Open)
                {
                    var buffer = new byte[1024];
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    onText(Encoding.UTF8.GetString({|WS1006:buffer|}).TrimEnd('\0'));
                }
            }
        }
        """, """
        class Client
        {
            async Task<string> Read(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                return Encoding.UTF8.GetString(buffer, 0, result.Count).TrimEnd('\0');
            }

            async Task Loop(WebSocket ws, Action<string> onText, CancellationToken ct)
            {
                while (ws.State == WebSocketState.Open)
                {
                    var buffer = new byte[1024];
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    onText(Encoding.UTF8.GetString(buffer, 0, result.Count).TrimEnd('\0'));
                }
            }
        }
        """);

    [Fact]
    public Task Flags_a_reused_buffer_even_when_trimmed_of_nul() => VerifyFix.FixAsync("""
        class Server
        {
            async Task Loop(WebSocket ws, Action<string> onText, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (ws.State == WebSocketState.Open)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    onText(Encoding.UTF8.GetString({|WS1006:buffer|}).TrimEnd('\0'));
                }
            }
        }
        """, """
        class Server
        {
            async Task Loop(WebSocket ws, Action<string> onText, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (ws.State == WebSocketState.Open)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    onText(Encoding.UTF8.GetString(buffer, 0, result.Count).TrimEnd('\0'));
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_buffer_is_used_before_the_receive() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task Run(WebSocket ws, CancellationToken ct)
            {
                var buffer = Encoding.UTF8.GetBytes("hello");
                await ws.SendAsync(new ArraySegment<byte>(buffer), WebSocketMessageType.Text, true, ct);
                var reply = new byte[1024];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(reply), ct);
            }
        }
        """);

    [Fact]
    public Task Flags_a_whole_buffer_received_through_a_segment_spelled_with_offset_zero_and_length() => VerifyFix.FixAsync("""
        class Client
        {
            async Task<string> Read(ClientWebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer, 0, buffer.Length), ct);
                return Encoding.UTF8.GetString({|WS1006:buffer|});
            }
        }
        """, """
        class Client
        {
            async Task<string> Read(ClientWebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer, 0, buffer.Length), ct);
                return Encoding.UTF8.GetString(buffer, 0, result.Count);
            }
        }
        """);

    [Fact]
    public Task Flags_a_field_buffer_and_one_allocated_anew_before_each_receive() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            private readonly byte[] _buffer = new byte[4096];

            async Task<string> Read(WebSocket ws, CancellationToken ct)
            {
                await ws.ReceiveAsync(new ArraySegment<byte>(_buffer), ct);
                return Encoding.UTF8.GetString({|WS1006:_buffer|});
            }

            async Task Loop(WebSocket ws, Action<string> onText, CancellationToken ct)
            {
                byte[] buffer = new byte[16];
                while (ws.State == WebSocketState.Open)
                {
                    buffer = new byte[1024];
                    await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    onText(Encoding.UTF8.GetString({|WS1006:buffer|}));
                }
            }
        }
        """);

    [Fact]
    public Task Flags_a_buffer_allocated_anew_before_each_receive_even_when_trimmed_of_nul() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            async Task Loop(WebSocket ws, Action<string> onText, CancellationToken ct)
            {
                byte[] buffer;
                while (ws.State == WebSocketState.Open)
                {
                    buffer = new byte[1024];
                    await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    onText(Encoding.UTF8.GetString({|WS1006:buffer|}).TrimEnd('\0'));
                }
            }
        }
        """);

    [Fact]
    public Task Flags_the_whole_buffer_handed_to_a_handler_or_returned_without_its_count() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            public event Action<byte[]>? DataReceived;

            async Task Loop(WebSocket ws, Action<ArraySegment<byte>> onData, CancellationToken ct)
            {
                var buffer = new byte[4096];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    DataReceived?.Invoke({|WS1006:buffer|});
                    onData({|WS1006:new ArraySegment<byte>(buffer)|});
                    Handle({|WS1006:buffer|});
                }
            }

            async Task<byte[]> ReceiveBytes(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[4096];
                await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                return {|WS1006:buffer|};
            }

            void Handle(byte[] data) { }
        }
        """);

    [Fact]
    public Task Silent_when_the_handler_or_the_caller_gets_the_count() => VerifyCS.SilentAsync("""
        class Client
        {
            async Task Loop(WebSocket ws, Action<byte[], int> onData, CancellationToken ct)
            {
                var buffer = new byte[4096];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                onData(buffer, result.Count);
                Handle(buffer, result);
                Array.Clear(buffer, 0, buffer.Length);
            }

            async Task<(byte[] Buffer, int Count)> ReceiveBytes(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[4096];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                return (buffer, result.Count);
            }

            async Task<byte[]> ReceiveExact(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[4096];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                Array.Resize(ref buffer, result.Count);
                return buffer;
            }

            void Handle(byte[] data, WebSocketReceiveResult result) { }
        }
        """);

    [Fact]
    public Task Fix_slices_the_bytes_a_handler_gets_and_copies_them_for_an_array_parameter() => VerifyFix.FixAsync("""
        class Client
        {
            async Task Loop(WebSocket ws, Action<ArraySegment<byte>> onData, CancellationToken ct)
            {
                var buffer = new byte[4096];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                onData({|WS1006:new ArraySegment<byte>(buffer)|});
                Handle({|WS1006:buffer|});
            }

            void Handle(byte[] data) { }
        }
        """, """
        class Client
        {
            async Task Loop(WebSocket ws, Action<ArraySegment<byte>> onData, CancellationToken ct)
            {
                var buffer = new byte[4096];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                onData(new ArraySegment<byte>(buffer, 0, result.Count));
                Handle(buffer.AsSpan(0, result.Count).ToArray());
            }

            void Handle(byte[] data) { }
        }
        """);

    [Fact]
    public Task Fix_all_slices_in_both_documents() => VerifyFix.FixAllAsync(new[]
    {
        ("""
        class A
        {
            async Task<string> Read(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                return Encoding.UTF8.GetString({|WS1006:buffer|});
            }
        }
        """, """
        class A
        {
            async Task<string> Read(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                return Encoding.UTF8.GetString(buffer, 0, result.Count);
            }
        }
        """),
        ("""
        class B
        {
            async Task Echo(WebSocket ws, CancellationToken ct)
            {
                var memory = new Memory<byte>(new byte[4096]);
                var result = await ws.ReceiveAsync(memory, ct);
                await ws.SendAsync({|WS1006:memory|}, result.MessageType, result.EndOfMessage, ct);
                Console.WriteLine(Encoding.UTF8.GetString({|WS1006:memory.Span|}));
            }
        }
        """, """
        class B
        {
            async Task Echo(WebSocket ws, CancellationToken ct)
            {
                var memory = new Memory<byte>(new byte[4096]);
                var result = await ws.ReceiveAsync(memory, ct);
                await ws.SendAsync(memory.Slice(0, result.Count), result.MessageType, result.EndOfMessage, ct);
                Console.WriteLine(Encoding.UTF8.GetString(memory.Span.Slice(0, result.Count)));
            }
        }
        """),
    });

    [Fact]
    public Task Flags_the_array_of_a_windowed_segment_and_a_local_made_the_whole_buffer() => VerifyCS.DiagnosticsAsync("""
        using System.Collections.Generic;
        using System.Linq;

        class Server
        {
            async Task<string> Key(WebSocket ws, CancellationToken ct)
            {
                var buf = new byte[4096];
                var segment = new ArraySegment<byte>(buf);
                var res = await ws.ReceiveAsync(segment, ct);
                return Encoding.UTF8.GetString({|WS1006:new ArraySegment<byte>(buf, 0, res.Count).Array|});
            }

            async Task Loop(WebSocket ws, List<ArraySegment<byte>> parts, CancellationToken ct)
            {
                var buffer = WebSocket.CreateClientBuffer(4096, 4096);
                while (ws.State == WebSocketState.Open)
                {
                    var result = await ws.ReceiveAsync(buffer, ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    byte[] data;
                    if (parts.Count > 0)
                    {
                        data = parts.SelectMany(p => p).ToArray();
                    }
                    else
                    {
                        data = buffer.Array!;
                    }

                    Process({|WS1006:data|});
                }
            }

            void Process(byte[] data) { }
        }
        """);

    [Fact]
    public Task Flags_the_whole_buffer_written_or_copied_into_an_accumulator() => VerifyFix.FixAsync("""
        using System.Collections.Generic;
        using System.IO;
        using System.Linq;

        class Client
        {
            async Task<byte[]> Read(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var stream = new MemoryStream();
                var bytes = new List<byte>();
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                stream.Write(buffer, 0, {|WS1006:buffer.Length|});
                await stream.WriteAsync({|WS1006:buffer|}, ct);
                bytes.AddRange({|WS1006:buffer|});
                var copy = new byte[2048];
                Array.Copy(buffer, copy, {|WS1006:buffer.Length|});
                return stream.ToArray();
            }
        }
        """, """
        using System.Collections.Generic;
        using System.IO;
        using System.Linq;

        class Client
        {
            async Task<byte[]> Read(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var stream = new MemoryStream();
                var bytes = new List<byte>();
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                stream.Write(buffer, 0, result.Count);
                await stream.WriteAsync(buffer.AsMemory(0, result.Count), ct);
                bytes.AddRange(buffer.AsSpan(0, result.Count));
                var copy = new byte[2048];
                Array.Copy(buffer, copy, result.Count);
                return stream.ToArray();
            }
        }
        """);

    [Fact]
    public Task Flags_a_whole_array_copied_to_an_accumulator_without_a_fix() => VerifyCS.DiagnosticsAsync("""
        class Client
        {
            async Task<string> Read(WebSocket ws, CancellationToken ct)
            {
                var temporary = new byte[8192];
                var all = new byte[8192 * 16];
                var offset = 0;
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(temporary), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return "";
                    }

                    {|WS1006:temporary|}.CopyTo(all, offset);
                    offset += result.Count;
                    if (result.EndOfMessage)
                    {
                        return Encoding.UTF8.GetString(all, 0, offset);
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_writes_and_copies_take_the_received_count() => VerifyCS.SilentAsync("""
        using System.Collections.Generic;
        using System.IO;
        using System.Linq;

        class Client
        {
            async Task<byte[]> Read(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var stream = new MemoryStream();
                var bytes = new List<byte>();
                var all = new byte[4096];
                WebSocketReceiveResult result;
                do
                {
                    result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    stream.Write(buffer, 0, result.Count);
                    await stream.WriteAsync(buffer.AsMemory(0, result.Count), ct);
                    bytes.AddRange(buffer.Take(result.Count));
                    Array.Copy(buffer, 0, all, 0, result.Count);
                    buffer.AsSpan(0, result.Count).CopyTo(all);
                }
                while (!result.EndOfMessage);

                return stream.ToArray();
            }
        }
        """);
}
