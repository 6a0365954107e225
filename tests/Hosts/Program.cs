// A host of one Roslyn version (the project's Microsoft.CodeAnalysis.CSharp, nothing newer): takes the packed nupkg,
// picks the analyzers/dotnet/roslynX.Y folder the .NET SDK would pick for this compiler (the newest not above it),
// loads every DLL in it the way the compiler does (/analyzer:), and analyses the samples: each must report exactly
// the WS IDs samples/check.sh expects, and the ClientWebSocket sample compiled as Unity compiles game code
// (.NET Standard 2.1, C# 9) too. It also shows that the next newer folder does not load here.
// Usage: dotnet run --project tests/Hosts/Roslyn4.3 -- <nupkg> <repository root>
using System.Collections.Immutable;
using System.IO.Compression;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

var host = typeof(Compilation).Assembly.GetName().Version!;
var expectedFolder = typeof(Loader).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ExpectedFolder").Value!;
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: <nupkg> <repository root>");
    return 2;
}

var problems = new List<string>();
var unpacked = Path.Combine(Path.GetTempPath(), "wsanalyzers-host-" + Guid.NewGuid().ToString("N"));
ZipFile.ExtractToDirectory(args[0], unpacked);
try
{
    Console.WriteLine($"host: Microsoft.CodeAnalysis {host}");
    var folders = Directory.GetDirectories(Path.Combine(unpacked, "analyzers", "dotnet"), "roslyn*")
        .Select(d => (Path: d, Version: Version.Parse(Path.GetFileName(d).Substring("roslyn".Length))))
        .OrderBy(f => f.Version)
        .ToList();
    var chosen = folders.LastOrDefault(f => f.Version <= new Version(host.Major, host.Minor));
    if (chosen.Path is null || Path.GetFileName(chosen.Path) != expectedFolder)
    {
        problems.Add($"the SDK's rule picks {(chosen.Path is null ? "no folder" : Path.GetFileName(chosen.Path))} for this host, expected {expectedFolder}");
        return Report();
    }

    Console.WriteLine($"folder: analyzers/dotnet/{expectedFolder}/cs (folders in the package: {string.Join(", ", folders.Select(f => Path.GetFileName(f.Path)))})");
    var (analyzers, failures) = Load(Path.Combine(chosen.Path, "cs"));
    problems.AddRange(failures);
    var ids = analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Where(id => id.StartsWith("WS", StringComparison.Ordinal)).Distinct().OrderBy(id => id).ToList();
    Console.WriteLine($"loaded: {analyzers.Length} analyzers, rules {string.Join(" ", ids)}");
    var missingRules = Enumerable.Range(1, 9).Select(i => $"WS100{i}").Except(ids).ToList();
    if (missingRules.Count > 0)
    {
        problems.Add("rules missing: " + string.Join(" ", missingRules));
    }

    // The next newer build must not load here: that is why the package has a folder per Roslyn version.
    var newer = folders.FirstOrDefault(f => f.Version > chosen.Version);
    if (newer.Path is not null)
    {
        var (newerAnalyzers, newerFailures) = Load(Path.Combine(newer.Path, "cs"));
        var loadsHere = newerAnalyzers.Length > 0 && newerFailures.Count == 0;
        Console.WriteLine($"{Path.GetFileName(newer.Path)} in this host: {(loadsHere ? "loads" : "does not load (" + newerFailures.FirstOrDefault() + ")")}");
        if (loadsHere)
        {
            problems.Add($"{Path.GetFileName(newer.Path)} loads in Roslyn {host}: this host is not the version it claims");
        }
    }

    if (analyzers.Length > 0)
    {
        AnalyseSamples(args[1], analyzers, problems);
        AnalyseAsUnityDoes(args[1], analyzers, problems);
    }
}
finally
{
    Directory.Delete(unpacked, recursive: true);
}

return Report();

int Report()
{
    foreach (var problem in problems)
    {
        Console.Error.WriteLine("FAIL " + problem);
    }

    Console.WriteLine(problems.Count == 0 ? $"host Roslyn {host.Major}.{host.Minor}: {expectedFolder} loads and reports as expected" : $"host Roslyn {host.Major}.{host.Minor}: {problems.Count} problem(s)");
    return problems.Count == 0 ? 0 : 1;
}

