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

    /// <summary>
    /// Methods of other assemblies are owners the analysis cannot see: Escapes. An abstract or interface method declared
    /// in this compilation is implemented in it too: the socket moves to an owner in sight.
    /// </summary>
    public OwnershipEffect ForParameter(IMethodSymbol method, int ordinal, int depth)
    {
        method = method.OriginalDefinition;
        if (method.IsExtern || method.DeclaringSyntaxReferences.Length == 0 || ordinal >= method.Parameters.Length)
        {
            return OwnershipEffect.Escapes;
        }

        if (method.IsAbstract)
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
            return OwnershipEffect.Escapes;
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
            return OwnershipEffect.Escapes;
        }

        return OwnershipWalker.EffectOf(OwnershipWalker.FromEntry(_symbols, body.Graphs, graph, method.Parameters[ordinal], depth));
    }
}
