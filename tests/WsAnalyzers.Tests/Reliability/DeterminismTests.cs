using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using WsAnalyzers.Tests.Verifiers;
using Xunit;
using Xunit.Abstractions;

namespace WsAnalyzers.Tests.Reliability;

/// <summary>
/// Analyzers must be safe to run concurrently and give the same answer every time.
/// <list type="bullet">
/// <item>Every analyzer's Initialize enables concurrent execution and skips generated code (recorded on a fake context).</item>
/// <item>Analysed 20 times with concurrentAnalysis: true (inputs also analysed in parallel with each other, so the
/// shared caches are hit from several threads), every input gives exactly the diagnostics of run 1: the same IDs,
/// spans, messages and properties, compared sorted by location, then ID. Run 1 covers the whole corpus; runs 2-20
/// cover the inputs run 1 reported a diagnostic on (all inputs when WSANALYZERS_FUZZ_SCALE is 2 or more), which keeps
/// the default test run short.</item>
/// <item>The raw order of GetAnalyzerDiagnosticsAsync is NOT stable under concurrent analysis (diagnostics of
/// different member bodies arrive in completion order), so it is only counted and printed, not asserted.</item>
/// </list>
/// </summary>
public class DeterminismTests
{
    private const int Runs = 20;
    private readonly ITestOutputHelper output;

    public DeterminismTests(ITestOutputHelper output) => this.output = output;

    public static TheoryData<string> Analyzers() => new(AllAnalyzers.Analyzers.Select(a => a.GetType().Name));

    [Theory]
    [MemberData(nameof(Analyzers))]
    public void Initialize_enables_concurrent_execution_and_skips_generated_code(string name)
    {
        var analyzer = AllAnalyzers.Analyzers.Single(a => a.GetType().Name == name);
        var context = new RecordingContext();
        analyzer.Initialize(context);
        Assert.True(context.ConcurrentExecution, $"{name}.Initialize does not call EnableConcurrentExecution()");
        // Generated code is not analysed (no Analyze flag); reports from hand-written bodies are not filtered again,
        // which spares the driver a walk of each reported tree (SocketBlocks.GeneratedCode; GeneratedCodeTests).
        Assert.Equal(GeneratedCodeAnalysisFlags.ReportDiagnostics, context.GeneratedCode);
        Assert.True(context.Registrations > 0, $"{name}.Initialize registers no action");
    }

    [Fact]
    public async Task Twenty_concurrent_runs_give_identical_diagnostics()
    {
        var documents = await Task.WhenAll(Corpus.All.Select(async i => (Input: i, Document: await Harness.DocumentAsync(i.Text, i.IsProgram))));
        var baseline = new string[documents.Length][];
        var mismatches = new List<string>();
        var orderOnly = 0;
        var analyses = 0;
        var selected = Enumerable.Range(0, documents.Length).ToList();
        for (var run = 0; run < Runs; run++)
        {
            if (run == 1 && Harness.Scale < 2)
            {
                selected = selected.Where(i => baseline[i].Length > 0).ToList();
            }

            var results = new string[documents.Length][];
            analyses += selected.Count;
            await Parallel.ForEachAsync(selected, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (i, _) =>
            {
                var analysis = await Harness.AnalyzeAsync(documents[i].Document, concurrent: true, includeCompiler: false);
                Assert.Empty(analysis.Exceptions);
                results[i] = analysis.Diagnostics.Select(Key).ToArray();
            });

            foreach (var i in selected)
            {
                if (run == 0)
                {
                    baseline[i] = results[i];
                    continue;
                }

                if (!results[i].OrderBy(k => k, StringComparer.Ordinal).SequenceEqual(baseline[i].OrderBy(k => k, StringComparer.Ordinal)))
                {
                    mismatches.Add($"run {run + 1}, {documents[i].Input.Name}: different diagnostics{Environment.NewLine}  run 1: {string.Join(" | ", baseline[i])}{Environment.NewLine}  now:   {string.Join(" | ", results[i])}");
                }
                else if (!results[i].SequenceEqual(baseline[i]))
                {
                    orderOnly++;
                }
            }
        }

        output.WriteLine($"{documents.Length} inputs, {selected.Count} of them rerun, {analyses} analyses in {Runs} runs, {baseline.Sum(b => b.Length)} diagnostics per run; {mismatches.Count} runs with different diagnostics, {orderOnly} with the same diagnostics in another raw order");
        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches.Take(10)));
    }

    /// <summary>Location first (so a sort orders by position, then ID), then message and properties.</summary>
    private static string Key(Diagnostic d)
        => $"{d.Location.SourceSpan.Start:D6}-{d.Location.SourceSpan.End:D6} {d.Id} {d.GetMessage()} {string.Join(",", d.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value))}";

    /// <summary>An AnalysisContext that records what Initialize configures and counts registrations.</summary>
    private sealed class RecordingContext : AnalysisContext
    {
        public bool ConcurrentExecution { get; private set; }

        public GeneratedCodeAnalysisFlags? GeneratedCode { get; private set; }

        public int Registrations { get; private set; }

        public override void EnableConcurrentExecution() => ConcurrentExecution = true;

        public override void ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags analysisMode) => GeneratedCode = analysisMode;

        public override void RegisterCompilationStartAction(Action<CompilationStartAnalysisContext> action) => Registrations++;

        public override void RegisterCompilationAction(Action<CompilationAnalysisContext> action) => Registrations++;

        public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action) => Registrations++;

        public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds) => Registrations++;

        public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) => Registrations++;

        public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) => Registrations++;

        public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action) => Registrations++;

        public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) => Registrations++;

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) => Registrations++;

        public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action) => Registrations++;

        public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) => Registrations++;

        public override void RegisterSymbolStartAction(Action<SymbolStartAnalysisContext> action, SymbolKind symbolKind) => Registrations++;
    }
}
