using System;
using System.Collections.Generic;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace ValidCode;

/// <summary>Sends that are awaited, returned or queued (WS1009 stays silent).</summary>
public sealed class AwaitedSends
{
    private readonly Channel<byte[]> _outgoing = Channel.CreateUnbounded<byte[]>();
    private readonly List<Task> _pending = new();

    public static async Task EchoServer(HttpContext context)
    {
        using var ws = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[4096];
        var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), context.RequestAborted);
        while (result.MessageType != WebSocketMessageType.Close)
        {
            await ws.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, context.RequestAborted);
            result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), context.RequestAborted);
        }

        await ws.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, context.RequestAborted);
    }

    public static async Task EchoClient(ClientWebSocket ws, CancellationToken ct)
    {
        var buffer = new byte[4096];
        var result = await ws.ReceiveAsync(buffer.AsMemory(), ct);
        await ws.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, ct).ConfigureAwait(false);
    }

    public static Task SendText(WebSocket ws, string text, CancellationToken ct)
        => ws.SendAsync(new ArraySegment<byte>(Encoding.UTF8.GetBytes(text)), WebSocketMessageType.Text, true, ct);

    public static ValueTask SendBytes(WebSocket ws, ReadOnlyMemory<byte> data, CancellationToken ct)
        => ws.SendAsync(data, WebSocketMessageType.Binary, true, ct);

    public static Task Broadcast(IEnumerable<WebSocket> sockets, byte[] data, CancellationToken ct)
    {
        var sends = new List<Task>();
        foreach (var socket in sockets)
        {
            sends.Add(socket.SendAsync(new ArraySegment<byte>(data), WebSocketMessageType.Text, true, ct));
        }

        return Task.WhenAll(sends);
    }

    public void Enqueue(byte[] message) => _outgoing.Writer.TryWrite(message);

    public void Track(WebSocket ws, byte[] message)
        => _pending.Add(ws.SendAsync(new ArraySegment<byte>(message), WebSocketMessageType.Binary, true, CancellationToken.None));

    public async Task PumpSends(WebSocket ws, CancellationToken ct)
    {
        await foreach (var message in _outgoing.Reader.ReadAllAsync(ct))
        {
            var sending = ws.SendAsync(message, WebSocketMessageType.Binary, true, ct);
            await sending;
        }
    }
}
