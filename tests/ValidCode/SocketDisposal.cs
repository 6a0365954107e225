using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ValidCode;

/// <summary>Sockets that are disposed on every path or handed to an owner: WS1003 stays silent.</summary>
public sealed class SocketDisposal
{
    private readonly List<WebSocket> _sockets = new();
    private readonly ConcurrentDictionary<string, WebSocket> _byId = new();
    private ClientWebSocket? _client;

    /// <summary>The type releases the socket a member stores in its field (after closing it, as WS1010 asks).</summary>
    public async Task DisconnectAsync()
    {
        if (_client is { State: WebSocketState.Open })
        {
            await _client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }

        _client?.Dispose();
    }

    public async Task UsingDeclaration(Uri uri, CancellationToken ct)
    {
        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(uri, ct);
        if (ws.State != WebSocketState.Open)
        {
            return;
        }

        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
    }

    public async Task UsingStatement(HttpContext context)
    {
        using (var ws = await context.WebSockets.AcceptWebSocketAsync())
        {
            await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
        }
    }

    public async Task TryFinally(Uri uri, CancellationToken ct)
    {
        var ws = new ClientWebSocket();
        try
        {
            await ws.ConnectAsync(uri, ct);
            await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
        }
        finally
        {
            ws.Dispose();
        }
    }

    public async Task AssignedInTry(HttpContext context)
    {
        WebSocket? ws = null;
        try
        {
            ws = await context.WebSockets.AcceptWebSocketAsync();
            await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
        }
        finally
        {
            ws?.Dispose();
        }
    }

    public async Task AssignedInBranches(Stream stream, bool server, CancellationToken ct)
    {
        WebSocket ws;
        if (server)
        {
            ws = WebSocket.CreateFromStream(stream, isServer: true, subProtocol: null, keepAliveInterval: TimeSpan.Zero);
        }
        else
        {
            ws = WebSocket.CreateFromStream(stream, isServer: false, subProtocol: null, keepAliveInterval: TimeSpan.Zero);
        }

        try
        {
            await ws.SendAsync(new ArraySegment<byte>(new byte[] { 1 }), WebSocketMessageType.Binary, true, ct);
            await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
        }
        finally
        {
            if (ws != null)
            {
                ws.Dispose();
            }
        }
    }

    public static void Map(WebApplication app)
    {
        app.MapGet("/ws", async (HttpContext context) =>
        {
            using var ws = await context.WebSockets.AcceptWebSocketAsync();
            await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
        });
        app.Use(async (context, next) =>
        {
            using (var ws = await context.WebSockets.AcceptWebSocketAsync())
            {
                await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
            }

            await next();
        });
        app.Run(async context =>
        {
            var ws = await context.WebSockets.AcceptWebSocketAsync();
            try
            {
                await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
            }
            finally
            {
                ws.Dispose();
            }
        });
    }

    public async Task<ClientWebSocket> Returned(Uri uri, CancellationToken ct)
    {
        var ws = new ClientWebSocket();
        await ws.ConnectAsync(uri, ct);
        return ws;
    }

    public async Task StoredInField(Uri uri, CancellationToken ct)
    {
        var ws = new ClientWebSocket();
        await ws.ConnectAsync(uri, ct);
        _client = ws;
    }

    public void StoredInCollections(Stream stream, string id)
    {
        var ws = WebSocket.CreateFromStream(stream, isServer: true, subProtocol: null, keepAliveInterval: TimeSpan.Zero);
        _sockets.Add(ws);
        var other = WebSocket.CreateFromStream(stream, isServer: false, subProtocol: null, keepAliveInterval: TimeSpan.Zero);
        _byId[id] = other;
    }

    public async Task PassedToConstructor(HttpContext context)
    {
        var ws = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new Connection(ws);
        await connection.RunAsync(context.RequestAborted);
    }

    public Task CapturedByReturnedTask(Stream stream)
    {
        var ws = WebSocket.CreateFromStream(stream, true, null, TimeSpan.Zero);
        return Task.Run(() => PumpAndDispose(ws));
    }

    public async Task HelperDisposes(HttpContext context)
    {
        var ws = await context.WebSockets.AcceptWebSocketAsync();
        await PumpAndDispose(ws);
    }

    public async Task AbortedOnEveryPath(Uri uri, CancellationToken ct)
    {
        var ws = new ClientWebSocket();
        await ws.ConnectAsync(uri, ct);
        ws.Abort();
    }

    public async Task<int> OtherDisposablesAreNotThisRulesBusiness(Uri uri)
    {
        var http = new System.Net.Http.HttpClient();
        var text = await http.GetStringAsync(uri);
        return text.Length;
    }

    public Task ParametersAreNotThisRulesBusiness(WebSocket ws, CancellationToken ct)
        => ws.SendAsync(new ArraySegment<byte>(new byte[1]), WebSocketMessageType.Binary, true, ct);

    private static async Task PumpAndDispose(WebSocket ws)
    {
        using (ws)
        {
            await ws.SendAsync(new ArraySegment<byte>(new byte[1]), WebSocketMessageType.Binary, true, CancellationToken.None);
        }
    }

    private sealed class Connection : IDisposable
    {
        private readonly WebSocket _socket;

        public Connection(WebSocket socket) => _socket = socket;

        public Task RunAsync(CancellationToken ct) => _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);

        public void Dispose()
        {
            if (_socket.State == WebSocketState.Open)
            {
                // Disposed before RunAsync closed it: a deliberate hard stop.
                _socket.Abort();
            }

            _socket.Dispose();
        }
    }
}
