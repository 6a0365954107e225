using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace WsAnalyzers.Model;

/// <summary>
/// The <c>wsanalyzers.close_helpers</c> option: documentation-comment IDs of methods that close a WebSocket, for
/// libraries whose close the analysis cannot see (an interface, another assembly, a wrapper that finds the socket by
/// id). A call to one of them on a close path counts as the acknowledgement. Entries are separated by <c>|</c>
/// (.editorconfig reads <c>;</c> and <c>#</c> as comments); an ID without a parameter list (<c>M:Ns.Type.Close</c>)
/// matches every overload, and the <c>M:</c> prefix may be left out.
/// </summary>
internal sealed class CloseHelpers
{
    public const string OptionName = "wsanalyzers.close_helpers";

    private readonly ImmutableHashSet<string> _ids;

    private CloseHelpers(ImmutableHashSet<string> ids) => _ids = ids;

    public static CloseHelpers None { get; } = new(ImmutableHashSet<string>.Empty);

    public static CloseHelpers From(Compilation compilation, AnalyzerOptions options)
    {
        var ids = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Add(options.AnalyzerConfigOptionsProvider.GlobalOptions);
        foreach (var tree in compilation.SyntaxTrees)
        {
            Add(options.AnalyzerConfigOptionsProvider.GetOptions(tree));
        }

        return ids.Count == 0 ? None : new CloseHelpers(ids.ToImmutable());

        void Add(AnalyzerConfigOptions config)
        {
            if (!config.TryGetValue(OptionName, out var value) || !seen.Add(value))
            {
                return;
            }

            foreach (var entry in value.Split(new[] { '|' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var id = entry.Trim();
                if (id.Length > 2)
                {
                    // Only methods can close: `MyApp.Sessions.CloseAll` is taken as `M:MyApp.Sessions.CloseAll`.
                    ids.Add(id.StartsWith("M:", StringComparison.Ordinal) ? id : "M:" + id);
                }
            }
        }
    }

    public bool IsCloseHelper(IMethodSymbol method)
    {
        if (_ids.IsEmpty)
        {
            return false;
        }

        var id = (method.ReducedFrom ?? method).OriginalDefinition.GetDocumentationCommentId();
        if (id is null)
        {
            return false;
        }

        if (_ids.Contains(id))
        {
            return true;
        }

        var parameters = id.IndexOf('(');
        return parameters > 0 && _ids.Contains(id.Substring(0, parameters));
    }
}
