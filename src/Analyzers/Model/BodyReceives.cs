using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using WsAnalyzers.Flow;

namespace WsAnalyzers.Model;

/// <summary>One ReceiveAsync of a body: the buffer variables it fills from the start, and the local its result is stored in.</summary>
internal sealed class ReceiveInto
{
    public ReceiveInto(IInvocationOperation call, HashSet<ISymbol> buffers, ILocalSymbol? result)
    {
        Call = call;
        Buffers = buffers;
        Result = result;
    }

    public IInvocationOperation Call { get; }

    /// <summary>The array and the segment or memory over it, when passed whole and never reassigned in the body.</summary>
    public HashSet<ISymbol> Buffers { get; }

    public ILocalSymbol? Result { get; }
}

/// <summary>
/// The receives of one operation block and the buffers they fill, shared by the rules about received data (WS1005, WS1006).
/// Only buffers received into whole (<c>buffer</c>, <c>new ArraySegment&lt;byte&gt;(buffer)</c>, <c>buffer.AsMemory()</c>, a
/// segment or memory variable) and not written after their declaration are followed: their contents after a receive are
/// exactly that receive's piece.
/// </summary>
internal sealed class BodyReceives
{
    private BodyReceives(List<IOperation> operations, List<ReceiveInto> receives)
    {
        Operations = operations;
        Receives = receives;
    }

    /// <summary>Every operation of the block, in tree order (lambdas and local functions included).</summary>
    public IReadOnlyList<IOperation> Operations { get; }

    public IReadOnlyList<ReceiveInto> Receives { get; }

    /// <summary>Null when the block makes no receive. Cached per block syntax for the compilation.</summary>
    public static BodyReceives? Collect(WebSocketSymbols symbols, IOperation block)
        => symbols.Receives.GetValue(block.Syntax, _ => new StrongBox<BodyReceives?>(Build(symbols, block))).Value;

    private static BodyReceives? Build(WebSocketSymbols symbols, IOperation block)
    {
        var operations = new List<IOperation>();
        List<ReceiveInto>? receives = null;
        foreach (var operation in block.DescendantsAndSelf())
        {
            operations.Add(operation);
            if (operation is IInvocationOperation { Arguments.Length: > 0 } call && symbols.Classify(call) == SocketCall.Receive)
            {
                (receives ??= new()).Add(new ReceiveInto(call, new HashSet<ISymbol>(SymbolEqualityComparer.Default), TaskUse.AwaitedInto(call)));
            }
        }

        if (receives is null)
        {
            return null;
        }

        var written = WrittenSymbols(operations);
        foreach (var receive in receives)
        {
            AddReceivedBuffers(symbols.Buffers, receive.Call.Arguments[0].Value, operations, receive.Buffers);
            receive.Buffers.ExceptWith(written);
        }

        return new BodyReceives(operations, receives);
    }

    /// <summary>The last receive before <paramref name="at"/>, in the same function, that filled <paramref name="buffer"/>.</summary>
    public ReceiveInto? LastReceiveInto(ISymbol buffer, IOperation at)
        => Receives.LastOrDefault(r => r.Buffers.Contains(buffer)
            && r.Call.Syntax.Span.End <= at.Syntax.SpanStart
            && Function(r.Call) == Function(at));

    /// <summary>The variable whose whole contents an expression denotes: <c>buffer</c>, <c>segment</c>, <c>segment.Array</c>, <c>memory.Span</c>, <c>new ArraySegment&lt;byte&gt;(buffer)</c>, <c>buffer.AsMemory()</c>.</summary>
    public static ISymbol? WholeBuffer(BufferTypes buffers, IOperation operation)
    {
        var value = operation.WithoutConversions();
        var symbol = value switch
        {
            IPropertyReferenceOperation { Property.Name: "Array" or "Span", Instance: { } instance } when buffers.IsView(instance.Type) => Variable(instance),
            IObjectCreationOperation { Arguments.Length: 1 } creation when buffers.IsView(creation.Type) => Variable(creation.Arguments[0].Value),
            IInvocationOperation { TargetMethod: { Name: "AsMemory" or "AsSpan", IsExtensionMethod: true }, Arguments.Length: 1 } call => Variable(call.Arguments[0].Value),
            _ => Variable(value),
        };
        return symbol is not null && (buffers.IsByteArray(TypeOf(symbol)) || buffers.IsView(TypeOf(symbol))) ? symbol : null;
    }

    /// <summary>A local, parameter or field read directly.</summary>
    public static ISymbol? Variable(IOperation? operation)
        => operation.ReferencedSymbol() is { } symbol && symbol.Kind is SymbolKind.Local or SymbolKind.Parameter or SymbolKind.Field ? symbol : null;

    private static ITypeSymbol? TypeOf(ISymbol symbol) => symbol switch
    {
        ILocalSymbol local => local.Type,
        IParameterSymbol parameter => parameter.Type,
        IFieldSymbol field => field.Type,
        _ => null,
    };

    private static void AddReceivedBuffers(BufferTypes buffers, IOperation argument, List<IOperation> all, HashSet<ISymbol> into)
    {
        if (WholeBuffer(buffers, argument) is not { } buffer)
        {
            return;
        }

        into.Add(buffer);
        if (buffer is ILocalSymbol local && buffers.IsView(local.Type))
        {
            var declarator = all.OfType<IVariableDeclaratorOperation>().FirstOrDefault(d => SymbolEqualityComparer.Default.Equals(d.Symbol, local));
            if (declarator?.Initializer?.Value is { } initializer && WholeBuffer(buffers, initializer) is { } array && buffers.IsByteArray(TypeOf(array)))
            {
                into.Add(array);
            }
        }
    }

    /// <summary>Variables written after their declaration (assigned, or passed by ref/out): their contents at a use are unknown.</summary>
    private static HashSet<ISymbol> WrittenSymbols(List<IOperation> all)
    {
        var written = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var operation in all)
        {
            var target = operation switch
            {
                IAssignmentOperation assignment => assignment.Target,
                IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument => argument.Value,
                _ => null,
            };
            if (Variable(target) is { } symbol)
            {
                written.Add(symbol);
            }
        }

        return written;
    }

    /// <summary>The innermost lambda or local function around an operation; null for the member body itself.</summary>
    public static IOperation? Function(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return current;
            }
        }

        return null;
    }
}
