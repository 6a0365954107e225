// Wire observer for the client-side WS1010 shape (samples/Wire/ClientLeaves): a correct server that receives until
// the client's Close arrives, answers it, and prints what its ReceiveAsync saw. WsAnalyzers reports nothing here.
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
    try
    {
        var result = await webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), context.RequestAborted);
        while (result.MessageType != WebSocketMessageType.Close)
        {
            result = await webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), context.RequestAborted);
        }

        await webSocket.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, context.RequestAborted);
        Console.WriteLine($"observed: Close {(int?)result.CloseStatus} received and answered");
    }
    catch (WebSocketException e)
    {
        Console.WriteLine($"observed: WebSocketException {e.WebSocketErrorCode}");
    }
});

app.Run();
