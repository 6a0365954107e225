using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using WsAnalyzers.Model;

namespace WsAnalyzers.Rules;

/// <summary>A WebSocket SendAsync whose task is dropped, so the next send can overlap it (WS1009).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SendNotAwaitedAnalyzer : SocketCallAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.WS1009SendNotAwaited);

    private protected override void Analyze(WebSocketSymbols symbols, IInvocationOperation send, SocketCall kind, OperationAnalysisContext context)
    {
        if (kind != SocketCall.Send || !IsDropped(TaskUse.TaskOf(send)))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(Descriptors.WS1009SendNotAwaited, send.Syntax.GetLocation()));
    }

    /// <summary>Dropped: an expression statement, a discard, or a local nobody reads. Anything else (await, return, argument, field) keeps it.</summary>
    private static bool IsDropped(IOperation task) => task.Parent switch
    {
        IExpressionStatementOperation => true,
        ISimpleAssignmentOperation { Target: IDiscardOperation } assignment => assignment.Value == task,
        // `_ = ws.SendAsync(..)` inside `_ => { .. }` or `void Beat(object? _)`: an assignment to the unused parameter `_`, a discard in all but name.
        ISimpleAssignmentOperation { Target: IParameterReferenceOperation { Parameter.Name: "_" } } assignment => assignment.Value == task,
        IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => !IsRead(declarator.Symbol, task),
        IReturnOperation returned => StartedAndDropped(returned),
        _ => false,
    };

    /// <summary><c>Task.Run(() => ws.SendAsync(..))</c> (or Task.Factory.StartNew) whose own task is dropped: the send is too.</summary>
    private static bool StartedAndDropped(IReturnOperation returned)
    {
        var lambda = returned.Parent is IBlockOperation { Parent: IAnonymousFunctionOperation function } ? function : null;
        if (lambda?.Parent is not IDelegateCreationOperation { Parent: IArgumentOperation { Parent: IInvocationOperation start } }
            || start.TargetMethod is not { Name: "Run" or "StartNew" } method
            || method.ContainingType?.Name is not ("Task" or "TaskFactory")
            || method.ContainingNamespace?.ToDisplayString() != "System.Threading.Tasks")
        {
            return false;
        }

        return IsDropped(TaskUse.TaskOf(start));
    }

    private static bool IsRead(ILocalSymbol local, IOperation from)
    {
        var root = from;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        foreach (var operation in root.Descendants())
        {
            if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                return true;
            }
        }

        return false;
    }
}