// Every DLL of a folder, as the compiler gets them (/analyzer:<each file>), in a load context of its own.
static (ImmutableArray<DiagnosticAnalyzer> Analyzers, List<string> Failures) Load(string folder)
{
    var loader = new Loader();
    var failures = new List<string>();
    var analyzers = ImmutableArray.CreateBuilder<DiagnosticAnalyzer>();
    foreach (var dll in Directory.GetFiles(folder, "*.dll").OrderBy(f => f, StringComparer.Ordinal))
    {
        loader.AddDependencyLocation(dll);
    }

    foreach (var dll in Directory.GetFiles(folder, "*.dll").OrderBy(f => f, StringComparer.Ordinal))
    {
        var reference = new AnalyzerFileReference(dll, loader);
        reference.AnalyzerLoadFailed += (_, e) => failures.Add($"{Path.GetFileName(dll)}: {e.ErrorCode} {e.Exception?.Message ?? e.Message}".TrimEnd());
        analyzers.AddRange(reference.GetAnalyzers(LanguageNames.CSharp));
    }

    return (analyzers.ToImmutable(), failures);
}

static void AnalyseSamples(string root, ImmutableArray<DiagnosticAnalyzer> analyzers, List<string> problems)
{
    var references = ReferenceAssemblies();
    var knowsGlobalUsings = Enum.GetNames(typeof(LanguageVersion)).Contains("CSharp10");
    var checks = Regex.Matches(File.ReadAllText(Path.Combine(root, "samples", "check.sh")), "^check (\\S+) \"([^\"]*)\"", RegexOptions.Multiline);
    if (checks.Count == 0)
    {
        problems.Add("no samples found in samples/check.sh");
    }

    foreach (Match check in checks)
    {
        var directory = Path.Combine(root, "samples", check.Groups[1].Value);
        var trees = Directory.GetFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => CSharpSyntaxTree.ParseText(
                knowsGlobalUsings ? File.ReadAllText(f) : UsingLines + File.ReadAllText(f),
                new CSharpParseOptions(LanguageVersion.Preview), f))
            .ToList();
        if (knowsGlobalUsings)
        {
            trees.Add(CSharpSyntaxTree.ParseText(string.Join("\n", ImplicitUsings.Select(u => "global using global::" + u + ";")), new CSharpParseOptions(LanguageVersion.Preview), "GlobalUsings.g.cs"));
        }

        var compilation = CSharpCompilation.Create(check.Groups[1].Value.Replace('/', '.'), trees, references, new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        var exceptions = new List<string>();
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), (e, a, _) => exceptions.Add($"{a.GetType().Name}: {e.Message}"), concurrentAnalysis: false, logAnalyzerExecutionTime: false);
        var diagnostics = compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
        var errors = compilation.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
        var actual = string.Join(" ", diagnostics.Select(d => d.Id).Where(id => id.StartsWith("WS", StringComparison.Ordinal)).Distinct().OrderBy(id => id, StringComparer.Ordinal));
        var expected = check.Groups[2].Value;
        var ok = actual == expected && exceptions.Count == 0 && !diagnostics.Any(d => d.Id == "AD0001");
        Console.WriteLine($"{(ok ? "ok  " : "FAIL")} samples/{check.Groups[1].Value}: [{actual}]{(errors > 0 ? $" ({errors} compiler errors in this host)" : "")}");
        if (!ok)
        {
            problems.Add($"samples/{check.Groups[1].Value}: expected [{expected}], got [{actual}] {string.Join("; ", exceptions)}");
        }
    }
}

