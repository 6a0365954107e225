using Xunit;
using VerifyCS = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.ReceiveLoopIgnoresCloseAnalyzer>;
using VerifyFix = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.ReceiveLoopIgnoresCloseAnalyzer, WsAnalyzers.CodeFixes.HandleCloseMessageFix>;

namespace WsAnalyzers.Tests.Rules;

/// <summary>
/// WS1001 on code that puts each message together from its pieces (a MemoryStream, a StringBuilder, a List of bytes)
/// until EndOfMessage and never looks at MessageType: a Close is the first frame of a message and has no payload, so
/// the message comes out empty, and a JSON parser given it throws (the loop never reaches its own State test).
/// </summary>
public class AccumulatedCloseTests
{
    [Fact]
    public Task Flags_a_helper_that_deserializes_what_a_memory_stream_collected() => VerifyCS.DiagnosticsAsync("""
        using System.Collections.Generic;
        using System.IO;
        using System.Text.Json;

        record Item(string Name);

        class Feed
        {
            private readonly ClientWebSocket _client = new ClientWebSocket();

            public async Task<List<Item>> ReceiveAsync()
            {
                var buffer = new ArraySegment<byte>(new byte[4096]);
                try
                {
                    while (_client.State == WebSocketState.Open)
                    {
                        WebSocketReceiveResult result;
                        using (var ms = new MemoryStream())
                        {
                            do
                            {
                                result = await {|WS1001:_client.ReceiveAsync(buffer, CancellationToken.None)|};
                                ms.Write(buffer.Array, buffer.Offset, result.Count);
                            } while (!result.EndOfMessage);

                            var message = Encoding.UTF8.GetString(ms.ToArray());
                            return JsonSerializer.Deserialize<List<Item>>(message) ?? new List<Item>();
                        }
                    }
                }
                catch (Exception ex)
                {
                    Console.WriteLine(ex.Message);
                }

                return new List<Item>();
            }
        }
        """);

    [Fact]
    public Task Flags_a_helper_that_collects_bytes_in_a_list() => VerifyCS.DiagnosticsAsync("""
        using System.Collections.Generic;
        using System.Text.Json;

        record Message(string Kind);

        class Connection
        {
            private readonly CancellationTokenSource _cancellation = new();

            public async Task Listen(WebSocket webSocket, Action<Message> handle)
            {
                while (webSocket.State == WebSocketState.Open)
                {
                    handle(await ReceiveMessage(webSocket));
                }
            }

            async Task<Message> ReceiveMessage(WebSocket webSocket)
            {
                var bytes = new List<byte>();
                var end = false;
                while (!end)
                {
                    var buffer = new byte[4096];
                    var received = await {|WS1001:webSocket.ReceiveAsync(buffer, _cancellation.Token)|};
                    bytes.AddRange(buffer[..received.Count]);
                    end = received.EndOfMessage;
                }

                return JsonSerializer.Deserialize<Message>(Encoding.UTF8.GetString(bytes.ToArray()))!;
            }
        }
        """);

