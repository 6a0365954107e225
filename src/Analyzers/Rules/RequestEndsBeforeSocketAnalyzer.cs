using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using WsAnalyzers.Flow;
using WsAnalyzers.Model;

namespace WsAnalyzers.Rules;

/// <summary>
/// An ASP.NET Core handler (middleware, endpoint delegate, controller action) that accepts a socket from HttpContext
/// and returns while work on the socket is still running (WS1008): the connection is torn down under that work.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RequestEndsBeforeSocketAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property set when `await` in front of the discarded task is a safe fix.</summary>
    public const string AwaitFixProperty = "AwaitFix";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.WS1008RequestEndsBeforeSocket);

    /// <summary>Both marks are a call of AcceptWebSocketAsync (awaited, or continued with ContinueWith).</summary>
    private static readonly string[] AcceptNames = { "AcceptWebSocketAsync" };

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(SocketBlocks.GeneratedCode);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = WebSocketSymbols.Get(start.Compilation);
            if (symbols?.WebSocketManager is null)
            {
                return;
            }

            SocketBlocks.Register(
                start,
                ImmutableArray.Create(OperationKind.Await, OperationKind.Invocation),
                operation => SocketSources.IsAccept(symbols, operation) || IsAcceptContinuation(symbols, operation, resolve: o => o),
                end => Analyze(symbols, end),
                callNames: AcceptNames);
        });
    }

    private static void Analyze(WebSocketSymbols symbols, OperationBlockAnalysisContext context)
    {
        if (SocketBlocks.BodyOf(symbols, context, initializers: false) is not { } body)
        {
            return;
        }

        foreach (var graph in body.Graphs)
        {
            new Handler(symbols, body, graph, context).Analyze();
        }
    }

    /// <summary>`context.WebSockets.AcceptWebSocketAsync().ContinueWith(...)`: the socket is served by the accept's continuation.</summary>
    private static bool IsAcceptContinuation(WebSocketSymbols symbols, IOperation operation, System.Func<IOperation, IOperation> resolve)
        => operation is IInvocationOperation { TargetMethod.Name: "ContinueWith", Instance: { } instance }
           && resolve(instance) is IInvocationOperation accept && symbols.Classify(accept) == SocketCall.Accept;

    /// <summary>One graph that accepts sockets from HttpContext: the handler whose return ends the request.</summary>
    private sealed class Handler
    {
        private readonly WebSocketSymbols _symbols;
        private readonly BodyAnalysis _body;
        private readonly GraphInfo _graph;
        private readonly OperationBlockAnalysisContext _context;

        public Handler(WebSocketSymbols symbols, BodyAnalysis body, GraphInfo graph, OperationBlockAnalysisContext context)
        {
            _symbols = symbols;
            _body = body;
            _graph = graph;
            _context = context;
        }

        private bool IsAsync => _graph.Owner is IMethodSymbol { IsAsync: true };

        public void Analyze()
        {
            for (var b = 0; b < _graph.Operations.Length; b++)
            {
                for (var i = 0; i < _graph.Operations[b].Count; i++)
                {
                    var operation = _graph.Operations[b][i];
                    if (IsAcceptContinuation(_symbols, operation, _graph.Resolve))
                    {
                        AnalyzeContinuation((IInvocationOperation)operation, _graph.Graph.Blocks[b], i);
                    }

                    if (operation is ISimpleAssignmentOperation assignment && SocketSources.IsAccept(_symbols, _graph.Resolve(assignment.Value)))
                    {
                        switch (assignment.Target)
                        {
                            case ILocalReferenceOperation { Local: var local } when SymbolEqualityComparer.Default.Equals(local.ContainingSymbol, _graph.Owner):
                                AnalyzeSocket(local);
                                break;
                            case IFieldReferenceOperation or IPropertyReferenceOperation:
                                // Accepted straight into a field: stored for someone else, so the handler must wait for them.
                                var (block, index) = Find(assignment);
                                if (!AwaitsCompletion(block, index, storedSocket: null, except: null))
                                {
                                    Report(assignment.Value, assignment.Target.Syntax.ToString(), fix: false);
                                }

                                break;
                        }
                    }
                }
            }
        }

        /// <summary>
        /// The accept continued with a lambda that uses the socket: the request lasts only while the handler waits for
        /// the continuation's work to end. A continuation that returns a task (an async lambda) makes a Task&lt;Task&gt;
        /// whose outer task ends as soon as the work has started: only <c>Unwrap()</c> or <c>await await</c> waits for it.
        /// </summary>
        private void AnalyzeContinuation(IInvocationOperation continuation, BasicBlock block, int index)
        {
            var lambda = continuation.Arguments
                .Select(a => a.Value.WithoutConversions())
                .Select(v => v is IDelegateCreationOperation { Target: var target } ? target : v)
                .OfType<IFlowAnonymousFunctionOperation>()
                .FirstOrDefault();
            var graph = lambda is null ? null : _body.Graphs.FirstOrDefault(g => SymbolEqualityComparer.Default.Equals(g.Owner, lambda.Symbol));
            if (lambda is null || graph is null || lambda.Symbol.Parameters.Length == 0)
            {
                return;
            }

            var accepted = lambda.Symbol.Parameters[0];
            bool IsAccepted(IOperation o) => o is IParameterReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Parameter, accepted);
            if (!graph.Operations.SelectMany(o => o).Any(IsAccepted))
            {
                return;
            }

            // Name the socket as the continuation does: `var ws = t.Result;` is 'ws', otherwise 't.Result'.
            var name = graph.Operations.SelectMany(o => o)
                .OfType<ISimpleAssignmentOperation>()
                .Where(a => a.Target is ILocalReferenceOperation && graph.Resolve(a.Value) is IPropertyReferenceOperation { Property.Name: "Result", Instance: { } instance } && IsAccepted(instance))
                .Select(a => ((ILocalReferenceOperation)a.Target).Local.Name)
                .FirstOrDefault() ?? accepted.Name + ".Result";

            IOperation task = continuation;
            var nested = continuation.Type is INamedTypeSymbol { TypeArguments.Length: 1 } result && IsTaskLike(result.TypeArguments[0]);
            if (nested)
            {
                switch (Consumer(continuation))
                {
                    // TaskExtensions.Unwrap(this Task<Task>): the continuation is its argument.
                    case IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "Unwrap" } unwrap }:
                        task = unwrap;
                        nested = false;
                        break;
                    case IAwaitOperation outer when Consumer(outer) is IAwaitOperation:
                        return;
                }
            }

            if (!nested)
            {
                var consumer = Consumer(task);
                if (consumer is IAwaitOperation
                    || consumer is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configured && Consumer(configured) is IAwaitOperation
                    || Returned(task)
                    || Fate(task) is null
                    || AwaitsCompletion(block, index, storedSocket: null, except: null))
                {
                    return;
                }
            }

            Report(continuation, name, fix: false);
        }

        /// <summary>A value the graph returns (the branch value of a block that returns): the caller waits for it.</summary>
        private bool Returned(IOperation value)
            => _graph.Graph.Blocks.Any(b => b.BranchValue is { } branch && b.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.Return
                && _graph.Resolve(branch) == value);

        /// <summary>The operation that uses a value, past conversions.</summary>
        private static IOperation? Consumer(IOperation operation)
        {
            var parent = operation.Parent;
            while (parent is IConversionOperation)
            {
                parent = parent.Parent;
            }

            return parent;
        }

        private void AnalyzeSocket(ILocalSymbol socket)
        {
            // The socket's names here: the local, copies of it, and wrappers made around it (`new Connection(ws)`).
            var aliases = new HashSet<ISymbol>(SymbolEqualityComparer.Default) { socket };
            for (var changed = true; changed;)
            {
                changed = false;
                foreach (var operation in _graph.Operations.SelectMany(o => o))
                {
                    if (operation is ISimpleAssignmentOperation { Target: ILocalReferenceOperation { Local: var local } } copy
                        && SymbolEqualityComparer.Default.Equals(local.ContainingSymbol, _graph.Owner) && !aliases.Contains(local) && IsSocket(copy.Value))
                    {
                        changed = aliases.Add(local);
                    }
                }
            }

            bool IsSocket(IOperation? o)
            {
                var value = o is null ? null : _graph.Resolve(o);
                return value is not null
                    && (value.ReferencedSymbol(_graph) is { } symbol && aliases.Contains(symbol)
                        || value is IObjectCreationOperation creation && (creation.Arguments.Any(a => IsSocket(a.Value)) || InitializedWithSocket(creation)));
            }

            // `new Peer { Socket = ws }`: in the graph the initializer is an assignment to a member of the new object.
            bool InitializedWithSocket(IObjectCreationOperation creation)
                => _graph.Operations.SelectMany(o => o).Any(o => o is ISimpleAssignmentOperation { Target: IMemberReferenceOperation { Instance: { } instance } } assignment
                    && IsFresh(instance) == creation && IsSocket(assignment.Value));

            for (var b = 0; b < _graph.Operations.Length; b++)
            {
                var block = _graph.Graph.Blocks[b];
                var operations = _graph.Operations[b];
                for (var i = 0; i < operations.Count; i++)
                {
                    var operation = operations[i];
                    switch (operation)
                    {
                        // Work started on the socket and not awaited: discarded, or kept in a local nobody awaits.
                        case IInvocationOperation call when IsTaskLike(call.Type) && UsesSocket(_body.Graphs, call, IsSocket) && Fate(call) is { } fate:
                            if (!AwaitsCompletion(block, i, storedSocket: null, except: null))
                            {
                                Report(call, socket.Name, fix: fate == TaskFate.Discarded && IsAsync && IsStatementShape(call));
                            }

                            break;

                        // A thread-pool work item or a thread given the socket.
                        case IInvocationOperation call when call.TargetMethod is { IsStatic: true, Name: "QueueUserWorkItem" or "UnsafeQueueUserWorkItem", ContainingType.Name: "ThreadPool" }
                            && ArgumentsUseSocket(_body.Graphs, call.Arguments, IsSocket):
                        case IObjectCreationOperation { Type: { Name: "Thread", ContainingNamespace.Name: "Threading" } } thread
                            when ArgumentsUseSocket(_body.Graphs, thread.Arguments, IsSocket):
                            if (!AwaitsCompletion(block, i, storedSocket: null, except: null)
                                && !SocketSources.OperationsAfter(_graph, block, i).Any(o => o is IInvocationOperation { TargetMethod.Name: "Join" }))
                            {
                                Report(operation, socket.Name, fix: false);
                            }

                            break;

                        // An async void method given the socket: nothing can await it.
                        case IInvocationOperation call when call.TargetMethod is { IsAsync: true, ReturnsVoid: true } && call.Arguments.Any(a => IsSocket(a.Value)):
                            if (!AwaitsCompletion(block, i, storedSocket: null, except: null))
                            {
                                Report(call, socket.Name, fix: false);
                            }

                            break;

                        // The socket handed to a collection or a service that keeps it.
                        case IInvocationOperation call when Stores(call, IsSocket):
                        case ISimpleAssignmentOperation store when IsSocket(store.Value)
                            && store.Target.WithoutConversions() is IFieldReferenceOperation or IPropertyReferenceOperation or IArrayElementReferenceOperation
                            && !(store.Target.WithoutConversions() is IMemberReferenceOperation { Instance: { } holder } && IsFresh(holder) is not null):
                            if (!AwaitsCompletion(block, i, IsSocket, except: operation))
                            {
                                Report(operation, socket.Name, fix: false);
                            }

                            break;
                    }
                }
            }
        }

        /// <summary>The object creation an instance is, when it is one made in this graph (an object initializer's target).</summary>
        private IObjectCreationOperation? IsFresh(IOperation instance) => _graph.Resolve(instance) as IObjectCreationOperation;

        /// <summary>A task that is thrown away (`_ = ...;` or a bare statement) or kept in a variable; null when it is awaited, returned or passed on.</summary>
        private static TaskFate? Fate(IOperation task)
        {
            var current = task;
            while (current.Parent is IConversionOperation)
            {
                current = current.Parent;
            }

            return current.Parent switch
            {
                null or IExpressionStatementOperation => TaskFate.Discarded,
                ISimpleAssignmentOperation { Target: IDiscardOperation } assignment when assignment.Value == current => TaskFate.Discarded,
                ISimpleAssignmentOperation { Target: ILocalReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation } assignment
                    when assignment.Value == current => TaskFate.Kept,
                _ => null,
            };
        }

        /// <summary>The socket's own Task-returning call, or a call given the socket or a lambda that uses it.</summary>
        private bool UsesSocket(ImmutableArray<GraphInfo> graphs, IInvocationOperation call, System.Func<IOperation?, bool> isSocket)
        {
            // The socket's (or its wrapper's) own Task-returning call, or a continuation of work that uses it.
            if (call.Instance is { } instance
                && (isSocket(instance) || instance.WithoutConversions() is IInvocationOperation inner && IsTaskLike(inner.Type) && UsesSocket(graphs, inner, isSocket)))
            {
                return true;
            }

            return ArgumentsUseSocket(graphs, call.Arguments, isSocket);
        }

        /// <summary>An argument is the socket, or a lambda that uses it.</summary>
        private static bool ArgumentsUseSocket(ImmutableArray<GraphInfo> graphs, ImmutableArray<IArgumentOperation> arguments, System.Func<IOperation?, bool> isSocket)
        {
            foreach (var argument in arguments)
            {
                var value = argument.Value.WithoutConversions();
                if (isSocket(value))
                {
                    return true;
                }

                if ((value is IDelegateCreationOperation { Target: var target } ? target : value) is IFlowAnonymousFunctionOperation lambda
                    && graphs.FirstOrDefault(g => SymbolEqualityComparer.Default.Equals(g.Owner, lambda.Symbol)) is { } graph
                    && SocketSources.Mentions(graphs, graph, o => isSocket(o)))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// A call that keeps the socket beyond itself: a collection's Add/TryAdd/Enqueue..., or a synchronous method of
        /// this compilation that stores it or starts work on it. Awaited calls are the handler waiting, not storing.
        /// </summary>
        private bool Stores(IInvocationOperation call, System.Func<IOperation?, bool> isSocket)
        {
            if (IsCollectionStore(call, isSocket))
            {
                return true;
            }

            if (IsTaskLike(call.Type) || call.TargetMethod.IsAbstract || call.TargetMethod.DeclaringSyntaxReferences.Length == 0)
            {
                return false;
            }

            var argument = call.Arguments.FirstOrDefault(a => isSocket(a.Value));
            return argument?.Parameter is not null && Keeps(call.TargetMethod.OriginalDefinition, argument.Parameter.Ordinal, 0);
        }

        private static bool IsCollectionStore(IInvocationOperation call, System.Func<IOperation?, bool> isSocket)
            => !call.TargetMethod.IsStatic
               && call.TargetMethod.Name is "Add" or "TryAdd" or "AddOrUpdate" or "GetOrAdd" or "Enqueue" or "Push" or "Insert" or "TryWrite" or "WriteAsync" or "Post"
               && call.Instance?.Type is { } type && (type.Name == "ChannelWriter" || type.AllInterfaces.Any(i => i.Name == "IEnumerable"))
               && call.Arguments.Any(a => isSocket(a.Value));

        /// <summary>Whether a method of this compilation stores its parameter (field, property, collection) or starts un-awaited work on it.</summary>
        private bool Keeps(IMethodSymbol method, int ordinal, int depth)
        {
            var reference = method.DeclaringSyntaxReferences.FirstOrDefault();
            var body = reference is null ? null : BodyAnalysis.ForSyntax(_symbols, MethodSummaries.RootOf(reference.GetSyntax()));
            var graph = body?.Graphs.FirstOrDefault(g => SymbolEqualityComparer.Default.Equals(g.Owner, method));
            if (body is null || graph is null || ordinal >= method.Parameters.Length)
            {
                return false;
            }

            var parameter = method.Parameters[ordinal];
            bool IsParameter(IOperation? o) => o is not null && SymbolEqualityComparer.Default.Equals(graph.Resolve(o).ReferencedSymbol(graph), parameter);

            foreach (var operation in graph.Operations.SelectMany(o => o))
            {
                switch (operation)
                {
                    case ISimpleAssignmentOperation assignment when IsParameter(assignment.Value)
                        && assignment.Target.WithoutConversions() is IFieldReferenceOperation or IPropertyReferenceOperation or IArrayElementReferenceOperation:
                        return true;
                    case IInvocationOperation call when IsCollectionStore(call, IsParameter):
                        return true;
                    case IInvocationOperation call when IsTaskLike(call.Type) && Fate(call) is not null && UsesSocket(body.Graphs, call, IsParameter):
                        return true;
                    case IInvocationOperation call when depth < 2 && !IsTaskLike(call.Type) && call.TargetMethod.DeclaringSyntaxReferences.Length > 0
                        && call.Arguments.FirstOrDefault(a => IsParameter(a.Value)) is { Parameter: { } next }
                        && Keeps(call.TargetMethod.OriginalDefinition, next.Ordinal, depth + 1):
                        return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Whether, after this point, the handler awaits something that completes when the socket is done: a task it
        /// holds (a TaskCompletionSource's Task, a started task kept in a variable), Task.WhenAll/WhenAny, or, for a
        /// stored socket, its own receive loop or a call given the socket.
        /// </summary>
        private bool AwaitsCompletion(BasicBlock block, int index, System.Func<IOperation?, bool>? storedSocket, IOperation? except)
        {
            foreach (var operation in SocketSources.OperationsAfter(_graph, block, index))
            {
                // A synchronous wait keeps the request running as an await does: Task.WaitAll/WaitAny, task.Wait(),
                // task.GetAwaiter().GetResult().
                var waited = operation switch
                {
                    IAwaitOperation awaited => awaited.Operation,
                    IInvocationOperation { TargetMethod: { Name: "Wait", IsStatic: false }, Instance: { } task } when IsTaskLike(task.Type) => task,
                    IInvocationOperation { TargetMethod.Name: "GetResult", Instance: IInvocationOperation { TargetMethod.Name: "GetAwaiter", Instance: { } task } } when IsTaskLike(task.Type) => task,
                    _ => null,
                };
                if (operation is IInvocationOperation { TargetMethod: { IsStatic: true, Name: "WaitAll" or "WaitAny" } wait } && IsTaskLike(wait.ContainingType))
                {
                    return true;
                }

                if (waited is null)
                {
                    continue;
                }

                var operand = _graph.Resolve(waited);
                if (operand is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } instance })
                {
                    operand = _graph.Resolve(instance);
                }

                if (operand == except)
                {
                    continue;
                }

                switch (operand)
                {
                    case ILocalReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation or IParameterReferenceOperation:
                    case IInvocationOperation { TargetMethod.Name: "WhenAll" or "WhenAny", TargetMethod.IsStatic: true }:
                        return true;
                    case var other when storedSocket is not null && (storedSocket(other) || other.Descendants().Any(storedSocket)):
                        return true;
                }
            }

            return false;
        }

        private (BasicBlock Block, int Index) Find(IOperation operation)
        {
            for (var b = 0; b < _graph.Operations.Length; b++)
            {
                var index = _graph.Operations[b].IndexOf(operation);
                if (index >= 0)
                {
                    return (_graph.Graph.Blocks[b], index);
                }
            }

            return (_graph.Graph.Blocks[0], 0);
        }

        private bool IsTaskLike(ITypeSymbol? type)
        {
            for (var t = type; t is not null; t = t.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(t.OriginalDefinition, _symbols.Task) || SymbolEqualityComparer.Default.Equals(t.OriginalDefinition, _symbols.ValueTask)
                    || t.OriginalDefinition is { Name: "ValueTask", ContainingNamespace: { Name: "Tasks" } })
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>`_ = Work(ws);` or `Work(ws);` as a statement: `await` can go in front.</summary>
        private static bool IsStatementShape(IOperation call)
            => call.Syntax is InvocationExpressionSyntax syntax
               && (syntax.Parent is ExpressionStatementSyntax
                   || syntax.Parent is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" }, Parent: ExpressionStatementSyntax });

        private void Report(IOperation at, string name, bool fix)
        {
            var properties = fix
                ? ImmutableDictionary<string, string?>.Empty.Add(AwaitFixProperty, "true")
                : ImmutableDictionary<string, string?>.Empty;
            _context.ReportDiagnostic(Diagnostic.Create(Descriptors.WS1008RequestEndsBeforeSocket, at.Syntax.GetLocation(), properties, name));
        }
    }

    private enum TaskFate
    {
        Discarded,
        Kept,
    }
}
