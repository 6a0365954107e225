// Wire sample, bug shape WS1005: each ReceiveAsync result is decoded as if it were a whole message, so a message the
// client sends in several fragments (SendAsync with endOfMessage false, then true) is answered piece by piece. The
// server answers every message it thinks it got with "got: <text>"; its Close handling is correct.
// Usage: dotnet run -- <port>   (binds to 127.0.0.1 only)
using System.Net.WebSockets;
using System.Text;

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
            await webSocket.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, context.RequestAborted);
            return;
        }

        var text = Encoding.UTF8.GetString(buffer, 0, result.Count);
        await webSocket.SendAsync(Encoding.UTF8.GetBytes("got: " + text), WebSocketMessageType.Text, true, context.RequestAborted);
    }
});

app.Run();
