using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using WsAnalyzers.Model;

namespace WsAnalyzers.Flow;

/// <summary>
/// Methods of this compilation whose task is a WebSocket send's: they await or return a <c>SendAsync</c> (or another
/// such wrapper, two deep) and take no lock, semaphore or queue that would order their callers' sends. Dropping such
/// a method's task lets the next send overlap the one inside it, as dropping the send's own task does (WS1009). Not
/// wrappers: methods with a while/for loop (a sender loop) or a switch (a dispatcher), and methods that connect or
/// receive (a session); a foreach over clients, or an awaited <c>Task.WhenAll</c> of sends in lambdas (a broadcast), is a wrapper.
/// </summary>
internal sealed class SendWrappers
{
    private const int MaxDepth = 2;

    private readonly WebSocketSymbols _symbols;
    /// <summary>
    /// Answers by method and the depth they were asked at: an answer at depth d looks MaxDepth − d calls deep, so one
    /// kept for another depth would make a verdict depend on which call was asked first (analysis order).
    /// </summary>
    private readonly ConcurrentDictionary<(IMethodSymbol Method, int Depth), bool> _cache = new(DepthKeyComparer.Instance);

    public SendWrappers(WebSocketSymbols symbols) => _symbols = symbols;

    public bool IsWrapper(IMethodSymbol method) => IsWrapper(method.OriginalDefinition, 0);

    /// <summary>
    /// An <c>async void</c> method that would be a wrapper if it returned its task (a `for` loop over the chunks of one
    /// message allowed): no caller can await it, so two calls send at once. Not an event handler (<c>(object, EventArgs)</c>
    /// parameters: its signature is imposed) nor an override or interface implementation.
    /// </summary>
    public bool IsAsyncVoidSender(IMethodSymbol method)
    {
        method = method.OriginalDefinition;
        if (!method.IsAsync || !method.ReturnsVoid || method.MethodKind != MethodKind.Ordinary || method.IsOverride
            || method.ExplicitInterfaceImplementations.Length > 0 || method.DeclaringSyntaxReferences.Length != 1
            || method.Parameters.Length == 2 && method.Parameters[1].Type.Name.EndsWith("EventArgs", System.StringComparison.Ordinal))
        {
            return false;
        }

        return _asyncVoid.GetOrAdd(method, m => Compute(m, 0, chunks: true));
    }

    private readonly ConcurrentDictionary<IMethodSymbol, bool> _asyncVoid = new(SymbolEqualityComparer.Default);

    private bool IsWrapper(IMethodSymbol method, int depth)
    {
        if (method.IsAbstract && depth <= MaxDepth && ReturnsTask(method.ReturnType) && method.DeclaringSyntaxReferences.Length == 1
            && _symbols.Compilation.ContainsSyntaxTree(method.DeclaringSyntaxReferences[0].SyntaxTree))
        {
            // `_broadcaster.BroadcastAsync(message)` on an interface of the project: what its implementations are.
            if (_cache.TryGetValue((method, depth), out var cached))
            {
                return cached;
            }

            var implementations = _symbols.Summaries.ImplementationsOf(method);
            var all = !implementations.IsEmpty && implementations.All(i => IsWrapper(i, depth + 1));
            _cache.TryAdd((method, depth), all);
            return all;
        }

        if (depth > MaxDepth || method.IsAbstract || method.DeclaringSyntaxReferences.Length != 1 || !ReturnsTask(method.ReturnType))
        {
            return false;
        }

        if (_cache.TryGetValue((method, depth), out var known))
        {
            return known;
        }

        var result = Compute(method, depth);
        _cache.TryAdd((method, depth), result);
        return result;
    }

