// Wire sample, bug shape WS1002: `while (State == Open)` ends right after the Close is read, and nothing after the
// loop answers it.
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
    while (webSocket.State == WebSocketState.Open)
    {
        var result = await webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), context.RequestAborted);
        if (result.MessageType == WebSocketMessageType.Text)
        {
            await webSocket.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), WebSocketMessageType.Text, result.EndOfMessage, context.RequestAborted);
        }
    }
});

app.Run();
