using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace WsAnalyzers.Eval;

internal static class Program
{
    private static int Main(string[] args)
    {
        Settings s;
        try
        {
            s = Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        var rows = s.Manifests.SelectMany(Row.Load).ToList();
        var duplicate = rows.GroupBy(r => (r.Manifest, r.Id)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate != null)
        {
            Console.Error.WriteLine($"duplicate id {duplicate.Key.Id} in {duplicate.Key.Manifest}");
            return 2;
        }

        if (s.CheckOnly)
        {
            return Check(s, rows);
        }

        Directory.CreateDirectory(s.Cache);
        var framework = Framework.Load(out var frameworkDescription);
        var analyzers = LoadAnalyzers();
        var report = new Report(s, rows, frameworkDescription, analyzers.Select(a => a.GetType().Name).ToList());
        var builders = new Dictionary<string, ProjectBuilder>();
        foreach (var group in rows.GroupBy(r => r.Key).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var first = group.First();
            var result = new ProjectResult { Repo = first.Repo, Commit = first.Commit, Project = first.Project };
            report.Projects.Add(result);
            var watch = Stopwatch.StartNew();
            try
            {
                var root = Trees.Extract(s, first.Repo, first.Commit);
                var treeKey = root;
                if (!builders.TryGetValue(treeKey, out var builder))
                {
                    builders[treeKey] = builder = new ProjectBuilder(s, framework);
                }

                var built = builder.Build(root, first.Project);
                result.Notes.AddRange(built.Notes);
                result.Files = built.Files;
                result.ProjectReferences = built.ProjectReferences;
                result.Packages = built.PackageReferences;
                if (s.Export != null)
                {
                    Export.Write(built.Compilation, s.Export, $"{first.Repo} {first.Project}", report.Projects.Count);
                }

                Analyze(built, group.ToList(), analyzers, result);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or DirectoryNotFoundException or FormatException)
            {
                result.Failed = e.Message;
            }

            result.Seconds = watch.Elapsed.TotalSeconds;
            Console.Error.WriteLine($"[{result.Seconds,6:F1}s] {result.Repo} {result.Project}: " +
                                    (result.Failed ?? $"{result.Files} files, {result.Errors} errors ({result.AuditedErrors} in audited files), {result.WsDiagnostics} WS diagnostics"));
        }

        var text = report.Render();
        Console.WriteLine(text);
        if (s.Output != null)
        {
            File.WriteAllText(s.Output, text);
            Console.Error.WriteLine($"wrote {s.Output}");
        }

        return report.Projects.Any(p => p.Failed != null) ? 1 : 0;
    }

    private static Settings Parse(string[] args)
    {
        var s = new Settings();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--out":
                    s.Output = Next();
                    break;
                case "--mirror":
                    s.Mirror = Next();
                    break;
                case "--cache":
                    s.Cache = Next();
                    break;
                case "--restore":
                    s.Restore = true;
                    break;
                case "--restore-timeout":
                    s.RestoreTimeoutSeconds = int.Parse(Next());
                    break;
                case "--fresh":
                    s.Fresh = true;
                    break;
                case "--check":
                    s.CheckOnly = true;
                    break;
                case "--export":
                    s.Export = Next();
                    break;
                case "-v" or "--verbose":
                    s.Verbose = true;
                    break;
                case "-h" or "--help":
                    throw new ArgumentException(
                        "usage: Runner [--out report.md] [--mirror /work/.mirror] [--cache dir] [--restore] [--restore-timeout 300] [--fresh] [--check] [--export DIR] [-v] manifest.tsv ...");
                default:
                    if (args[i].StartsWith('-'))
                    {
                        throw new ArgumentException($"unknown option {args[i]}");
                    }

                    s.Manifests.Add(args[i]);
                    break;
            }
        }

        if (s.Manifests.Count == 0)
        {
            throw new ArgumentException("no manifest given");
        }

