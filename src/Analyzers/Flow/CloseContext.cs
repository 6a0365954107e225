using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using WsAnalyzers.Model;

namespace WsAnalyzers.Flow;

/// <summary>What one close-path walk is about: which socket, which receive and result, which buffer.</summary>
internal sealed class CloseContext
{
    public CloseContext(WebSocketSymbols symbols, GraphInfo graph, ISymbol socket, IInvocationOperation? receive, ISymbol? result, ISymbol? buffer, Value resultValue = default)
    {
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

    public object CloseMessageType { get; }
    public object CloseReceivedState { get; }

    public bool IsSocket(ISymbol symbol) => SymbolEqualityComparer.Default.Equals(symbol, Socket);

    public bool IsResult(ISymbol symbol) => Result is not null && SymbolEqualityComparer.Default.Equals(symbol, Result);

    /// <summary>Whether an operation is the receive itself, or the await of it.</summary>
    public bool IsReceive(IOperation operation)
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

        return Receive is not null && operation == Receive;
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
