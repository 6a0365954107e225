// Wire sample, bug shape WS1010 (the server leaves): a send-only endpoint. It sends one message and returns, and the
// `using` disposes the socket while it is still Open: no Close frame is sent, the client sees the connection drop.
// Usage: dotnet run -- <port>   (binds to 127.0.0.1 only)
using System.Net.WebSockets;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls($"http://127.0.0.1:{(args.Length > 0 ? args[0] : "5000")}");
var app = builder.Build();
app.UseWebSockets();

app.Map("/ws", async context =>
{
    using var webSocket = await context.WebSockets.AcceptWebSocketAsync();
    await webSocket.SendAsync(new ArraySegment<byte>("hello"u8.ToArray()), WebSocketMessageType.Text, true, context.RequestAborted);
});

app.Run();
