using System;
using System.IO;
using System.Linq;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace ValidCode;

/// <summary>Received buffers used by their received count (WS1006 stays silent).</summary>
public static class ReceivedCount
{
    public static async Task EchoServer(HttpContext context)
    {
        using var ws = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[4096];
        var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), context.RequestAborted);
        while (!result.CloseStatus.HasValue)
        {
            await ws.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, context.RequestAborted);
            result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), context.RequestAborted);
        }

        await ws.CloseOutputAsync(result.CloseStatus.Value, result.CloseStatusDescription, context.RequestAborted);
    }

    public static async Task<string> ReadTextMessage(ClientWebSocket ws, CancellationToken ct)
    {
        var buffer = new byte[1024];
        using var stream = new MemoryStream();
        ValueWebSocketReceiveResult result;
        do
        {
            result = await ws.ReceiveAsync(buffer.AsMemory(), ct);
            stream.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static async Task<JsonDocument?> ReadSmallJson(WebSocket ws, CancellationToken ct)
    {
        var buffer = new byte[4096];
        var result = await ws.ReceiveAsync(buffer.AsMemory(), ct);
        if (!result.EndOfMessage || result.MessageType != WebSocketMessageType.Text)
        {
            return null;
        }

        return JsonDocument.Parse(buffer.AsMemory(0, result.Count));
    }

    public static async Task<byte[]> ReadExactly(WebSocket ws, int length, CancellationToken ct)
    {
        var buffer = new byte[length];
        var offset = 0;
        while (offset < length)
        {
            var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer, offset, length - offset), ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new EndOfStreamException();
            }

            offset += result.Count;
        }

        return buffer.ToArray();
    }

    public static async Task<string> ReadAndShrink(WebSocket ws, CancellationToken ct)
    {
        var buffer = new byte[1024];
        var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
        if (!result.EndOfMessage)
        {
            throw new InvalidDataException("Message too large.");
        }

        Array.Resize(ref buffer, result.Count);
        return Encoding.UTF8.GetString(buffer);
    }

    public static async Task<string> ReadSegment(WebSocket ws, CancellationToken ct)
    {
        var segment = new ArraySegment<byte>(new byte[1024]);
        var result = await ws.ReceiveAsync(segment, ct);
        if (!result.EndOfMessage)
        {
            throw new InvalidDataException("Message too large.");
        }

        return Encoding.UTF8.GetString(segment.Array!, segment.Offset, result.Count);
    }
}
