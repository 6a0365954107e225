using System;
using System.IO;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace ValidCode;

// Receive loops that tell the Close apart in every form C# offers and answer it on the spot.
public static class CloseHandledInTheLoop
{
    public static async Task IfBranch(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, cancellationToken);
                return;
            }

            Deliver(buffer, result.Count, result.EndOfMessage);
        }
    }

    public static async Task SwitchStatement(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
            switch (result.MessageType)
            {
                case WebSocketMessageType.Close:
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);
                    return;
                case WebSocketMessageType.Text:
                    Deliver(buffer, result.Count, result.EndOfMessage);
                    break;
                default:
                    break;
            }
        }
    }

    public static async Task PatternAndMemory(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
            if (result is { MessageType: WebSocketMessageType.Close })
            {
                await socket.CloseOutputAsync(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, socket.CloseStatusDescription, cancellationToken);
                break;
            }

            Deliver(buffer, result.Count, result.EndOfMessage);
        }
    }

    public static async Task AccumulateThenCheck(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[1024];
        while (socket.State == WebSocketState.Open)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
                return;
            }

            Console.WriteLine(Encoding.UTF8.GetString(message.ToArray()));
        }
    }

    public static async Task StatusCheckOnSocket(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
            if (socket.CloseStatus.HasValue)
            {
                await socket.CloseOutputAsync(socket.CloseStatus.Value, socket.CloseStatusDescription, cancellationToken);
                return;
            }

            Deliver(buffer, result.Count, result.EndOfMessage);
        }
    }

    // Hands each piece on with its EndOfMessage flag; the consumer reassembles messages.
    private static void Deliver(byte[] buffer, int count, bool endOfMessage)
        => Console.WriteLine($"{Convert.ToHexString(buffer, 0, count)}{(endOfMessage ? " (end of message)" : string.Empty)}");
}
