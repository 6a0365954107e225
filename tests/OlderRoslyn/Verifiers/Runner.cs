using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;

namespace WsAnalyzers.Tests.Verifiers;

/// <summary>
/// Checks analyzers the way Microsoft.CodeAnalysis.Testing does, on the plain compiler API of this project's Roslyn:
/// sources with markers (<c>[|..|]</c>, <c>{|WS1001:..|}</c>, <c>{|#0:..|}</c>) must give exactly the marked
/// diagnostics, compiler errors included; an analyzer exception fails the test.
/// </summary>
public static class Runner
{
    public static string PackagesFolder { get; } = typeof(Runner).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "NuGetPackageRoot").Value!;

    /// <summary>The Microsoft.CodeAnalysis this test process runs: the flavour's own, never a newer one.</summary>
    public static Version CompilerVersion { get; } = typeof(Compilation).Assembly.GetName().Version!;

    private static readonly ConcurrentDictionary<ReferenceAssemblies, CSharpCompilation> Empty = new();

    /// <summary>Roslyn 3.x parses C# 9 at most; tests/ValidCode is written with C# 10's file-scoped namespaces.</summary>
    public static bool KnowsCSharp10 { get; } = Enum.GetNames(typeof(LanguageVersion)).Contains("CSharp10");

    /// <summary>
    /// Compiler errors this flavour's compiler gives on valid C# that the hosts it stands for accept (set by the flavour's
    /// project: Roslyn 3.7 lacks C# 9's unconstrained <c>T?</c>, CS8627, which Roslyn 3.8 and Unity have). Analyzer
    /// diagnostics are compared all the same.
    /// </summary>
    public static ImmutableHashSet<string> ToleratedErrors { get; } = (typeof(Runner).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .SingleOrDefault(a => a.Key == "FlavourToleratedErrors")?.Value ?? "")
        .Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries).ToImmutableHashSet();

    /// <summary>
    /// <c>namespace N;</c> becomes <c>namespace N{</c> ... <c>}</c> for a compiler older than C# 10: same length up to
    /// the end, so every marker keeps its place.
    /// </summary>
    public static string BlockNamespace(string text)
    {
        var match = System.Text.RegularExpressions.Regex.Match(text, @"^namespace\s+[\w.]+\s*(;)", System.Text.RegularExpressions.RegexOptions.Multiline);
        return match.Success ? text.Substring(0, match.Groups[1].Index) + "{" + text.Substring(match.Groups[1].Index + 1) + "\n}\n" : text;
    }

    public static async Task VerifyAsync(
        IReadOnlyList<DiagnosticAnalyzer> analyzers,
        IReadOnlyList<(string Name, string Text)> sources,
        ReferenceAssemblies references,
        LanguageVersionChoice language,
        string? editorConfig,
        DiagnosticResult[] expectedResults)
    {
        var parseOptions = new CSharpParseOptions(language switch
        {
            LanguageVersionChoice.CSharp8 => LanguageVersion.CSharp8,
            LanguageVersionChoice.CSharp7_3 => LanguageVersion.CSharp7_3,
            _ => LanguageVersion.Preview, // the newest syntax this compiler knows
        }, DocumentationMode.Diagnose);

        var expected = new List<Expected>();
        var trees = new List<SyntaxTree>();
        foreach (var (name, text) in sources)
        {
            var path = "/0/" + name;
            var (clean, spans) = Markup.Parse(text);
            if (!KnowsCSharp10)
            {
                clean = BlockNamespace(clean);
            }

            foreach (var (label, span) in spans)
            {
                expected.Add(label switch
                {
                    null => new Expected(SingleId(analyzers), path, span, null),
                    _ when label.StartsWith("#", StringComparison.Ordinal) => FromResult(expectedResults, int.Parse(label.Substring(1)), path, span),
                    _ => new Expected(label, path, span, null),
                });
            }

            trees.Add(CSharpSyntaxTree.ParseText(SourceText.From(clean, Encoding.UTF8), parseOptions, path));
        }

        // Adding trees to one empty compilation per reference set lets Roslyn reuse the referenced assemblies' symbols.
        var compilation = Empty.GetOrAdd(references, r => CSharpCompilation.Create(
            "TestProject",
            Array.Empty<SyntaxTree>(),
            r.Resolve(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true))).AddSyntaxTrees(trees);

        var exceptions = new ConcurrentQueue<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new ConfigOptions(editorConfig)),
            (exception, analyzer, _) => exceptions.Enqueue($"{analyzer.GetType().Name}: {exception}"),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var withAnalyzers = compilation.WithAnalyzers(analyzers.ToImmutableArray(), options);
        var analyzerDiagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        var actual = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && !ToleratedErrors.Contains(d.Id))
            .Concat(analyzerDiagnostics)
            .Select(d => new Expected(d.Id, d.Location.SourceTree?.FilePath ?? "", d.Location.SourceSpan, d.GetMessage()))
            .ToList();

        if (!exceptions.IsEmpty || actual.Any(a => a.Id == "AD0001"))
        {
            throw new InvalidOperationException($"analyzer exception on Roslyn {CompilerVersion}:\n" + string.Join("\n", exceptions.Concat(actual.Where(a => a.Id == "AD0001").Select(a => a.Message!))));
        }

        var missing = expected.Where(e => !actual.Any(a => e.Matches(a))).ToList();
        var unexpected = actual.Where(a => !expected.Any(e => e.Matches(a))).ToList();
        if (missing.Count > 0 || unexpected.Count > 0 || expected.Count != actual.Count)
        {
            string Describe(Expected d) => $"  {d.Id} {d.Path} {Position(trees, d)}{(d.Message is null ? "" : " \"" + d.Message + "\"")}";
            throw new InvalidOperationException(
                $"diagnostics differ on Roslyn {CompilerVersion} ({references.TargetFramework}, {parseOptions.LanguageVersion})\n" +
                "expected:\n" + string.Join("\n", expected.Select(Describe)) + "\nactual:\n" + string.Join("\n", actual.Select(Describe)));
        }
    }

    private static string Position(List<SyntaxTree> trees, Expected d)
        => trees.FirstOrDefault(t => t.FilePath == d.Path) is { } tree ? tree.GetLineSpan(d.Span).StartLinePosition.ToString() : d.Span.ToString();

    private static string SingleId(IReadOnlyList<DiagnosticAnalyzer> analyzers)
    {
        var ids = analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct().ToList();
        return ids.Count == 1 ? ids[0] : throw new InvalidOperationException("[|..|] needs an analyzer with one diagnostic ID; got " + string.Join(", ", ids));
    }

    private static Expected FromResult(DiagnosticResult[] results, int key, string path, TextSpan span)
    {
        var result = results.Single(r => r.MarkupKey == key);
        return new Expected(result.Id, path, span, result.Message);
    }

    private sealed record Expected(string Id, string Path, TextSpan Span, string? Message)
    {
        /// <summary>Same ID and place; the message only when the expectation names one.</summary>
        public bool Matches(Expected actual)
            => Id == actual.Id && Path == actual.Path && Span == actual.Span && (Message is null || Message == actual.Message);
    }

    private sealed class ConfigOptions : AnalyzerConfigOptionsProvider
    {
        private readonly Options options;

        public ConfigOptions(string? editorConfig)
        {
            var values = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in (editorConfig ?? "").Split('\n'))
            {
                var equals = line.IndexOf('=');
                if (equals > 0 && !line.TrimStart().StartsWith("#", StringComparison.Ordinal))
                {
                    values[line.Substring(0, equals).Trim()] = line.Substring(equals + 1).Trim();
                }
            }

            options = new Options(values.ToImmutable());
        }

        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(ImmutableDictionary<string, string>.Empty);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => options;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => options;

        private sealed class Options : AnalyzerConfigOptions
        {
            private readonly ImmutableDictionary<string, string> values;

            public Options(ImmutableDictionary<string, string> values) => this.values = values;

            public override bool TryGetValue(string key, out string value)
            {
                var found = values.TryGetValue(key, out var v);
                value = v ?? "";
                return found;
            }
        }
    }
}

