using Xunit;
using Verify1005 = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.FragmentsTreatedAsMessagesAnalyzer>;
using Verify1006 = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.ReceivedCountIgnoredAnalyzer>;
using Fix1005 = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.FragmentsTreatedAsMessagesAnalyzer, WsAnalyzers.CodeFixes.AssembleMessageFix>;
using Fix1006 = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.ReceivedCountIgnoredAnalyzer, WsAnalyzers.CodeFixes.SliceByReceivedCountFix>;

namespace WsAnalyzers.Tests.Rules;

/// <summary>
/// A handler given one received piece by the loop that receives it (a method, override or lambda with a receive result
/// and a buffer parameter): WS1005 and WS1006 follow the piece into it when every caller in sight hands over the buffer
/// it has just received into.
/// </summary>
public class HandedPieceTests
{
    // The shape of many servers: a base handler class, a middleware loop, and an override that decodes each piece.
    private const string Handlers = """
        static class Chat
        {
            public static void Broadcast(object text) { }
        }

        abstract class Handler
        {
            public abstract Task ReceiveAsync(WebSocket socket, WebSocketReceiveResult result, byte[] buffer);
        }

        class Middleware
        {
            private readonly Handler _handler;

            public Middleware(Handler handler) => _handler = handler;

            public async Task Run(WebSocket socket)
            {
                var buffer = new byte[4096];
                while (socket.State == WebSocketState.Open)
                {
                    var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                        return;
                    }

                    await _handler.ReceiveAsync(socket, result, buffer);
                }
            }
        }

        """;

    [Fact]
    public Task Flags_an_override_that_decodes_each_piece_as_a_message() => Verify1005.DiagnosticsAsync(Handlers + """
        class ChatHandler : Handler
        {
            public override Task ReceiveAsync(WebSocket socket, WebSocketReceiveResult result, byte[] buffer)
            {
                var text = {|WS1005:Encoding.UTF8.GetString(buffer, 0, result.Count)|};
                Chat.Broadcast(text.Length);
                return Task.CompletedTask;
            }
        }
        """);

    [Fact]
    public Task Flags_and_slices_an_override_that_decodes_the_whole_buffer() => Fix1006.FixAsync(Handlers + """
        class ChatHandler : Handler
        {
            public override Task ReceiveAsync(WebSocket socket, WebSocketReceiveResult result, byte[] buffer)
            {
                if (result.MessageType == WebSocketMessageType.Text)
                {
                    Chat.Broadcast(Encoding.UTF8.GetString({|WS1006:buffer|}));
                }

                return Task.CompletedTask;
            }
        }
        """, Handlers + """
        class ChatHandler : Handler
        {
            public override Task ReceiveAsync(WebSocket socket, WebSocketReceiveResult result, byte[] buffer)
            {
                if (result.MessageType == WebSocketMessageType.Text)
                {
                    Chat.Broadcast(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }

                return Task.CompletedTask;
            }
        }
        """);

    [Fact]
    public Task Flags_a_lambda_handed_each_piece_by_a_receive_helper() => Verify1005.DiagnosticsAsync("""
        using Microsoft.AspNetCore.Http;

        static class Chat
        {
            public static void Broadcast(object text) { }
        }

        class Server
        {
            public async Task Accept(HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                await Receive(ws, (result, buffer) =>
                {
                    if (result.MessageType == WebSocketMessageType.Text)
                    {
                        Chat.Broadcast({|WS1005:Encoding.UTF8.GetString(buffer, 0, result.Count)|});
                    }
                });
            }

            private async Task Receive(WebSocket socket, Action<WebSocketReceiveResult, byte[]> handleMessage)
            {
                var buffer = new byte[1024 * 4];
                while (socket.State == WebSocketState.Open)
                {
                    var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                    handleMessage(result, buffer);
                }
            }
        }
        """);

