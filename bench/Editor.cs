using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace WsAnalyzers.Bench;

/// <summary>
/// What an editor asks after each keystroke: the changed document's semantic diagnostics, from a new compilation
/// (the old one with that document replaced) and a new <see cref="CompilationWithAnalyzers"/>. The project holds a
/// fixed set of WebSocket files plus ordinary files up to the project size, so growth in latency with size is the
/// analyzers' doing: the document analysed is the same at every size.
/// </summary>
internal static class EditorBench
{
    public sealed record Result(string Config, int ProjectFiles, List<double> Latencies, int Diagnostics);

    public static async Task<List<Result>> Run(
        int[] sizes, int webSocketFiles, int docs, int repeats, int seed, string? realDir,
        CSharpParseOptions parseOptions, Func<ImmutableArray<SyntaxTree>, CSharpCompilation> compile,
        List<(string Name, ImmutableArray<DiagnosticAnalyzer> Analyzers)> configs)
    {
        var wsSources = realDir is null
            ? Corpus.Generate('b', webSocketFiles, seed)
            : RealFiles(realDir, webSocketFiles);
        var wsTrees = wsSources.Select(s => CSharpSyntaxTree.ParseText(s.Text, parseOptions, s.Path, Encoding.UTF8)).ToList();
        var results = new List<Result>();
        foreach (var size in sizes)
        {
            var filler = Math.Max(0, size - wsTrees.Count);
            var fillerTrees = Corpus.Generate('a', filler, seed)
                .Select(s => CSharpSyntaxTree.ParseText(s.Text, parseOptions, "Filler/" + s.Path, Encoding.UTF8));
            var compilation = compile([.. wsTrees, .. fillerTrees]);

            // The documents typed in: evenly spread over the WebSocket files.
            var step = Math.Max(1, wsTrees.Count / docs);
            var targets = Enumerable.Range(0, wsTrees.Count).Where(i => i % step == 0).Take(docs).ToList();
            if (Environment.GetEnvironmentVariable("WSBENCH_EDITOR_ONLY") is { Length: > 0 } only)
            {
                // Investigating one document: type only into the files whose path contains this text.
                targets = Enumerable.Range(0, wsTrees.Count).Where(i => wsTrees[i].FilePath.Contains(only, StringComparison.Ordinal)).ToList();
            }
            var samples = configs.ToDictionary(c => c.Name, _ => new List<double>());
            var diagnostics = configs.ToDictionary(c => c.Name, _ => 0);

            // Warm-up: a few unmeasured keystrokes (JIT, and per-tree caches an IDE would already hold).
            foreach (var i in targets.Take(3))
            {
                foreach (var (name, analyzers) in configs)
                {
                    (compilation, _, _) = await Keystroke(compilation, wsTrees, i, analyzers);
                }
            }

            foreach (var i in targets)
            {
                foreach (var (name, analyzers) in configs)
                {
                    var times = new List<double>();
                    for (var r = 0; r < repeats; r++)
                    {
                        (compilation, var ms, var found) = await Keystroke(compilation, wsTrees, i, analyzers);
                        times.Add(ms);
                        diagnostics[name] += r == 0 ? found : 0;
                    }

                    samples[name].Add(Median(times));
                }

                if (Environment.GetEnvironmentVariable("WSBENCH_EDITOR_DETAIL") == "1")
                {
                    Console.WriteLine($"  {size} {wsTrees[i].FilePath} ({wsTrees[i].GetText().Lines.Count} lines): " + string.Join(", ", configs.Select(c => $"{c.Name} {samples[c.Name][^1]:0}")));
                }
            }

            foreach (var (name, _) in configs)
            {
                var result = new Result(name, size, samples[name], diagnostics[name]);
                results.Add(result);
                Console.WriteLine($"editor: {size} files, {name}: p50 {Percentile(result.Latencies, 50):0} / p95 {Percentile(result.Latencies, 95):0} / max {result.Latencies.Max():0} ms over {result.Latencies.Count} documents; {result.Diagnostics} diagnostics");
            }
        }

        return results;
    }

    /// <summary>Types a space into a method body of WebSocket file <paramref name="index"/>, then asks for that document's diagnostics.</summary>
    private static async Task<(CSharpCompilation, double, int)> Keystroke(CSharpCompilation compilation, List<SyntaxTree> wsTrees, int index, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var old = wsTrees[index];
        var text = old.GetText();
        var at = BodyPosition(old);
        var changed = old.WithChangedText(text.WithChanges(new TextChange(new TextSpan(at, 0), " ")));
        wsTrees[index] = changed;
        var next = (CSharpCompilation)compilation.ReplaceSyntaxTree(old, changed);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var watch = Stopwatch.StartNew();
        var cwa = next.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null,
            concurrentAnalysis: false, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: false));
        var model = next.GetSemanticModel(changed);
        var found = await cwa.GetAnalyzerSemanticDiagnosticsAsync(model, filterSpan: null, CancellationToken.None);
        watch.Stop();
        if (found.FirstOrDefault(d => d.Id == "AD0001") is { } crash)
        {
            throw new InvalidOperationException($"analyzer threw: {crash}");
        }

        return (next, watch.Elapsed.TotalMilliseconds, found.Length);
    }

    /// <summary>Just after the first '{' of the first method body: an edit inside a member, as typing is.</summary>
    private static int BodyPosition(SyntaxTree tree)
    {
        var body = tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.BlockSyntax>().FirstOrDefault();
        return body is null ? 0 : body.OpenBraceToken.Span.End;
    }

    /// <summary>Real WebSocket files from a folder (for example the audit's extracted trees); never committed.</summary>
    private static List<(string Path, string Text)> RealFiles(string dir, int count)
        => Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/"))
            .Order(StringComparer.Ordinal)
            .Select(f => (Path: f, Text: File.ReadAllText(f)))
            .Where(f => f.Text.Contains("ReceiveAsync", StringComparison.Ordinal) && f.Text.Contains("WebSocket", StringComparison.Ordinal))
            .GroupBy(f => Path.GetFileName(f.Path)).Select(g => g.First())
            .Take(count)
            .Select(f => (Path.GetRelativePath(dir, f.Path), f.Text))
            .ToList();

    public static double Median(List<double> values) => Percentile(values, 50);

    public static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        var rank = p / 100 * (sorted.Count - 1);
        var lo = (int)Math.Floor(rank);
        var hi = (int)Math.Ceiling(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    public static string Table(List<Result> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("Editor: one document's semantic diagnostics after a keystroke (new compilation, new CompilationWithAnalyzers), ms per document (median of the repeats), over the WebSocket documents typed in:");
        sb.AppendLine();
        sb.AppendLine("| project files | analyzers | p50 | p95 | max | p95 above no-op | diagnostics |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var group in results.GroupBy(r => r.ProjectFiles))
        {
            var noop = group.FirstOrDefault(r => r.Config == "no-op operation action");
            foreach (var r in group)
            {
                var above = noop is null || r == noop ? "–" : $"{Percentile(r.Latencies, 95) - Percentile(noop.Latencies, 95):0}";
                sb.AppendLine($"| {r.ProjectFiles} | {r.Config} | {Percentile(r.Latencies, 50):0} | {Percentile(r.Latencies, 95):0} | {r.Latencies.Max():0} | {above} | {r.Diagnostics} |");
            }
        }

        return sb.ToString();
    }
}
