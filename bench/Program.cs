// WsAnalyzers benchmark (project issue 7). See docs/performance.md for the figures and how to read them.
//   dotnet run --project bench -c Release                       all sizes (500, 1000, 2000), 3 iterations + 1 warm-up
//   dotnet run --project bench -c Release -- --sizes 500 --iterations 5
//   dotnet run --project bench -c Release -- --smoke            50 files, 1 iteration, small pathological method (CI)
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using WsAnalyzers.Bench;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var options = Options.Parse(args);
var references = References.Load();
var ours = AnalyzerSets.Ours;
var idisp = options.Peers ? AnalyzerSets.LoadIDisposable() : ImmutableArray<DiagnosticAnalyzer>.Empty;
var ca2000 = options.Peers ? AnalyzerSets.LoadCa2000() : ImmutableArray<DiagnosticAnalyzer>.Empty;

Console.WriteLine($"Host Roslyn {typeof(Compilation).Assembly.GetName().Version}; .NET {Environment.Version}; {Environment.ProcessorCount} cores; reference assemblies: {references.Description}");
Console.WriteLine($"WsAnalyzers: {ours.Length} analyzers ({string.Join(", ", ours.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct().Order())})");
if (options.Peers)
{
    Console.WriteLine($"IDisposableAnalyzers {AnalyzerSets.Meta("IDisposableAnalyzersVersion")}: {idisp.Length} analyzers, built against Microsoft.CodeAnalysis {AnalyzerSets.RoslynRequirement(Path.Combine(AnalyzerSets.Meta("IDisposableAnalyzers"), "analyzers/dotnet/cs/IDisposableAnalyzers.dll"))}");
    Console.WriteLine($"Microsoft.CodeAnalysis.NetAnalyzers {AnalyzerSets.Meta("NetAnalyzersVersion")}: {ca2000.Length} analyzer(s) reporting CA2000 ({string.Join(", ", ca2000.Select(a => a.GetType().Name))}), built against Microsoft.CodeAnalysis {AnalyzerSets.RoslynRequirement(Path.Combine(AnalyzerSets.Meta("NetAnalyzers"), "analyzers/dotnet/cs/Microsoft.CodeAnalysis.NetAnalyzers.dll"))}");
}

Console.WriteLine($"Sizes {string.Join(", ", options.Sizes)}; corpora {string.Join(", ", options.Corpora)}; {options.Warmup} warm-up (before the first row) + {options.Iterations} measured iteration(s), median; seed {options.Seed}; single-threaded (concurrentBuild/concurrentAnalysis off)");
Console.WriteLine();

var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
var compilationOptions = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, concurrentBuild: false)
    .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CA2000"] = ReportDiagnostic.Warn });

CSharpCompilation Compile(ImmutableArray<SyntaxTree> trees, bool withoutWebSockets = false)
    => CSharpCompilation.Create("Bench", trees, withoutWebSockets ? references.WithoutWebSockets : references.All, compilationOptions);

if (options.Editor)
{
    // The editor measurement (docs/performance.md, "In the editor"): one document's diagnostics per keystroke.
    var editorConfigs = new List<(string, ImmutableArray<DiagnosticAnalyzer>)>
    {
        ("no-op operation action", [new NoOpOperationAnalyzer()]),
        ("WsAnalyzers", ours),
    };
    if (options.Peers)
    {
        editorConfigs.Add(("IDisposableAnalyzers", idisp));
    }

    var editor = await EditorBench.Run(options.EditorSizes, 100, options.EditorDocs, options.EditorRepeats, options.Seed, options.Real,
        parseOptions, trees => Compile(trees), editorConfigs);
    var editorTable = EditorBench.Table(editor);
    Console.WriteLine();
    Console.WriteLine(editorTable);
    if (options.Output is not null)
    {
        File.WriteAllText(options.Output, editorTable);
    }

    return 0;
}

