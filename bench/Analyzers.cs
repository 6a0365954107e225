using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace WsAnalyzers.Bench;

/// <summary>A DiagnosticAnalyzer that registers nothing: what remains is the analyzer driver's own cost.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EmptyAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new("EMPTY001", "Empty", "Empty", "Bench", DiagnosticSeverity.Warning, true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
    }
}

/// <summary>The analyzer sets measured, each loaded once.</summary>
internal static class AnalyzerSets
{
    public static ImmutableArray<DiagnosticAnalyzer> Empty { get; } = [new EmptyAnalyzer()];

    /// <summary>Every WsAnalyzers rule (all are enabled by default).</summary>
    public static ImmutableArray<DiagnosticAnalyzer> Ours { get; } = typeof(WsAnalyzers.Rules.SocketBodyAnalyzer).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    public static string Meta(string key) => typeof(AnalyzerSets).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    /// <summary>Every analyzer in IDisposableAnalyzers' C# analyzer DLL.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> LoadIDisposable()
        => Load(Path.Combine(Meta("IDisposableAnalyzers"), "analyzers", "dotnet", "cs"), _ => true);

    /// <summary>The NetAnalyzers analyzers that report CA2000 (enabled through the compilation options).</summary>
    public static ImmutableArray<DiagnosticAnalyzer> LoadCa2000()
        => Load(Path.Combine(Meta("NetAnalyzers"), "analyzers", "dotnet", "cs"), a => a.SupportedDiagnostics.Any(d => d.Id == "CA2000"));

    private static ImmutableArray<DiagnosticAnalyzer> Load(string folder, Func<DiagnosticAnalyzer, bool> keep)
    {
        var loader = new FolderLoader(folder);
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            var candidate = Path.Combine(folder, name.Name + ".dll");
            return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
        };
        var result = ImmutableArray.CreateBuilder<DiagnosticAnalyzer>();
        foreach (var dll in Directory.GetFiles(folder, "*.dll").Order(StringComparer.Ordinal))
        {
            CheckRoslynRequirement(dll);
            var reference = new AnalyzerFileReference(dll, loader);
            reference.AnalyzerLoadFailed += (_, e) => throw new InvalidOperationException($"{dll}: {e.Message}", e.Exception);
            result.AddRange(reference.GetAnalyzers(LanguageNames.CSharp).Where(keep));
        }

        if (result.Count == 0)
        {
            throw new InvalidOperationException($"no analyzer loaded from {folder}");
        }

        return result.ToImmutable();
    }

    /// <summary>A peer built against a newer Roslyn than the one loaded would be useless: fail loudly.</summary>
    private static void CheckRoslynRequirement(string dll)
    {
        using var pe = new PEReader(File.OpenRead(dll));
        var md = pe.GetMetadataReader();
        var host = typeof(Compilation).Assembly.GetName().Version!;
        foreach (var h in md.AssemblyReferences)
        {
            var r = md.GetAssemblyReference(h);
            var name = md.GetString(r.Name);
            if (name is "Microsoft.CodeAnalysis" or "Microsoft.CodeAnalysis.CSharp" or "Microsoft.CodeAnalysis.Workspaces" && r.Version > host)
            {
                throw new InvalidOperationException($"{Path.GetFileName(dll)} needs {name} {r.Version}, host is {host}");
            }
        }
    }

    public static string RoslynRequirement(string dll)
    {
        using var pe = new PEReader(File.OpenRead(dll));
        var md = pe.GetMetadataReader();
        return md.AssemblyReferences.Select(md.GetAssemblyReference)
            .Where(r => md.GetString(r.Name) == "Microsoft.CodeAnalysis")
            .Select(r => r.Version.ToString()).FirstOrDefault() ?? "?";
    }

    /// <summary>Loads analyzer DLLs into the default context; Roslyn resolves to the host's copy.</summary>
    private sealed class FolderLoader(string folder) : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath)
        {
            var name = AssemblyName.GetAssemblyName(fullPath);
            var loaded = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => AssemblyName.ReferenceMatchesDefinition(a.GetName(), name) && a.GetName().Name == name.Name && !a.IsDynamic && a.Location == fullPath);
            return loaded ?? AssemblyLoadContext.Default.LoadFromAssemblyPath(fullPath);
        }

        public override string ToString() => folder;
    }
}

/// <summary>
/// One operation action that does nothing: the driver binds the document and builds its operation trees for it, which
/// is the floor any operation-based analyzer pays in the editor.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NoOpOperationAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new("NOOP001", "No-op", "No-op", "Bench", DiagnosticSeverity.Warning, true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationAction(_ => { }, OperationKind.Invocation);
    }
}

/// <summary>
/// Builds the control flow graph of every body and reads nothing from it: the floor of a flow analysis that looks at
/// every body (WsAnalyzers builds graphs only for the bodies its gates let through).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class GraphPerBodyAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new("CFG001", "Graph", "Graph", "Bench", DiagnosticSeverity.Warning, true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationBlockAction(block =>
        {
            foreach (var operation in block.OperationBlocks)
            {
                if (operation is Microsoft.CodeAnalysis.Operations.IMethodBodyOperation or Microsoft.CodeAnalysis.Operations.IBlockOperation)
                {
                    _ = block.GetControlFlowGraph(operation);
                }
            }
        });
    }
}
