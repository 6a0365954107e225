using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using WsAnalyzers.Model;

namespace WsAnalyzers.Flow;

/// <summary>What one close-path walk is about: which socket, which receive and result, which buffer.</summary>
internal sealed class CloseContext
{
    public CloseContext(WebSocketSymbols symbols, GraphInfo graph, ISymbol socket, IInvocationOperation? receive, ISymbol? result, ISymbol? buffer, Value resultValue = default,
        ISymbol? holder = null, ImmutableArray<ISymbol> aliases = default, IInvocationOperation? dataCall = null, Value dataValue = default)
    {
        DataCall = dataCall;
        DataValue = dataValue;
        Holder = holder;
        Aliases = aliases.IsDefault ? ImmutableArray<ISymbol>.Empty : aliases;
        ResultValue = resultValue;
        Symbols = symbols;
        Graph = graph;
        Socket = socket;
        Receive = receive;
        Result = result;
        Buffer = buffer;
        CloseMessageType = EnumValue(symbols.MessageType, "Close") ?? 2;
        CloseReceivedState = EnumValue(symbols.State, "CloseReceived") ?? 4;
    }

    public WebSocketSymbols Symbols { get; }
    public GraphInfo Graph { get; }
    public ISymbol Socket { get; }
    public IInvocationOperation? Receive { get; }
    public ISymbol? Result { get; }
    public ISymbol? Buffer { get; }
    /// <summary>
    /// In a caller's walk, what the receiving helper returns when the peer closed (null, a non-null message, a flag),
    /// when every close path of the helper agrees; Unknown otherwise.
    /// </summary>
    public Value ResultValue { get; }

    /// <summary>
    /// In the walk of a loop that receives through a helper which drops the Close (returns the empty payload as text,
    /// a count, nothing), the helper's call: what it returned is plain data, not a sign of the Close.
    /// </summary>
    public IInvocationOperation? DataCall { get; }

    /// <summary>What <see cref="DataCall"/> returns after the peer's Close, when every such return agrees ("" for text).</summary>
    public Value DataValue { get; }

    public object CloseMessageType { get; }
    public object CloseReceivedState { get; }

    /// <summary>
    /// In a caller's walk of a type that keeps its socket in a field or property (<see cref="Socket"/>), the variable
    /// holding that object (<c>session</c> in <c>await session.RunAsync()</c>); null when the walk is inside the type.
    /// </summary>
    public ISymbol? Holder { get; }

    /// <summary>Other variables known to be the same socket (the argument a holder was constructed with).</summary>
    public ImmutableArray<ISymbol> Aliases { get; }

    /// <summary>Whether the socket's member is a field or property of a type, followed through the members of that type.</summary>
    public bool IsMemberSocket => Socket is IFieldSymbol or IPropertySymbol;

    /// <summary>Locals the walk has seen take a copy of the socket (`var socket = _ws;` before `_ws = null;`).</summary>
    public HashSet<ISymbol> Copies { get; } = new(SymbolEqualityComparer.Default);

    public bool IsSocket(ISymbol symbol)
        => SymbolEqualityComparer.Default.Equals(symbol, Socket) || Aliases.Contains(symbol, SymbolEqualityComparer.Default) || Copies.Contains(symbol);

    /// <summary>Whether an expression reads the socket: the variable itself, an alias, or <c>holder.Member</c>.</summary>
    public bool IsSocket(IOperation? operation)
    {
        if (operation is null)
        {
            return false;
        }

        if (operation.ReferencedSymbol(Graph) is { } symbol)
        {
            return IsSocket(symbol);
        }

        return Holder is not null && Graph.Resolve(operation) is IMemberReferenceOperation { Member: var member, Instance: { } instance }
            && member is IFieldSymbol or IPropertySymbol
            && SymbolEqualityComparer.Default.Equals(member.OriginalDefinition, Socket.OriginalDefinition)
            && SymbolEqualityComparer.Default.Equals(instance.ReferencedSymbol(Graph), Holder);
    }

    /// <summary>
    /// Whether a call runs a member of the type that keeps the socket, on the same object: <c>this.Stop()</c> inside the
    /// type, <c>session.Stop()</c> (or the disposal of a <c>using</c>) on the holder in a caller's walk.
    /// </summary>
    public bool IsOwnMemberCall(IInvocationOperation invocation)
    {
        if (!IsMemberSocket || Socket.ContainingType is not { } owner || invocation.TargetMethod.DeclaringSyntaxReferences.Length == 0)
        {
            return false;
        }

        var method = invocation.TargetMethod;
        if (!InHierarchy(method.ContainingType, owner) && !InHierarchy(owner, method.ContainingType))
        {
            return false;
        }

        if (method.IsStatic)
        {
            return Socket.IsStatic;
        }

        var instance = invocation.Instance?.WithoutConversions();
        return Holder is null
            ? instance is null or IInstanceReferenceOperation
            : instance is not null && SymbolEqualityComparer.Default.Equals(instance.ReferencedSymbol(Graph), Holder);
    }

    private static bool InHierarchy(INamedTypeSymbol? type, INamedTypeSymbol ancestor)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, ancestor.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsResult(ISymbol symbol) => Result is not null && SymbolEqualityComparer.Default.Equals(symbol, Result);

    /// <summary>Whether an operation is the receive itself, or the await of it.</summary>
    public bool IsReceive(IOperation operation)
    {
        if (Receive is null)
        {
            return false;
        }

        var awaited = Awaited(operation);
        return awaited == Receive
            || ReceiveTask is not null && awaited != operation.WithoutConversions() && SymbolEqualityComparer.Default.Equals(awaited.ReferencedSymbol(Graph), ReceiveTask);
    }

    /// <summary>The local the receive's task was stored in, when the walk starts where that task is awaited or read.</summary>
    public ILocalSymbol? ReceiveTask { get; set; }

    /// <summary>What an await, <c>.Result</c> or <c>GetAwaiter().GetResult()</c> waits for; the operation itself otherwise.</summary>
    public static IOperation AwaitedTask(IOperation operation) => Awaited(operation);

    /// <summary>Whether an operation is the call of the helper that dropped the Close, or the await of it.</summary>
    public bool IsDataCall(IOperation operation) => DataCall is not null && Awaited(operation) == DataCall;

    /// <summary>The call behind an await, <c>.Result</c>, <c>GetAwaiter().GetResult()</c> or <c>ConfigureAwait</c>.</summary>
    private static IOperation Awaited(IOperation operation)
    {
        operation = operation.WithoutConversions()!;
        if (operation is IAwaitOperation await)
        {
            operation = await.Operation.WithoutConversions()!;
        }
        else if (operation is IPropertyReferenceOperation { Property.Name: "Result", Instance: { } task })
        {
            // `ws.ReceiveAsync(..).Result`, read synchronously.
            operation = task.WithoutConversions()!;
        }
        else if (operation is IInvocationOperation { TargetMethod.Name: "GetResult", Instance: IInvocationOperation { TargetMethod.Name: "GetAwaiter", Instance: { } awaitable } })
        {
            operation = awaitable.WithoutConversions()!;
        }

        if (operation is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } awaited })
        {
            operation = awaited.WithoutConversions()!;
        }

        return operation;
    }

    private static object? EnumValue(INamedTypeSymbol? type, string name)
    {
        foreach (var member in type?.GetMembers(name) ?? default)
        {
            if (member is IFieldSymbol { HasConstantValue: true } field)
            {
                return field.ConstantValue;
            }
        }

        return null;
    }
}
