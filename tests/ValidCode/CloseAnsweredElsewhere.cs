using System;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace ValidCode;

// The close is answered, but not in the Close branch: after the loop, in a finally, by a helper, by the caller,
// by a sibling send loop, by the other side of a proxy, or by an owner the analysis cannot see.
public sealed class CloseAnsweredElsewhere
{
    private readonly ConcurrentDictionary<Guid, WebSocket> _sockets = new();

    public static async Task AfterTheLoop(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        WebSocketReceiveResult result;
        while (true)
        {
            result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            Deliver(buffer, result.Count, result.EndOfMessage);
        }

        await socket.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, cancellationToken);
    }

    public static async Task InFinally(CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri("ws://127.0.0.1:5000"), cancellationToken);
        try
        {
            var buffer = new byte[4096];
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                Deliver(buffer, result.Count, result.EndOfMessage);
            }
        }
        finally
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            }
        }
    }

    public static async Task WithHelper(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await CloseGracefully(socket, cancellationToken);
                return;
            }

            Deliver(buffer, result.Count, result.EndOfMessage);
        }
    }

    private static async Task CloseGracefully(WebSocket socket, CancellationToken cancellationToken)
    {
        if (socket.State == WebSocketState.Open || socket.State == WebSocketState.CloseReceived)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);
        }
    }

    public static async Task CallerCloses(CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri("ws://127.0.0.1:5000"), cancellationToken);
        await ReceiveUntilClosed(socket, cancellationToken);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
    }

    private static async Task ReceiveUntilClosed(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            Deliver(buffer, result.Count, result.EndOfMessage);
        }
    }

    public static async Task SiblingSendLoop(WebSocket socket, CancellationToken cancellationToken)
    {
        var sending = SendLoop(socket, cancellationToken);
        var receiving = ReceiveLoop(socket, cancellationToken);
        await Task.WhenAll(sending, receiving);
    }

    private static async Task ReceiveLoop(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }
        }
    }

    private static async Task SendLoop(WebSocket socket, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await socket.SendAsync(new ArraySegment<byte>(Encoding.UTF8.GetBytes("tick")), WebSocketMessageType.Text, true, cancellationToken);
                await Task.Delay(1000, cancellationToken);
            }
        }
        finally
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
    }

    public static async Task Proxy(WebSocket from, WebSocket to, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var result = await from.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await to.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, cancellationToken);
                return;
            }

            await to.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, cancellationToken);
        }
    }

    public async Task Register(WebSocket socket, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        _sockets[id] = socket;
        var buffer = new byte[4096];
        while (true)
        {
            var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }
        }
    }

    // Hands each piece on with its EndOfMessage flag; the consumer reassembles messages.
    private static void Deliver(byte[] buffer, int count, bool endOfMessage)
        => Console.WriteLine($"{Convert.ToHexString(buffer, 0, count)}{(endOfMessage ? " (end of message)" : string.Empty)}");
}
