using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace WsAnalyzers.Tests.Verifiers;

/// <summary>One C# input of the reliability tests: where it comes from, its text, and how it compiles.</summary>
public sealed record CorpusInput(string Group, string Name, string Text, bool IsProgram, bool Complete = true)
{
    public override string ToString() => Name;
}

/// <summary>
/// Every C# source the repository holds as test input: the raw string literals of tests/WsAnalyzers.Tests/Rules/*.cs
/// (markup stripped, with the usings <see cref="Verify{TAnalyzer}"/> adds), tests/ValidCode and samples/**/Program.cs.
/// Read from the files at run time, so new rule tests are fuzzed without anyone listing them.
/// </summary>
public static class Corpus
{
    private static readonly Regex Markup = new(@"\{\|[A-Za-z0-9]+:|\|\}|\[\||\|\]", RegexOptions.Compiled);

    /// <summary>The implicit usings of Microsoft.NET.Sdk.Web (a superset of Microsoft.NET.Sdk's) the samples build with.</summary>
    public const string SampleImplicitUsings = """
        global using global::Microsoft.AspNetCore.Builder;
        global using global::Microsoft.AspNetCore.Hosting;
        global using global::Microsoft.AspNetCore.Http;
        global using global::Microsoft.AspNetCore.Routing;
        global using global::Microsoft.Extensions.Configuration;
        global using global::Microsoft.Extensions.DependencyInjection;
        global using global::Microsoft.Extensions.Hosting;
        global using global::Microsoft.Extensions.Logging;
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Net.Http.Json;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;

        """;

    /// <summary>Every input, deduplicated by text, in a stable order.</summary>
    public static IReadOnlyList<CorpusInput> All { get; } = Load();

    /// <summary>The sources of fix tests (first argument of FixAsync, first item of each FixAllAsync pair) and the samples.</summary>
    public static IReadOnlyList<CorpusInput> FixCases { get; } = LoadFixCases();

    public static IEnumerable<string> Groups => All.Select(i => i.Group).Distinct();

