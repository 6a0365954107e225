using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using WsAnalyzers.Flow;
using WsAnalyzers.Model;

namespace WsAnalyzers.Rules;

/// <summary>
/// The gate every body-level rule passes through: a cheap operation action marks the operation blocks that do what a
/// rule is about (call a WebSocket member, create or accept a socket); only those get analysed at block end. Other
/// bodies cost one check per matching operation and nothing else.
/// </summary>
internal static class SocketBlocks
{
    private static readonly ImmutableArray<OperationKind> Invocations = ImmutableArray.Create(OperationKind.Invocation);

    /// <summary>Bodies that call a WebSocket member of a kind <paramref name="wanted"/> accepts (classified by name first).</summary>
    public static void Register(CompilationStartAnalysisContext start, WebSocketSymbols symbols, Func<SocketCall, bool> wanted, Action<OperationBlockAnalysisContext> analyze)
        => Register(start, Invocations, operation => wanted(symbols.Classify((IInvocationOperation)operation)), analyze, WebSocketSymbols.SocketCallNames);

    /// <summary>
    /// Bodies holding an operation of one of <paramref name="kinds"/> that <paramref name="marks"/> the body. With
    /// <paramref name="callNames"/>, a body whose text calls none of those names is skipped before anything is
    /// registered for it (the per-tree call index answers that from syntax): ordinary code in a project that uses
    /// WebSockets somewhere then costs one lookup per body.
    /// </summary>
    public static void Register(CompilationStartAnalysisContext start, ImmutableArray<OperationKind> kinds, Func<IOperation, bool> marks, Action<OperationBlockAnalysisContext> analyze, string[]? callNames = null)
    {
        start.RegisterOperationBlockStartAction(block =>
        {
            if (callNames is not null && !CallsAny(block, callNames))
            {
                return;
            }

            var seen = new Flag();
            block.RegisterOperationAction(
                operation =>
                {
                    if (!seen.Value && marks(operation.Operation))
                    {
                        seen.Value = true;
                    }
                },
                kinds);
            block.RegisterOperationBlockEndAction(end =>
            {
                if (seen.Value)
                {
                    // The shared flow analysis (built for whichever rule asks first) stops between blocks on this token.
                    using var cancellation = AnalysisCancellation.Enter(end.CancellationToken);
                    analyze(end);
                }
            });
        });
    }

#pragma warning disable RS1012 // Reads the block's syntax only; the caller registers the actions.
    private static bool CallsAny(OperationBlockStartAnalysisContext block, string[] names)
#pragma warning restore RS1012
    {
        foreach (var operation in block.OperationBlocks)
        {
            if (TreeCalls.AnyCallWithin(operation.Syntax.SyntaxTree, operation.Syntax.Span, names))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class Flag
    {
        public volatile bool Value;
    }
}
