using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using WsAnalyzers.Flow;
using WsAnalyzers.Model;

namespace WsAnalyzers.Rules;

/// <summary>
/// The registration every close-handshake rule shares: nothing unless the compilation references WebSocket, and
/// the shared body analysis only for bodies that receive from a WebSocket (or close one, for WS1004).
/// </summary>
public abstract class SocketBodyAnalyzer : DiagnosticAnalyzer
{
    public sealed override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(SocketBlocks.GeneratedCode);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = WebSocketSymbols.Get(start.Compilation)?.WithOptions(start.Options);
            if (symbols is null)
            {
                return;
            }

            if (ThroughReceiveHelpers)
            {
                // Also bodies that call a receive helper of this compilation (a loop over `await ReceiveTextAsync(ws)`).
                SocketBlocks.Register(
                    start,
                    Invocations,
                    operation => symbols.Classify((IInvocationOperation)operation) is var kind
                        && (kind == SocketCall.Receive || kind == SocketCall.None && BodyAnalysis.MayBeReceiveHelper(((IInvocationOperation)operation).TargetMethod)),
                    end => Analyze(symbols, end),
                    ReceiveNames,
                    orCallsNamed: BodyAnalysis.MayNameReceiveHelper);
                return;
            }

            SocketBlocks.Register(start, symbols, kind => kind is SocketCall.Receive || ClosesToo && kind is SocketCall.Close or SocketCall.CloseOutput, end => Analyze(symbols, end), ClosesToo ? ReceiveOrCloseNames : ReceiveNames);
        });
    }

    private static readonly ImmutableArray<OperationKind> Invocations = ImmutableArray.Create(OperationKind.Invocation);
    private static readonly string[] ReceiveNames = { "ReceiveAsync" };
    private static readonly string[] ReceiveOrCloseNames = { "ReceiveAsync", "CloseAsync", "CloseOutputAsync" };

    /// <summary>
    /// Whether the rule reports in bodies that close without receiving (a close helper's Open-only guard, WS1004).
    /// Otherwise only bodies that receive are analysed for it: every receive-path finding starts at a receive of the
    /// body (the other bodies are still summarised when a receiving body asks about them).
    /// </summary>
    private protected virtual bool ClosesToo => false;

    /// <summary>Whether the rule also reports in bodies that receive only through a receive helper of the compilation (WS1001).</summary>
    private protected virtual bool ThroughReceiveHelpers => false;

    private protected abstract ImmutableArray<Finding> Select(BodyAnalysis body);

    private void Analyze(WebSocketSymbols symbols, OperationBlockAnalysisContext context)
    {
        if (SocketBlocks.BodyOf(symbols, context, initializers: true) is not { } body)
        {
            return;
        }

        var descriptor = SupportedDiagnostics[0];
        foreach (var finding in Select(body))
        {
            context.ReportDiagnostic(Diagnostic.Create(descriptor, finding.Location, finding.Properties, FixKeys.Get(finding.Properties, FixKeys.SocketName)));
        }
    }
}
