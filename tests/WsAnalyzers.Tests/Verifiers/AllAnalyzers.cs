using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace WsAnalyzers.Tests.Verifiers;

/// <summary>Every analyzer and code fix the package ships, found by reflection so none can be forgotten.</summary>
public static class AllAnalyzers
{
    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } = typeof(Descriptors).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
        .OrderBy(t => t.Name)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    public static ImmutableArray<CodeFixProvider> Fixes { get; } = typeof(WsAnalyzers.CodeFixes.FixAssembly).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t) && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
        .OrderBy(t => t.Name)
        .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    /// <summary>Runs every analyzer on the given files and expects exactly the given diagnostics (compiler errors included).</summary>
    public static async Task VerifyAsync(IEnumerable<(string Name, string Text)> sources, ReferenceAssemblies references, params DiagnosticResult[] expected)
    {
        var test = new Test { ReferenceAssemblies = references };
        foreach (var source in sources)
        {
            test.TestState.Sources.Add(source);
        }

        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    private sealed class Test : CSharpAnalyzerTest<EmptyDiagnosticAnalyzer, DefaultVerifier>
    {
        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => Analyzers;
    }
}
