using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using WsAnalyzers.Model;

namespace WsAnalyzers.Flow;

/// <summary>Where sockets come from, and small reachability questions the lifetime rules (WS1003, WS1008) share.</summary>
internal static class SocketSources
{
    /// <summary>`new ClientWebSocket()`, `WebSocket.CreateFromStream(...)`, `WebSocket.CreateClientWebSocket(...)`, or an accept.</summary>
    public static bool IsCreation(WebSocketSymbols symbols, IOperation operation)
        => operation switch
        {
            IObjectCreationOperation creation => symbols.IsWebSocket(creation.Type),
            IInvocationOperation call => call.TargetMethod is { IsStatic: true, Name: "CreateFromStream" or "CreateClientWebSocket" }
                && SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, symbols.WebSocket),
            IPropertyReferenceOperation property => IsListenerSocket(property),
            _ => IsAccept(symbols, operation),
        };

    /// <summary>
    /// `context.WebSocket` of an HttpListenerWebSocketContext: only HttpListenerContext.AcceptWebSocketAsync makes one,
    /// so its socket is the accepting code's to dispose (as ASP.NET Core's AcceptWebSocketAsync result is).
    /// </summary>
    private static bool IsListenerSocket(IPropertyReferenceOperation property)
        => property.Property is { Name: "WebSocket", ContainingType: { Name: "HttpListenerWebSocketContext" } type }
           && type.ContainingNamespace?.ToDisplayString() == "System.Net.WebSockets"
           && !IsKeptContext(property.Instance);

    /// <summary>
    /// A context the code got from a collection rather than from an accept: a <c>foreach</c> variable, a field or
    /// property, or a local initialised with anything but an accept (<c>connected[i]</c>). Its socket was accepted, and
    /// is owned, elsewhere: reading it is not making one.
    /// </summary>
    private static bool IsKeptContext(IOperation? instance)
    {
        if (instance is not null && instance.DescendantsAndSelf().Any(o => o is IInvocationOperation { TargetMethod.Name: "AcceptWebSocketAsync" }))
        {
            // `context.AcceptWebSocketAsync(null).Result.WebSocket`: accepted right here.
            return false;
        }

        switch (instance.WithoutConversions())
        {
            case IFieldReferenceOperation or IPropertyReferenceOperation or IArrayElementReferenceOperation:
                return true;
            case ILocalReferenceOperation { Local: var local }:
                foreach (var reference in local.DeclaringSyntaxReferences)
                {
                    switch (reference.GetSyntax())
                    {
                        case Microsoft.CodeAnalysis.CSharp.Syntax.ForEachStatementSyntax:
                            return true;
                        case Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax { Initializer.Value: { } value }:
                            return !value.DescendantNodesAndSelf().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax>()
                                .Any(call => TreeCalls.NameOf(call) == "AcceptWebSocketAsync");
                    }
                }

                return false;
            default:
                return false;
        }
    }

    /// <summary>`await HttpContext.WebSockets.AcceptWebSocketAsync(...)`, with or without ConfigureAwait.</summary>
    public static bool IsAccept(WebSocketSymbols symbols, IOperation operation)
    {
        if (operation is not IAwaitOperation awaited)
        {
            return false;
        }

        var operand = awaited.Operation;
        if (operand is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } instance })
        {
            operand = instance;
        }

        return operand is IInvocationOperation accept && symbols.Classify(accept) == SocketCall.Accept;
    }

    /// <summary>Whether a graph, or a lambda nested in it, reads a variable that <paramref name="isSocket"/> accepts.</summary>
    public static bool Mentions(ImmutableArray<GraphInfo> graphs, GraphInfo graph, System.Func<IOperation, bool> isSocket)
    {
        foreach (var operations in graph.Operations)
        {
            foreach (var operation in operations)
            {
                if (operation is ILocalReferenceOperation or IParameterReferenceOperation && isSocket(operation))
                {
                    return true;
                }

                if (operation is IFlowAnonymousFunctionOperation nested
                    && graphs.FirstOrDefault(g => SymbolEqualityComparer.Default.Equals(g.Owner, nested.Symbol)) is { } inner
                    && Mentions(graphs, inner, isSocket))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The operations that can run after operation <paramref name="index"/> of <paramref name="block"/> on a normal path, finally blocks included.</summary>
    public static IEnumerable<IOperation> OperationsAfter(GraphInfo graph, BasicBlock block, int index)
    {
        var operations = graph.Operations[block.Ordinal];
        for (var i = index + 1; i < operations.Count; i++)
        {
            yield return operations[i];
        }

        var seen = new HashSet<int>();
        var work = new Stack<BasicBlock>();
        Push(block);
        while (work.Count > 0)
        {
            var next = work.Pop();
            foreach (var operation in graph.Operations[next.Ordinal])
            {
                yield return operation;
            }

            Push(next);
        }

        void Push(BasicBlock from)
        {
            foreach (var branch in new[] { from.FallThroughSuccessor, from.ConditionalSuccessor })
            {
                if (branch is null)
                {
                    continue;
                }

                foreach (var region in branch.FinallyRegions)
                {
                    for (var b = region.FirstBlockOrdinal; b <= region.LastBlockOrdinal; b++)
                    {
                        if (seen.Add(b))
                        {
                            work.Push(graph.Graph.Blocks[b]);
                        }
                    }
                }

                if (branch.Destination is { } destination && seen.Add(destination.Ordinal))
                {
                    work.Push(destination);
                }
            }
        }
    }
}
