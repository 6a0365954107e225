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
/// Received bytes decoded or dispatched as a whole message (GetString, JSON, a delegate or event, a channel) in a function that never looks at EndOfMessage and does not
/// accumulate pieces (WS1005). A deliberately narrow subset: any EndOfMessage read in the body, a result handed
/// elsewhere, a buffer received at an offset or written out somewhere, or a decoded piece appended somewhere, keeps it silent.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class FragmentsTreatedAsMessagesAnalyzer : ReceivedDataAnalyzer
{
    private static readonly string[] AccumulatingPrefixes = { "Write", "Append", "Add", "Insert", "Enqueue", "CopyTo", "Copy", "BlockCopy", "Concat", "Push" };

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.WS1005FragmentsTreatedAsMessages);

    private protected override void Analyze(WebSocketSymbols symbols, BodyReceives body, OperationBlockAnalysisContext context)
    {
        var buffers = symbols.Buffers;
        var tracked = new HashSet<ISymbol>(body.Receives.SelectMany(r => r.Buffers), SymbolEqualityComparer.Default);
        if (tracked.Count == 0)
        {
            return;
        }

        // `var bytes = buffer.Take(result.Count).ToArray();`, `var piece = buffer[..result.Count];`: the piece, copied or
        // viewed, stands for the buffer it was taken from.
        var copies = CopiesOfPieces(buffers, body, tracked);
        foreach (var copy in copies.Keys)
        {
            tracked.Add(copy);
        }

        var accumulated = AccumulatedBuffers(body, tracked);
        foreach (var pair in copies)
        {
            if (accumulated.Contains(pair.Key))
            {
                accumulated.Add(pair.Value);
            }
        }

        foreach (var operation in body.Operations)
        {
            var data = ConsumedData(symbols, operation, tracked);
            if (data is null
                || ReferencedBuffer(data, tracked) is not { } referenced
                || (copies.TryGetValue(referenced, out var original) ? original : referenced) is not { } buffer
                || accumulated.Contains(buffer)
                || body.LastReceiveInto(buffer, operation) is not { } receive
                || EndOfMessageUse(symbols, body, BodyReceives.Function(receive.Call)) is var use && use == EndOfMessage.Decides
                || (use == EndOfMessage.PassedOn && IsOnlyLogged(operation))
                || (receive.Result is { } result && Escapes(result, body))
                || FlowsIntoAccumulator(operation)
                || IntoUnreadLocal(operation, body))
            {
                continue;
            }

            context.ReportDiagnostic(Diagnostic.Create(Descriptors.WS1005FragmentsTreatedAsMessages, operation.Syntax.GetLocation()));
        }
    }

    private protected override void Analyze(WebSocketSymbols symbols, HandedPiece piece, IReadOnlyList<IOperation> operations, System.Action<Diagnostic> report)
    {
        // A caller on the way, or the function itself, reads EndOfMessage; or the result is handed on (what gets it may).
        if (piece.CallersReadEndOfMessage
            || operations.Any(o => o is IPropertyReferenceOperation { Property.Name: "EndOfMessage" } property && symbols.IsReceiveResult(property.Property.ContainingType))
            || operations.Any(o => o is IParameterReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Parameter, piece.Result)
                && reference.Parent is not IPropertyReferenceOperation))
        {
            return;
        }

        var tracked = new HashSet<ISymbol>(SymbolEqualityComparer.Default) { piece.Buffer };
        var accumulated = false;
        foreach (var operation in operations)
        {
            accumulated |= operation is IInvocationOperation call && !IsDispatch(call.TargetMethod) && IsAccumulating(call.TargetMethod.Name)
                && call.Arguments.Any(a => ReferencedBuffer(a.Value, tracked) is not null);
        }

        if (accumulated)
        {
            return;
        }

        foreach (var operation in operations)
        {
            if (ConsumedData(symbols, operation, tracked) is { } data
                && ReferencedBuffer(data, tracked) is not null
                && !FlowsIntoAccumulator(operation))
            {
                report(Diagnostic.Create(Descriptors.WS1005FragmentsTreatedAsMessages, operation.Syntax.GetLocation()));
            }
        }
    }

    /// <summary>`string message = Encoding.UTF8.GetString(buffer, 0, result.Count);` and message never read: nothing takes it as a message.</summary>
    private static bool IntoUnreadLocal(IOperation operation, BodyReceives body)
    {
        var value = operation;
        while (value.Parent is IConversionOperation { IsImplicit: true })
        {
            value = value.Parent;
        }

        ILocalSymbol? local = value.Parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when assignment.Value == value => target.Local,
            _ => null,
        };
        return local is not null && !body.Operations.Any(o => o is ILocalReferenceOperation reference
            && SymbolEqualityComparer.Default.Equals(reference.Local, local)
            && !(reference.Parent is ISimpleAssignmentOperation write && write.Target == reference));
    }

    /// <summary>
    /// The bytes an operation takes as one message: what it decodes (GetString, JSON), or what it dispatches to a delegate,
    /// event or channel. A dispatch of a decode (<c>OnMessage?.Invoke(Encoding.UTF8.GetString(..))</c>) is reported once, at the decode.
    /// </summary>
    private static IOperation? ConsumedData(WebSocketSymbols symbols, IOperation operation, HashSet<ISymbol> tracked) => operation switch
    {
        // `SendAsync(piece, type, true, ct)`: a relay that sends each piece on as a whole message of its own.
        IInvocationOperation { Arguments.Length: > 2 } send when symbols.Classify(send) == SocketCall.Send
            && send.Arguments.FirstOrDefault(a => a.Parameter?.Name == "endOfMessage") is { Value.ConstantValue: { HasValue: true, Value: true } }
            => send.Arguments[0].Value,
        IInvocationOperation { Arguments.Length: > 0 } call when symbols.Buffers.IsMessageDecoder(call.TargetMethod) => call.Arguments[0].Value,
        IObjectCreationOperation { Arguments.Length: > 0 } creation when symbols.Buffers.IsJsonReader(creation.Type) => creation.Arguments[0].Value,
        IInvocationOperation call when IsDispatch(call.TargetMethod) => call.Arguments.FirstOrDefault(a => ReferencedBuffer(a.Value, tracked) is not null
            && !a.Value.DescendantsAndSelf().Any(d => d is IInvocationOperation inner && symbols.Buffers.IsMessageDecoder(inner.TargetMethod)
                || d is IObjectCreationOperation creation && symbols.Buffers.IsJsonReader(creation.Type)))?.Value,
        // `PrintReceivedMessage(buffer)`: a method of the compilation given only the bytes, that decodes them as one message.
        IInvocationOperation call when call.TargetMethod is { MethodKind: MethodKind.Ordinary, DeclaringSyntaxReferences.Length: 1 }
            => call.Arguments.FirstOrDefault(a => ReferencedBuffer(a.Value, tracked) is not null && a.Parameter is { } parameter
                && DecodesAsMessage(symbols, call.TargetMethod, parameter))?.Value,
        _ => null,
    };

    /// <summary>
    /// A method given the received bytes and nothing that tells their length or the message's end (no count, result,
    /// other buffer, socket or stream parameter) that decodes or parses that parameter (<c>GetString(data)</c>,
    /// <c>JsonSerializer.Deserialize(data)</c>) without appending the text anywhere. Cached per parameter.
    /// </summary>
    private static bool DecodesAsMessage(WebSocketSymbols symbols, IMethodSymbol method, IParameterSymbol parameter)
        => (symbols.Buffers.IsByteArray(parameter.Type) || symbols.Buffers.IsView(parameter.Type))
            && method.Parameters.All(p => SymbolEqualityComparer.Default.Equals(p, parameter)
                || !(p.Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 || symbols.Buffers.IsByteArray(p.Type) || symbols.Buffers.IsView(p.Type)
                    || symbols.IsWebSocket(p.Type) || symbols.IsReceiveResult(p.Type) || p.Type.Name is "Stream" or "PipeWriter"))
            && symbols.DecodingHandlers.GetOrAdd(parameter.OriginalDefinition, _ =>
            {
                var syntax = method.DeclaringSyntaxReferences[0].GetSyntax(AnalysisCancellation.Token);
                if (symbols.Summaries.SemanticModelFor(syntax.SyntaxTree)?.GetOperation(syntax, AnalysisCancellation.Token) is not { } body)
                {
                    return false;
                }

                var given = new HashSet<ISymbol>(SymbolEqualityComparer.Default) { parameter.OriginalDefinition };
                var decodes = false;
                foreach (var operation in body.DescendantsAndSelf())
                {
                    if (operation is IAssignmentOperation { Target: IParameterReferenceOperation written } && given.Contains(written.Parameter.OriginalDefinition)
                        || operation is IPropertyReferenceOperation { Property.Name: "EndOfMessage" })
                    {
                        return false;
                    }

                    if (operation is IInvocationOperation { Arguments.Length: > 0 } decode && symbols.Buffers.IsMessageDecoder(decode.TargetMethod)
                        && decode.Arguments[0].Value.DescendantsAndSelf().Any(d => d is IParameterReferenceOperation reference && given.Contains(reference.Parameter.OriginalDefinition)))
                    {
                        if (FlowsIntoAccumulator(decode))
                        {
                            return false;
                        }

                        decodes = true;
                    }
                }

                return decodes;
            });

    private enum EndOfMessage
    {
        /// <summary>Never read.</summary>
        Unread,

        /// <summary>Only handed to a send (an echo or proxy passes the flag on) or written to a log.</summary>
        PassedOn,

        /// <summary>Read for anything else: the author handles pieces there, and this subset stays out of it.</summary>
        Decides,
    }

    /// <summary>
    /// How the function that receives (the member body, or the lambda or local function the receive is in, with what
    /// is nested in it) reads EndOfMessage. Another endpoint lambda or helper of the same body (a top-level Program.cs
    /// holds them all) does not count.
    /// </summary>
    private static EndOfMessage EndOfMessageUse(WebSocketSymbols symbols, BodyReceives body, IOperation? function)
    {
        var use = EndOfMessage.Unread;
        foreach (var operation in body.Operations)
        {
            if (operation is IPropertyReferenceOperation { Property.Name: "EndOfMessage" } property
                && symbols.IsReceiveResult(property.Property.ContainingType)
                && (function is null || IsWithin(operation, function)))
            {
                if (!IsSendFlag(symbols, property) && !IsLogged(property))
                {
                    return EndOfMessage.Decides;
                }

                use = EndOfMessage.PassedOn;
            }
        }

        return use;
    }

    /// <summary>The endOfMessage argument of a send, as is: <c>SendAsync(.., result.EndOfMessage, ct)</c>.</summary>
    private static bool IsSendFlag(WebSocketSymbols symbols, IOperation flag)
    {
        var value = flag;
        while (value.Parent is IConversionOperation { IsImplicit: true })
        {
            value = value.Parent;
        }

        return value.Parent is IArgumentOperation { Parent: IInvocationOperation call } && symbols.Classify(call) == SocketCall.Send;
    }

    /// <summary>
    /// The value only ends up in a log line: an argument of a logging call (<c>Console.WriteLine</c>, <c>logger.LogDebug</c>),
    /// directly or through string interpolation or concatenation, or a local that is only used that way.
    /// </summary>
    private static bool IsLogged(IOperation value)
    {
        while (value.Parent is IConversionOperation or IInterpolationOperation or IInterpolatedStringOperation or IBinaryOperation { OperatorKind: BinaryOperatorKind.Add }
            or IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "Format" or "Concat" } })
        {
            value = value.Parent;
        }

        return value.Parent is IArgumentOperation { Parent: IInvocationOperation call } && IsLogging(call.TargetMethod);
    }

    private static bool IsOnlyLogged(IOperation decode)
    {
        if (IsLogged(decode))
        {
            return true;
        }

        var value = decode;
        while (value.Parent is IConversionOperation { IsImplicit: true })
        {
            value = value.Parent;
        }

        if (value.Parent is not IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator })
        {
            return false;
        }

        var root = decode;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        var uses = root.Descendants().OfType<ILocalReferenceOperation>().Where(r => SymbolEqualityComparer.Default.Equals(r.Local, declarator.Symbol)).ToList();
        return uses.Count > 0 && uses.All(IsLogged);
    }

    private static bool IsLogging(IMethodSymbol method)
        => method.Name.StartsWith("Log", System.StringComparison.Ordinal)
            || method.Name is "Write" or "WriteLine" or "Print" or "Debug" or "Trace" or "Info" or "Information" or "Verbose" or "Warn" or "Warning" or "TraceInformation";

    private static bool IsWithin(IOperation operation, IOperation function)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current == function)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Locals declared, after a receive into a tracked buffer, as a copy or view of it (a byte array, segment, memory or
    /// span initialised from an expression that reads the buffer) and never written again: each maps to that buffer.
    /// </summary>
    private static Dictionary<ISymbol, ISymbol> CopiesOfPieces(BufferTypes buffers, BodyReceives body, HashSet<ISymbol> tracked)
    {
        var copies = new Dictionary<ISymbol, ISymbol>(SymbolEqualityComparer.Default);
        foreach (var operation in body.Operations)
        {
            if (operation is not IVariableDeclaratorOperation { Initializer.Value: { } initializer, Symbol: { } local }
                || !(buffers.IsByteArray(local.Type) || buffers.IsView(local.Type))
                || tracked.Contains(local)
                || ReferencedBuffer(initializer, tracked) is not { } buffer
                || body.LastReceiveInto(buffer, operation) is null
                || body.Operations.Any(o => o is IAssignmentOperation assignment && BodyReceives.Variable(assignment.Target) is { } target
                    && SymbolEqualityComparer.Default.Equals(target, local)))
            {
                continue;
            }

            copies[local] = buffer;
        }

        return copies;
    }

    private static ISymbol? ReferencedBuffer(IOperation data, HashSet<ISymbol> tracked)
        => data.DescendantsAndSelf().Select(BodyReceives.Variable).FirstOrDefault(s => s is not null && tracked.Contains(s));

    /// <summary>Buffers passed to a Write/Append/Add/Copy-like call anywhere in the body: pieces are collected there.</summary>
    private static HashSet<ISymbol> AccumulatedBuffers(BodyReceives body, HashSet<ISymbol> tracked)
    {
        var accumulated = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var operation in body.Operations)
        {
            if (operation is IInvocationOperation call && !IsDispatch(call.TargetMethod) && IsAccumulating(call.TargetMethod.Name))
            {
                foreach (var argument in call.Arguments)
                {
                    if (ReferencedBuffer(argument.Value, tracked) is { } buffer)
                    {
                        accumulated.Add(buffer);
                    }
                }
            }
        }

        return accumulated;
    }

    /// <summary><c>sb.Append(Encoding.UTF8.GetString(..))</c>, <c>text += ..</c> or <c>text = text + ..</c>: the decoded piece is collected, not used alone.</summary>
    private static bool FlowsIntoAccumulator(IOperation decode)
    {
        var value = decode;
        while (value.Parent is IConversionOperation { IsImplicit: true } or IArgumentOperation)
        {
            value = value.Parent;
        }

        return value.Parent switch
        {
            IInvocationOperation call => !IsDispatch(call.TargetMethod) && IsAccumulating(call.TargetMethod.Name),
            ICompoundAssignmentOperation => true,
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Parent: ISimpleAssignmentOperation assignment } concat
                => BodyReceives.Variable(assignment.Target) is { } text && SymbolEqualityComparer.Default.Equals(text, BodyReceives.Variable(concat.LeftOperand)),
            _ => false,
        };
    }

    /// <summary>The result is handed to something else (a helper, a field, a return): that code may check EndOfMessage.</summary>
    private static bool Escapes(ILocalSymbol result, BodyReceives body)
        => body.Operations.Any(o => o is ILocalReferenceOperation reference
            && SymbolEqualityComparer.Default.Equals(reference.Local, result)
            && reference.Parent is not IPropertyReferenceOperation
            && !IsNullTest(reference)
            && !(reference.Parent is ISimpleAssignmentOperation assignment && assignment.Target == reference));

    /// <summary>`result == null`, `result != null`, `result is null` (a pattern test): a test, not a hand-over.</summary>
    private static bool IsNullTest(IOperation reference)
    {
        var parent = reference.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary
                   && (binary.LeftOperand.WithoutConversions() is { ConstantValue: { HasValue: true, Value: null } } || binary.RightOperand.WithoutConversions() is { ConstantValue: { HasValue: true, Value: null } })
               || parent is IIsPatternOperation;
    }

    /// <summary>
    /// Hands the data to a consumer as one message: a delegate or event (<c>OnMessage?.Invoke(..)</c>, a callback
    /// parameter) or a channel writer, whose reader takes each item as a message.
    /// </summary>
    private static bool IsDispatch(IMethodSymbol method)
        => method.MethodKind == MethodKind.DelegateInvoke
            || (method.Name is "TryWrite" or "WriteAsync" && method.ContainingType is { Name: "ChannelWriter" } writer
                && writer.ContainingNamespace?.ToDisplayString() == "System.Threading.Channels");

    // WriteLine prints each piece as if it were a line of its own: that is the bug, not accumulation.
    private static bool IsAccumulating(string name)
        => name != "WriteLine" && AccumulatingPrefixes.Any(p => name.StartsWith(p, System.StringComparison.Ordinal));
}
