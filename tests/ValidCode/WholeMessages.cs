using System;
using System.Buffers;
using System.IO;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace ValidCode;

/// <summary>Messages decoded only once complete, or forwarded with their framing (WS1005 stays silent).</summary>
public static class WholeMessages
{
    public static async Task<string> ReadText(ClientWebSocket ws, CancellationToken ct)
    {
        var buffer = new byte[1024];
        using var stream = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
            stream.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static async Task<T?> ReadJson<T>(WebSocket ws, CancellationToken ct)
    {
        var buffer = new byte[1024];
        var writer = new ArrayBufferWriter<byte>();
        ValueWebSocketReceiveResult result;
        do
        {
            result = await ws.ReceiveAsync(buffer.AsMemory(), ct);
            writer.Write(buffer.AsSpan(0, result.Count));
        }
        while (!result.EndOfMessage);

        return JsonSerializer.Deserialize<T>(writer.WrittenSpan);
    }

    public static async Task<string?> ReadSmallOrReject(HttpContext context, WebSocket ws)
    {
        var buffer = new byte[4096];
        var result = await ws.ReceiveAsync(buffer.AsMemory(), context.RequestAborted);
        if (!result.EndOfMessage)
        {
            await ws.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "too big", context.RequestAborted);
            return null;
        }

        return Encoding.UTF8.GetString(buffer, 0, result.Count);
    }

    public static async Task Proxy(WebSocket from, WebSocket to, CancellationToken ct)
    {
        var buffer = new byte[4096];
        var result = await from.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
        while (result.MessageType != WebSocketMessageType.Close)
        {
            await to.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, ct);
            result = await from.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
        }

        await to.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, ct);
    }

    public static async Task PumpToPipe(WebSocket ws, PipeWriter writer, CancellationToken ct)
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

        await writer.CompleteAsync();
    }

    public static async Task<string> ReadWithBuilder(WebSocket ws, CancellationToken ct)
    {
        var buffer = new byte[256];
        var text = new StringBuilder();
        var decoder = Encoding.UTF8.GetDecoder();
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        while (true)
        {
            var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                return text.ToString();
            }

            var n = decoder.GetChars(buffer, 0, result.Count, chars, 0, result.EndOfMessage);
            text.Append(chars, 0, n);
            if (result.EndOfMessage)
            {
                return text.ToString();
            }
        }
    }
}
