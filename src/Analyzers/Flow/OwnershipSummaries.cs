using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using WsAnalyzers.Model;

namespace WsAnalyzers.Flow;

/// <summary>
/// Per compilation, what each method of this compilation does with a socket passed to one of its parameters:
/// disposes it, keeps it (stores, returns, hands it on) or neither. Computed on demand, cached.
/// </summary>
internal sealed class OwnershipSummaries
{
    [ThreadStatic]
    private static HashSet<(IMethodSymbol, int)>? s_inProgress;

    private readonly WebSocketSymbols _symbols;
    private readonly ConcurrentDictionary<(IMethodSymbol, int), OwnershipEffect> _cache = new();

    public OwnershipSummaries(WebSocketSymbols symbols) => _symbols = symbols;

    /// <summary>Methods out of sight (other assemblies, abstract, interface) are owners the analysis cannot see: Moves.</summary>
    public OwnershipEffect ForParameter(IMethodSymbol method, int ordinal, int depth)
    {
        method = method.OriginalDefinition;
        if (method.IsAbstract || method.IsExtern || method.DeclaringSyntaxReferences.Length == 0 || ordinal >= method.Parameters.Length)
        {
            return OwnershipEffect.Moves;
        }

        var key = (method, ordinal);
        if (_cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        s_inProgress ??= new HashSet<(IMethodSymbol, int)>();
        if (!s_inProgress.Add(key))
        {
            return OwnershipEffect.Moves;
        }

        try
        {
            return _cache.GetOrAdd(key, Summarize(method, ordinal, depth));
        }
        finally
        {
            s_inProgress.Remove(key);
        }
    }

    private OwnershipEffect Summarize(IMethodSymbol method, int ordinal, int depth)
    {
        var reference = method.DeclaringSyntaxReferences[0];
        var body = BodyAnalysis.ForSyntax(_symbols, MethodSummaries.RootOf(reference.GetSyntax()));
        var graph = body?.Graphs.FirstOrDefault(g => SymbolEqualityComparer.Default.Equals(g.Owner, method));
        if (body is null || graph is null)
        {
            return OwnershipEffect.Moves;
        }

        return OwnershipWalker.EffectOf(OwnershipWalker.FromEntry(_symbols, body.Graphs, graph, method.Parameters[ordinal], depth));
    }
}
