// Wire sample, bug shape WS1001: the receive loop never looks at the message type, so the client's Close is echoed
// as an empty text message and the next ReceiveAsync throws InvalidState. The client never gets its close answered.
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
        await webSocket.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), WebSocketMessageType.Text, result.EndOfMessage, context.RequestAborted);
    }
});

app.Run();
