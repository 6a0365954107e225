using System.Collections.Generic;
using System.Collections.Immutable;
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
    private readonly Dictionary<ISymbol, List<IOperation>> _reassignments;

    private BodyReceives(List<IOperation> operations, List<ReceiveInto> receives, Dictionary<ISymbol, List<IOperation>> reassignments)
    {
        Operations = operations;
        Receives = receives;
        _reassignments = reassignments;
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
            if (operation is IInvocationOperation { Arguments.Length: > 0 } call && symbols.ReceivesInto(call))
            {
                (receives ??= new()).Add(new ReceiveInto(call, new HashSet<ISymbol>(SymbolEqualityComparer.Default), TaskUse.AwaitedInto(call)));
            }
        }

        if (receives is null)
        {
            return null;
        }

        foreach (var receive in receives)
        {
            AddReceivedBuffers(symbols.Buffers, receive.Call.Arguments[0].Value, operations, receive.Buffers);
        }

        var reassignments = new Dictionary<ISymbol, List<IOperation>>(SymbolEqualityComparer.Default);
        var written = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var write in Writes(operations))
        {
            if (Variable(write.Target) is not { } symbol)
            {
                continue;
            }

            if (write.Assignment is { } assignment && IsRefill(assignment, symbol, receives))
            {
                if (!reassignments.TryGetValue(symbol, out var list))
                {
                    reassignments[symbol] = list = new List<IOperation>();
                }

                list.Add(assignment);
            }
            else
            {
                written.Add(symbol);
            }
        }

        foreach (var receive in receives)
        {
            receive.Buffers.ExceptWith(written);
        }

        return new BodyReceives(operations, receives, reassignments);
    }

    /// <summary>
    /// The last receive before <paramref name="at"/>, in the same function, that filled <paramref name="buffer"/>, when
    /// the buffer is not reassigned between the two.
    /// </summary>
    public ReceiveInto? LastReceiveInto(ISymbol buffer, IOperation at)
    {
        var receive = Receives.LastOrDefault(r => r.Buffers.Contains(buffer)
            && r.Call.Syntax.Span.End <= at.Syntax.SpanStart
            && Function(r.Call) == Function(at));
        return receive is not null && _reassignments.TryGetValue(buffer, out var writes)
            && writes.Any(w => w.Syntax.SpanStart >= receive.Call.Syntax.Span.End && w.Syntax.SpanStart < at.Syntax.SpanStart)
            ? null
            : receive;
    }

    /// <summary>The reassignments of a buffer that each precede a receive into it (<c>buffer = new byte[n];</c> before each receive).</summary>
    public IReadOnlyList<IOperation> Reassignments(ISymbol buffer)
        => _reassignments.TryGetValue(buffer, out var writes) ? writes : (IReadOnlyList<IOperation>)System.Array.Empty<IOperation>();

    /// <summary>
    /// <c>buffer = ..;</c> followed by a receive into the whole of it in the same function and the same innermost loop:
    /// the buffer is refilled before it is read again, so what it holds after that receive is still that receive's piece.
    /// </summary>
    private static bool IsRefill(ISimpleAssignmentOperation assignment, ISymbol symbol, List<ReceiveInto> receives)
        => receives.Any(r => r.Buffers.Contains(symbol)
            && r.Call.Syntax.SpanStart > assignment.Syntax.Span.End
            && Function(r.Call) == Function(assignment)
            && InnermostLoop(r.Call) == InnermostLoop(assignment));

    /// <summary>The innermost loop around an operation, within its function; null when there is none.</summary>
    public static ILoopOperation? InnermostLoop(IOperation operation)
    {
        for (var current = operation.Parent; current is not null && current is not (IAnonymousFunctionOperation or ILocalFunctionOperation); current = current.Parent)
        {
            if (current is ILoopOperation loop)
            {
                return loop;
            }
        }

        return null;
    }

    /// <summary>The variable whose whole contents an expression denotes: <c>buffer</c>, <c>segment</c>, <c>segment.Array</c>, <c>memory.Span</c>, <c>new ArraySegment&lt;byte&gt;(buffer)</c>, <c>buffer.AsMemory()</c>.</summary>
    public static ISymbol? WholeBuffer(BufferTypes buffers, IOperation operation)
    {
        var value = operation.WithoutConversions();
        var symbol = value switch
        {
            // `new ArraySegment<byte>(buffer, 0, n).Array` is the whole array, whatever the window.
            IPropertyReferenceOperation { Property.Name: "Array", Instance: IObjectCreationOperation { Arguments.Length: > 0 } creation } when buffers.IsView(creation.Type)
                => Variable(creation.Arguments[0].Value),
            IPropertyReferenceOperation { Property.Name: "Array" or "Span", Instance: { } instance } when buffers.IsView(instance.Type) => Variable(instance),
            IObjectCreationOperation { Arguments.Length: 1 } creation when buffers.IsView(creation.Type) => Variable(creation.Arguments[0].Value),
            IObjectCreationOperation { Arguments.Length: 3 } creation when buffers.IsView(creation.Type) => WholeWindow(creation.Arguments),
            IInvocationOperation { TargetMethod: { Name: "AsMemory" or "AsSpan", IsExtensionMethod: true }, Arguments.Length: 1 } call => Variable(call.Arguments[0].Value),
            IInvocationOperation { TargetMethod: { Name: "AsMemory" or "AsSpan", IsExtensionMethod: true }, Arguments.Length: 2 or 3 } call => WholeWindow(call.Arguments),
            _ => Variable(value),
        };
        return symbol is not null && (buffers.IsByteArray(TypeOf(symbol)) || buffers.IsView(TypeOf(symbol))) ? symbol : null;
    }

    /// <summary>
    /// <c>(buffer, 0)</c> or <c>(buffer, 0, buffer.Length)</c>: offset 0 and the array's own length are the whole
    /// buffer, not a window that code fills piece by piece.
    /// </summary>
    private static ISymbol? WholeWindow(ImmutableArray<IArgumentOperation> arguments)
        => Variable(arguments[0].Value) is { } array
            && arguments[1].Value.ConstantValue is { HasValue: true, Value: 0 }
            && (arguments.Length == 2
                || arguments[2].Value.WithoutConversions() is IPropertyReferenceOperation { Property.Name: "Length", Instance: { } measured }
                    && SymbolEqualityComparer.Default.Equals(Variable(measured), array))
            ? array
            : null;

    /// <summary>A local, parameter, field or auto-property of this instance (or static) read directly.</summary>
    public static ISymbol? Variable(IOperation? operation)
        => operation.ReferencedSymbol() is { } symbol
            && (symbol.Kind is SymbolKind.Local or SymbolKind.Parameter or SymbolKind.Field || symbol is IPropertySymbol property && IsAutoProperty(property))
            ? symbol
            : null;

    /// <summary>A property with a compiler-made backing field: reading it twice gives the same array.</summary>
    private static bool IsAutoProperty(IPropertySymbol property)
        => property.Parameters.IsEmpty
            && property.ContainingType?.GetMembers().Any(m => m is IFieldSymbol { IsImplicitlyDeclared: true } field
                && SymbolEqualityComparer.Default.Equals(field.AssociatedSymbol, property)) == true;

    private static ITypeSymbol? TypeOf(ISymbol symbol) => symbol switch
    {
        ILocalSymbol local => local.Type,
        IParameterSymbol parameter => parameter.Type,
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
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

    /// <summary>
    /// Writes after the declaration (assigned, or passed by ref/out). A plain assignment comes with its operation (it
    /// may be a refill); any other write leaves the contents at a use unknown.
    /// </summary>
    private static IEnumerable<(IOperation Target, ISimpleAssignmentOperation? Assignment)> Writes(List<IOperation> all)
    {
        foreach (var operation in all)
        {
            switch (operation)
            {
                case ISimpleAssignmentOperation { IsRef: false } simple:
                    yield return (simple.Target, simple);
                    break;
                case IAssignmentOperation assignment:
                    yield return (assignment.Target, null);
                    break;
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument:
                    yield return (argument.Value, null);
                    break;
            }
        }
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
