using Xunit;
using VerifyCS = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.SocketNotDisposedAnalyzer>;

namespace WsAnalyzers.Tests.Reliability;

/// <summary>
/// C# 12 input the older compilers of tests/OlderRoslyn cannot parse: a socket handed to a primary constructor. The
/// constructor has no body of its own to summarise, so the socket counts as moved (no report, no crash).
/// </summary>
public class PrimaryConstructorTests
{
    [Fact]
    public Task Silent_when_a_primary_constructor_captures_the_socket() => VerifyCS.SilentAsync("""
        sealed class Session(WebSocket socket)
        {
            public Task RunAsync(CancellationToken ct)
                => socket.SendAsync(new ArraySegment<byte>(new byte[] { 1 }), WebSocketMessageType.Binary, true, ct);
        }

        static class Endpoint
        {
            public static async Task Handle(Microsoft.AspNetCore.Http.HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                var session = new Session(ws);
                await session.RunAsync(context.RequestAborted);
            }
        }
        """);
}
