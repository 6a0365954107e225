using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;

namespace WsAnalyzers.Bench;

internal sealed class Options
{
    public int[] Sizes { get; private set; } = [500, 1000, 2000];
    public char[] Corpora { get; private set; } = ['a', 'n', 'o', 'b'];
    public int Iterations { get; private set; } = 3;
    public int Warmup { get; private set; } = 1;
    public int Seed { get; private set; } = 20260407;
    public bool Peers { get; private set; } = true;

    /// <summary>Also measure the floors of an operation-based analyzer (a no-op operation action, a control flow graph per body).</summary>
    public bool Floors { get; private set; }
    public bool Smoke { get; private set; }
    public bool UniqueNames { get; private set; }
    public string? Output { get; private set; }
    public bool Editor { get; private set; }
    public int[] EditorSizes { get; private set; } = [100, 1000, 3000];
    public int EditorDocs { get; private set; } = 30;
    public int EditorRepeats { get; private set; } = 3;
    public string? Real { get; private set; }

    /// <summary>Measure the projects exported by <c>eval/score.sh --export DIR</c> instead of the generated corpora.</summary>
    public string? RealProjects { get; private set; }

    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--smoke":
                    o.Smoke = true;
                    o.Sizes = [50];
                    o.Iterations = 1;
                    o.Warmup = 0;
                    break;
                case "--sizes":
                    o.Sizes = Next().Split(',').Select(int.Parse).ToArray();
                    break;
                case "--corpus":
                    o.Corpora = Next().Split(',').Select(s => s.Trim()[0]).ToArray();
                    break;
                case "--iterations":
                    o.Iterations = int.Parse(Next());
                    break;
                case "--warmup":
                    o.Warmup = int.Parse(Next());
                    break;
                case "--seed":
                    o.Seed = int.Parse(Next());
                    break;
                case "--floors":
                    o.Floors = true;
                    break;
                case "--no-peers":
                    o.Peers = false;
                    break;
                case "--unique-names":
                    o.UniqueNames = true;
                    break;
                case "--out":
                    o.Output = Next();
                    break;
                case "--editor":
                    o.Editor = true;
                    break;
                case "--editor-sizes":
                    o.EditorSizes = Next().Split(',').Select(int.Parse).ToArray();
                    break;
                case "--editor-docs":
                    o.EditorDocs = int.Parse(Next());
                    break;
                case "--editor-repeats":
                    o.EditorRepeats = int.Parse(Next());
                    break;
                case "--real-projects":
                    o.RealProjects = Next();
                    break;
                case "--real":
                    o.Real = Next();
                    break;
                case "-h" or "--help":
                    Console.WriteLine("options: [--smoke] [--sizes 500,1000,2000] [--corpus a,n,o,b] [--iterations 3] [--warmup 1] [--seed N] [--no-peers] [--floors] [--unique-names] [--real-projects DIR] [--out file.md] [--editor [--editor-sizes 100,1000,3000] [--editor-docs 30] [--editor-repeats 3] [--real DIR]]");
                    Environment.Exit(0);
                    break;
                default:
                    if (int.TryParse(args[i], out var n))
                    {
                        o.Sizes = [n];
                        break;
                    }

                    throw new ArgumentException($"unknown argument {args[i]}");
            }
        }

        return o;
    }
}

/// <summary>Reference assemblies of net10.0 and ASP.NET Core, from the running SDK's packs folder.</summary>
internal sealed class References
{
    public required ImmutableArray<MetadataReference> All { get; init; }
    public required string Description { get; init; }

    /// <summary>The same without System.Net.WebSockets.dll and ASP.NET Core: WebSocket cannot be resolved.</summary>
    public ImmutableArray<MetadataReference> WithoutWebSockets => All
        .Where(r => r.Display is { } d && !Path.GetFileName(d).Equals("System.Net.WebSockets.dll", StringComparison.OrdinalIgnoreCase)
                    && !d.Contains("Microsoft.AspNetCore.App.Ref", StringComparison.Ordinal))
        .ToImmutableArray();

    public static References Load()
    {
        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } r && Directory.Exists(Path.Combine(r, "packs"))
            ? r
            : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        var all = ImmutableArray.CreateBuilder<MetadataReference>();
        var described = new List<string>();
        foreach (var pack in new[] { "Microsoft.NETCore.App.Ref", "Microsoft.AspNetCore.App.Ref" })
        {
            var versions = Path.Combine(root, "packs", pack);
            var version = Directory.GetDirectories(versions).Select(Path.GetFileName)
                .Where(v => Directory.Exists(Path.Combine(versions, v!, "ref", "net10.0")))
                .OrderBy(v => Version.TryParse(v!.Split('-')[0], out var parsed) ? parsed : new Version(0, 0))
                .LastOrDefault() ?? throw new DirectoryNotFoundException($"no net10.0 {pack} under {versions}");
            var folder = Path.Combine(versions, version, "ref", "net10.0");
            all.AddRange(Directory.GetFiles(folder, "*.dll").Order(StringComparer.Ordinal).Select(f => MetadataReference.CreateFromFile(f)));
            described.Add($"{pack} {version}");
        }

        return new References { All = all.ToImmutable(), Description = string.Join(", ", described) };
    }
}

internal sealed class Row(string corpus, int files, int lines)
{
    private readonly Dictionary<string, List<(double Wall, double Exec)>> _samples = new();

    public string Corpus { get; } = corpus;
    public int Files { get; } = files;
    public int Lines { get; } = lines;
    public int WsDiagnostics { get; set; }
    public string WsIds { get; set; } = "";
    public int CompilerErrors { get; set; }
    public string? FirstError { get; set; }
    public string? TimedOut { get; set; }
    public Dictionary<string, int> Diagnostics { get; } = new();

