// Wire sample, bug shape WS1002: the loop leaves on Close with `break` and nothing answers the close; the request
// ends and the socket is disposed, so the client sees the connection drop mid-handshake.
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
});

app.Run();
