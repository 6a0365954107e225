using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using WsAnalyzers.Model;

namespace WsAnalyzers.Rules;

/// <summary>The registration of rules about received data (WS1005, WS1006): each operation block that receives, with its shared <see cref="BodyReceives"/>.</summary>
public abstract class ReceivedDataAnalyzer : DiagnosticAnalyzer
{
    public sealed override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = WebSocketSymbols.Get(start.Compilation);
            if (symbols is null)
            {
                return;
            }

            SocketBlocks.Register(start, Invocations, operation => symbols.ReceivesInto((IInvocationOperation)operation), analyze: c =>
            {
                foreach (var block in c.OperationBlocks)
                {
                    if (BodyReceives.Collect(symbols, block) is { } body)
                    {
                        Analyze(symbols, body, c);
                    }
                }
            }, callNames: ReceiveNames);
        });
    }

    private static readonly ImmutableArray<OperationKind> Invocations = ImmutableArray.Create(OperationKind.Invocation);

    // A wrapper with WebSocket.ReceiveAsync's contract is usually named after it.
    private static readonly string[] ReceiveNames = { "ReceiveAsync", "Receive" };

    private protected abstract void Analyze(WebSocketSymbols symbols, BodyReceives body, OperationBlockAnalysisContext context);
}
