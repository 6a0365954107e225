using Xunit;
using VerifyCS = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.SocketNotDisposedAnalyzer>;

namespace WsAnalyzers.Tests.Rules;

/// <summary>
/// WS1003 and a field given its socket as a <c>using</c> statement's resource (<c>using (_ws = new ClientWebSocket())</c>
/// in a reconnect loop): the using disposes each socket, so the field never keeps one undisposed, and the next
/// iteration replaces a disposed socket.
/// </summary>
public class UsingFieldTests
{
    private static string Client(string extra = "") => $$"""
        public sealed class Client
        {
            private ClientWebSocket _ws;

            public async Task RunAsync(CancellationToken ct)
            {
                for (; ; )
                {
                    using (_ws = {{(extra.Contains("ProbeAsync") ? "[|new ClientWebSocket()|]" : "new ClientWebSocket()")}})
                    {
                        await _ws.ConnectAsync(new Uri("wss://example.org"), ct);
                        await _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                    }

                    await Task.Delay(1000, ct);
                }
            }
        {{extra}}
        }
        """;

    [Fact]
    public Task Silent_when_every_socket_of_the_field_is_a_using_resource() => VerifyCS.SilentAsync(Client());

    [Fact]
    public Task Silent_when_the_field_is_also_cleared() => VerifyCS.SilentAsync(Client("\n    public void Stop() => _ws = null;"));

    [Fact]
    public Task Flags_a_socket_given_to_the_field_outside_a_using_and_the_using_that_may_drop_it() => VerifyCS.DiagnosticsAsync(Client(
        "\n    public Task ProbeAsync(CancellationToken ct)\n    {\n        _ws = [|new ClientWebSocket()|];\n        return _ws.ConnectAsync(new Uri(\"wss://example.org\"), ct);\n    }"));
}