    public void Add(string config, double wall, double exec)
    {
        if (!_samples.TryGetValue(config, out var list))
        {
            _samples[config] = list = new();
        }

        list.Add((wall, exec));
    }

    public bool Has(string config) => _samples.ContainsKey(config);

    public double Median(string config, bool wall)
    {
        if (!_samples.TryGetValue(config, out var list) || list.Count == 0)
        {
            return double.NaN;
        }

        var values = list.Select(s => wall ? s.Wall : s.Exec).Order().ToList();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }

    /// <summary>Smallest and largest sample, to show the noise.</summary>
    public (double Min, double Max) Spread(string config, bool wall)
    {
        var values = _samples[config].Select(s => wall ? s.Wall : s.Exec).ToList();
        return (values.Min(), values.Max());
    }

    public string Summary()
        => $"{Corpus,-16} {Files,5} files {Lines,7} lines | " + string.Join(" | ", _samples.Keys.Where(k => !k.Contains(':')).Select(k => $"{k} wall {Median(k, true):0} ms exec {Median(k, false):0.0} ms"))
           + $" | WS diagnostics {WsDiagnostics} [{WsIds}] | compiler errors {CompilerErrors}" + (TimedOut is null ? "" : $" | {TimedOut}");
}

internal static class Report
{
    private static string Ratio(double a, double b) => double.IsNaN(a) || double.IsNaN(b) || b == 0 ? "–" : (a / b).ToString(a / b < 0.1 ? "0.0000" : "0.00");

    private static string Ms(double v) => double.IsNaN(v) ? "–" : v.ToString(v < 10 ? "0.0" : "0");

    /// <summary>WsAnalyzers' execution time per analyzer (the first rule to ask for a body pays for the shared analysis).</summary>
    public static string Breakdown(List<Row> rows, List<string> analyzers)
    {
        var shown = rows.Where(r => !r.Corpus.StartsWith("a'")).ToList();
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine("WsAnalyzers execution time per analyzer (ms):");
        sb.AppendLine();
        sb.AppendLine("| analyzer | " + string.Join(" | ", shown.Select(r => $"{r.Corpus.Split(':')[0]} {r.Files}")) + " |");
        sb.AppendLine("|---|" + string.Concat(shown.Select(_ => "---|")));
        foreach (var a in analyzers)
        {
            sb.AppendLine($"| {a} | " + string.Join(" | ", shown.Select(r => Ms(r.Median("ours:" + a, false)))) + " |");
        }

        return sb.ToString();
    }

    public static string Table(List<Row> rows, Row monster, bool peers, List<string> cancel)
    {
        var sb = new StringBuilder();
        sb.AppendLine("Times in ms, median of the measured iterations. compile = `compilation.GetDiagnostics()` (binding, single-threaded). "
                      + "wall = `CompilationWithAnalyzers.GetAnalyzerDiagnosticsAsync` (includes the driver's own binding). "
                      + "exec = `AnalyzerTelemetryInfo.ExecutionTime`, summed over the analyzers of the set.");
        sb.AppendLine();
        sb.Append("| corpus | files | lines | compile | empty wall | ours wall | ours exec | ");
        if (peers)
        {
            sb.Append("IDisposable exec | CA2000 exec | ");
        }

        sb.Append("ours exec/compile | ours wall/compile | ours wall/empty wall | ");
        if (peers)
        {
            sb.Append("ours/IDisposable | ours/CA2000 | ");
        }

        sb.AppendLine("ours exec per 1k lines | WS diagnostics |");
        sb.AppendLine("|" + string.Concat(Enumerable.Repeat("---|", peers ? 16 : 12)));
        foreach (var r in rows)
        {
            var ours = r.Median("ours", false);
            sb.Append($"| {r.Corpus} | {r.Files} | {r.Lines} | {Ms(r.Median("compile", true))} | {Ms(r.Median("empty", true))} | {Ms(r.Median("ours", true))} | {Ms(ours)} | ");
            if (peers)
            {
                sb.Append($"{Ms(r.Median("IDisposableAnalyzers", false))} | {Ms(r.Median("CA2000", false))} | ");
            }

            sb.Append($"{Ratio(ours, r.Median("compile", true))} | {Ratio(r.Median("ours", true), r.Median("compile", true))} | {Ratio(r.Median("ours", true), r.Median("empty", true))} | ");
            if (peers)
            {
                sb.Append($"{Ratio(ours, r.Median("IDisposableAnalyzers", false))} | {Ratio(ours, r.Median("CA2000", false))} | ");
            }

            sb.AppendLine($"{ours / r.Lines * 1000:0.00} | {r.WsDiagnostics} |");
        }

        sb.AppendLine();
        sb.AppendLine("Pathological method:");
        sb.AppendLine();
        sb.AppendLine("| input | lines | compile | empty wall | ours wall | ours exec | ours exec/compile | WS diagnostics | note |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
        sb.AppendLine($"| {monster.Corpus} | {monster.Lines} | {Ms(monster.Median("compile", true))} | {Ms(monster.Median("empty", true))} | {Ms(monster.Median("ours", true))} | {Ms(monster.Median("ours", false))} | {Ratio(monster.Median("ours", false), monster.Median("compile", true))} | {monster.WsDiagnostics} | {monster.TimedOut ?? "finished"} |");
        sb.AppendLine();
        sb.AppendLine("Cancellation (WsAnalyzers only; the token is cancelled N ms after the run starts):");
        sb.AppendLine();
        sb.AppendLine("| input | uncancelled wall | cancelled at | stopped at | stop latency | outcome |");
        sb.AppendLine("|---|---|---|---|---|---|");
        foreach (var c in cancel)
        {
            sb.AppendLine(c);
        }

        return sb.ToString();
    }
}