    [Fact]
    public Task Flags_a_piece_forwarded_through_a_dispatcher() => Verify1005.DiagnosticsAsync("""
        static class Chat
        {
            public static void Broadcast(object text) { }
        }

        class Session
        {
            private readonly WebSocket _ws;

            public Session(WebSocket ws) => _ws = ws;

            public async Task Run(CancellationToken ct)
            {
                var buffer = new byte[4096];
                var result = await _ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                while (!result.CloseStatus.HasValue)
                {
                    Dispatch(buffer, result);
                    result = await _ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                }

                await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
            }

            private void Dispatch(byte[] buffer, WebSocketReceiveResult result)
            {
                switch (result.MessageType)
                {
                    case WebSocketMessageType.Text:
                        OnText(buffer, result);
                        break;
                }
            }

            private void OnText(byte[] buffer, WebSocketReceiveResult result)
            {
                var command = {|WS1005:Encoding.UTF8.GetString(buffer, 0, result.Count)|}.Trim();
                Chat.Broadcast(command);
            }
        }
        """);

    [Fact]
    public Task Silent_when_the_loop_reads_end_of_message_or_hands_over_an_assembled_message() => Verify1005.SilentAsync("""
        using System.IO;

        static class Chat
        {
            public static void Broadcast(object text) { }
        }

        class Server
        {
            async Task Run(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[4096];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                while (!result.CloseStatus.HasValue)
                {
                    if (result.EndOfMessage)
                    {
                        OnMessage(result, buffer);
                    }

                    result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                }
            }

            async Task Run2(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[4096];
                var stream = new MemoryStream();
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    stream.Write(buffer, 0, result.Count);
                    var message = stream.ToArray();
                    Handle(result, message);
                }
            }

            void OnMessage(WebSocketReceiveResult result, byte[] buffer) => Chat.Broadcast(Encoding.UTF8.GetString(buffer, 0, result.Count));

            void Handle(WebSocketReceiveResult result, byte[] message) => Chat.Broadcast(Encoding.UTF8.GetString(message));
        }
        """);

    [Fact]
    public Task Silent_when_no_caller_is_in_sight_or_the_handler_looks_at_end_of_message() => Verify1005.SilentAsync("""
        static class Chat
        {
            public static void Broadcast(object text) { }
        }

        public abstract class Handler
        {
            public virtual Task OnPiece(WebSocketReceiveResult result, byte[] buffer)
            {
                Chat.Broadcast(Encoding.UTF8.GetString(buffer, 0, result.Count));
                return Task.CompletedTask;
            }
        }

        class Server
        {
            private readonly StringBuilder _text = new();

            async Task Run(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[4096];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                Collect(result, buffer);
            }

            void Collect(WebSocketReceiveResult result, byte[] buffer)
            {
                _text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
                if (result.EndOfMessage)
                {
                    Chat.Broadcast(_text.ToString());
                    _text.Clear();
                }
            }
        }
        """);

    [Fact]
    public Task Silent_on_whole_decodes_of_an_assembled_message_or_a_handler_that_reads_the_count() => Verify1006.SilentAsync("""
        static class Chat
        {
            public static void Broadcast(object text) { }
        }

        class Server
        {
            async Task Run(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[4096];
                while (true)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    Handle(result, buffer.AsSpan(0, result.Count).ToArray());
                    Trimmed(result, buffer);
                }
            }

            void Handle(WebSocketReceiveResult result, byte[] message) => Chat.Broadcast(Encoding.UTF8.GetString(message));

            void Trimmed(WebSocketReceiveResult result, byte[] buffer)
            {
                var length = result.Count;
                Chat.Broadcast(Encoding.UTF8.GetString(buffer, 0, length));
            }
        }
        """);

    [Fact]
    public Task No_assembling_fix_in_a_handler() => Fix1005.NoFixAsync(Handlers + """
        class ChatHandler : Handler
        {
            public override Task ReceiveAsync(WebSocket socket, WebSocketReceiveResult result, byte[] buffer)
            {
                Chat.Broadcast({|WS1005:Encoding.UTF8.GetString(buffer, 0, result.Count)|});
                return Task.CompletedTask;
            }
        }
        """);

    [Fact]
    public Task Flags_a_piece_printed_as_a_message_by_the_handler() => Verify1005.DiagnosticsAsync(Handlers + """
        class ChatHandler : Handler
        {
            public override Task ReceiveAsync(WebSocket socket, WebSocketReceiveResult result, byte[] buffer)
            {
                Console.WriteLine($"{{|WS1005:Encoding.UTF8.GetString(buffer, 0, result.Count)|}}");
                return Task.CompletedTask;
            }
        }
        """);
}