        return s;
    }

    /// <summary>--check: the manifests parse, every commit is in the mirror, every project, path and span exists there.
    /// Runs no analyzer.</summary>
    private static int Check(Settings s, List<Row> rows)
    {
        var problems = 0;
        var gitDirs = new Dictionary<string, string?>();
        foreach (var r in rows)
        {
            var key = r.Repo + "@" + r.Commit;
            if (!gitDirs.TryGetValue(key, out var git))
            {
                try
                {
                    git = Trees.FindGitDir(s.Mirror, r.Repo, r.Commit);
                }
                catch (Exception e) when (e is InvalidOperationException or DirectoryNotFoundException)
                {
                    Console.WriteLine($"{r.Manifest} {r.Id}: {e.Message}");
                    problems++;
                }

                gitDirs[key] = git;
            }

            if (git == null)
            {
                continue;
            }

            foreach (var (path, spans) in new[] { (r.Project, Array.Empty<Span>()), (r.Path, new[] { r.Method }) }
                         .Concat(r.Also.GroupBy(a => a.Path).Select(g => (g.Key, g.ToArray()))))
            {
                var (code, text) = Proc.Run("git", ["-C", git, "show", $"{r.Commit}:{path}"], timeoutSeconds: 60);
                if (code != 0)
                {
                    Console.WriteLine($"{r.Manifest} {r.Id}: {path} not found at {r.Commit[..12]}");
                    problems++;
                    continue;
                }

                var lines = text.Split('\n');
                foreach (var span in spans)
                {
                    // A constructor is labelled .ctor; its first line names the type. An accessor (`P.set`) starts at its keyword.
                    var name = span.Method == ".ctor" ? r.Type.Split('.')[^1] : span.Method.Split('.')[^1];
                    // Top-level statements (<Main>$) and lambdas (`<lambda in app.Map>`) have no line that names them: only the span is checked.
                    if (span.End > lines.Length || !span.Method.StartsWith('<') && !lines[span.Start - 1].Contains(name, StringComparison.Ordinal))
                    {
                        Console.WriteLine($"{r.Manifest} {r.Id}: {path}:{span.Start} does not name {span.Method} (or the file is shorter than {span.End})");
                        problems++;
                    }
                }
            }
        }

        var rowsByGroup = Groups.All.Select(g => $"{g}: {rows.Count(r => r.Expected.Contains(g))}");
        Console.WriteLine($"{rows.Count} rows, {rows.Select(r => r.Repo).Distinct().Count()} repositories, " +
                          $"{rows.Select(r => r.Key).Distinct().Count()} projects; expected {string.Join(", ", rowsByGroup)}; " +
                          $"clean {rows.Count(r => r.Expected.Count == 0)}; {problems} problem(s)");
        return problems == 0 ? 0 : 1;
    }

    private static ImmutableArray<DiagnosticAnalyzer> LoadAnalyzers()
    {
        var assembly = typeof(WsAnalyzers.RuleIds).Assembly;
        return assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() != null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
    }

    private static void Analyze(Built built, List<Row> rows, ImmutableArray<DiagnosticAnalyzer> analyzers, ProjectResult result)
    {
        var compilation = built.Compilation;
        var audited = rows.Select(r => r.Path).Concat(rows.SelectMany(r => r.Also.Select(a => a.Path))).ToHashSet(StringComparer.Ordinal);
        foreach (var path in audited.Where(p => compilation.SyntaxTrees.All(t => t.FilePath != p)))
        {
            result.Notes.Add($"audited file not in the compilation: {path}");
        }

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        result.Errors = errors.Count;
        var auditedErrors = errors.Where(d => d.Location.SourceTree?.FilePath is { } f && audited.Contains(f)).ToList();
        result.AuditedErrors = auditedErrors.Count;
        result.TopErrors.AddRange(auditedErrors.GroupBy(d => d.Id + " " + d.GetMessage()).OrderByDescending(g => g.Count()).Take(3)
            .Select(g => $"{g.Count()}× {ProjectBuilderText(g.Key)}"));

        var exceptions = new List<string>();
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), (e, a, d) => exceptions.Add($"{a.GetType().Name}: {e.GetType().Name}: {e.Message}"),
            concurrentAnalysis: false, logAnalyzerExecutionTime: false);
        var withAnalyzers = compilation.WithAnalyzers(analyzers, options);
        var diagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        foreach (var d in diagnostics.Where(d => d.Id == "AD0001"))
        {
            result.AD0001.Add(d.GetMessage());
        }

        result.AD0001.AddRange(exceptions.Where(e => !result.AD0001.Any(a => a.Contains(e, StringComparison.Ordinal))));
        var listAll = Environment.GetEnvironmentVariable("WSEVAL_DIAGS") == "1";
        foreach (var d in diagnostics.Where(d => d.Id.StartsWith("WS", StringComparison.Ordinal)))
        {
            if (listAll)
            {
                // WSEVAL_DIAGS=1: every WS diagnostic with its message, on stderr (for reading a project's reports).
                Console.Error.WriteLine($"  {d.Id} {d.Location.GetLineSpan().Path}:{d.Location.GetLineSpan().StartLinePosition.Line + 1}: {d.GetMessage()}");
            }

            result.WsDiagnostics++;
            var span = d.Location.GetLineSpan();
            var path = span.Path;
            var line = span.StartLinePosition.Line + 1;
            var text = $"{d.Id} {path}:{line}";
            if (!audited.Contains(path))
            {
                result.OtherFiles++;
                continue;
            }

            // The innermost labelled method holding the line.
            var owner = rows.Where(r => r.Method.Contains(path, line)).OrderBy(r => r.Method.End - r.Method.Start).FirstOrDefault();
            var group = Groups.Of(d.Id);
            if (group != null && owner != null && !owner.Labelled.Contains(group))
            {
                // The manifest does not label this rule: the report is neither a hit nor a false alarm.
                group = null;
            }

            var matched = false;
            if (owner != null)
            {
                owner.Diagnostics.Add(text);

                // A WS1002/WS1004 report in a method that another row names as an 'also' location (a close helper)
                // belongs to that row, not to the helper's own row (unless the helper itself expects WS1002).
                var claimedElsewhere = group == "WS1002" && !owner.Expected.Contains(group)
                                       && rows.Any(r => r != owner && r.Also.Any(a => a.Contains(path, line)));
                if (group != null && !claimedElsewhere)
                {
                    owner.Reported.Add(group);
                }

                matched = true;
            }

            if (group == "WS1002")
            {
                foreach (var r in rows.Where(r => r != owner && r.Also.Any(a => a.Contains(path, line))))
                {
                    r.Reported.Add(group);
                    r.Diagnostics.Add(text + " (also)");
                    matched = true;
                }
            }

            if (!matched)
            {
                result.Unlabelled.Add($"{text}: {d.GetMessage()}");
            }
        }
    }

    private static string ProjectBuilderText(string s) => ProjectBuilder.Trunc(s.Replace('\n', ' '), 160);
}

