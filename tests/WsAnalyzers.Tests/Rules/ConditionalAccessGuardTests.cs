using Xunit;
using VerifyCS = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.CloseNotAcknowledgedAnalyzer>;

namespace WsAnalyzers.Tests.Rules;

/// <summary>
/// A close helper of the socket's type guarded by the type's own property written with a conditional access
/// (<c>IsConnected =&gt; _connected &amp;&amp; _client?.State == WebSocketState.Open</c>): in CloseReceived the property is
/// false, so the helper the Close branch calls sends nothing.
/// </summary>
public class ConditionalAccessGuardTests
{
    private static string Client(string isConnected, string closeCheck) => $$"""
        public sealed class Client
        {
            private ClientWebSocket _client;
            private bool _connected;

            public bool IsConnected => {{isConnected}};

            public async Task ConnectAsync(CancellationToken ct)
            {
                _client = new ClientWebSocket();
                await _client.ConnectAsync(new Uri("wss://example.org"), ct);
                _connected = true;
                _ = ReceiveLoop();
            }

            private async Task ReceiveLoop()
            {
                var buffer = new byte[8192];
                while (_client != null && IsConnected)
                {
                    var result = await _client.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                    if ({{closeCheck}})
                    {
                        await DisconnectAsync();
                        return;
                    }

                    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }
            }

            public async Task DisconnectAsync()
            {
                try
                {
                    if (_client != null && IsConnected)
                    {
                        await _client.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                        _connected = false;
                    }
                }
                finally
                {
                    _client?.Dispose();
                    _client = null;
                }
            }
        }
        """;

    [Theory]
    [InlineData("_connected && _client?.State == WebSocketState.Open")]
    [InlineData("_client?.State == WebSocketState.Open")]
    public Task Flags_a_close_branch_whose_helper_is_guarded_by_a_conditional_access_property(string isConnected)
        => VerifyCS.DiagnosticsAsync(Client(isConnected, "{|WS1002:result.MessageType == WebSocketMessageType.Close|}"));

    [Theory]
    [InlineData("_connected && _client?.State is WebSocketState.Open or WebSocketState.CloseReceived")]
    [InlineData("_client?.State != WebSocketState.Closed")]
    public Task Silent_when_the_property_admits_close_received(string isConnected)
        => VerifyCS.SilentAsync(Client(isConnected, "result.MessageType == WebSocketMessageType.Close"));
}
