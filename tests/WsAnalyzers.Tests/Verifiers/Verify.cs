using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace WsAnalyzers.Tests.Verifiers;

/// <summary>
/// Analyzer checks: a source with [|markers|] (or {|WS1001:markers|}) must produce exactly those diagnostics,
/// on .NET 10 and on .NET 8 reference assemblies.
/// </summary>
public static class Verify<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static Task DiagnosticsAsync(string source, params DiagnosticResult[] expected)
        => DiagnosticsWithConfigAsync(source, editorConfig: null, expected);

    /// <summary>As <see cref="DiagnosticsAsync"/>, with an .editorconfig at the root (its <c>[*.cs]</c> section given).</summary>
    public static async Task DiagnosticsWithConfigAsync(string source, string? editorConfig, params DiagnosticResult[] expected)
    {
        foreach (var references in new[] { Targets.Net10, Targets.Net8 })
        {
            var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
            {
                TestCode = Targets.Usings + source,
                ReferenceAssemblies = references,
            };
            if (editorConfig is not null)
            {
                test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + editorConfig + "\n"));
            }

            test.ExpectedDiagnostics.AddRange(expected);
            await test.RunAsync();
        }
    }

    /// <summary>Correct code: the analyzer must stay silent.</summary>
    public static Task SilentAsync(string source) => DiagnosticsAsync(source);
}

/// <summary>
/// Fix checks. The framework applies the fix one diagnostic at a time and then through the FixAllProvider in
/// document, project and solution scope; all must give <c>fixedSource</c>, and the result must compile cleanly.
/// </summary>
public static class Verify<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static async Task FixAsync(string source, string fixedSource, LanguageVersionChoice language = LanguageVersionChoice.Latest)
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
        {
            TestCode = Targets.Usings + source,
            FixedCode = Targets.Usings + fixedSource,
            ReferenceAssemblies = Targets.Net10,
        };
        if (language != LanguageVersionChoice.Latest)
        {
            var version = language == LanguageVersionChoice.CSharp8
                ? Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp8
                : Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp7_3;
            test.SolutionTransforms.Add((solution, projectId) =>
            {
                var options = (Microsoft.CodeAnalysis.CSharp.CSharpParseOptions)solution.GetProject(projectId)!.ParseOptions!;
                return solution.WithProjectParseOptions(projectId, options.WithLanguageVersion(version));
            });
        }

        await test.RunAsync();
    }

    /// <summary>Fix-all across two documents: both are fixed in one pass (what dotnet format relies on).</summary>
    public static async Task FixAllAsync((string Source, string Fixed)[] documents)
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
        {
            ReferenceAssemblies = Targets.Net10,

            // Each document has its own diagnostics; project and solution scope are what must fix both at once.
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipFixAllInDocumentCheck,
        };
        for (var i = 0; i < documents.Length; i++)
        {
            test.TestState.Sources.Add(($"File{i}.cs", Targets.Usings + documents[i].Source));
            test.FixedState.Sources.Add(($"File{i}.cs", Targets.Usings + documents[i].Fixed));
        }

        // Fixing one at a time must also converge; then project and solution scope fix everything at once.
        test.NumberOfFixAllIterations = 1;
        test.NumberOfFixAllInProjectIterations = 1;
        await test.RunAsync();
    }

    /// <summary>No fix may be offered for this code (it would not compile or the shape is unknown).</summary>
    public static async Task NoFixAsync(string source)
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
        {
            TestCode = Targets.Usings + source,
            FixedCode = Targets.Usings + source,
            ReferenceAssemblies = Targets.Net10,
        };
        await test.RunAsync();
    }
}

public enum LanguageVersionChoice
{
    Latest,
    CSharp8,
    CSharp7_3,
}
