using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using WsAnalyzers.Model;

namespace WsAnalyzers.Rules;

/// <summary>A WebSocket SendAsync (or a method of this compilation whose task is one) whose task is dropped, so the next send can overlap it (WS1009).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SendNotAwaitedAnalyzer : SocketCallAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.WS1009SendNotAwaited);

    private protected override bool AlsoOtherCalls => true;

    private protected override void Analyze(WebSocketSymbols symbols, IInvocationOperation send, SocketCall kind, OperationAnalysisContext context)
    {
        if (kind != SocketCall.Send && kind != SocketCall.None)
        {
            return;
        }

        // A method of this compilation whose task is a send's (`Task SendJsonAsync(..) => _ws.SendAsync(..)`) counts as
        // one. Whether a method is such a wrapper binds its body: it is asked only of calls whose task is used in a way
        // this rule reports, never of the many calls that are simply awaited.
        bool? isWrapper = null;
        bool Sends() => kind == SocketCall.Send || (isWrapper ??= symbols.SendWrappers.IsWrapper(send.TargetMethod));

        // `ws.SendAsync(..).ContinueWith(..)`: the continuation's task is the one dropped or kept.
        var task = TaskUse.TaskOf(send);
        while (task.Parent is IInvocationOperation { TargetMethod.Name: "ContinueWith" } continuation && continuation.Instance == task)
        {
            task = TaskUse.TaskOf(continuation);
        }

        if (task.Parent is IAwaitOperation && context.ContainingSymbol is IMethodSymbol { IsAsync: true, ReturnsVoid: true } sender
            && !InNestedFunction(task) && Sends() && symbols.SendWrappers.IsAsyncVoidSender(sender))
        {
            // Awaited, but in an async void method: the task its callers would need is the one no caller gets.
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.WS1009SendNotAwaited, send.Syntax.GetLocation(),
                $"'{sender.Name}' (async void, so no caller can await it)"));
            return;
        }

        if (task.Parent is IAwaitOperation && VoidLambdaOfALoop(task) is { } loop && Sends())
        {
            // `Parallel.ForEach(sockets, async ws => await ws.SendAsync(..))`: the lambda runs as async void.
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.WS1009SendNotAwaited, send.Syntax.GetLocation(),
                $"the async lambda given to '{loop.TargetMethod.ContainingType.Name}.{loop.TargetMethod.Name}' (it runs as async void, so '{loop.TargetMethod.Name}' returns before it ends)"));
            return;
        }

        if (task.Parent is IAwaitOperation && VoidLambdaGivenToProjectMethod(task) is { } taker && Sends())
        {
            // `ReceiveMessage(ws, async (result, buffer) => await RouteAsync(..))` where ReceiveMessage takes an Action:
            // the lambda runs as async void, so the method that calls it cannot wait for its sends.
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.WS1009SendNotAwaited, send.Syntax.GetLocation(),
                $"the async lambda given to '{taker.Name}' (its parameter is a delegate that returns void, so the lambda runs as async void and '{taker.Name}' cannot await it)"));
            return;
        }

        if (task.Parent is IAwaitOperation awaited && AwaitedByStartedLambda(awaited) is { } started)
        {
            // `Task.Run(async () => await SendMessageAsync(..))` whose task is dropped: the send is fire-and-forget.
            var startedTask = TaskUse.TaskOf(started);
            if (IsDropped(startedTask) && !CompilerWarns(startedTask, context) && Sends())
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.WS1009SendNotAwaited, send.Syntax.GetLocation(),
                    isWrapper == true ? $"this call of '{send.TargetMethod.Name}', started with '{started.TargetMethod.Name}'," : "this SendAsync, started with '" + started.TargetMethod.Name + "',"));
            }

            return;
        }

        if (!IsDropped(task) || CompilerWarns(task, context) || !Sends())
        {
            return;
        }

        var wrapper = isWrapper == true;
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.WS1009SendNotAwaited, send.Syntax.GetLocation(),
            wrapper ? $"this call of '{send.TargetMethod.Name}', which sends on a WebSocket," : "this SendAsync"));
    }

    /// <summary>
    /// The compiler's CS4014 already reports this line (checked by compiling): an awaitable call used as a statement in
    /// an async method, lambda or local function (<c>ws.SendAsync(..);</c>, also with <c>.ConfigureAwait(..)</c> or
    /// <c>.ContinueWith(..)</c>, or the <c>Task.Run(..)</c> that starts it) — unless the project switched CS4014 off.
    /// Discards, <c>ws?.SendAsync(..)</c>, synchronous functions and tasks stored and forgotten are left to WS1009.
    /// </summary>
    private static bool CompilerWarns(IOperation task, OperationAnalysisContext context)
    {
        if (task.Parent is IReturnOperation returned && Starter(returned) is { } start)
        {
            task = TaskUse.TaskOf(start);
        }

        return task is IInvocationOperation && task.Parent is IExpressionStatementOperation && IsAsync(task, context)
            && !(context.Compilation.Options.SpecificDiagnosticOptions.TryGetValue("CS4014", out var option) && option == ReportDiagnostic.Suppress);
    }

    /// <summary>
    /// The <c>Parallel.ForEach</c>/<c>For</c>/<c>Invoke</c>, <c>List&lt;T&gt;.ForEach</c> or <c>Array.ForEach</c> whose
    /// void-returning delegate is the async lambda around <paramref name="operation"/> (its innermost function); null otherwise.
    /// </summary>
    private static IInvocationOperation? VoidLambdaOfALoop(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is ILocalFunctionOperation)
            {
                return null;
            }

            if (current is IAnonymousFunctionOperation lambda)
            {
                return lambda.Symbol is { IsAsync: true, ReturnsVoid: true }
                    && lambda.Parent is IDelegateCreationOperation { Parent: IArgumentOperation { Parent: IInvocationOperation call } }
                    && call.TargetMethod is { Name: "ForEach" or "For" or "Invoke" } method
                    && method.ContainingType is { Name: "Parallel" or "List" or "Array" } type
                    && type.ContainingNamespace?.ToDisplayString() is "System.Threading.Tasks" or "System.Collections.Generic" or "System"
                        ? call
                        : null;
            }
        }

        return null;
    }

    /// <summary>
    /// The method of this compilation that is given, as an argument of a void-returning delegate type (<c>Action&lt;..&gt;</c>
    /// or a delegate of its own), the async lambda the send is awaited in: the method's author chose a delegate it cannot
    /// await. Not an event handler's shape (<c>(object, EventArgs)</c>), and not a lambda given to a library, whose
    /// signature is imposed (the loops of <see cref="VoidLambdaOfALoop"/> aside).
    /// </summary>
    private static IMethodSymbol? VoidLambdaGivenToProjectMethod(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is ILocalFunctionOperation)
            {
                return null;
            }

            if (current is IAnonymousFunctionOperation lambda)
            {
                if (lambda.Symbol is not { IsAsync: true, ReturnsVoid: true } function
                    || function.Parameters.Length == 2 && function.Parameters[1].Type.Name.EndsWith("EventArgs", System.StringComparison.Ordinal)
                    || lambda.Parent is not IDelegateCreationOperation { Parent: IArgumentOperation { Parent: var taker } })
                {
                    return null;
                }

                var method = taker switch
                {
                    IInvocationOperation call => call.TargetMethod,
                    IObjectCreationOperation creation => creation.Constructor,
                    _ => null,
                };
                return method is { DeclaringSyntaxReferences.IsEmpty: false, MethodKind: MethodKind.Ordinary or MethodKind.Constructor } ? method : null;
            }
        }

        return null;
    }

    private static bool InNestedFunction(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the function a statement belongs to is async.</summary>
    private static bool IsAsync(IOperation operation, OperationAnalysisContext context)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation lambda:
                    return lambda.Symbol.IsAsync;
                case ILocalFunctionOperation local:
                    return local.Symbol.IsAsync;
            }
        }

        return context.ContainingSymbol is IMethodSymbol { IsAsync: true };
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
        // `tasks.Append(ws.SendAsync(..));`: LINQ makes a new sequence, and that one is dropped.
        IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { Name: "Append" or "Prepend" or "Concat", ContainingType.Name: "Enumerable" } } linq }
            => linq.Parent is IExpressionStatementOperation,
        _ => false,
    };

    /// <summary><c>Task.Run(() => ws.SendAsync(..))</c> (or Task.Factory.StartNew) whose own task is dropped: the send is too.</summary>
    private static bool StartedAndDropped(IReturnOperation returned)
        => Starter(returned) is { } start && IsDropped(TaskUse.TaskOf(start));

    /// <summary>
    /// The <c>Task.Run</c> or <c>Task.Factory.StartNew</c> whose async lambda does nothing but await this
    /// (<c>Task.Run(async () =&gt; await SendAsync(..))</c>); null otherwise.
    /// </summary>
    private static IInvocationOperation? AwaitedByStartedLambda(IAwaitOperation awaited)
    {
        IOperation? current = awaited.Parent is IExpressionStatementOperation or IReturnOperation ? awaited.Parent : null;
        IAnonymousFunctionOperation? lambda = null;
        while (current is not null && lambda is null)
        {
            // The send alone in the lambda's body, or alone in the body of a try there (`try { await ws.SendAsync(..); } catch { }`).
            var only = current;
            if (current.Parent is not IBlockOperation block || !block.Operations.All(o => o == only || o.IsImplicit))
            {
                return null;
            }

            switch (block.Parent)
            {
                case IAnonymousFunctionOperation { Symbol.IsAsync: true } function:
                    lambda = function;
                    break;
                case ITryOperation attempt when attempt.Body == block:
                    current = attempt;
                    break;
                default:
                    return null;
            }
        }

        if (lambda is null)
        {
            return null;
        }

        return lambda.Parent is IDelegateCreationOperation { Parent: IArgumentOperation { Parent: IInvocationOperation start } }
            && start.TargetMethod is { Name: "Run" or "StartNew" } method
            && method.ContainingType?.Name is "Task" or "TaskFactory"
            && method.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks"
                ? start
                : null;
    }

    /// <summary>The <c>Task.Run</c> or <c>Task.Factory.StartNew</c> whose lambda returns this value; null otherwise.</summary>
    private static IInvocationOperation? Starter(IReturnOperation returned)
    {
        var lambda = returned.Parent is IBlockOperation { Parent: IAnonymousFunctionOperation function } ? function : null;
        return lambda?.Parent is IDelegateCreationOperation { Parent: IArgumentOperation { Parent: IInvocationOperation start } }
            && start.TargetMethod is { Name: "Run" or "StartNew" } method
            && method.ContainingType?.Name is "Task" or "TaskFactory"
            && method.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks"
                ? start
                : null;
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
