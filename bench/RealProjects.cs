using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace WsAnalyzers.Bench;

/// <summary>
/// Real projects for goal 1 of the performance issue: the audited projects as the eval runner exported them
/// (<c>eval/score.sh --export DIR</c>: each project's sources, reference paths, options and referenced projects). They
/// are third-party code and live outside the repository.
/// </summary>
internal sealed class RealProject
{
    public required string Label { get; init; }
    public required ImmutableArray<SyntaxTree> Trees { get; init; }
    public required Func<ImmutableArray<SyntaxTree>, CSharpCompilation> Compile { get; init; }

    public static List<RealProject> Load(string dir)
    {
        var result = new List<RealProject>();
        foreach (var file in Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            result.Add(FromJson(doc.RootElement));
        }

        return result;
    }

    private static RealProject FromJson(JsonElement e)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Preview, DocumentationMode.None, SourceCodeKind.Regular,
            e.GetProperty("symbols").EnumerateArray().Select(s => s.GetString()!));
        var trees = e.GetProperty("trees").EnumerateArray()
            .Select(t => CSharpSyntaxTree.ParseText(SourceText.From(t.GetProperty("text").GetString()!, Encoding.UTF8), parse, t.GetProperty("path").GetString()!))
            .ToImmutableArray();
        var references = new List<MetadataReference>();
        foreach (var r in e.GetProperty("refs").EnumerateArray())
        {
            if (File.Exists(r.GetString()))
            {
                references.Add(MetadataReference.CreateFromFile(r.GetString()!));
            }
        }

        // Referenced projects are compiled from source once and shared by every measured compilation (a build hands
        // the compiler their assemblies; their declarations are bound once here, in the warm-up).
        foreach (var p in e.GetProperty("projects").EnumerateArray())
        {
            var child = FromJson(p);
            references.Add(child.Compile(child.Trees).ToMetadataReference());
        }

        var options = new CSharpCompilationOptions(
                Enum.Parse<OutputKind>(e.GetProperty("outputKind").GetString()!),
                nullableContextOptions: Enum.Parse<NullableContextOptions>(e.GetProperty("nullable").GetString()!),
                allowUnsafe: true, concurrentBuild: false)
            .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CA2000"] = ReportDiagnostic.Warn });
        var name = e.GetProperty("name").GetString() ?? "Real";
        return new RealProject
        {
            Label = e.GetProperty("label").GetString()!,
            Trees = trees,
            Compile = t => CSharpCompilation.Create(name, t, references, options),
        };
    }

    /// <summary>One line per project and their sum: the sum of medians is the figure goal 1 is judged on.</summary>
    public static string Table(List<(RealProject Project, Row Row)> rows, bool peers)
    {
        static string Ms(double v) => double.IsNaN(v) ? "–" : v.ToString(v < 10 ? "0.0" : "0");
        static string Ratio(double a, double b) => double.IsNaN(a) || double.IsNaN(b) || b == 0 ? "–" : (a / b).ToString("0.000");
        var sb = new StringBuilder();
        sb.AppendLine("Real projects (compile = binding, single-threaded; exec = AnalyzerTelemetryInfo.ExecutionTime summed over the set; median of the measured iterations, ms):");
        sb.AppendLine();
        sb.AppendLine("| project | files | lines | compile | ours exec | ours/compile | IDisposable exec | CA2000 exec | ours/IDisposable | WS diagnostics |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        double compile = 0, ours = 0, idisp = 0, ca = 0;
        int files = 0, lines = 0, ws = 0;
        foreach (var (p, r) in rows.OrderByDescending(x => x.Row.Median("compile", true)))
        {
            var c = r.Median("compile", true);
            var o = r.Median("ours", false);
            var i = peers ? r.Median("IDisposableAnalyzers", false) : double.NaN;
            var a = peers ? r.Median("CA2000", false) : double.NaN;
            compile += c;
            ours += o;
            idisp += double.IsNaN(i) ? 0 : i;
            ca += double.IsNaN(a) ? 0 : a;
            files += r.Files;
            lines += r.Lines;
            ws += r.WsDiagnostics;
            sb.AppendLine($"| {p.Label} | {r.Files} | {r.Lines} | {Ms(c)} | {Ms(o)} | {Ratio(o, c)} | {Ms(i)} | {Ms(a)} | {Ratio(o, i)} | {r.WsDiagnostics} |");
        }

        sb.AppendLine($"| **all {rows.Count} projects** | {files} | {lines} | {Ms(compile)} | {Ms(ours)} | {Ratio(ours, compile)} | {(peers ? Ms(idisp) : "–")} | {(peers ? Ms(ca) : "–")} | {(peers ? Ratio(ours, idisp) : "–")} | {ws} |");
        return sb.ToString();
    }
}
