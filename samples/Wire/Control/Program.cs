// Wire sample, the control: a correct echo server. It receives until a Close arrives and answers it with the
// peer's own status and description. WsAnalyzers reports nothing here, and the fixes leave it unchanged.
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
    var result = await webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), context.RequestAborted);
    while (result.MessageType != WebSocketMessageType.Close)
    {
        await webSocket.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), result.MessageType, result.EndOfMessage, context.RequestAborted);
        result = await webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), context.RequestAborted);
    }

    await webSocket.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, context.RequestAborted);
});

app.Run();
