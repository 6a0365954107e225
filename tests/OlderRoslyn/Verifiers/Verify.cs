using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace WsAnalyzers.Tests.Verifiers;

/// <summary>
/// The rule tests' Verify, for an older-Roslyn flavour: the same markup and expectations, checked by <see cref="Runner"/>
/// with this project's compiler (Microsoft.CodeAnalysis of the flavour) on .NET 10 reference assemblies. (The .NET 8
/// run of tests/WsAnalyzers.Tests checks the same analyzer code against other reference assemblies; here what differs
/// is the compiler, so one set keeps CI time down. ValidCode still runs on both.)
/// </summary>
public static class Verify<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static Task DiagnosticsAsync(string source, params DiagnosticResult[] expected)
        => DiagnosticsWithConfigAsync(source, editorConfig: null, expected);

    public static Task DiagnosticsWithConfigAsync(string source, string? editorConfig, params DiagnosticResult[] expected)
        => Runner.VerifyAsync(new[] { new TAnalyzer() }, new[] { ("Test0.cs", Targets.Usings + source) }, Targets.Net10, LanguageVersionChoice.Latest, editorConfig, expected);

    public static Task SilentAsync(string source) => DiagnosticsAsync(source);
}

/// <summary>
/// Fix tests, for an older-Roslyn flavour: no code fix is built for it, so each checks what the analyzer reports on the
/// source (the markers), in the test's language version. The fixes themselves are tested by tests/WsAnalyzers.Tests.
/// </summary>
public static class Verify<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static Task FixAsync(string source, string fixedSource, LanguageVersionChoice language = LanguageVersionChoice.Latest)
        => Runner.VerifyAsync(new[] { new TAnalyzer() }, new[] { ("Test0.cs", Targets.Usings + source) }, Targets.Net10, language, null, Array.Empty<DiagnosticResult>());

    public static Task FixAllAsync((string Source, string Fixed)[] documents)
        => Runner.VerifyAsync(new[] { new TAnalyzer() }, documents.Select((d, i) => ($"File{i}.cs", Targets.Usings + d.Source)).ToArray(), Targets.Net10, LanguageVersionChoice.Latest, null, Array.Empty<DiagnosticResult>());

    public static Task NoFixAsync(string source) => FixAsync(source, source);
}

public enum LanguageVersionChoice
{
    Latest,
    CSharp8,
    CSharp7_3,
}