internal static class Framework
{
    /// <summary>net10.0 and ASP.NET Core reference assemblies of the running SDK (as bench/Support.cs does).</summary>
    public static ImmutableArray<MetadataReference> Load(out string description)
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

        description = string.Join(", ", described);
        return all.ToImmutable();
    }
}

internal sealed class ProjectResult
{
    public required string Repo { get; init; }
    public required string Commit { get; init; }
    public required string Project { get; init; }
    public string? Failed { get; set; }
    public int Files { get; set; }
    public int Packages { get; set; }
    public int ProjectReferences { get; set; }
    public int Errors { get; set; }
    public int AuditedErrors { get; set; }
    public int WsDiagnostics { get; set; }
    public int OtherFiles { get; set; }
    public double Seconds { get; set; }
    public List<string> TopErrors { get; } = [];
    public List<string> Notes { get; } = [];
    public List<string> AD0001 { get; } = [];
    public List<string> Unlabelled { get; } = [];
}

internal sealed class Report(Settings settings, List<Row> rows, string framework, List<string> analyzers)
{
    public List<ProjectResult> Projects { get; } = [];

    public string Render()
    {
        var sb = new StringBuilder();
        sb.AppendLine("# WsAnalyzers real-code audit score");
        sb.AppendLine();
        sb.AppendLine($"Manifests: {string.Join(", ", settings.Manifests.Select(Path.GetFileName))}; {rows.Count} labelled methods in " +
                      $"{rows.Select(r => r.Repo).Distinct().Count()} repositories, {Projects.Count} projects.");
        sb.AppendLine($"References: {framework}{(settings.Restore ? " + restored packages" : " (no restore)")}. Analyzers: {analyzers.Count}.");
        sb.AppendLine();
        sb.AppendLine("## Scores (per labelled method)");
        sb.AppendLine();
        sb.AppendLine("| group | expected | TP | FN | FP | precision [95% CI] | recall [95% CI] |");
        sb.AppendLine("|---|---:|---:|---:|---:|---|---|");
        var failed = Projects.Where(p => p.Failed != null).Select(p => $"{p.Repo}@{p.Commit}:{p.Project}").ToHashSet();
        var scored = rows.Where(r => !failed.Contains(r.Key)).ToList();
        int allTp = 0, allFn = 0, allFp = 0;
        foreach (var g in Groups.All)
        {
            var labelled = scored.Where(r => r.Labelled.Contains(g)).ToList();
            if (labelled.Count == 0)
            {
                continue;
            }

            var tp = labelled.Count(r => r.Expected.Contains(g) && r.Reported.Contains(g));
            var fn = labelled.Count(r => r.Expected.Contains(g) && !r.Reported.Contains(g));
            var fp = labelled.Count(r => !r.Expected.Contains(g) && r.Reported.Contains(g));
            allTp += tp;
            allFn += fn;
            allFp += fp;
            sb.AppendLine($"| {(g == "WS1002" ? "WS1002 (+WS1004)" : g)} | {tp + fn} | {tp} | {fn} | {fp} | {Ratio(tp, tp + fp)} | {Ratio(tp, tp + fn)} |");
        }

        sb.AppendLine($"| all | {allTp + allFn} | {allTp} | {allFn} | {allFp} | {Ratio(allTp, allTp + allFp)} | {Ratio(allTp, allTp + allFn)} |");
        sb.AppendLine();
        var clean = scored.Where(r => r.Expected.Count == 0).ToList();
        sb.AppendLine($"Methods labelled clean: {clean.Count}, of which reported on: {clean.Count(r => r.Reported.Count > 0)}.");
        if (failed.Count > 0)
        {
            sb.AppendLine($"Not scored (project failed): {rows.Count - scored.Count} rows in {failed.Count} project(s).");
        }

        sb.AppendLine();
        sb.AppendLine("## Misses and false alarms");
        sb.AppendLine();
        sb.AppendLine("| id | kind | group | repo | path | method | lines | expected | reported | reason |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in scored)
        {
            foreach (var g in Groups.All)
            {
                var kind = (r.Expected.Contains(g), r.Reported.Contains(g)) switch
                {
                    (true, false) => "FN",
                    (false, true) => "FP",
                    _ => null,
                };
                if (kind != null)
                {
                    sb.AppendLine($"| {r.Id} | {kind} | {g} | {r.Repo} | {r.Path} | {Esc(r.Method.Method)} | {r.Method.Start}-{r.Method.End} | " +
                                  $"{Set(r.Expected)} | {Esc(string.Join(", ", r.Diagnostics))} | {Esc(r.Reason)} |");
                }
            }
        }

        sb.AppendLine();
        sb.AppendLine("## Unlabelled WS diagnostics in audited files (outside every labelled method)");
        sb.AppendLine();
        var unlabelled = Projects.SelectMany(p => p.Unlabelled.Select(u => $"- {p.Repo}: {Esc(u)}")).ToList();
        sb.AppendLine(unlabelled.Count == 0 ? "None." : string.Join("\n", unlabelled));
        sb.AppendLine();
        sb.AppendLine("## Projects");
        sb.AppendLine();
        sb.AppendLine("| repo | commit | project | files | project refs | packages | compile errors | in audited files | WS diags (other files) | AD0001 | s |");
        sb.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var p in Projects)
        {
            if (p.Failed != null)
            {
                sb.AppendLine($"| {p.Repo} | {Short(p.Commit)} | {p.Project} | FAILED: {Esc(p.Failed)} | | | | | | | {p.Seconds:F0} |");
                continue;
            }

            sb.AppendLine($"| {p.Repo} | {Short(p.Commit)} | {p.Project} | {p.Files} | {p.ProjectReferences} | {p.Packages} | {p.Errors} | {p.AuditedErrors} | " +
                          $"{p.WsDiagnostics} ({p.OtherFiles}) | {p.AD0001.Count} | {p.Seconds:F0} |");
        }

        var details = Projects.Where(p => p.TopErrors.Count > 0 || p.Notes.Count > 0 || p.AD0001.Count > 0).ToList();
        if (details.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("### Project notes (most frequent compile errors in audited files, restore, AD0001)");
            sb.AppendLine();
            foreach (var p in details)
            {
                foreach (var line in p.TopErrors.Select(e => "error: " + e).Concat(p.Notes).Concat(p.AD0001.Select(a => "AD0001: " + a)))
                {
                    sb.AppendLine($"- {p.Repo} {p.Project}: {Esc(ProjectBuilder.Trunc(line.Replace('\n', ' '), 300))}");
                }
            }
        }

        if (settings.Verbose)
        {
            sb.AppendLine();
            sb.AppendLine("## Every labelled method");
            sb.AppendLine();
            sb.AppendLine("| id | repo | path | method | lines | expected | reported |");
            sb.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var r in rows)
            {
                sb.AppendLine($"| {r.Id} | {r.Repo} | {r.Path} | {Esc(r.Method.Method)} | {r.Method.Start}-{r.Method.End} | {Set(r.Expected)} | {Esc(string.Join(", ", r.Diagnostics))} |");
            }
        }

        return sb.ToString();
    }

    private static string Short(string commit) => commit[..Math.Min(12, commit.Length)];

    private static string Set(HashSet<string> s) => s.Count == 0 ? "-" : string.Join(",", s.Order(StringComparer.Ordinal));

    private static string Esc(string s) => s.Replace("|", "\\|");

    private static string Ratio(int x, int n)
    {
        if (n == 0)
        {
            return "n/a";
        }

        var (lo, hi) = Wilson(x, n);
        return $"{(double)x / n:P0} ({x}/{n}) [{lo:P0}, {hi:P0}]";
    }

    /// <summary>Wilson score interval, 95%.</summary>
    public static (double Lo, double Hi) Wilson(int x, int n)
    {
        const double z = 1.959963984540054;
        var p = (double)x / n;
        var denominator = 1 + z * z / n;
        var centre = (p + z * z / (2 * n)) / denominator;
        var half = z * Math.Sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denominator;
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
