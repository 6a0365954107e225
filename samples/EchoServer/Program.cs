// An echo and chat server written the way many tutorials write it. Its WebSocket bugs are deliberate: build it
// (dotnet build samples/EchoServer) to see what WsAnalyzers reports.
using System.Net.WebSockets;
using System.Text;

var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.UseWebSockets();

// Echo: loops while the state is Open. When the client's Close arrives the loop ends, nobody answers the close,
// and the socket is disposed: the client sees "closed without completing the close handshake" (1006).
app.Map("/echo", async context =>
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return;
    }

    using var webSocket = await context.WebSockets.AcceptWebSocketAsync();
    await Echo(webSocket);
});

// Chat: decodes each received piece as if it were a whole message (a long message arrives in pieces), leaves the
// loop on Close, then calls a close helper that only closes an Open socket.
app.Map("/chat", async context =>
{
    using var webSocket = await context.WebSockets.AcceptWebSocketAsync();
    var buffer = new byte[4096];
    while (true)
    {
        var result = await webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), context.RequestAborted);
        if (result.MessageType == WebSocketMessageType.Close)
        {
            break;
        }

        var message = Encoding.UTF8.GetString(buffer, 0, result.Count);
        Console.WriteLine($"chat: {message}");
    }

    await CloseQuietly(webSocket, context.RequestAborted);
});

app.Run();

static async Task Echo(WebSocket webSocket)
{
    var buffer = new byte[1024 * 4];
    while (webSocket.State == WebSocketState.Open)
    {
        var result = await webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
        var text = Encoding.UTF8.GetString(buffer, 0, result.Count);
        Console.WriteLine($"echo: {text}");
        await webSocket.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), WebSocketMessageType.Text, result.EndOfMessage, CancellationToken.None);
    }
}

static async Task CloseQuietly(WebSocket webSocket, CancellationToken cancellationToken)
{
    if (webSocket.State == WebSocketState.Open)
    {
        await webSocket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);
    }
}