    [Fact]
    public Task Flags_a_loop_that_parses_what_a_string_builder_collected() => VerifyCS.DiagnosticsAsync("""
        using System.Text.Json;

        class Plugin
        {
            private readonly ClientWebSocket _webSocket = new ClientWebSocket();
            private readonly CancellationTokenSource _cts = new();

            public string Last = "";

            private async Task ReceiveMessageAsync()
            {
                var buffer = new byte[1024 * 4];
                var messageBuilder = new StringBuilder();

                while (_webSocket.State == WebSocketState.Open)
                {
                    WebSocketReceiveResult result;
                    do
                    {
                        result = await {|WS1001:_webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), _cts.Token)|};
                        var messageChunk = Encoding.UTF8.GetString(buffer, 0, result.Count);
                        messageBuilder.Append(messageChunk);
                    }
                    while (!result.EndOfMessage);

                    var jsonDocument = JsonDocument.Parse(messageBuilder.ToString());
                    Last = jsonDocument.RootElement.ToString();
                    messageBuilder.Clear();
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_message_type_is_checked_after_the_pieces() => VerifyCS.SilentAsync("""
        using System.IO;
        using System.Text.Json;

        record Item(string Name);

        class Feed
        {
            public async Task Run(WebSocket socket, Action<Item?> handle, CancellationToken ct)
            {
                var buffer = new byte[4096];
                while (socket.State == WebSocketState.Open)
                {
                    using var ms = new MemoryStream();
                    WebSocketReceiveResult result;
                    do
                    {
                        result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                        ms.Write(buffer, 0, result.Count);
                    } while (!result.EndOfMessage);

                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                        break;
                    }

                    handle(JsonSerializer.Deserialize<Item>(ms.ToArray()));
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_empty_message_ends_the_loop() => VerifyCS.SilentAsync("""
        using System.Text.Json;

        class Plugin
        {
            public async Task Run(WebSocket socket, Action<JsonDocument> handle, CancellationToken ct)
            {
                var buffer = new byte[4096];
                var text = new StringBuilder();
                while (socket.State == WebSocketState.Open)
                {
                    WebSocketReceiveResult result;
                    do
                    {
                        result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                        text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
                    } while (!result.EndOfMessage);

                    if (text.Length == 0)
                    {
                        break;
                    }

                    handle(JsonDocument.Parse(text.ToString()));
                    text.Clear();
                }
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_accumulator_is_never_reset_between_messages() => VerifyCS.SilentAsync("""
        using System.Text.Json;

        class Stream
        {
            private int _seen;

            public async Task Run(WebSocket socket, CancellationToken ct)
            {
                var buffer = new byte[4096];
                var log = new StringBuilder();
                while (socket.State == WebSocketState.Open)
                {
                    WebSocketReceiveResult result;
                    do
                    {
                        result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                        log.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
                    } while (!result.EndOfMessage);

                    _seen = JsonDocument.Parse(log.ToString()).RootElement.GetArrayLength();
                }
            }
        }
        """);

    /// <summary>
    /// The fix answers the Close inside the message loop and leaves the helper with an exception: a <c>break</c> would
    /// hand the Close's empty message to the parser after the loop. Fix-all fixes both helpers.
    /// </summary>
    [Fact]
    public Task Fix_answers_the_close_and_throws_out_of_a_message_loop() => VerifyFix.FixAsync("""
        using System.Collections.Generic;
        using System.Text.Json;

        record Message(string Kind);

        class Connection
        {
            async Task<Message> ReceiveMessage(WebSocket webSocket, CancellationToken ct)
            {
                var bytes = new List<byte>();
                var end = false;
                while (!end)
                {
                    var buffer = new byte[4096];
                    var received = await {|WS1001:webSocket.ReceiveAsync(buffer, ct)|};
                    bytes.AddRange(buffer[..received.Count]);
                    end = received.EndOfMessage;
                }

                return JsonSerializer.Deserialize<Message>(Encoding.UTF8.GetString(bytes.ToArray()))!;
            }

            async Task<JsonDocument> ReceiveDocument(WebSocket webSocket, CancellationToken ct)
            {
                var buffer = new byte[4096];
                var text = new StringBuilder();
                WebSocketReceiveResult result;
                do
                {
                    result = await {|WS1001:webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), ct)|};
                    text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
                } while (!result.EndOfMessage);

                return JsonDocument.Parse(text.ToString());
            }
        }
        """, """
        using System.Collections.Generic;
        using System.Text.Json;

        record Message(string Kind);

        class Connection
        {
            async Task<Message> ReceiveMessage(WebSocket webSocket, CancellationToken ct)
            {
                var bytes = new List<byte>();
                var end = false;
                while (!end)
                {
                    var buffer = new byte[4096];
                    var received = await webSocket.ReceiveAsync(buffer, ct);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        if (webSocket.State == WebSocketState.CloseReceived)
                        {
                            await webSocket.CloseOutputAsync(received.CloseStatus ?? WebSocketCloseStatus.NormalClosure, received.CloseStatusDescription, ct);
                        }

                        throw new WebSocketException(WebSocketError.InvalidState, "The remote party closed the WebSocket connection.");
                    }

                    bytes.AddRange(buffer[..received.Count]);
                    end = received.EndOfMessage;
                }

                return JsonSerializer.Deserialize<Message>(Encoding.UTF8.GetString(bytes.ToArray()))!;
            }

            async Task<JsonDocument> ReceiveDocument(WebSocket webSocket, CancellationToken ct)
            {
                var buffer = new byte[4096];
                var text = new StringBuilder();
                WebSocketReceiveResult result;
                do
                {
                    result = await webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        if (webSocket.State == WebSocketState.CloseReceived)
                        {
                            await webSocket.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, ct);
                        }

                        throw new WebSocketException(WebSocketError.InvalidState, "The remote party closed the WebSocket connection.");
                    }

                    text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
                } while (!result.EndOfMessage);

                return JsonDocument.Parse(text.ToString());
            }
        }
        """);
}