/// <summary>The test framework's markers: <c>[|text|]</c>, <c>{|ID:text|}</c> and <c>{|#n:text|}</c>, nestable.</summary>
public static class Markup
{
    public static (string Text, List<(string? Label, TextSpan Span)> Spans) Parse(string markup)
    {
        var text = new StringBuilder(markup.Length);
        var spans = new List<(string?, TextSpan)>();
        var open = new Stack<(char Kind, string? Label, int Start)>();
        for (var i = 0; i < markup.Length; i++)
        {
            if (Is(markup, i, "[|"))
            {
                open.Push(('[', null, text.Length));
                i++;
            }
            else if (Is(markup, i, "{|") && markup.IndexOf(':', i) is var colon && colon > i + 2
                     && markup.Substring(i + 2, colon - i - 2).All(c => char.IsLetterOrDigit(c) || c == '#' || c == '_'))
            {
                open.Push(('{', markup.Substring(i + 2, colon - i - 2), text.Length));
                i = colon;
            }
            else if (Is(markup, i, "|]") && open.Count > 0 && open.Peek().Kind == '[')
            {
                var (_, label, start) = open.Pop();
                spans.Add((label, TextSpan.FromBounds(start, text.Length)));
                i++;
            }
            else if (Is(markup, i, "|}") && open.Count > 0 && open.Peek().Kind == '{')
            {
                var (_, label, start) = open.Pop();
                spans.Add((label, TextSpan.FromBounds(start, text.Length)));
                i++;
            }
            else
            {
                text.Append(markup[i]);
            }
        }

        if (open.Count > 0)
        {
            throw new InvalidOperationException("unclosed marker in test source");
        }

        return (text.ToString(), spans);
    }

    private static bool Is(string s, int i, string token) => string.CompareOrdinal(s, i, token, 0, token.Length) == 0;
}
