using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ValidCode;

/// <summary>Handlers that keep the request alive for the life of the socket: WS1008 stays silent.</summary>
public static class RequestLifetime
{
    private static readonly ConcurrentDictionary<Guid, WebSocket> Sockets = new();
    private static readonly ConcurrentQueue<(WebSocket Socket, TaskCompletionSource<object?> Done)> Queue = new();

    public static void Map(WebApplication app)
    {
        app.MapGet("/echo", async (HttpContext context) =>
        {
            using var ws = await context.WebSockets.AcceptWebSocketAsync();
            await Echo(ws, context.RequestAborted);
        });
        app.Use(async (context, next) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                await next();
                return;
            }

            using (var ws = await context.WebSockets.AcceptWebSocketAsync())
            {
                await Task.Run(() => Echo(ws, context.RequestAborted));
            }
        });
        app.Run(async context =>
        {
            var ws = await context.WebSockets.AcceptWebSocketAsync();
            try
            {
                var pump = Task.Run(() => Echo(ws, context.RequestAborted));
                await pump;
            }
            finally
            {
                ws.Dispose();
            }
        });
    }

    public static async Task BackgroundOwner(HttpContext context)
    {
        using var ws = await context.WebSockets.AcceptWebSocketAsync();
        var socketFinished = new TaskCompletionSource<object?>();
        Queue.Enqueue((ws, socketFinished));
        await socketFinished.Task;
    }

    public static async Task BackgroundTaskSignalsCompletion(HttpContext context)
    {
        using var ws = await context.WebSockets.AcceptWebSocketAsync();
        var socketFinished = new TaskCompletionSource();
        _ = Task.Run(async () =>
        {
            try
            {
                await Echo(ws, CancellationToken.None);
            }
            finally
            {
                socketFinished.TrySetResult();
            }
        });
        await socketFinished.Task;
    }

    public static async Task StoredAndServedUntilClosed(HttpContext context)
    {
        var id = Guid.NewGuid();
        using var ws = await context.WebSockets.AcceptWebSocketAsync();
        Sockets.TryAdd(id, ws);
        try
        {
            await Echo(ws, context.RequestAborted);
        }
        finally
        {
            Sockets.TryRemove(id, out _);
        }
    }

    public static async Task SendAndReceiveTogether(HttpContext context)
    {
        using var ws = await context.WebSockets.AcceptWebSocketAsync();
        var receive = Echo(ws, context.RequestAborted);
        var send = ws.SendAsync(new ArraySegment<byte>(new byte[] { 1 }), WebSocketMessageType.Binary, true, context.RequestAborted);
        await Task.WhenAll(receive, send);
    }

    public static async Task SendAndReceiveWaitedSynchronously(HttpContext context)
    {
        using var ws = await context.WebSockets.AcceptWebSocketAsync();
        var receive = Echo(ws, context.RequestAborted);
        var send = ws.SendAsync(new ArraySegment<byte>(new byte[] { 1 }), WebSocketMessageType.Binary, true, context.RequestAborted);
        Task.WaitAll(receive, send);
    }

    public static async Task SendAndReceiveWaitedWithWhenAll(HttpContext context)
    {
        using var ws = await context.WebSockets.AcceptWebSocketAsync();
        var receive = Task.Run(() => Echo(ws, context.RequestAborted));
        var send = ws.SendAsync(new ArraySegment<byte>(new byte[] { 1 }), WebSocketMessageType.Binary, true, context.RequestAborted);
        Task.WhenAll(receive, send).Wait();
    }

    public static async Task PumpWaitedWithGetResult(HttpContext context)
    {
        using var ws = await context.WebSockets.AcceptWebSocketAsync();
        var pump = Task.Run(() => Echo(ws, context.RequestAborted));
        Task.WhenAll(pump).GetAwaiter().GetResult();
        pump.GetAwaiter().GetResult();
    }

    public static void MapContinuations(WebApplication app)
    {
        app.Map("/continued", async context =>
            await context.WebSockets.AcceptWebSocketAsync().ContinueWith(t => Echo(t.Result, context.RequestAborted)).Unwrap());
        app.Map("/continued-async", async context =>
            await await context.WebSockets.AcceptWebSocketAsync().ContinueWith(async t =>
            {
                using var ws = t.Result;
                await Echo(ws, context.RequestAborted);
            }));
    }

    public static async Task HttpListenerAcceptLoop(HttpListener listener)
    {
        while (listener.IsListening)
        {
            var context = await listener.GetContextAsync();
            var wsContext = await context.AcceptWebSocketAsync(null);
            var ws = wsContext.WebSocket;
            _ = Task.Run(async () =>
            {
                using (ws)
                {
                    await Echo(ws, CancellationToken.None);
                }
            });
        }
    }

    private static async Task Echo(WebSocket ws, CancellationToken ct)
    {
        var buffer = new byte[1024];
        var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
        while (result.MessageType != WebSocketMessageType.Close)
        {
            await ws.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, ct);
            result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
        }

        await ws.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, ct);
    }
}
