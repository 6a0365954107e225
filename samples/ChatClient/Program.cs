// A ClientWebSocket client written the way many tutorials write it. Its WebSocket bugs are deliberate: build it
// (dotnet build samples/ChatClient) to see what WsAnalyzers reports.
using System.Net.WebSockets;
using System.Text;

var uri = new Uri(args.Length > 0 ? args[0] : "ws://localhost:5000/echo");

// Checks that the server is up, then "disconnects" by letting the using end: no Close frame is sent, so the server's
// receive fails with ConnectionClosedPrematurely (and a browser would see 1006).
using (var probe = new ClientWebSocket())
{
    await probe.ConnectAsync(uri, CancellationToken.None);
}

var socket = new ClientWebSocket();
await socket.ConnectAsync(uri, CancellationToken.None);

var hello = Encoding.UTF8.GetBytes("hello");
_ = socket.SendAsync(new ArraySegment<byte>(hello), WebSocketMessageType.Text, true, CancellationToken.None);

// Reads forever: a Close from the server is printed as an empty message, and the next receive throws.
var buffer = new byte[1024];
while (true)
{
    var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
}