var configs = new List<Config>
{
    new("compile", default),
    new("empty", AnalyzerSets.Empty),
    new("ours", ours),
};
if (options.Floors)
{
    // What any IOperation analyzer pays before it decides anything: the driver's operation trees for every body, and
    // a control flow graph for every body (here for every body, where WsAnalyzers builds them only behind its gates).
    configs.Add(new("noop-op", [new NoOpOperationAnalyzer()]));
    configs.Add(new("cfg-all", [new GraphPerBodyAnalyzer()]));
}

if (options.Peers)
{
    configs.Add(new("IDisposableAnalyzers", idisp));
    configs.Add(new("CA2000", ca2000));
}

var rows = new List<Row>();
var warmedUp = false;
if (options.RealProjects is { } realDir)
{
    // Goal 1 on real code: each exported project compiled whole, next to the compiler and the peers.
    var measuredProjects = new List<(RealProject, Row)>();
    foreach (var project in RealProject.Load(realDir))
    {
        var row = new Row("r: " + project.Label, project.Trees.Length, project.Trees.Sum(t => t.GetText().Lines.Count));
        await Measure(row, project.Trees, configs.Where(c => c.Name != "empty").ToList(), compile: project.Compile);
        measuredProjects.Add((project, row));
        Console.WriteLine(row.Summary());
    }

    var realTable = RealProject.Table(measuredProjects, options.Peers);
    Console.WriteLine();
    Console.WriteLine(realTable);
    Console.WriteLine(Report.Breakdown(measuredProjects.Select(p => p.Item2).ToList(), ours.Select(a => a.GetType().Name).ToList()));
    if (options.Output is not null)
    {
        File.WriteAllText(options.Output, realTable);
    }

    return 0;
}

foreach (var corpus in options.Corpora)
{
    foreach (var size in options.Sizes)
    {
        var sources = Corpus.Generate(corpus, size, options.Seed, options.UniqueNames);
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, parseOptions, s.Path, Encoding.UTF8)).ToImmutableArray();
        var lines = sources.Sum(s => s.Text.Count(c => c == '\n'));
        var row = new Row(corpus switch { 'a' => "a: no WebSocket use", 'n' => "a': same, WebSockets not referenced", 'o' => "o: ordinary code and one WebSocket file", _ => options.UniqueNames ? "b: WebSocket, unique method names" : "b: WebSocket" }, size, lines);
        await Measure(row, trees, corpus == 'n' ? configs.Where(c => c.Name is "compile" or "empty" or "ours").ToList() : configs, withoutWebSockets: corpus == 'n');
        rows.Add(row);
        Console.WriteLine(row.Summary());
    }
}

// WSBENCH_CORPORA_ONLY=1: the corpora rows and their per-analyzer split only (for profiling one corpus).
if (Environment.GetEnvironmentVariable("WSBENCH_CORPORA_ONLY") == "1")
{
    Console.WriteLine(Report.Breakdown(rows, ours.Select(a => a.GetType().Name).ToList()));
    return 0;
}

// The pathological method: thousands of statements, hundreds of receive loops, deep nesting.
var monsterText = Corpus.Pathological(options.Smoke ? 40 : 400, options.Smoke ? 10 : 40, options.Smoke ? 2 : 6);
var monster = ImmutableArray.Create(CSharpSyntaxTree.ParseText(monsterText, parseOptions, "Monster.cs", Encoding.UTF8));
var monsterRow = new Row($"pathological: 1 method, {(options.Smoke ? 40 : 400)} receive loops, nesting {(options.Smoke ? 10 : 40)}", 1, monsterText.Count(c => c == '\n'));
await Measure(monsterRow, monster, configs.Where(c => c.Name is "compile" or "empty" or "ours").ToList(), timeout: TimeSpan.FromSeconds(options.Smoke ? 60 : 300));
Console.WriteLine(monsterRow.Summary());

