using Xunit;
using VerifyCS = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.SendNotAwaitedAnalyzer>;
using VerifyFix = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.SendNotAwaitedAnalyzer, WsAnalyzers.CodeFixes.AwaitSendFix>;

namespace WsAnalyzers.Tests.Rules;

/// <summary>An async lambda given to a method of the project as a void-returning delegate runs as async void.</summary>
public class AsyncVoidLambdaTests
{
    private static string Middleware(string parameter, string sendLine) => $$"""
        class Middleware
        {
            public async Task Invoke(WebSocket webSocket)
            {
                await Receive(webSocket, async (result, buffer) =>
                {
                    if (result.MessageType == WebSocketMessageType.Text)
                    {
                        {{sendLine}}
                    }
                });
            }

            private static async Task Route(WebSocket ws, byte[] data, int count)
                => await ws.SendAsync(new ArraySegment<byte>(data, 0, count), WebSocketMessageType.Text, true, CancellationToken.None);

            private static async Task Receive(WebSocket socket, {{parameter}} handle)
            {
                var buffer = new byte[4096];
                while (socket.State == WebSocketState.Open)
                {
                    var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                    {{(parameter.StartsWith("Func") ? "await " : "")}}handle(result, buffer);
                }
            }
        }
        """;

    [Fact]
    public Task Flags_a_send_awaited_in_an_async_lambda_given_as_an_Action() => VerifyCS.DiagnosticsAsync(
        Middleware("Action<WebSocketReceiveResult, byte[]>", "await {|WS1009:Route(webSocket, buffer, result.Count)|};"));

    [Fact]
    public Task Flags_a_direct_SendAsync_in_such_a_lambda() => VerifyCS.DiagnosticsAsync(
        Middleware("Action<WebSocketReceiveResult, byte[]>", "await {|WS1009:webSocket.SendAsync(new ArraySegment<byte>(buffer, 0, result.Count), WebSocketMessageType.Text, true, CancellationToken.None)|};"));

    /// <summary>The send is awaited already; what has to change is the delegate type the method takes.</summary>
    [Fact]
    public Task No_fix_is_offered() => VerifyFix.NoFixAsync(
        Middleware("Action<WebSocketReceiveResult, byte[]>", "await {|WS1009:Route(webSocket, buffer, result.Count)|};"));

    [Fact]
    public Task Silent_when_the_parameter_is_a_Func_returning_Task() => VerifyCS.SilentAsync(
        Middleware("Func<WebSocketReceiveResult, byte[], Task>", "await Route(webSocket, buffer, result.Count);"));

    [Fact]
    public Task Silent_for_an_async_event_handler_lambda() => VerifyCS.SilentAsync("""
        class Feed
        {
            public event EventHandler<EventArgs>? Changed;

            public void Attach(WebSocket ws)
            {
                Changed += async (sender, e) => await ws.SendAsync(new ArraySegment<byte>(new byte[1]), WebSocketMessageType.Text, true, CancellationToken.None);
            }
        }
        """);

    [Fact]
    public Task Silent_for_a_lambda_given_to_a_library_method() => VerifyCS.SilentAsync("""
        class Feed
        {
            public void Attach(WebSocket ws, System.Threading.Timer? timer)
            {
                timer = new System.Threading.Timer(async _ => await ws.SendAsync(new ArraySegment<byte>(new byte[1]), WebSocketMessageType.Text, true, CancellationToken.None), null, 0, 1000);
            }
        }
        """);
}
