using System;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace ValidCode;

/// <summary>Close calls with arguments the runtime and the peer accept (WS1007 stays silent).</summary>
public static class CloseArguments
{
    private const string Reason = "Server shutting down";

    public static async Task ClientClosesNormally(ClientWebSocket ws, CancellationToken ct)
    {
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", ct);
    }

    public static Task ApplicationCode(WebSocket ws) => ws.CloseOutputAsync((WebSocketCloseStatus)4000, Reason, CancellationToken.None);

    public static Task TryAgainLater(WebSocket ws) => ws.CloseOutputAsync((WebSocketCloseStatus)1013, null, CancellationToken.None);

    public static async Task ServerEchoesTheClientsClose(HttpContext context)
    {
        using var ws = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[4096];
        var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), context.RequestAborted);
        while (result.MessageType != WebSocketMessageType.Close)
        {
            result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), context.RequestAborted);
        }

        await ws.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.Empty, result.CloseStatusDescription, context.RequestAborted);
    }

    public static async Task ClientEchoesWithMemoryReceive(ClientWebSocket ws, CancellationToken ct)
    {
        var buffer = new byte[4096];
        ValueWebSocketReceiveResult result;
        do
        {
            result = await ws.ReceiveAsync(buffer.AsMemory(), ct);
        }
        while (result.MessageType != WebSocketMessageType.Close);

        if (ws.State == WebSocketState.CloseReceived)
        {
            await ws.CloseOutputAsync(ws.CloseStatus ?? WebSocketCloseStatus.NormalClosure, ws.CloseStatusDescription, ct);
        }
    }

    public static Task CloseWithComputedDescription(WebSocket ws, Exception error)
        => ws.CloseAsync(WebSocketCloseStatus.InternalServerError, error.Message.Length > 100 ? error.Message.Substring(0, 100) : error.Message, CancellationToken.None);
}
