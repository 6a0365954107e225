using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using WsAnalyzers.Flow;
using WsAnalyzers.Model;

namespace WsAnalyzers.Rules;

/// <summary>The registration of rules about received data (WS1005, WS1006): each operation block that receives, with its shared <see cref="BodyReceives"/>.</summary>
public abstract class ReceivedDataAnalyzer : DiagnosticAnalyzer
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

            // Functions handed a received piece by their callers: `Handle(WebSocketReceiveResult result, byte[] buffer)`.
            start.RegisterSymbolStartAction(type =>
            {
                if (!SocketBlocks.TypeMayMatter((INamedTypeSymbol)type.Symbol, createOrRelease: false))
                {
                    return;
                }

                type.RegisterOperationBlockAction(block =>
                {
                    if (block.OwningSymbol is IMethodSymbol method && HandedPiece.Parameters(symbols, method) is not null)
                    {
                        foreach (var body in block.OperationBlocks)
                        {
                            if (body is IBlockOperation or IMethodBodyBaseOperation && AnalyzeHanded(symbols, method, body, block.ReportDiagnostic, block.CancellationToken))
                            {
                                return;
                            }
                        }
                    }
                });
                type.RegisterOperationAction(
                    operation =>
                    {
                        IMethodSymbol? function = null;
                        IOperation? body = null;
                        if (operation.Operation is IAnonymousFunctionOperation lambda)
                        {
                            (function, body) = (lambda.Symbol, lambda.Body);
                        }
                        else if (operation.Operation is ILocalFunctionOperation local)
                        {
                            (function, body) = (local.Symbol, local.Body);
                        }

                        if (function is not null && body is not null && HandedPiece.Parameters(symbols, function) is not null)
                        {
                            AnalyzeHanded(symbols, function, body, operation.ReportDiagnostic, operation.CancellationToken);
                        }
                    },
                    FunctionKinds);
            }, SymbolKind.NamedType);
        });
    }

    private static readonly ImmutableArray<OperationKind> FunctionKinds = ImmutableArray.Create(OperationKind.AnonymousFunction, OperationKind.LocalFunction);

    private bool AnalyzeHanded(WebSocketSymbols symbols, IMethodSymbol function, IOperation body, System.Action<Diagnostic> report, System.Threading.CancellationToken cancellationToken)
    {
        using var cancellation = AnalysisCancellation.Enter(cancellationToken);
        if (HandedPiece.Of(symbols, function, body) is not { } piece)
        {
            return false;
        }

        Analyze(symbols, piece, body.DescendantsAndSelf().ToList(), report);
        return true;
    }

    /// <summary>A function handed a received piece (<see cref="HandedPiece"/>); <paramref name="operations"/> are its body's, in tree order.</summary>
    private protected abstract void Analyze(WebSocketSymbols symbols, HandedPiece piece, IReadOnlyList<IOperation> operations, System.Action<Diagnostic> report);

    private static readonly ImmutableArray<OperationKind> Invocations = ImmutableArray.Create(OperationKind.Invocation);

    // A wrapper with WebSocket.ReceiveAsync's contract is usually named after it.
    private static readonly string[] ReceiveNames = { "ReceiveAsync", "Receive" };

    private protected abstract void Analyze(WebSocketSymbols symbols, BodyReceives body, OperationBlockAnalysisContext context);
}
