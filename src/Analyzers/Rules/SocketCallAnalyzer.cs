using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using WsAnalyzers.Model;

namespace WsAnalyzers.Rules;

/// <summary>The registration of rules about single socket calls: nothing unless the compilation references WebSocket, then each classified call of a type that calls a socket member's name.</summary>
public abstract class SocketCallAnalyzer : DiagnosticAnalyzer
{
    public sealed override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(SocketBlocks.GeneratedCode);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = WebSocketSymbols.Get(start.Compilation);
            if (symbols is null)
            {
                return;
            }

            SocketBlocks.RegisterCalls(start, c =>
            {
                var call = (IInvocationOperation)c.Operation;
                var kind = symbols.Classify(call);
                if (kind != SocketCall.None || AlsoOtherCalls)
                {
                    Analyze(symbols, call, kind, c);
                }
            });
        });
    }

    /// <summary>Whether calls that are not socket calls (kind None) are analysed too: methods of this compilation that wrap one.</summary>
    private protected virtual bool AlsoOtherCalls => false;

    private protected abstract void Analyze(WebSocketSymbols symbols, IInvocationOperation call, SocketCall kind, OperationAnalysisContext context);
}
