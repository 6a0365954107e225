using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace WsAnalyzers.Flow;

/// <summary>
/// The invocations of one syntax tree that call a given name, found from the tree's text: each place the text spells
/// the name as a whole word is looked up in the tree (<see cref="SyntaxNode.FindToken"/>) and kept when it names the
/// method of an invocation. Answers are kept per tree and name as long as the tree lives, so compilations share them
/// for unchanged trees (an editor's next compilation differs by one document), and no tree is ever walked whole: the
/// cost follows how often the text spells what is asked, not the size of the tree.
/// </summary>
internal static class TreeCalls
{
    private static readonly ConditionalWeakTable<SyntaxTree, Entry> Index = new();

    /// <summary>The tree's calls named <paramref name="name"/>, in document order; false when there are none.</summary>
    public static bool TryGetCalls(SyntaxTree tree, string name, out ImmutableArray<InvocationExpressionSyntax> calls)
    {
        if (!TreeWords.MayContain(tree, name))
        {
            calls = default;
            return false;
        }

        calls = Index.GetValue(tree, Create).CallsNamed(tree, name);
        return !calls.IsEmpty;
    }

    /// <summary>Whether the tree declares or spells <paramref name="name"/> anywhere (`class T`, `T x`, `new T()`, `: T`, `List&lt;T&gt;`); a tree whose text cannot hold the name is not read.</summary>
    public static bool Mentions(SyntaxTree tree, string name)
        => TreeWords.MayContain(tree, name) && Index.GetValue(tree, Create).Mentions(tree, name);

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
        foreach (var name in names)
        {
            if (!TryGetCalls(tree, name, out var named))
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

    /// <summary>Whether the tree holds, inside <paramref name="span"/>, a call whose name <paramref name="matches"/> accepts (walks the span's syntax).</summary>
    public static bool AnyCallWithin(SyntaxTree tree, Microsoft.CodeAnalysis.Text.TextSpan span, Func<string, bool> matches)
    {
        foreach (var node in tree.GetRoot(AnalysisCancellation.Token).DescendantNodes(span))
        {
            if (node is InvocationExpressionSyntax call && span.Contains(call.Span) && NameOf(call) is { } name && matches(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The tree's calls whose name contains <paramref name="fragment"/> (`Dispose` finds `DisposeAsync` and `SafeDispose`), in document order.</summary>
    public static ImmutableArray<InvocationExpressionSyntax> CallsNamedWith(SyntaxTree tree, string fragment)
        => Index.GetValue(tree, Create).CallsNamedWith(tree, fragment);

    /// <summary>The tree's `using` statements and `using` declarations (whose resources a block disposes), in document order.</summary>
    public static ImmutableArray<StatementSyntax> UsingsOf(SyntaxTree tree) => Index.GetValue(tree, Create).Usings(tree);

    private static Entry Create(SyntaxTree tree) => new();

    private sealed class Entry
    {
        private readonly ConcurrentDictionary<string, ImmutableArray<InvocationExpressionSyntax>> _calls = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, ImmutableArray<InvocationExpressionSyntax>> _callsWith = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, bool> _mentions = new(StringComparer.Ordinal);
        private ImmutableArray<StatementSyntax> _usings;
        private string? _text;

        private string Text(SyntaxTree tree) => _text ??= tree.GetText(AnalysisCancellation.Token).ToString();

        public ImmutableArray<InvocationExpressionSyntax> CallsNamed(SyntaxTree tree, string name)
        {
            if (_calls.TryGetValue(name, out var known))
            {
                return known;
            }

            var found = ImmutableArray.CreateBuilder<InvocationExpressionSyntax>();
            foreach (var token in Words(tree, name))
            {
                if (CallNamedBy(token) is { } call)
                {
                    found.Add(call);
                }
            }

            return _calls.GetOrAdd(name, found.ToImmutable());
        }

        public ImmutableArray<InvocationExpressionSyntax> CallsNamedWith(SyntaxTree tree, string fragment)
        {
            if (_callsWith.TryGetValue(fragment, out var known))
            {
                return known;
            }

            var found = ImmutableArray.CreateBuilder<InvocationExpressionSyntax>();
            var text = Text(tree);
            var root = tree.GetRoot(AnalysisCancellation.Token);
            var after = -1;
            for (var at = text.IndexOf(fragment, StringComparison.Ordinal); at >= 0; at = text.IndexOf(fragment, at + fragment.Length, StringComparison.Ordinal))
            {
                if (at < after)
                {
                    continue; // the same identifier spells the fragment twice
                }

                var token = root.FindToken(at);
                if (token.RawKind == (int)SyntaxKind.IdentifierToken && token.Span.Contains(at))
                {
                    after = token.Span.End;
                    if (CallNamedBy(token) is { } call)
                    {
                        found.Add(call);
                    }
                }
            }

            return _callsWith.GetOrAdd(fragment, found.ToImmutable());
        }

        public bool Mentions(SyntaxTree tree, string name)
        {
            if (_mentions.TryGetValue(name, out var known))
            {
                return known;
            }

            var mentioned = false;
            foreach (var token in Words(tree, name))
            {
                if (token.Parent is SimpleNameSyntax || token.Parent is BaseTypeDeclarationSyntax declaration && declaration.Identifier == token)
                {
                    mentioned = true;
                    break;
                }
            }

            return _mentions.GetOrAdd(name, mentioned);
        }

        public ImmutableArray<StatementSyntax> Usings(SyntaxTree tree)
        {
            if (!_usings.IsDefault)
            {
                return _usings;
            }

            var found = ImmutableArray.CreateBuilder<StatementSyntax>();
            foreach (var token in Words(tree, "using", SyntaxKind.UsingKeyword))
            {
                switch (token.Parent)
                {
                    case UsingStatementSyntax statement:
                        found.Add(statement);
                        break;
                    case LocalDeclarationStatementSyntax declaration when declaration.UsingKeyword == token:
                        found.Add(declaration);
                        break;
                }
            }

            var result = found.ToImmutable();
            ImmutableInterlocked.InterlockedInitialize(ref _usings, result);
            return _usings;
        }

        /// <summary>The tokens of <paramref name="kind"/> (identifiers by default) the text spells as the whole word <paramref name="word"/>; text in comments, strings and disabled code is not a token and is skipped.</summary>
        private IEnumerable<SyntaxToken> Words(SyntaxTree tree, string word, SyntaxKind kind = SyntaxKind.IdentifierToken)
        {
            var text = Text(tree);
            var root = tree.GetRoot(AnalysisCancellation.Token);
            for (var at = text.IndexOf(word, StringComparison.Ordinal); at >= 0; at = text.IndexOf(word, at + word.Length, StringComparison.Ordinal))
            {
                var end = at + word.Length;
                if (at > 0 && IsWordChar(text[at - 1]) || end < text.Length && IsWordChar(text[end]))
                {
                    continue;
                }

                var token = root.FindToken(at);
                if (token.RawKind == (int)kind && token.Span.End == end && (token.SpanStart == at || token.SpanStart == at - 1 && text[at - 1] == '@'))
                {
                    yield return token;
                }
            }
        }

        private static bool IsWordChar(char c) => c < 128 ? (uint)((c | 0x20) - 'a') <= 'z' - 'a' || (uint)(c - '0') <= 9 || c == '_' : char.IsLetterOrDigit(c);

        /// <summary>The invocation whose method <paramref name="token"/> names (`M()`, `x.M()`, `x?.M()`, `M&lt;T&gt;()`), if any.</summary>
        private static InvocationExpressionSyntax? CallNamedBy(SyntaxToken token)
        {
            if (token.Parent is not SimpleNameSyntax name)
            {
                return null;
            }

            ExpressionSyntax callee = name.Parent switch
            {
                MemberAccessExpressionSyntax access when access.Name == name => access,
                MemberBindingExpressionSyntax binding when binding.Name == name => binding,
                _ => name,
            };
            return callee.Parent is InvocationExpressionSyntax invocation && invocation.Expression == callee ? invocation : null;
        }
    }
}
