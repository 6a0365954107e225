using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using WsAnalyzers.Flow;
using WsAnalyzers.Model;
using WsAnalyzers.Tests.Verifiers;
using Xunit;

namespace WsAnalyzers.Tests.Flow;

/// <summary>
/// Helper summaries (<c>MethodSummaries.ForParameter</c>) asked directly: an answer cut short by the depth limit must not
/// be reused for a shallower question, or the verdict would depend on which body the driver analysed first.
/// </summary>
public class SummaryDepthTests
{
    /// <summary>B hands the socket to C, C to D, D to E, and E closes it.</summary>
    private const string Chain = """
        public static class Chain
        {
            public static Task B(WebSocket ws) => C(ws);

            public static Task C(WebSocket ws) => D(ws);

            public static Task D(WebSocket ws) => E(ws);

            public static Task E(WebSocket ws) => ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        """;

    private static async Task<(MethodSummaries Summaries, IMethodSymbol B)> CompileAsync()
    {
        var references = await Targets.Net10.ResolveAsync(LanguageNames.CSharp, CancellationToken.None);
        var tree = CSharpSyntaxTree.ParseText(Targets.Usings + Chain, new CSharpParseOptions(LanguageVersion.Latest), "/src/Chain.cs");
        var compilation = CSharpCompilation.Create("Depth", [tree], references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var b = compilation.GetTypeByMetadataName("Chain")!.GetMembers("B").OfType<IMethodSymbol>().Single();
        return (WebSocketSymbols.Get(compilation)!.Summaries, b);
    }

    [Fact]
    public async Task Asked_at_the_top_the_chain_closes()
    {
        var (summaries, b) = await CompileAsync();
        Assert.Equal(HelperOutcome.Closes, summaries.ForParameter(b, b.Parameters[0], 0)!.Outcome);
    }

    [Fact]
    public async Task Asked_deep_the_chain_is_cut_short()
    {
        var (summaries, b) = await CompileAsync();
        Assert.Equal(HelperOutcome.Unknown, summaries.ForParameter(b, b.Parameters[0], 3)!.Outcome);
    }

    [Fact]
    public async Task A_deep_answer_asked_first_does_not_stand_for_the_top()
    {
        var (summaries, b) = await CompileAsync();
        Assert.Equal(HelperOutcome.Unknown, summaries.ForParameter(b, b.Parameters[0], 3)!.Outcome);
        Assert.Equal(HelperOutcome.Closes, summaries.ForParameter(b, b.Parameters[0], 0)!.Outcome);
    }
}
