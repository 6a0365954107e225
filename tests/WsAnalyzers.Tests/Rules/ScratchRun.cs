using WsAnalyzers.Tests.Verifiers;
using Xunit;

namespace WsAnalyzers.Tests.Rules;

public class ScratchRun
{
    [Fact]
    public async Task Run()
    {
        var src = System.IO.File.ReadAllText("/tmp/scratch.cs");
        var document = await Harness.DocumentAsync(src, false);
        var before = await Harness.AnalyzeAsync(document);
        System.IO.File.WriteAllText("/tmp/scratch.diag", string.Join("\n", before.Diagnostics.Where(d => d.Id.StartsWith("WS") || d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).Select(d => d.ToString())) + "\n" + string.Join("\n", before.Exceptions));
    }
}
