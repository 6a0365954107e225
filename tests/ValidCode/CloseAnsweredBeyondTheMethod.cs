using System;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace ValidCode;

// Receive loops whose close is answered by code beyond the loop's own method: the other pump of a proxy, the owner
// of an injected socket, the callback that gets each result, the method that started the loop on the thread pool.
public static class ProxyWithGuardedPumps
{
    public static async Task Proxy(HttpContext context, Uri upstream)
    {
        using var toUpstream = new ClientWebSocket();
        await toUpstream.ConnectAsync(upstream, context.RequestAborted);
        using var toClient = await context.WebSockets.AcceptWebSocketAsync();
        await Task.WhenAll(
            Pump(toUpstream, toClient, context.RequestAborted),
            Pump(toClient, toUpstream, context.RequestAborted));
    }

    private static async Task Pump(WebSocket source, WebSocket destination, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var result = await source.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
            if (destination.State != WebSocketState.Open && destination.State != WebSocketState.CloseReceived)
            {
                return;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                await destination.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, cancellationToken);
                return;
            }

            await destination.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, cancellationToken);
        }
    }
}

// The socket is injected; its owner (out of sight) reads CloseStatus and closes after this method returns.
public sealed class InjectedConnection
{
    private readonly WebSocket _socket;

    public InjectedConnection(WebSocket socket) => _socket = socket;

    public WebSocketCloseStatus? CloseStatus { get; private set; }

    public string? CloseStatusDescription { get; private set; }

    public async Task ReceiveUntilCloseAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var result = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
        while (result.MessageType != WebSocketMessageType.Close)
        {
            Console.WriteLine($"{result.Count} bytes, end of message: {result.EndOfMessage}");
            result = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
        }

        CloseStatus = result.CloseStatus;
        CloseStatusDescription = result.CloseStatusDescription;
    }
}

public static class CallbackPerResult
{
    public static Task Serve(WebSocket socket) => Receive(socket, async (result, buffer) =>
    {
        if (result.MessageType == WebSocketMessageType.Close)
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            return;
        }

        Console.WriteLine($"{buffer.Length}: {result.Count} bytes, end of message: {result.EndOfMessage}");
    });

    private static async Task Receive(WebSocket socket, Func<WebSocketReceiveResult, byte[], Task> handle)
    {
        var buffer = new byte[4096];
        while (socket.State == WebSocketState.Open)
        {
            var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
            await handle(result, buffer);
        }
    }
}

public static class LoopOnTheThreadPool
{
    public static async Task Run(Uri uri)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(uri, CancellationToken.None);
        var receiving = Task.Run(async () =>
        {
            var buffer = new byte[1024];
            while (true)
            {
                var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                Console.WriteLine($"{result.Count} bytes, end of message: {result.EndOfMessage}");
            }
        });

        await receiving;
        if (socket.State == WebSocketState.CloseReceived)
        {
            await socket.CloseOutputAsync(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, socket.CloseStatusDescription, CancellationToken.None);
        }
    }
}
