using Xunit;
using Verify1002 = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.CloseNotAcknowledgedAnalyzer>;

namespace WsAnalyzers.Tests.Rules;

/// <summary>
/// WS1002 on a handler given the socket, whose callers in sight call it through an interface or a base class of the
/// compilation (`endpoint.HandleAsync(context, socket, ct)` on an `IEndpoint`): those calls are its callers too.
/// </summary>
public class DispatchedCallerTests
{
    private static string Endpoint(string contract, string implements, string after = "") => $$"""
        using Microsoft.AspNetCore.Http;

        {{contract}}

        public class SocketMiddleware
        {
            private readonly Endpoint _endpoint;

            public SocketMiddleware(Endpoint endpoint) => _endpoint = endpoint;

            public async Task InvokeAsync(HttpContext context)
            {
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                await _endpoint.HandleAsync(context, socket, context.RequestAborted);{{after}}
            }
        }

        public class SyncEndpoint : {{implements}}
        {
            public {{(implements == "Endpoint" && contract.Contains("abstract") ? "override " : "")}}async Task HandleAsync(HttpContext context, WebSocket socket, CancellationToken ct)
            {
                var buffer = new byte[4096];
                while (!ct.IsCancellationRequested && socket.State == WebSocketState.Open)
                {
                    var result = await socket.ReceiveAsync(buffer, ct);
                    if ({|#0:result.MessageType == WebSocketMessageType.Close|})
                    {
                        break;
                    }

                    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }

                Console.WriteLine("left");
            }
        }
        """;

    private const string Interface = "public interface Endpoint { Task HandleAsync(HttpContext context, WebSocket socket, CancellationToken ct); }";
    private const string AbstractBase = "public abstract class Endpoint { public abstract Task HandleAsync(HttpContext context, WebSocket socket, CancellationToken ct); }";

    [Theory]
    [InlineData(Interface)]
    [InlineData(AbstractBase)]
    public Task Flags_a_handler_whose_caller_calls_it_through_its_contract_and_returns(string contract)
        => Verify1002.DiagnosticsAsync(Endpoint(contract, "Endpoint").Replace("{|#0:", "{|WS1002:"));

    [Theory]
    [InlineData(Interface)]
    [InlineData(AbstractBase)]
    public Task Silent_when_the_caller_answers_after_the_call_through_its_contract(string contract)
        => Verify1002.SilentAsync(Endpoint(contract, "Endpoint",
            "\n        if (socket.State == WebSocketState.CloseReceived)\n        {\n            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);\n        }")
            .Replace("{|#0:", "").Replace("|}", ""));

    [Fact]
    public Task Silent_when_the_handler_closes_through_an_object_it_made_from_the_socket()
        => Verify1002.SilentAsync(Endpoint(Interface, "Endpoint").Replace("{|#0:", "").Replace("|}", "")
            .Replace("var buffer = new byte[4096];", "var client = new Client(socket);\n        var buffer = new byte[4096];")
            .Replace("Console.WriteLine(\"left\");", "await client.CloseAsync(ct);")
            + """


            public sealed class Client
            {
                private readonly WebSocket _socket;

                public Client(WebSocket socket) => _socket = socket;

                public async Task CloseAsync(CancellationToken ct)
                {
                    if (_socket.State == WebSocketState.Open || _socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                    }
                }
            }
            """);

    /// <summary>
    /// A manager behind an interface whose implementation hands the socket to its receive loop and closes in a
    /// `finally` only while Open; the endpoint that accepts the socket calls it through the interface and returns.
    /// </summary>
    private static string Manager(string closeInFinally, string second = "") => $$"""
        using Microsoft.AspNetCore.Http;

        public interface IManager
        {
            Task HandleAsync(WebSocket webSocket, string? id = null);
        }

        public class Manager : IManager
        {
            public async Task HandleAsync(WebSocket webSocket, string? desired = null)
            {
                try
                {
                    await Listen(webSocket);
                }
                finally
                {
                    {{closeInFinally}}
                }
            }

            private static async Task Listen(WebSocket webSocket)
            {
                var buffer = new byte[4096];
                while (webSocket.State == WebSocketState.Open)
                {
                    var result = await webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        {|#0:break;|}
                    }

                    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }
            }
        }

        {{second}}

        public static class Endpoint
        {
            public static async Task Serve(HttpContext context, IManager manager)
            {
                if (context.WebSockets.IsWebSocketRequest)
                {
                    var webSocket = await context.WebSockets.AcceptWebSocketAsync();
                    await manager.HandleAsync(webSocket);
                }
            }
        }
        """;

    [Fact]
    public Task Flags_a_loop_whose_manager_is_called_through_its_interface_and_closes_only_while_open()
        => Verify1002.DiagnosticsAsync(Manager("if (webSocket.State == WebSocketState.Open) await webSocket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);").Replace("{|#0:break;|}", "break;").Replace(
            "if (result.MessageType == WebSocketMessageType.Close)", "if ({|WS1002:result.MessageType == WebSocketMessageType.Close|})"));

    [Fact]
    public Task Silent_when_the_manager_behind_the_interface_answers_in_its_finally()
        => Verify1002.SilentAsync(Manager("if (webSocket.State is WebSocketState.Open or WebSocketState.CloseReceived) await webSocket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);").Replace("{|#0:break;|}", "break;"));

    [Fact]
    public Task Silent_when_another_implementation_of_the_interface_may_answer()
        => Verify1002.SilentAsync(Manager("if (webSocket.State == WebSocketState.Open) await webSocket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);",
            """
            public class ClosingManager : IManager
            {
                public Task HandleAsync(WebSocket webSocket, string? id = null)
                    => webSocket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
            """).Replace("{|#0:break;|}", "break;"));
}