// Unity compiles game code against .NET Standard 2.1 (its default API compatibility level) with C# 9: the ClientWebSocket
// sample, compiled that way, must report what it reports on .NET 10.
static void AnalyseAsUnityDoes(string root, ImmutableArray<DiagnosticAnalyzer> analyzers, List<string> problems)
{
    var packages = typeof(Loader).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NuGetPackageRoot").Value!;
    var folder = Path.Combine(packages, "netstandard.library.ref", "2.1.0", "ref", "netstandard2.1");
    var references = Directory.GetFiles(folder, "*.dll").Select(f => (MetadataReference)MetadataReference.CreateFromFile(f)).ToList();
    var consoleUsings = string.Concat(new[] { "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks" }.Select(u => "using " + u + ";\n"));
    var source = Path.Combine(root, "samples", "ChatClient", "Program.cs");
    var expected = Regex.Match(File.ReadAllText(Path.Combine(root, "samples", "check.sh")), "^check ChatClient \"([^\"]*)\"", RegexOptions.Multiline).Groups[1].Value;
    var tree = CSharpSyntaxTree.ParseText(consoleUsings + File.ReadAllText(source), new CSharpParseOptions(LanguageVersion.CSharp9), source);
    var compilation = CSharpCompilation.Create("Assembly-CSharp", new[] { tree }, references, new CSharpCompilationOptions(OutputKind.ConsoleApplication));
    var diagnostics = compilation.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
    var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).Distinct().ToList();
    var actual = string.Join(" ", diagnostics.Select(d => d.Id).Where(id => id.StartsWith("WS", StringComparison.Ordinal)).Distinct().OrderBy(id => id, StringComparer.Ordinal));
    var ok = actual == expected && errors.Count == 0 && !diagnostics.Any(d => d.Id == "AD0001");
    Console.WriteLine($"{(ok ? "ok  " : "FAIL")} samples/ChatClient as Unity compiles it (netstandard2.1, C# 9): [{actual}]{(errors.Count > 0 ? " compiler errors: " + string.Join(" ", errors) : "")}");
    if (!ok)
    {
        problems.Add($"samples/ChatClient on netstandard2.1: expected [{expected}] and no compiler errors, got [{actual}] {string.Join(" ", errors)}");
    }
}

// The .NET 10 and ASP.NET Core reference packs of the SDK running this host.
static List<MetadataReference> ReferenceAssemblies()
{
    var dotnetRoot = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
    var references = new List<MetadataReference>();
    foreach (var pack in new[] { "Microsoft.NETCore.App.Ref", "Microsoft.AspNetCore.App.Ref" })
    {
        var folder = Directory.GetDirectories(Path.Combine(dotnetRoot, "packs", pack))
            .Select(d => Path.Combine(d, "ref", "net10.0")).Where(Directory.Exists)
            .OrderBy(d => Version.Parse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(d))!)!.Split('-')[0])).Last();
        references.AddRange(Directory.GetFiles(folder, "*.dll").Select(f => MetadataReference.CreateFromFile(f)));
    }

    return references;
}

partial class Program
{
    // Microsoft.NET.Sdk.Web's implicit usings (a superset of Microsoft.NET.Sdk's), which the samples build with.
    private static readonly string[] ImplicitUsings =
    {
        "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Routing",
        "Microsoft.Extensions.Configuration", "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting",
        "Microsoft.Extensions.Logging", "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http",
        "System.Net.Http.Json", "System.Threading", "System.Threading.Tasks",
    };

    // Before C# 10 (Roslyn 3.x) there are no global usings: each file gets them as ordinary using directives.
    private static readonly string UsingLines = string.Concat(ImplicitUsings.Select(u => "using " + u + ";\n"));
}

/// <summary>Loads analyzer DLLs in a context of their own; Microsoft.CodeAnalysis comes from the host.</summary>
sealed class Loader : AssemblyLoadContext, IAnalyzerAssemblyLoader
{
    private readonly Dictionary<string, string> locations = new(StringComparer.OrdinalIgnoreCase);

    public Loader()
        : base(isCollectible: false)
    {
    }

    public void AddDependencyLocation(string fullPath) => locations[Path.GetFileNameWithoutExtension(fullPath)] = fullPath;

    public Assembly LoadFromPath(string fullPath) => LoadFromAssemblyPath(fullPath);

    protected override Assembly? Load(AssemblyName assemblyName)
        => assemblyName.Name is { } name && locations.TryGetValue(name, out var path) ? LoadFromAssemblyPath(path) : null;
}
