using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace WsAnalyzers.Flow;

/// <summary>
/// The invocations of one syntax tree grouped by the name they call, made once per tree and kept as long as the tree
/// lives. Compilations share unchanged trees (an editor's next compilation differs by one document), so finding the
/// callers of a method costs one dictionary probe per tree rather than a walk over the whole project per compilation.
/// </summary>
internal static class TreeCalls
{
    private static readonly ConditionalWeakTable<SyntaxTree, Entry> Index = new();

    /// <summary>The tree's invocations by the name they call.</summary>
    public static Dictionary<string, ImmutableArray<InvocationExpressionSyntax>> Of(SyntaxTree tree)
        => Index.GetValue(tree, Build).Calls;

    /// <summary>The tree's calls named <paramref name="name"/>; a tree whose text cannot hold the name is not walked.</summary>
    public static bool TryGetCalls(SyntaxTree tree, string name, out ImmutableArray<InvocationExpressionSyntax> calls)
    {
        if (!TreeWords.MayContain(tree, name))
        {
            calls = default;
            return false;
        }

        return Of(tree).TryGetValue(name, out calls);
    }

    /// <summary>Whether the tree declares or spells <paramref name="name"/> anywhere (`class T`, `T x`, `new T()`, `: T`, `List&lt;T&gt;`); a tree whose text cannot hold the name is not walked.</summary>
    public static bool Mentions(SyntaxTree tree, string name)
        => TreeWords.MayContain(tree, name) && Index.GetValue(tree, Build).Names.Contains(name);

    /// <summary>The name an invocation calls (`x.M()`, `M()`, `x?.M()`), or null for other shapes (a delegate expression).</summary>
    public static string? NameOf(InvocationExpressionSyntax invocation) => invocation.Expression switch
    {
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        _ => null,
    };

    /// <summary>Whether the tree holds, inside <paramref name="span"/>, a call named one of <paramref name="names"/>.</summary>
    public static bool AnyCallWithin(SyntaxTree tree, Microsoft.CodeAnalysis.Text.TextSpan span, string[] names)
    {
        if (!TreeWords.MayContainAny(tree, names))
        {
            return false;
        }

        var calls = Of(tree);
        foreach (var name in names)
        {
            if (!calls.TryGetValue(name, out var named))
            {
                continue;
            }

            // In document order: find the first call that starts at or after the span's start.
            int lo = 0, hi = named.Length;
            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                if (named[mid].SpanStart < span.Start)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            if (lo < named.Length && span.Contains(named[lo].Span))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the tree holds, inside <paramref name="span"/>, a call whose name <paramref name="matches"/> accepts.</summary>
    public static bool AnyCallWithin(SyntaxTree tree, Microsoft.CodeAnalysis.Text.TextSpan span, Func<string, bool> matches)
    {
        foreach (var pair in Of(tree))
        {
            if (!matches(pair.Key))
            {
                continue;
            }

            foreach (var call in pair.Value)
            {
                if (span.Contains(call.Span))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The tree's `using` statements and `using` declarations (whose resources a block disposes), in document order.</summary>
    public static ImmutableArray<StatementSyntax> UsingsOf(SyntaxTree tree) => Index.GetValue(tree, Build).Usings;

    private sealed class Entry
    {
        public Entry(Dictionary<string, ImmutableArray<InvocationExpressionSyntax>> calls, HashSet<string> names, ImmutableArray<StatementSyntax> usings)
        {
            Calls = calls;
            Names = names;
            Usings = usings;
        }

        public Dictionary<string, ImmutableArray<InvocationExpressionSyntax>> Calls { get; }

        public HashSet<string> Names { get; }

        public ImmutableArray<StatementSyntax> Usings { get; }
    }

    private static Entry Build(SyntaxTree tree)
    {
        var byName = new Dictionary<string, ImmutableArray<InvocationExpressionSyntax>.Builder>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var usings = ImmutableArray.CreateBuilder<StatementSyntax>();
        foreach (var node in tree.GetRoot(AnalysisCancellation.Token).DescendantNodes())
        {
            if (node is UsingStatementSyntax or LocalDeclarationStatementSyntax { UsingKeyword.RawKind: not 0 })
            {
                usings.Add((StatementSyntax)node);
                continue;
            }

            if (node is SimpleNameSyntax simpleName)
            {
                names.Add(simpleName.Identifier.ValueText);
                continue;
            }

            if (node is BaseTypeDeclarationSyntax declaration)
            {
                // Its own members call it by simple name: the tree that declares a type names it too.
                names.Add(declaration.Identifier.ValueText);
            }

            if (node is not InvocationExpressionSyntax invocation)
            {
                continue;
            }

            var name = NameOf(invocation);
            if (name is null)
            {
                continue;
            }

            if (!byName.TryGetValue(name, out var list))
            {
                byName[name] = list = ImmutableArray.CreateBuilder<InvocationExpressionSyntax>();
            }

            list.Add(invocation);
        }

        var result = new Dictionary<string, ImmutableArray<InvocationExpressionSyntax>>(byName.Count, StringComparer.Ordinal);
        foreach (var pair in byName)
        {
            result[pair.Key] = pair.Value.ToImmutable();
        }

        return new Entry(result, names, usings.ToImmutable());
    }
}
