using Xunit;
using VerifyCS = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.CloseNotAcknowledgedAnalyzer>;

namespace WsAnalyzers.Tests.Rules;

/// <summary>
/// A test of which close was received (<c>switch (result.CloseStatus)</c>, <c>if (result.CloseStatus == ..)</c>) is not a
/// test of whether one was: both sides are close paths and are walked on.
/// </summary>
public class CloseStatusSwitchTests
{
    private static string Client(string normalArm, string otherArm, string check = "result.MessageType == WebSocketMessageType.Close", string afterSwitch = "") => $$"""
        class Client
        {
            bool _faulted;

            async Task Run(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (ws.State == WebSocketState.Open)
                {
                    var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if ({{check}})
                    {
                        switch (result.CloseStatus)
                        {
                            case WebSocketCloseStatus.NormalClosure:
                                {{normalArm}}
                                break;
                            default:
                                {{otherArm}}
                                break;
                        }

                        {{afterSwitch}}
                        break;
                    }

                    Console.WriteLine(result.Count);
                }
            }

            async Task Main()
            {
                using var ws = new ClientWebSocket();
                await Run(ws, CancellationToken.None);
            }
        }
        """;

    private const string Answer = "await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);";

    [Fact]
    public Task Flags_a_close_branch_that_only_sorts_the_status() => VerifyCS.DiagnosticsAsync(
        Client("_faulted = false;", "_faulted = true;", "{|WS1002:result.MessageType == WebSocketMessageType.Close|}"));

    [Fact]
    public Task Flags_when_one_status_is_left_unanswered() => VerifyCS.DiagnosticsAsync(
        Client(Answer, "_faulted = true;", "{|WS1002:result.MessageType == WebSocketMessageType.Close|}"));

    [Fact]
    public Task Silent_when_every_status_is_answered() => VerifyCS.SilentAsync(Client(Answer, Answer));

    [Fact]
    public Task Silent_when_the_close_is_answered_after_the_switch() => VerifyCS.SilentAsync(
        Client("_faulted = false;", "_faulted = true;", afterSwitch: Answer));
}
