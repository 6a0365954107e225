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
}
