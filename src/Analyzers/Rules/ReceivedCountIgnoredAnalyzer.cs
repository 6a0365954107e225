using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using WsAnalyzers.Flow;
using WsAnalyzers.Model;

namespace WsAnalyzers.Rules;

/// <summary>
/// The buffer ReceiveAsync filled is used whole afterwards — decoded, copied, parsed or echoed — instead of its first
/// Count bytes (WS1006).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ReceivedCountIgnoredAnalyzer : ReceivedDataAnalyzer
{
    /// <summary>Diagnostic property: the received count in scope at the use (<c>result.Count</c>); absent when there is none.</summary>
    public const string CountProperty = "Count";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.WS1006ReceivedCountIgnored);

    private protected override void Analyze(WebSocketSymbols symbols, BodyReceives body, OperationBlockAnalysisContext context)
    {
        foreach (var operation in body.Operations)
        {
            if (FindWholeUse(symbols, operation) is not { } use
                || BodyReceives.WholeBuffer(symbols.Buffers, use.Buffer) is not { } buffer
                || (operation is IArgumentOperation or IReturnOperation && CountStoredAside(symbols, body)))
            {
                continue;
            }

            var fixable = use.Fixable;
            if (body.LastReceiveInto(buffer, use.Buffer) is not { } receive)
            {
                // `data = buffer.Array;` after the receive, then `Process(data)`: the local is the whole buffer.
                if (WholeAlias(symbols, body, buffer, use.Buffer) is not { } aliased)
                {
                    continue;
                }

                receive = aliased;
                fixable = false;
            }

            var properties = ImmutableDictionary<string, string?>.Empty;
            if (fixable && receive.Result is { } result
                && use.Buffer.SemanticModel?.LookupSymbols(use.Buffer.Syntax.SpanStart, name: result.Name).Contains(result, SymbolEqualityComparer.Default) == true)
            {
                properties = properties.Add(CountProperty, result.Name + ".Count");
            }

            context.ReportDiagnostic(Diagnostic.Create(Descriptors.WS1006ReceivedCountIgnored, use.Report.Syntax.GetLocation(), properties, buffer.Name));
        }
    }

    private protected override void Analyze(WebSocketSymbols symbols, HandedPiece piece, IReadOnlyList<IOperation> operations, System.Action<Diagnostic> report)
    {
        // The function reads the count it was handed: it knows where the piece ends.
        if (operations.Any(o => o is IPropertyReferenceOperation { Property.Name: "Count", Instance: IParameterReferenceOperation result }
            && SymbolEqualityComparer.Default.Equals(result.Parameter, piece.Result)))
        {
            return;
        }

        foreach (var operation in operations)
        {
            if (FindWholeUse(symbols, operation) is not { } use
                || !SymbolEqualityComparer.Default.Equals(BodyReceives.WholeBuffer(symbols.Buffers, use.Buffer), piece.Buffer))
            {
                continue;
            }

            var properties = ImmutableDictionary<string, string?>.Empty;
            if (use.Fixable)
            {
                properties = properties.Add(CountProperty, piece.Result.Name + ".Count");
            }

            report(Diagnostic.Create(Descriptors.WS1006ReceivedCountIgnored, use.Report.Syntax.GetLocation(), properties, piece.Buffer.Name));
        }
    }

    /// <summary>
    /// A local that is not itself received into, whose last assignment before <paramref name="use"/> makes it the whole of
    /// a buffer received into just before (<c>data = segment.Array;</c>): that receive.
    /// </summary>
    private static ReceiveInto? WholeAlias(WebSocketSymbols symbols, BodyReceives body, ISymbol local, IOperation use)
    {
        if (local is not ILocalSymbol)
        {
            return null;
        }

        IOperation? last = null;
        IOperation? value = null;
        foreach (var operation in body.Operations)
        {
            var (target, assigned) = operation switch
            {
                IVariableDeclaratorOperation { Initializer.Value: { } initializer } declarator => (declarator.Symbol, initializer),
                ISimpleAssignmentOperation assignment => (BodyReceives.Variable(assignment.Target), assignment.Value),
                _ => (null, null),
            };
            if (target is not null && SymbolEqualityComparer.Default.Equals(target, local)
                && operation.Syntax.Span.End <= use.Syntax.SpanStart && BodyReceives.Function(operation) == BodyReceives.Function(use))
            {
                last = operation;
                value = assigned;
            }
        }

        return last is not null && value is not null
            && BodyReceives.WholeBuffer(symbols.Buffers, value) is { } source
            && !SymbolEqualityComparer.Default.Equals(source, local)
            ? body.LastReceiveInto(source, last)
            : null;
    }

    /// <summary>A use that consumes a buffer as a message: decode, copy, parse or send it.</summary>
    private static (IOperation Buffer, IOperation Report, bool Fixable)? FindWholeUse(WebSocketSymbols symbols, IOperation operation)
    {
        var buffers = symbols.Buffers;
        switch (operation)
        {
            case IInvocationOperation call when buffers.IsGetString(call.TargetMethod):
                if (call.Arguments.Length == 1)
                {
                    return Use(call.Arguments[0].Value);
                }

                // GetString(buffer, 0, buffer.Length): the whole buffer spelled out.
                if (call.Arguments.Length == 3
                    && call.Arguments[1].Value.ConstantValue is { HasValue: true, Value: 0 }
                    && IsLengthOf(call.Arguments[2].Value, call.Arguments[0].Value))
                {
                    return (call.Arguments[0].Value, call.Arguments[2].Value, true);
                }

                // GetString(segment.Array, segment.Offset, segment.Count): the segment's own count is its whole length.
                if (call.Arguments.Length == 3 && IsSegmentCountOf(call.Arguments[2].Value, call.Arguments[0].Value)
                    && (call.Arguments[1].Value.ConstantValue is { HasValue: true, Value: 0 }
                        || call.Arguments[1].Value.WithoutConversions() is IPropertyReferenceOperation { Property.Name: "Offset", Instance: { } offsetOf }
                           && SymbolEqualityComparer.Default.Equals(BodyReceives.Variable(offsetOf), SegmentOf(call.Arguments[0].Value))))
                {
                    return (call.Arguments[0].Value, call.Arguments[2].Value, true);
                }

                return null;
            case IInvocationOperation { TargetMethod.Name: "ToArray" } call when call.Receiver() is { } receiver:
                return WindowedByCaller(call) ? null : Use(receiver);
            case IInvocationOperation { TargetMethod.Name: "CopyTo", Arguments.Length: > 0 } call when call.Receiver() is { } receiver:
                // array.CopyTo(destination, index) has no sliced form with the same arguments.
                return (receiver, receiver, !buffers.IsByteArray(receiver.WithoutConversions()?.Type));
            case IInvocationOperation { Arguments.Length: > 0 } call when buffers.IsJsonEntryPoint(call.TargetMethod) || symbols.Classify(call) == SocketCall.Send:
                return Use(call.Arguments[0].Value);
            case IInvocationOperation { Arguments.Length: > 0 } call when IsWriteOfBytes(call):
                return WrittenWhole(call, 0);
            case IInvocationOperation { TargetMethod: { IsStatic: true, Name: "Copy" or "BlockCopy", ContainingType: { Name: "Array" or "Buffer" } type }, Arguments.Length: 3 or 5 } call
                when type.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true }:
                return CopiedWhole(call);
            case IObjectCreationOperation { Arguments.Length: > 0 } creation when buffers.IsJsonReader(creation.Type):
                return Use(creation.Arguments[0].Value);
            case IArgumentOperation { Parent: IInvocationOperation handler } argument when IsCountlessHandler(symbols, handler, argument):
                return Use(argument.Value);
            case IReturnOperation { ReturnedValue: { } returned } when buffers.IsByteArray(returned.WithoutConversions()?.Type) || buffers.IsView(returned.WithoutConversions()?.Type):
                return Use(returned);
            default:
                return null;
        }
    }

    /// <summary>The use of a whole buffer expression; no fix slices <c>new ArraySegment&lt;byte&gt;(buffer, 0, n).Array</c> (the array is whole whatever the window).</summary>
    private static (IOperation, IOperation, bool) Use(IOperation buffer)
        => (buffer, buffer, buffer.WithoutConversions() is not IPropertyReferenceOperation { Property.Name: "Array", Instance: IObjectCreationOperation });

    /// <summary>
    /// Bytes written into a stream or collection: <c>Stream.Write(..)</c>/<c>WriteAsync(..)</c>, a pipe or buffer writer's
    /// <c>Write</c>, <c>List&lt;byte&gt;.AddRange</c>.
    /// </summary>
    private static bool IsWriteOfBytes(IInvocationOperation call)
    {
        var method = call.TargetMethod;
        if (method.Name is "AddRange")
        {
            return method.ContainingType is { Name: "List", TypeArguments.Length: 1 } list && list.TypeArguments[0].SpecialType == SpecialType.System_Byte;
        }

        if (method.Name is not ("Write" or "WriteAsync"))
        {
            return false;
        }

        for (var type = (method.IsExtensionMethod ? method.Parameters.FirstOrDefault()?.Type : method.ContainingType) as INamedTypeSymbol; type is not null; type = type.BaseType)
        {
            if (type.Name is "Stream" or "PipeWriter" or "BinaryWriter" || type.Name == "IBufferWriter" && type.Arity == 1)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <c>Write(buffer)</c>, or <c>Write(buffer, 0, buffer.Length)</c> (reported at the length, which the count replaces);
    /// null when the write is given a window of its own.
    /// </summary>
    private static (IOperation, IOperation, bool)? WrittenWhole(IInvocationOperation call, int first)
    {
        var data = call.Arguments[first].Value;
        var counts = call.Arguments.Where(a => a.ArgumentKind == ArgumentKind.Explicit && a.Value.Type?.SpecialType == SpecialType.System_Int32).ToList();
        if (counts.Count == 0)
        {
            return Use(data);
        }

        return counts.Count == 2 && counts[0].Value.ConstantValue is { HasValue: true, Value: 0 } && IsLengthOf(counts[1].Value, data)
            ? (data, counts[1].Value, true)
            : null;
    }

    /// <summary><c>Array.Copy(buffer, destination, buffer.Length)</c>, <c>Buffer.BlockCopy(buffer, 0, destination, offset, buffer.Length)</c>.</summary>
    private static (IOperation, IOperation, bool)? CopiedWhole(IInvocationOperation call)
    {
        var arguments = call.Arguments;
        var data = arguments[0].Value;
        var length = arguments.Length switch
        {
            3 => arguments[2].Value,
            5 when arguments[1].Value.ConstantValue is { HasValue: true, Value: 0 } => arguments[4].Value,
            _ => null,
        };
        return length is not null && IsLengthOf(length, data) ? (data, length, true) : null;
    }

    /// <summary>
    /// A copy handed on with a window of its own: <c>stream.WriteAsync(segment.ToArray(), 0, read)</c> uses only the
    /// bytes the count names (a count that is the copy's or the buffer's whole length is no window).
    /// </summary>
    private static bool WindowedByCaller(IInvocationOperation copy)
    {
        IOperation current = copy;
        while (current.Parent is IConversionOperation conversion)
        {
            current = conversion;
        }

        var whole = BodyReceives.Variable(copy.Receiver()!);
        return current.Parent is IArgumentOperation argument && argument.Parent is IInvocationOperation consumer
            && consumer.Arguments.Any(other => !ReferenceEquals(other, argument) && other.Parameter?.Name is "count" or "length"
                && !other.Value.ConstantValue.HasValue
                && !(other.Value.WithoutConversions() is IPropertyReferenceOperation { Property.Name: "Count" or "Length", Instance: { } measured }
                     && (whole is null || SymbolEqualityComparer.Default.Equals(BodyReceives.Variable(measured), whole))));
    }

    /// <summary><c>segment.Count</c> beside <c>segment.Array</c>: the count of the segment received into, not of the receive.</summary>
    private static bool IsSegmentCountOf(IOperation count, IOperation data)
        => count.WithoutConversions() is IPropertyReferenceOperation { Property.Name: "Count", Instance: { } counted }
           && counted.Type is INamedTypeSymbol { Name: "ArraySegment" }
           && BodyReceives.Variable(counted) is { } symbol
           && SymbolEqualityComparer.Default.Equals(symbol, SegmentOf(data));

    /// <summary>The segment whose <c>.Array</c> this is.</summary>
    private static ISymbol? SegmentOf(IOperation data)
        => data.WithoutConversions() is IPropertyReferenceOperation { Property.Name: "Array", Instance: { } segment } ? BodyReceives.Variable(segment) : null;

    private static bool IsLengthOf(IOperation length, IOperation data)
        => length.WithoutConversions() is IPropertyReferenceOperation { Property.Name: "Length", Instance: { } measured }
            && BodyReceives.Variable(measured) is { } symbol
            && SymbolEqualityComparer.Default.Equals(symbol, BodyReceives.Variable(data));

    /// <summary>
    /// A delegate, event or method of the compilation handed the buffer as its only bytes, with no count beside it:
    /// no argument of an integer type, none that reads a receive result, no socket or stream parameter (a helper that
    /// reads more into the buffer). Whatever the handler does, it cannot tell the received bytes from the stale tail.
    /// </summary>
    private static bool IsCountlessHandler(WebSocketSymbols symbols, IInvocationOperation call, IArgumentOperation argument)
    {
        var method = call.TargetMethod;
        if (!(method.MethodKind == MethodKind.DelegateInvoke || (method.MethodKind == MethodKind.Ordinary && !method.DeclaringSyntaxReferences.IsEmpty))
            || argument.ArgumentKind != ArgumentKind.Explicit
            || argument.Parameter is not { RefKind: RefKind.None } parameter)
        {
            return false;
        }

        foreach (var other in method.Parameters)
        {
            var type = other.Type;
            if (!SymbolEqualityComparer.Default.Equals(other, parameter)
                && (type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_UInt32
                    || symbols.Buffers.IsByteArray(type) || symbols.Buffers.IsView(type) || symbols.IsWebSocket(type) || symbols.IsReceiveResult(type)
                    || type.Name is "Stream" or "PipeWriter"))
            {
                return false;
            }
        }

        return !call.Arguments.Any(a => a != argument && a.Value.DescendantsAndSelf().Any(d => symbols.IsReceiveResult(d.Type)));
    }

    /// <summary>The receive's count is stored in a field or property (<c>_count = result.Count</c>): the buffer's consumer may read it there.</summary>
    private static bool CountStoredAside(WebSocketSymbols symbols, BodyReceives body)
        => body.Operations.Any(o => o is IAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation } assignment
            && assignment.Value.DescendantsAndSelf().Any(d => d is IPropertyReferenceOperation { Property.Name: "Count" } count && symbols.IsReceiveResult(count.Property.ContainingType)));
}
