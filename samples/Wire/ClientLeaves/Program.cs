// Wire sample, bug shape WS1010 (the client leaves): a client that connects, says hello and quits. The `using`
// disposes the socket while it is still Open: no Close frame is sent, and the server's ReceiveAsync fails.
// Usage: dotnet run -- <port>   (connects to ws://127.0.0.1:<port>/ws)
using System.Net.WebSockets;

static class Program
{
    static async Task Main(string[] args)
    {
        var uri = new Uri($"ws://127.0.0.1:{(args.Length > 0 ? args[0] : "5000")}/ws");
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(uri, CancellationToken.None);
        await socket.SendAsync(new ArraySegment<byte>("hello"u8.ToArray()), WebSocketMessageType.Text, true, CancellationToken.None);
        Console.WriteLine("client: said hello, leaving");
    }
}
