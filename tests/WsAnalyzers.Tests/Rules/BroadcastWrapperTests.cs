using Xunit;
using VerifyCS = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.SendNotAwaitedAnalyzer>;
using VerifyFix = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.SendNotAwaitedAnalyzer, WsAnalyzers.CodeFixes.AwaitSendFix>;

namespace WsAnalyzers.Tests.Rules;

/// <summary>
/// WS1009 on the task of a broadcast dropped: a method that collects its sends' tasks in a list and returns (or awaits)
/// <c>Task.WhenAll</c> of it, and a broadcaster called through an interface of the project whose implementations all
/// send.
/// </summary>
public class BroadcastWrapperTests
{
    private static string Chat(string added, string tick) => $$"""
        using System.Collections.Generic;

        public interface IBroadcaster
        {
            Task BroadcastAsync(string message);
        }

        public sealed class Connection
        {
            private readonly WebSocket _socket;

            public Connection(WebSocket socket) => _socket = socket;

            public Task SendAsync(byte[] data) => _socket.SendAsync(new ArraySegment<byte>(data), WebSocketMessageType.Text, true, CancellationToken.None);
        }

        public sealed class Hub : IBroadcaster
        {
            private readonly List<Connection> _connections = new();

            public void Add(Connection connection)
            {
                _connections.Add(connection);
                Task.Run(() => { {{added}}; });
            }

            public Task BroadcastAsync(string message)
            {
                var tasks = new List<Task>();
                foreach (var connection in _connections)
                {
                    tasks.Add(connection.SendAsync(Encoding.UTF8.GetBytes(message)));
                }

                return Task.WhenAll(tasks);
            }
        }

        public sealed class Game
        {
            private readonly IBroadcaster _broadcaster;

            public Game(IBroadcaster broadcaster) => _broadcaster = broadcaster;

            public void Update()
            {
                {{tick}};
            }
        }
        """;

    [Fact]
    public Task Flags_a_dropped_broadcast_of_collected_sends_and_one_through_an_interface()
        => VerifyCS.DiagnosticsAsync(Chat("{|WS1009:BroadcastAsync(\"joined\")|}", "{|WS1009:_broadcaster.BroadcastAsync(\"tick\")|}"));

    [Fact]
    public Task Silent_when_the_broadcasts_are_awaited_or_kept()
        => VerifyCS.SilentAsync(Chat("BroadcastAsync(\"joined\").Wait()", "_broadcaster.BroadcastAsync(\"tick\").GetAwaiter().GetResult()"));

    [Fact]
    public Task Silent_when_an_implementation_of_the_interface_does_not_send()
        => VerifyCS.SilentAsync(Chat("BroadcastAsync(\"joined\").Wait()", "_broadcaster.BroadcastAsync(\"tick\")") + """

            public sealed class Recorder : IBroadcaster
            {
                public readonly List<string> Seen = new();

                public Task BroadcastAsync(string message)
                {
                    Seen.Add(message);
                    return Task.CompletedTask;
                }
            }
            """);
}
