using Xunit;
using VerifyCS = WsAnalyzers.Tests.Verifiers.Verify<WsAnalyzers.Rules.SendNotAwaitedAnalyzer>;

namespace WsAnalyzers.Tests.Rules;

/// <summary>
/// Whether a method is a send wrapper is answered per depth it is asked at, so the verdict on one dropped call does not
/// depend on which other call the analysis met first. (A wrapper's name says Send: that is the syntax gate in front of
/// binding its body.)
/// </summary>
public class WrapperDepthTests
{
    private const string Chain = """
        private readonly ClientWebSocket _ws = new();

        private Task SendC() => _ws.SendAsync(new ArraySegment<byte>(new byte[1]), WebSocketMessageType.Text, true, CancellationToken.None);

        private async Task SendB() => await SendC();

        private async Task SendA() => await SendB();

        private async Task SendOuter() => await SendA();
        """;

    private const string DropsB = """
        public void First() => _ = {|WS1009:SendB()|};
        """;

    private const string DropsOuter = """
        public void Second() => _ = SendOuter();
        """;

    [Fact]
    public Task A_chain_too_deep_is_not_a_wrapper_when_asked_first() => VerifyCS.DiagnosticsAsync(
        "class Client\n{\n" + DropsOuter + "\n" + DropsB + "\n" + Chain + "\n}\n");

    [Fact]
    public Task A_chain_too_deep_is_not_a_wrapper_when_a_shorter_one_was_asked_before() => VerifyCS.DiagnosticsAsync(
        "class Client\n{\n" + DropsB + "\n" + DropsOuter + "\n" + Chain + "\n}\n");
}