    private bool Compute(IMethodSymbol method, int depth, bool chunks = false)
    {
        // From syntax first, so that no other body is bound for nothing: a wrapper calls something whose name says Send.
        var syntax = method.DeclaringSyntaxReferences[0].GetSyntax(AnalysisCancellation.Token);
        if (!syntax.DescendantNodes().OfType<InvocationExpressionSyntax>().Any(CallsSomethingNamedSend)
            || _symbols.Summaries.SemanticModelFor(syntax.SyntaxTree)?.GetOperation(syntax, AnalysisCancellation.Token) is not { } body)
        {
            return false;
        }

        var sends = false;
        foreach (var operation in body.DescendantsAndSelf())
        {
            switch (operation)
            {
                case ILockOperation:
                    return false;
                case IForLoopOperation when chunks:
                    break;
                case IWhileLoopOperation or IForLoopOperation or ISwitchOperation or ISwitchExpressionOperation:
                    // A sender loop (the one task that sends), or a dispatcher that sends on one of many branches: not a send.
                    return false;
                case IInvocationOperation { TargetMethod.Name: "ConnectAsync" }:
                    // A session (it connects): its task is not a send's. One that receives and answers in a loop is
                    // left out by the loop; a request that sends and then reads its one answer is a send.
                    return false;
                case IInvocationOperation { TargetMethod.Name: "Wait" or "WaitAsync" or "LockAsync" or "EnterAsync" or "WriteAsync" or "TryWrite" or "Post" or "SendAsync" } queue
                    when !_symbols.IsWebSocket(queue.TargetMethod.ContainingType) && queue.TargetMethod.ContainingType?.Name is not null && IsOrderingPrimitive(queue.TargetMethod.ContainingType):
                    // A semaphore, an async lock or a channel/queue: the wrapper orders its sends itself.
                    return false;
                case IInvocationOperation { TargetMethod: { Name: "WhenAll", ContainingType.Name: "Task" } } whenAll when !InNestedFunction(whenAll, body) && IsAwaitedOrReturned(whenAll):
                    // `await Task.WhenAll(sockets.Select(s => SendToAsync(s, ..)))`: a broadcast, awaited whole; or
                    // `return Task.WhenAll(tasks)` of a list whose tasks are sends (`tasks.Add(c.SendAsync(..))`).
                    sends |= body.Descendants().Any(o => o is IInvocationOperation inner && InNestedFunction(inner, body) && IsSend(inner, method, depth))
                        || whenAll.Arguments.Any(a => a.Value.WithoutConversions() is ILocalReferenceOperation { Local: var tasks }
                            && body.Descendants().Any(o => o is IInvocationOperation { TargetMethod.Name: "Add", Arguments.Length: 1 } add
                                && add.Instance.WithoutConversions() is ILocalReferenceOperation { Local: var list } && SymbolEqualityComparer.Default.Equals(list, tasks)
                                && add.Arguments[0].Value.WithoutConversions() is IInvocationOperation added && IsSend(added, method, depth)));
                    break;
                case IInvocationOperation call when !InNestedFunction(call, body) && IsAwaitedOrReturned(call):
                    var kind = _symbols.Classify(call);
                    var callee = call.TargetMethod.OriginalDefinition;
                    sends |= kind == SocketCall.Send
                        || kind == SocketCall.None && !SymbolEqualityComparer.Default.Equals(callee, method) && IsWrapper(callee, depth + 1);
                    break;
            }
        }

        return sends;
    }

    /// <summary>A send on a WebSocket, or a call of another wrapper.</summary>
    private bool IsSend(IInvocationOperation call, IMethodSymbol caller, int depth)
        => _symbols.Classify(call) == SocketCall.Send
           || _symbols.Classify(call) == SocketCall.None && !SymbolEqualityComparer.Default.Equals(call.TargetMethod.OriginalDefinition, caller)
              && IsWrapper(call.TargetMethod.OriginalDefinition, depth + 1);

    private static bool CallsSomethingNamedSend(InvocationExpressionSyntax call)
        => TreeCalls.NameOf(call)?.IndexOf("Send", System.StringComparison.Ordinal) >= 0;

    /// <summary>Types whose Wait/WriteAsync/Post order work: semaphores, locks, channels, dataflow blocks, queues.</summary>
    private static bool IsOrderingPrimitive(INamedTypeSymbol type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            var name = t.Name;
            if (name.Contains("Semaphore") || name.Contains("Lock") || name.Contains("Mutex") || name.Contains("Channel")
                || name.Contains("Queue") || name.Contains("Block") || name.Contains("Writer"))
            {
                return true;
            }
        }

        return type.AllInterfaces.Any(i => i.Name.Contains("Target") || i.Name.Contains("Channel"));
    }

    private static bool InNestedFunction(IOperation operation, IOperation root)
    {
        for (var current = operation.Parent; current is not null && current != root; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAwaitedOrReturned(IOperation call) => TaskUse.TaskOf(call).Parent is IAwaitOperation or IReturnOperation;

    private static bool ReturnsTask(ITypeSymbol type)
        => type is INamedTypeSymbol { Name: "Task" or "ValueTask" } named && named.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks";

    private sealed class DepthKeyComparer : IEqualityComparer<(IMethodSymbol Method, int Depth)>
    {
        public static readonly DepthKeyComparer Instance = new();

        public bool Equals((IMethodSymbol Method, int Depth) x, (IMethodSymbol Method, int Depth) y)
            => x.Depth == y.Depth && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

        public int GetHashCode((IMethodSymbol Method, int Depth) key)
            => SymbolEqualityComparer.Default.GetHashCode(key.Method) * 31 + key.Depth;
    }
}
