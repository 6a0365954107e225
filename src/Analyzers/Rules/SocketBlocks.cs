using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using WsAnalyzers.Model;

namespace WsAnalyzers.Rules;

/// <summary>
/// The gate every body-level rule passes through: a cheap invocation action (classified by name first) marks the
/// operation blocks that call the WebSocket members a rule is about; only those get analysed at block end. Bodies
/// without such a call cost one name switch per invocation and nothing else.
/// </summary>
internal static class SocketBlocks
{
    public static void Register(CompilationStartAnalysisContext start, WebSocketSymbols symbols, Func<SocketCall, bool> wanted, Action<OperationBlockAnalysisContext> analyze)
    {
        start.RegisterOperationBlockStartAction(block =>
        {
            var seen = new Flag();
            block.RegisterOperationAction(
                operation =>
                {
                    if (!seen.Value && wanted(symbols.Classify((IInvocationOperation)operation.Operation)))
                    {
                        seen.Value = true;
                    }
                },
                OperationKind.Invocation);
            block.RegisterOperationBlockEndAction(end =>
            {
                if (seen.Value)
                {
                    analyze(end);
                }
            });
        });
    }

    private sealed class Flag
    {
        public volatile bool Value;
    }
}
