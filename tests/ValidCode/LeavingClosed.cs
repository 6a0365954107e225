using System;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ValidCode;

/// <summary>Sockets that are closed before they are left, or left only when not Open: WS1010 stays silent.</summary>
public sealed class LeavingClosed : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();

    public async Task SayAndClose(Uri uri, CancellationToken ct)
    {
        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(uri, ct);
        await ws.SendAsync(new ArraySegment<byte>(Encoding.UTF8.GetBytes("hello")), WebSocketMessageType.Text, true, ct);
        using var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", closeTimeout.Token);
    }

    public async Task ReadUntilClosed(Uri uri, CancellationToken ct)
    {
        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(uri, ct);
        var buffer = new byte[4096];
        while (ws.State == WebSocketState.Open)
        {
            var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
            }
        }
    }

    public async Task GuardedCloseInFinally(Uri uri, CancellationToken ct)
    {
        var ws = new ClientWebSocket();
        try
        {
            await ws.ConnectAsync(uri, ct);
            await ws.SendAsync(new ArraySegment<byte>(new byte[] { 1 }), WebSocketMessageType.Binary, true, ct);
        }
        finally
        {
            if (ws.State == WebSocketState.Open || ws.State == WebSocketState.CloseReceived)
            {
                using var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, closeTimeout.Token);
            }

            ws.Dispose();
        }
    }

    public async Task GiveUpOnTimeout(Uri uri, CancellationToken ct)
    {
        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(uri, ct);
        if (!await Ping(ws, ct))
        {
            // A hard stop is deliberate: Abort sends nothing and says so.
            ws.Abort();
            return;
        }

        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
    }

    private static async Task<bool> Ping(WebSocket ws, CancellationToken ct)
    {
        await ws.SendAsync(new ArraySegment<byte>(Encoding.UTF8.GetBytes("ping")), WebSocketMessageType.Text, true, ct);
        var buffer = new byte[16];
        var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
        if (result.MessageType == WebSocketMessageType.Close)
        {
            await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
            return false;
        }

        return result.Count > 0;
    }

    public Task StartAsync(Uri uri, CancellationToken ct) => _socket.ConnectAsync(uri, ct);

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, closeTimeout.Token);
        }

        _socket.Dispose();
    }

    public static void Map(WebApplication app)
    {
        app.Map("/feed", async (HttpContext context) =>
        {
            using var ws = await context.WebSockets.AcceptWebSocketAsync();
            await ws.SendAsync(new ArraySegment<byte>(Encoding.UTF8.GetBytes("tick")), WebSocketMessageType.Text, true, context.RequestAborted);
            await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", context.RequestAborted);
        });
    }
}