// Cancellation: cancel a run of our analyzers after 50 ms and time how long it takes to stop.
var cancelRows = new List<string>();
var biggestB = options.Corpora.Contains('b') ? options.Sizes.Max() : 0;
if (biggestB > 0)
{
    var trees = Corpus.Generate('b', biggestB, options.Seed, options.UniqueNames).Select(s => CSharpSyntaxTree.ParseText(s.Text, parseOptions, s.Path, Encoding.UTF8)).ToImmutableArray();
    cancelRows.Add(await CancelAfter($"corpus b, {biggestB} files", trees, rows.Single(r => r.Corpus.StartsWith('b') && r.Files == biggestB)));
}

cancelRows.Add(await CancelAfter("pathological method", monster, monsterRow));
// Late in the run the method is bound and the analysis itself is under way: how long until it notices?
cancelRows.Add(await CancelAfter("pathological method, late", monster, monsterRow, (int)(monsterRow.Median("ours", wall: true) * 0.6)));
Console.WriteLine();

var table = Report.Table(rows, monsterRow, options.Peers, cancelRows) + Report.Breakdown(rows.Append(monsterRow).ToList(), ours.Select(a => a.GetType().Name).ToList());
Console.WriteLine(table);
if (options.Output is not null)
{
    File.WriteAllText(options.Output, table);
    Console.WriteLine($"written to {options.Output}");
}

var bad = rows.Where(r => r.Corpus.StartsWith('b') || r.Corpus.StartsWith('o') ? r.WsDiagnostics == 0 : r.WsDiagnostics != 0).ToList();
var errors = rows.Where(r => r.CompilerErrors != 0).ToList();
if (bad.Count > 0 || errors.Count > 0)
{
    Console.Error.WriteLine($"SANITY FAILED: {bad.Count} row(s) with unexpected WS diagnostic counts, {errors.Count} corpus(es) with compiler errors: {string.Join("; ", errors.Select(e => e.FirstError))}");
    return 1;
}

Console.WriteLine("sanity: WS diagnostics zero on corpus a, nonzero on corpora b and o; corpora compile without errors");
return 0;

