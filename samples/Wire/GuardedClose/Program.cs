// Wire sample, bug shape WS1004: the loop leaves on Close and calls a close helper, but the helper only closes an
// Open socket. After the peer's Close the state is CloseReceived, so the helper does nothing.
// Usage: dotnet run -- <port>   (binds to 127.0.0.1 only)
using System.Net.WebSockets;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls($"http://127.0.0.1:{(args.Length > 0 ? args[0] : "5000")}");
var app = builder.Build();
app.UseWebSockets();

app.Map("/ws", async context =>
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

        await webSocket.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, context.RequestAborted);
    }

    await CloseGracefully(webSocket, context.RequestAborted);
});

app.Run();

static async Task CloseGracefully(WebSocket webSocket, CancellationToken cancellationToken)
{
    if (webSocket.State == WebSocketState.Open)
    {
        await webSocket.CloseAsync(WebSocketCloseStatus.NormalClosure, "server closing", cancellationToken);
    }
}