    private static List<CorpusInput> Load()
    {
        var inputs = new List<CorpusInput>();
        foreach (var file in RuleTestFiles())
        {
            var group = "Rules/" + Path.GetFileName(file);
            var root = CSharpSyntaxTree.ParseText(File.ReadAllText(file)).GetRoot();
            var index = 0;
            foreach (var literal in root.DescendantNodes().OfType<ExpressionSyntax>().Where(IsRawString))
            {
                foreach (var (text, complete) in Texts(literal, root))
                {
                    inputs.Add(new CorpusInput(group, $"{group}#{index++} (line {literal.GetLocation().GetLineSpan().StartLinePosition.Line + 1})", Targets.Usings + StripMarkup(text), false, complete));
                }
            }
        }

        foreach (var file in Directory.GetFiles(Repository.PathOf("tests", "ValidCode"), "*.cs", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
        {
            var name = "ValidCode/" + Path.GetRelativePath(Repository.PathOf("tests", "ValidCode"), file).Replace('\\', '/');
            inputs.Add(new CorpusInput(name, name, File.ReadAllText(file), false));
        }

        inputs.AddRange(Samples());
        return inputs.GroupBy(i => i.Text).Select(g => g.First()).ToList();
    }

    private static IEnumerable<CorpusInput> Samples()
        => Directory.GetFiles(Repository.PathOf("samples"), "Program.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar) && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f =>
            {
                var name = "samples/" + Path.GetRelativePath(Repository.PathOf("samples"), f).Replace('\\', '/');
                return new CorpusInput(name, name, File.ReadAllText(f), true);
            });

    private static List<CorpusInput> LoadFixCases()
    {
        var inputs = new List<CorpusInput>();
        foreach (var file in RuleTestFiles())
        {
            var group = "Rules/" + Path.GetFileName(file);
            var root = CSharpSyntaxTree.ParseText(File.ReadAllText(file)).GetRoot();
            foreach (var invocation in root.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                var name = invocation.Expression switch
                {
                    MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
                    IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                    _ => "",
                };
                var arguments = invocation.ArgumentList.Arguments;
                IEnumerable<ExpressionSyntax> sources = name switch
                {
                    "FixAsync" when arguments.Count >= 2 => new[] { arguments[0].Expression },
                    "FixAllAsync" when arguments.Count >= 1 => arguments[0].Expression.DescendantNodesAndSelf()
                        .OfType<TupleExpressionSyntax>().Select(t => t.Arguments[0].Expression),
                    _ => Array.Empty<ExpressionSyntax>(),
                };
                var line = invocation.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                var index = 0;
                foreach (var source in sources)
                {
                    foreach (var (text, complete) in Texts(source, root))
                    {
                        inputs.Add(new CorpusInput(group, $"{group} {name} line {line} #{index++}", Targets.Usings + StripMarkup(text), false, complete));
                    }
                }
            }
        }

        inputs.AddRange(Samples());
        return inputs.GroupBy(i => i.Text).Select(g => g.First()).ToList();
    }

    private static string[] RuleTestFiles()
        => Directory.GetFiles(Repository.PathOf("tests", "WsAnalyzers.Tests", "Rules"), "*.cs").OrderBy(f => f, StringComparer.Ordinal).ToArray();

    public static string StripMarkup(string text) => Markup.Replace(text, "");

    private static bool IsRawString(ExpressionSyntax expression) => expression switch
    {
        LiteralExpressionSyntax literal => literal.Token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken) || literal.Token.IsKind(SyntaxKind.SingleLineRawStringLiteralToken),
        InterpolatedStringExpressionSyntax interpolated => interpolated.StringStartToken.IsKind(SyntaxKind.InterpolatedMultiLineRawStringStartToken)
            || interpolated.StringStartToken.IsKind(SyntaxKind.InterpolatedSingleLineRawStringStartToken),
        _ => false,
    };

    /// <summary>
    /// The texts an expression stands for: a raw string's value; an interpolated raw string once per [InlineData] row of
    /// its method (a parameter hole takes the row's value; other holes become empty and the text is not complete);
    /// a name resolves to its constant.
    /// </summary>
    private static IEnumerable<(string Text, bool Complete)> Texts(ExpressionSyntax expression, SyntaxNode root)
    {
        switch (expression)
        {
            case LiteralExpressionSyntax literal when IsRawString(literal):
                return new[] { (literal.Token.ValueText, true) };
            case InterpolatedStringExpressionSyntax interpolated when IsRawString(interpolated):
                return Interpolations(interpolated);
            case IdentifierNameSyntax identifier:
                var declarator = root.DescendantNodes().OfType<VariableDeclaratorSyntax>()
                    .FirstOrDefault(d => d.Identifier.ValueText == identifier.Identifier.ValueText && d.Initializer is not null);
                return declarator?.Initializer?.Value is { } value ? Texts(value, root) : Array.Empty<(string, bool)>();
            default:
                return Array.Empty<(string, bool)>();
        }
    }

    private static IEnumerable<(string Text, bool Complete)> Interpolations(InterpolatedStringExpressionSyntax interpolated)
    {
        var method = interpolated.FirstAncestorOrSelf<MethodDeclarationSyntax>();
        var parameters = method?.ParameterList.Parameters.Select(p => p.Identifier.ValueText).ToList() ?? new List<string>();
        var rows = method?.AttributeLists.SelectMany(l => l.Attributes)
            .Where(a => a.Name.ToString() is "InlineData" or "InlineDataAttribute")
            .Select(a => a.ArgumentList?.Arguments.Select(x => x.Expression is LiteralExpressionSyntax l
                ? (l.Token.Value as string ?? l.Token.Text)
                : x.Expression.ToString()).ToList() ?? new List<string>())
            .ToList() ?? new List<List<string>>();
        if (rows.Count == 0)
        {
            rows.Add(new List<string>());
        }

        foreach (var row in rows)
        {
            var builder = new System.Text.StringBuilder();
            var complete = true;
            foreach (var content in interpolated.Contents)
            {
                if (content is InterpolatedStringTextSyntax text)
                {
                    builder.Append(text.TextToken.ValueText);
                }
                else if (content is InterpolationSyntax { Expression: IdentifierNameSyntax hole } && parameters.IndexOf(hole.Identifier.ValueText) is var i and >= 0 && i < row.Count)
                {
                    builder.Append(row[i]);
                }
                else
                {
                    complete = false;
                }
            }

            yield return (builder.ToString(), complete);
        }
    }
}