async Task Measure(Row row, ImmutableArray<SyntaxTree> trees, List<Config> which, TimeSpan? timeout = null, bool withoutWebSockets = false,
    Func<ImmutableArray<SyntaxTree>, CSharpCompilation>? compile = null)
{
    // Configurations are interleaved within each iteration, so that noise from other work on the machine spreads
    // over all of them instead of landing on one.
    // Warm-up (JIT of the compiler and every analyzer) runs once per process, before the first row only.
    var warmup = warmedUp ? 0 : options.Warmup;
    warmedUp = true;
    for (var iteration = 0; iteration < warmup + options.Iterations; iteration++)
    {
        var measured = iteration >= warmup;
        foreach (var config in which)
        {
            // New tree objects for every run, parsed outside the measurement: a command-line build starts with no
            // per-tree cache warm (the editor measurement is where unchanged trees are shared).
            var fresh = trees.Select(t => CSharpSyntaxTree.ParseText(t.GetText(), (CSharpParseOptions)t.Options, t.FilePath)).ToImmutableArray();
            var compilation = compile is null ? Compile(fresh, withoutWebSockets) : compile(fresh);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            if (config.Analyzers.IsDefault)
            {
                var sw = Stopwatch.StartNew();
                var diagnostics = compilation.GetDiagnostics();
                sw.Stop();
                if (measured)
                {
                    row.Add(config.Name, sw.Elapsed.TotalMilliseconds, sw.Elapsed.TotalMilliseconds);
                    row.CompilerErrors = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
                    row.FirstError = diagnostics.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error)?.ToString();
                }

                continue;
            }

            // In a build the compiler has bound the references before analyzers run; here each configuration has a
            // compilation of its own, so bind them outside the measurement, or the first analyzer to look up a type pays
            // for it (about 15 ms at 500 files).
            _ = compilation.GetSpecialType(SpecialType.System_Object);
            var cwa = compilation.WithAnalyzers(config.Analyzers, new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null,
                concurrentAnalysis: false, logAnalyzerExecutionTime: true, reportSuppressedDiagnostics: false));
            var watch = Stopwatch.StartNew();
            var run = cwa.GetAnalyzerDiagnosticsAsync(CancellationToken.None);
            ImmutableArray<Diagnostic> found;
            if (timeout is { } limit)
            {
                try
                {
                    found = await run.WaitAsync(limit);
                }
                catch (TimeoutException)
                {
                    row.TimedOut = $"{config.Name} did not finish in {limit.TotalSeconds:0} s";
                    return;
                }
            }
            else
            {
                found = await run;
            }

            watch.Stop();
            double execution = 0;
            foreach (var analyzer in config.Analyzers)
            {
                var ms = (await cwa.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None)).ExecutionTime.TotalMilliseconds;
                execution += ms;
                if (measured && config.Name == "ours")
                {
                    row.Add("ours:" + analyzer.GetType().Name, ms, ms);
                }
            }

            var failures = found.Where(d => d.Id == "AD0001").ToList();
            if (failures.Count > 0)
            {
                throw new InvalidOperationException($"{config.Name} threw: {failures[0]}");
            }

            if (measured)
            {
                row.Add(config.Name, watch.Elapsed.TotalMilliseconds, execution);
                row.Diagnostics[config.Name] = found.Length;
                if (config.Name == "ours")
                {
                    row.WsDiagnostics = found.Count(d => d.Id.StartsWith("WS", StringComparison.Ordinal));
                    row.WsIds = string.Join(" ", found.Select(d => d.Id).Distinct().Order());
                    if (Environment.GetEnvironmentVariable("WSBENCH_IDS") == "1")
                    {
                        Console.WriteLine($"  {row.Corpus} {row.Files}: " + string.Join(", ", found.GroupBy(d => d.Id).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}")));
                        foreach (var d in found.Where(d => d.Id == Environment.GetEnvironmentVariable("WSBENCH_LIST")))
                        {
                            Console.WriteLine($"    {d.Id} {d.Location.GetLineSpan().Path}:{d.Location.GetLineSpan().StartLinePosition.Line + 1}");
                        }
                    }
                }
            }
        }
    }
}

async Task<string> CancelAfter(string what, ImmutableArray<SyntaxTree> trees, Row full, int after = 50)
{
    var cwa = Compile(trees).WithAnalyzers(ours, new CompilationWithAnalyzersOptions(
        new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: false, logAnalyzerExecutionTime: true, reportSuppressedDiagnostics: false));
    using var cts = new CancellationTokenSource();
    var watch = Stopwatch.StartNew();
    cts.CancelAfter(after);
    string outcome;
    try
    {
        var task = cwa.GetAnalyzerDiagnosticsAsync(cts.Token);
        await task.WaitAsync(TimeSpan.FromSeconds(120));
        outcome = "ran to completion (not cancelled)";
    }
    catch (OperationCanceledException)
    {
        outcome = "OperationCanceledException";
    }
    catch (TimeoutException)
    {
        outcome = "still running after 120 s";
    }

    watch.Stop();
    var stop = watch.Elapsed.TotalMilliseconds - after;
    var line = $"| {what} | {full.Median("ours", wall: true):0} | {after} | {watch.Elapsed.TotalMilliseconds:0} | {stop:0} | {outcome} |";
    Console.WriteLine($"cancel: {what}: uncancelled {full.Median("ours", wall: true):0} ms; cancelled after {after} ms -> stopped at {watch.Elapsed.TotalMilliseconds:0} ms ({outcome})");
    return line;
}

internal sealed record Config(string Name, ImmutableArray<DiagnosticAnalyzer> Analyzers);
