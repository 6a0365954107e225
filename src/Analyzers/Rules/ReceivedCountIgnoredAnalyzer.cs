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
                || body.LastReceiveInto(buffer, use.Buffer) is not { } receive
                || (IsTrimmedOfNul(operation) && IsFreshPerReceive(buffer, receive, body))
                || (operation is IArgumentOperation or IReturnOperation && CountStoredAside(symbols, body)))
            {
                continue;
            }

            var properties = ImmutableDictionary<string, string?>.Empty;
            if (receive.Result is { } result
                && use.Buffer.SemanticModel?.LookupSymbols(use.Buffer.Syntax.SpanStart, name: result.Name).Contains(result, SymbolEqualityComparer.Default) == true)
            {
                properties = properties.Add(CountProperty, result.Name + ".Count");
            }

            context.ReportDiagnostic(Diagnostic.Create(Descriptors.WS1006ReceivedCountIgnored, use.Report.Syntax.GetLocation(), properties, buffer.Name));
        }
    }

    /// <summary>A use that consumes a buffer as a message: decode, copy, parse or send it.</summary>
    private static (IOperation Buffer, IOperation Report)? FindWholeUse(WebSocketSymbols symbols, IOperation operation)
    {
        var buffers = symbols.Buffers;
        switch (operation)
        {
            case IInvocationOperation call when buffers.IsGetString(call.TargetMethod):
                if (call.Arguments.Length == 1)
                {
                    return (call.Arguments[0].Value, call.Arguments[0].Value);
                }

                // GetString(buffer, 0, buffer.Length): the whole buffer spelled out.
                if (call.Arguments.Length == 3
                    && call.Arguments[1].Value.ConstantValue is { HasValue: true, Value: 0 }
                    && call.Arguments[2].Value.WithoutConversions() is IPropertyReferenceOperation { Property.Name: "Length", Instance: { } lengthOf }
                    && BodyReceives.Variable(lengthOf) is { } measured
                    && SymbolEqualityComparer.Default.Equals(measured, BodyReceives.Variable(call.Arguments[0].Value)))
                {
                    return (call.Arguments[0].Value, call.Arguments[2].Value);
                }

                return null;
            case IInvocationOperation { TargetMethod.Name: "ToArray" } call when call.Receiver() is { } receiver:
                return (receiver, receiver);
            case IInvocationOperation { Arguments.Length: > 0 } call when buffers.IsJsonEntryPoint(call.TargetMethod) || symbols.Classify(call) == SocketCall.Send:
                return (call.Arguments[0].Value, call.Arguments[0].Value);
            case IObjectCreationOperation { Arguments.Length: > 0 } creation when buffers.IsJsonReader(creation.Type):
                return (creation.Arguments[0].Value, creation.Arguments[0].Value);
            case IArgumentOperation { Parent: IInvocationOperation handler } argument when IsCountlessHandler(symbols, handler, argument):
                return (argument.Value, argument.Value);
            case IReturnOperation { ReturnedValue: { } returned } when buffers.IsByteArray(returned.WithoutConversions()?.Type) || buffers.IsView(returned.WithoutConversions()?.Type):
                return (returned, returned);
            default:
                return null;
        }
    }

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

    /// <summary>
    /// A local allocated anew for each receive (declared inside the innermost loop around it, or with no loop): its tail
    /// is zeros, so trimming '\0' recovers the piece. A reused buffer keeps stale bytes of a longer earlier message.
    /// </summary>
    private static bool IsFreshPerReceive(ISymbol buffer, ReceiveInto receive, BodyReceives body)
    {
        // `buffer = new byte[n];` in the receive's own loop, before it.
        var receiveLoop = BodyReceives.InnermostLoop(receive.Call);
        if (body.Reassignments(buffer).Any(w => w is ISimpleAssignmentOperation { Value: var value } && value.WithoutConversions() is IArrayCreationOperation
            && w.Syntax.Span.End <= receive.Call.Syntax.SpanStart && BodyReceives.InnermostLoop(w) == receiveLoop))
        {
            return true;
        }

        if (buffer is not ILocalSymbol local
            || body.Operations.OfType<IVariableDeclaratorOperation>().FirstOrDefault(d => SymbolEqualityComparer.Default.Equals(d.Symbol, local)) is not { } declarator)
        {
            return false;
        }

        for (var current = receive.Call.Parent; current is not null; current = current.Parent)
        {
            if (current is ILoopOperation loop)
            {
                return loop.Syntax.Span.Contains(declarator.Syntax.Span);
            }
        }

        return true;
    }

    /// <summary><c>GetString(buffer).TrimEnd('\0')</c>: the author handles the zeroed tail themselves.</summary>
    private static bool IsTrimmedOfNul(IOperation use)
    {
        var value = use;
        while (value.Parent is IConversionOperation { IsImplicit: true })
        {
            value = value.Parent;
        }

        return value.Parent is IInvocationOperation { TargetMethod.Name: "TrimEnd" or "Trim" or "Replace" or "Split" } trim
            && trim.Instance == value
            && trim.Arguments.SelectMany(a => a.DescendantsAndSelf()).Any(a => a.ConstantValue is { HasValue: true, Value: '\0' or "\0" });
    }
}
