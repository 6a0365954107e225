using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace WsAnalyzers.Flow;

internal enum Tri
{
    Unknown,
    False,
    True,
}

/// <summary>
/// Evaluates conditions under one assumption: "the receive just returned a Close message", so the result's
/// MessageType is Close, its CloseStatus has a value, Count is 0, EndOfMessage is true, and the socket's State is
/// CloseReceived. Anything it cannot decide is Unknown.
/// </summary>
internal sealed class CloseEvaluator
{
    private readonly CloseContext _context;

    private int _inlineDepth;

    public CloseEvaluator(CloseContext context) => _context = context;

    private CloseEvaluator(CloseContext context, int inlineDepth)
    {
        _context = context;
        _inlineDepth = inlineDepth;
    }

    /// <summary>Values the walk has seen assigned on its path: flow captures of switch arms, locals set from the result.</summary>
    public Dictionary<CaptureId, IOperation> PathCaptures { get; } = new();

    public Dictionary<ILocalSymbol, Value> PathLocals { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>Locals assigned from something that looks at the close but could not be decided.</summary>
    public HashSet<ILocalSymbol> CloseRelatedLocals { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// Accumulators (<see cref="Accumulators"/>) that start each message empty and, on this path, were given only the
    /// Close's empty payload: they hold nothing.
    /// </summary>
    private readonly HashSet<ILocalSymbol> _emptyAccumulators = new(SymbolEqualityComparer.Default);

    private readonly HashSet<ILocalSymbol> _filledAccumulators = new(SymbolEqualityComparer.Default);

    /// <summary>The bytes of an accumulator that holds nothing (<c>ms.ToArray()</c>, <c>writer.WrittenSpan</c>).</summary>
    internal static readonly byte[] NoBytes = new byte[0];

    /// <summary>Records an assignment met on the path, so later conditions on that variable can be decided.</summary>
    public void Assign(IOperation operation)
    {
        switch (operation)
        {
            case IFlowCaptureOperation capture:
                PathCaptures[capture.Id] = capture.Value;
                break;
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment:
                var value = Value(assignment.Value);
                if (value.Kind != ValueKind.Unknown)
                {
                    PathLocals[local.Local] = value;
                }
                else
                {
                    PathLocals.Remove(local.Local);
                    if (MentionsClose(assignment.Value))
                    {
                        CloseRelatedLocals.Add(local.Local);
                    }
                }

                break;
            case IInvocationOperation write when Accumulators.IsWrite(write.TargetMethod)
                && write.Instance.WithoutConversions() is ILocalReferenceOperation { Local: var accumulator }
                && Accumulators.IsAccumulatorType(accumulator.Type):
                if (!_filledAccumulators.Contains(accumulator) && _context.Receive is { } receive && WritesNothing(write)
                    && Accumulators.StartsEachMessageEmpty(accumulator, receive.Syntax))
                {
                    _emptyAccumulators.Add(accumulator);
                }
                else
                {
                    _emptyAccumulators.Remove(accumulator);
                    _filledAccumulators.Add(accumulator);
                }

                break;
        }
    }

    /// <summary>
    /// Whether a write adds nothing on this path: the Close's empty text, no bytes, a count of 0
    /// (<c>ms.Write(buffer, 0, result.Count)</c>), or an empty slice (<c>buffer[..result.Count]</c>,
    /// <c>buffer.AsSpan(0, result.Count)</c>, <c>new ArraySegment&lt;byte&gt;(buffer, 0, result.Count)</c>).
    /// </summary>
    private bool WritesNothing(IInvocationOperation write)
    {
        foreach (var argument in write.Arguments)
        {
            if (argument.Parameter?.Name is "count" or "length" && Value(argument.Value).Constant is 0 || IsEmptyData(argument.Value))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a value is empty on this path: the text "", no bytes, or a slice of length 0.</summary>
    public bool IsEmptyData(IOperation operation)
    {
        var value = Value(operation);
        if (value.Constant is "" || ReferenceEquals(value.Constant, NoBytes))
        {
            return true;
        }

        switch (Resolve(operation))
        {
            case IInvocationOperation { TargetMethod.Name: "Slice" or "AsSpan" or "AsMemory" or "Take", Arguments.Length: > 0 } slice
                when (slice.TargetMethod.Name == "Take" || slice.Arguments.Length - (slice.TargetMethod.IsExtensionMethod ? 1 : 0) == 2)
                     && Value(slice.Arguments[slice.Arguments.Length - 1].Value).Constant is 0:
            case IObjectCreationOperation { Arguments.Length: 3 } segment when Value(segment.Arguments[2].Value).Constant is 0:
                return true;
        }

        foreach (var range in Resolve(operation).DescendantsAndSelf().OfType<IRangeOperation>())
        {
            if (range.RightOperand is { } end && Value(end).Constant is 0 && (range.LeftOperand is null || Value(range.LeftOperand).Constant is 0))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What a flow capture holds on the path walked so far (the arm of `cond ? null : text` taken), or the operation itself.</summary>
    public IOperation ResolveOnPath(IOperation operation) => Resolve(operation);

    private IOperation Resolve(IOperation operation)
    {
        operation = operation.WithoutConversions()!;
        while (operation is IFlowCaptureReferenceOperation or IConditionalAccessInstanceOperation)
        {
            if (operation is IConditionalAccessInstanceOperation instance)
            {
                // `_ws?.State` in a body evaluated as a tree (an inlined property): the instance is the accessed operand.
                if (AccessOf(instance) is not { } access)
                {
                    break;
                }

                operation = access.Operation.WithoutConversions()!;
                continue;
            }

            var reference = (IFlowCaptureReferenceOperation)operation;
            if (PathCaptures.TryGetValue(reference.Id, out var onPath))
            {
                operation = onPath.WithoutConversions()!;
            }
            else if (_context.Graph.TryGetCapture(reference, out var value))
            {
                operation = value.WithoutConversions()!;
            }
            else
            {
                break;
            }
        }

        return operation;
    }

    public Tri Evaluate(IOperation condition) => AsTri(Value(condition));

    /// <summary>Whether an undecided condition still looks at the close (a helper given the result, a Close constant).</summary>
    public bool MentionsClose(IOperation condition)
    {
        foreach (var operation in condition.DescendantsAndSelf())
        {
            var resolved = Resolve(operation);
            if (resolved != operation.WithoutConversions() && MentionsClose(resolved))
            {
                return true;
            }

            switch (resolved)
            {
                // A Close constant only hints at this receive's result; a helper's or a caller's walk has no result of its own.
                case IFieldReferenceOperation field when _context.Receive is not null && field.Field.Name == "Close" && _context.Symbols.MessageType is { } mt && SymbolEqualityComparer.Default.Equals(field.Field.ContainingType, mt):
                    return true;
                case IPropertyReferenceOperation property when property.Property.Name is "CloseStatus" or "State" or "MessageType" && IsResultOrSocket(property.Instance):
                    return true;
                case ILocalReferenceOperation local when _context.IsResult(local.Local) || CloseRelatedLocals.Contains(local.Local):
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether an undecided condition only asks which close was received: its only close-related reads are the
    /// result's or socket's <c>CloseStatus</c>/<c>CloseStatusDescription</c> (their presence is decided already, so
    /// what is left compares their value).
    /// </summary>
    public bool AsksOnlyWhichClose(IOperation condition)
    {
        var status = false;
        return OnlyStatus(condition, ref status, 0) && status;
    }

    private bool OnlyStatus(IOperation condition, ref bool status, int depth)
    {
        if (depth > 8)
        {
            return false;
        }

        foreach (var operation in condition.DescendantsAndSelf())
        {
            var resolved = Resolve(operation);
            if (resolved != operation.WithoutConversions())
            {
                if (!OnlyStatus(resolved, ref status, depth + 1))
                {
                    return false;
                }

                continue;
            }

            switch (resolved)
            {
                case IPropertyReferenceOperation { Property.Name: "CloseStatus" or "CloseStatusDescription" } read when IsResultOrSocket(read.Instance):
                    status = true;
                    break;
                case IFieldReferenceOperation { Field.Name: "Close" } field when _context.Symbols.MessageType is { } mt && SymbolEqualityComparer.Default.Equals(field.Field.ContainingType, mt):
                    return false;
                case IPropertyReferenceOperation { Property.Name: "State" or "MessageType" } read when IsResultOrSocket(read.Instance):
                    return false;
                case ILocalReferenceOperation local when _context.IsResult(local.Local)
                    && operation.Parent is not IPropertyReferenceOperation { Property.Name: "CloseStatus" or "CloseStatusDescription" }:
                    return false;
                case ILocalReferenceOperation local when CloseRelatedLocals.Contains(local.Local):
                    return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether a decided condition tests for the Close itself: compares with WebSocketMessageType.Close, reads
    /// CloseStatus, or reads the socket's State (a test on Text, Count or EndOfMessage alone does not).
    /// </summary>
    public bool TestsForClose(IOperation condition)
    {
        foreach (var operation in condition.DescendantsAndSelf())
        {
            var resolved = Resolve(operation);
            switch (resolved)
            {
                case IFieldReferenceOperation { Field.Name: "Close" } field when _context.Symbols.MessageType is { } mt && SymbolEqualityComparer.Default.Equals(field.Field.ContainingType, mt):
                    return true;
                case IPropertyReferenceOperation { Property.Name: "CloseStatus" } status when IsResultOrSocket(status.Instance):
                    return true;
                case IPropertyReferenceOperation { Property.Name: "State" } state when IsResultOrSocket(state.Instance):
                    return true;
            }

            if (resolved != operation.WithoutConversions() && TestsForClose(resolved))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsResultOrSocket(IOperation? instance)
    {
        if (instance is null)
        {
            return false;
        }

        var resolved = Resolve(instance);
        if (_context.IsReceive(resolved))
        {
            return true;
        }

        var symbol = resolved.ReferencedSymbol(_context.Graph);
        return _context.IsSocket(resolved) || (symbol is not null && _context.IsResult(symbol));
    }

    /// <summary>The value of a returned expression as far as a caller can use it: a constant, null, or surely not null.</summary>
    public static Value Returned(IOperation? returned)
    {
        var operation = returned.WithoutConversions();
        if (operation is null)
        {
            return Flow.Value.Unknown;
        }

        if (operation.ConstantValue.HasValue)
        {
            return operation.ConstantValue.Value is null ? Flow.Value.Null : Flow.Value.Of(operation.ConstantValue.Value);
        }

        return operation is IObjectCreationOperation or IAnonymousObjectCreationOperation or IArrayCreationOperation or IInterpolatedStringOperation
            ? Flow.Value.NonNull
            : Flow.Value.Unknown;
    }

    private static Tri AsTri(Value value)
        => value.Kind == ValueKind.Constant && value.Constant is bool b ? (b ? Tri.True : Tri.False) : Tri.Unknown;

    private Value Value(IOperation? operation)
    {
        if (operation is null)
        {
            return Flow.Value.Unknown;
        }

        operation = Resolve(operation);
        if (operation is ILocalReferenceOperation local && PathLocals.TryGetValue(local.Local, out var known))
        {
            return known;
        }

        if (_context.ResultValue.Kind != ValueKind.Unknown && operation.ReferencedSymbol(_context.Graph) is { } read && _context.IsResult(read))
        {
            return _context.ResultValue;
        }

        if (_context.DataCall is not null && _context.IsDataCall(operation))
        {
            return _context.DataValue;
        }

        if (_context.Receive is not null && (_context.IsReceive(operation) || operation.ReferencedSymbol(_context.Graph) is { } received && _context.IsResult(received)))
        {
            // What ReceiveAsync returned is never null (`if (result == null) return;` decides nothing).
            return Flow.Value.NonNull;
        }

        if (operation.ConstantValue.HasValue)
        {
            return operation.ConstantValue.Value is null ? Flow.Value.Null : Flow.Value.Of(operation.ConstantValue.Value);
        }

        switch (operation)
        {
            case IInvocationOperation { Arguments.Length: 0, Instance: { } emptied } accumulated when Accumulators.IsRead(accumulated.TargetMethod.Name) && HoldsNothing(emptied):
                return accumulated.TargetMethod.Name == "ToString" ? Flow.Value.Of("") : Flow.Value.Of(NoBytes);
            case IPropertyReferenceOperation { Instance: { } emptied, Property.Name: var readName } when Accumulators.IsRead(readName) && HoldsNothing(emptied):
                return readName is "WrittenSpan" or "WrittenMemory" ? Flow.Value.Of(NoBytes) : Flow.Value.Of(0);
            case IPropertyReferenceOperation { Property: { Name: "IsCancellationRequested", ContainingType: { Name: "CancellationToken" or "CancellationTokenSource", ContainingNamespace.Name: "Threading" } } }:
                // The peer closed; nothing on this path asked to cancel. The paths where both happen at once are the
                // shutdown's, not the close handshake's.
                return Flow.Value.Of(false);
            case IPropertyReferenceOperation property:
                var member = Member(property.Instance, property.Property.Name);
                return member.Kind == ValueKind.Unknown ? Inline(property.Property.GetMethod, property.Instance, property.Arguments.Length) : member;
            case IInvocationOperation { TargetMethod.Name: "Equals", Arguments.Length: 1, Instance: { } instance } equals when instance.Type?.TypeKind == TypeKind.Enum:
                // `WebSocketState.Open.Equals(_ws.State)`
                return Equal(Value(instance), Value(equals.Arguments[0].Value));
            case IInvocationOperation { TargetMethod: { Name: "GetString", ContainingType.Name: "Encoding" }, Arguments.Length: 1 } whole
                when ReferenceEquals(Value(whole.Arguments[0].Value).Constant, NoBytes):
                return Flow.Value.Of("");
            case IInvocationOperation { Arguments.Length: 0 } call when !call.TargetMethod.IsStatic:
                return Inline(call.TargetMethod, call.Instance, 0);
            case IConditionalAccessOperation access:
                // `_ws?.State`: the socket the walk is about exists (it received, or is judged in CloseReceived).
                var accessed = Resolve(access.Operation);
                if (_context.IsSocket(accessed))
                {
                    return Value(access.WhenNotNull);
                }

                return Value(accessed).Kind switch
                {
                    ValueKind.Null => Flow.Value.Null,
                    ValueKind.NonNull => Value(access.WhenNotNull),
                    _ => Flow.Value.Unknown,
                };
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                return AsTri(Value(conditional.Condition)) switch
                {
                    Tri.True => Value(conditional.WhenTrue),
                    Tri.False => Value(whenFalse),
                    _ => Flow.Value.Unknown,
                };
            case ISwitchExpressionOperation switchExpression:
                return Switch(switchExpression);
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return Negate(Value(not.Operand));
            case ISimpleAssignmentOperation assignment:
                // `(read = (await ws.ReceiveAsync(..)).Count) != 0`: an assignment's value is what it assigns.
                return Value(assignment.Value);
            case IBinaryOperation binary:
                return Binary(binary);
            case IIsPatternOperation isPattern:
                return Match(isPattern.Value, isPattern.Pattern);
            case IInvocationOperation { TargetMethod: { Name: "GetString", ContainingType.Name: "Encoding" }, Arguments.Length: 3 } decode
                when Value(decode.Arguments[2].Value).Constant is 0:
                // `Encoding.UTF8.GetString(buffer, 0, result.Count)` of the Close's empty payload.
                return Flow.Value.Of("");
            case IInvocationOperation { TargetMethod: { Name: "IsNullOrEmpty" or "IsNullOrWhiteSpace", ContainingType.SpecialType: SpecialType.System_String }, Arguments.Length: 1 } check:
                var text = Value(check.Arguments[0].Value);
                return text.Kind == ValueKind.Null || text.Constant is "" ? Flow.Value.Of(true) : Flow.Value.Unknown;
            case IIsNullOperation isNull:
                var operand = Value(isNull.Operand);
                return operand.Kind switch
                {
                    ValueKind.NonNull => Flow.Value.Of(false),
                    ValueKind.Null => Flow.Value.Of(true),
                    _ => Flow.Value.Unknown,
                };
            default:
                return Flow.Value.Unknown;
        }
    }

    private bool HoldsNothing(IOperation instance)
        => instance.WithoutConversions() is ILocalReferenceOperation { Local: var local } && _emptyAccumulators.Contains(local);

    /// <summary>
    /// A property or parameterless method of the type that keeps the socket, on the same object (<c>IsConnected =&gt;
    /// _ws.State == WebSocketState.Open</c>, or a wrapper enum mapped by a switch expression): its single expression,
    /// evaluated under the same assumption. Anything else is Unknown.
    /// </summary>
    private Value Inline(IMethodSymbol? method, IOperation? instance, int arguments)
    {
        if (method is null || arguments != 0 || _inlineDepth >= 3 || !_context.IsMemberSocket
            || !SameObject(instance) || method.DeclaringSyntaxReferences.Length != 1
            || !SymbolEqualityComparer.Default.Equals(method.ContainingType.OriginalDefinition, _context.Socket.ContainingType?.OriginalDefinition))
        {
            return Flow.Value.Unknown;
        }

        var expression = SingleExpression(method.DeclaringSyntaxReferences[0].GetSyntax());
        if (expression is null)
        {
            return Flow.Value.Unknown;
        }

        var body = _context.Symbols.Summaries.SemanticModelFor(expression.SyntaxTree)?.GetOperation(expression, AnalysisCancellation.Token);
        if (body is null)
        {
            return Flow.Value.Unknown;
        }

        _inlineDepth++;
        try
        {
            return new CloseEvaluator(new CloseContext(_context.Symbols, _context.Graph, _context.Socket, receive: null, result: null, buffer: null), _inlineDepth).Value(body);
        }
        finally
        {
            _inlineDepth--;
        }
    }

    private bool SameObject(IOperation? instance)
    {
        var receiver = instance?.WithoutConversions();
        return _context.Holder is null
            ? receiver is null or IInstanceReferenceOperation
            : receiver is not null && SymbolEqualityComparer.Default.Equals(receiver.ReferencedSymbol(_context.Graph), _context.Holder);
    }

    private static Microsoft.CodeAnalysis.SyntaxNode? SingleExpression(Microsoft.CodeAnalysis.SyntaxNode declaration)
    {
        switch (declaration)
        {
            case Microsoft.CodeAnalysis.CSharp.Syntax.ArrowExpressionClauseSyntax arrow:
                return arrow.Expression;
            case Microsoft.CodeAnalysis.CSharp.Syntax.AccessorDeclarationSyntax accessor:
                return accessor.ExpressionBody?.Expression ?? SingleReturn(accessor.Body);
            case Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax property:
                return property.ExpressionBody?.Expression;
            case Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax method:
                return method.ExpressionBody?.Expression ?? SingleReturn(method.Body);
            default:
                return null;
        }

        static Microsoft.CodeAnalysis.SyntaxNode? SingleReturn(Microsoft.CodeAnalysis.CSharp.Syntax.BlockSyntax? block)
            => block is { Statements.Count: 1 } && block.Statements[0] is Microsoft.CodeAnalysis.CSharp.Syntax.ReturnStatementSyntax { Expression: { } returned } ? returned : null;
    }

    /// <summary>The first arm of a switch expression whose pattern (and guard) is decided true; Unknown when an earlier arm is undecided.</summary>
    private Value Switch(ISwitchExpressionOperation switchExpression)
    {
        var input = Value(switchExpression.Value);
        foreach (var arm in switchExpression.Arms)
        {
            var matched = arm.Pattern is IDiscardPatternOperation ? Tri.True
                : input.Kind == ValueKind.Unknown ? AsTri(Match(switchExpression.Value, arm.Pattern)) : MatchValue(input, arm.Pattern);
            if (matched == Tri.True && arm.Guard is { } guard)
            {
                matched = AsTri(Value(guard));
            }

            if (matched == Tri.False)
            {
                continue;
            }

            return matched == Tri.True ? Value(arm.Value) : Flow.Value.Unknown;
        }

        return Flow.Value.Unknown;
    }

    private static IConditionalAccessOperation? AccessOf(IConditionalAccessInstanceOperation instance)
    {
        IOperation child = instance;
        for (var current = instance.Parent; current is not null; child = current, current = current.Parent)
        {
            if (current is IConditionalAccessOperation access && access.WhenNotNull == child)
            {
                return access;
            }
        }

        return null;
    }

    private Value Member(IOperation? instance, string name)
    {
        if (instance is null)
        {
            return Flow.Value.Unknown;
        }

        var resolved = Resolve(instance);
        if (_context.IsReceive(resolved) || (resolved.ReferencedSymbol(_context.Graph) is { } r && _context.IsResult(r)))
        {
            return name switch
            {
                "MessageType" => Flow.Value.Of(_context.CloseMessageType),
                "CloseStatus" or "CloseStatusDescription" => Flow.Value.NonNull,
                "Count" => Flow.Value.Of(0),
                "EndOfMessage" => Flow.Value.Of(true),
                _ => Flow.Value.Unknown,
            };
        }

        if (_context.IsSocket(resolved))
        {
            return name switch
            {
                "State" => Flow.Value.Of(_context.CloseReceivedState),
                "CloseStatus" or "CloseStatusDescription" => Flow.Value.NonNull,
                _ => Flow.Value.Unknown,
            };
        }

        if (name == "Length" && Value(resolved).Constant is string text)
        {
            return Flow.Value.Of(text.Length);
        }

        if (name == "HasValue")
        {
            var inner = Value(resolved);
            return inner.Kind switch
            {
                ValueKind.NonNull => Flow.Value.Of(true),
                ValueKind.Null => Flow.Value.Of(false),
                _ => Flow.Value.Unknown,
            };
        }

        return Flow.Value.Unknown;
    }

    private Value Binary(IBinaryOperation binary)
    {
        var left = Value(binary.LeftOperand);
        var right = Value(binary.RightOperand);
        switch (binary.OperatorKind)
        {
            case BinaryOperatorKind.ConditionalAnd:
            case BinaryOperatorKind.And when left.Constant is bool || right.Constant is bool:
                if (AsTri(left) == Tri.False || AsTri(right) == Tri.False)
                {
                    return Flow.Value.Of(false);
                }

                return AsTri(left) == Tri.True && AsTri(right) == Tri.True ? Flow.Value.Of(true) : Flow.Value.Unknown;
            case BinaryOperatorKind.ConditionalOr:
            case BinaryOperatorKind.Or when left.Constant is bool || right.Constant is bool:
                if (AsTri(left) == Tri.True || AsTri(right) == Tri.True)
                {
                    return Flow.Value.Of(true);
                }

                return AsTri(left) == Tri.False && AsTri(right) == Tri.False ? Flow.Value.Of(false) : Flow.Value.Unknown;
            case BinaryOperatorKind.Equals:
                return Equal(left, right);
            case BinaryOperatorKind.NotEquals:
                return Negate(Equal(left, right));
            case BinaryOperatorKind.LessThan:
            case BinaryOperatorKind.LessThanOrEqual:
            case BinaryOperatorKind.GreaterThan:
            case BinaryOperatorKind.GreaterThanOrEqual:
                return Compare(binary.OperatorKind, left, right);
            default:
                return Flow.Value.Unknown;
        }
    }

    private Value Match(IOperation input, IPatternOperation pattern)
    {
        switch (pattern)
        {
            case IConstantPatternOperation constant:
                return Equal(Value(input), Value(constant.Value));
            case INegatedPatternOperation negated:
                return Negate(Match(input, negated.Pattern));
            case IBinaryPatternOperation binary:
                var left = AsTri(Match(input, binary.LeftPattern));
                var right = AsTri(Match(input, binary.RightPattern));
                if (binary.OperatorKind == BinaryOperatorKind.Or)
                {
                    return left == Tri.True || right == Tri.True ? Flow.Value.Of(true)
                        : left == Tri.False && right == Tri.False ? Flow.Value.Of(false) : Flow.Value.Unknown;
                }

                return left == Tri.False || right == Tri.False ? Flow.Value.Of(false)
                    : left == Tri.True && right == Tri.True ? Flow.Value.Of(true) : Flow.Value.Unknown;
            case IRelationalPatternOperation relational:
                return Compare(relational.OperatorKind, Value(input), Value(relational.Value));
            case IDiscardPatternOperation:
                return Flow.Value.Of(true);
            case IRecursivePatternOperation recursive:
                var result = Tri.True;
                foreach (var sub in recursive.PropertySubpatterns)
                {
                    if (sub.Member is not IPropertyReferenceOperation member)
                    {
                        result = Tri.Unknown;
                        continue;
                    }

                    var memberValue = Member(input, member.Property.Name);
                    var matched = memberValue.Kind == ValueKind.Unknown ? Tri.Unknown : MatchValue(memberValue, sub.Pattern);
                    if (matched == Tri.False)
                    {
                        return Flow.Value.Of(false);
                    }

                    if (matched == Tri.Unknown)
                    {
                        result = Tri.Unknown;
                    }
                }

                return result == Tri.True && recursive.DeconstructionSubpatterns.IsEmpty ? Flow.Value.Of(true) : Flow.Value.Unknown;
            default:
                return Flow.Value.Unknown;
        }
    }

    private Tri MatchValue(Value value, IPatternOperation pattern)
        => pattern switch
        {
            IConstantPatternOperation constant => AsTri(Equal(value, Value(constant.Value))),
            INegatedPatternOperation negated => MatchValue(value, negated.Pattern) switch
            {
                Tri.True => Tri.False,
                Tri.False => Tri.True,
                _ => Tri.Unknown,
            },
            IBinaryPatternOperation binary when binary.OperatorKind == BinaryOperatorKind.Or =>
                MatchValue(value, binary.LeftPattern) == Tri.True || MatchValue(value, binary.RightPattern) == Tri.True ? Tri.True
                : MatchValue(value, binary.LeftPattern) == Tri.False && MatchValue(value, binary.RightPattern) == Tri.False ? Tri.False : Tri.Unknown,
            IBinaryPatternOperation binary =>
                MatchValue(value, binary.LeftPattern) == Tri.False || MatchValue(value, binary.RightPattern) == Tri.False ? Tri.False
                : MatchValue(value, binary.LeftPattern) == Tri.True && MatchValue(value, binary.RightPattern) == Tri.True ? Tri.True : Tri.Unknown,
            IRelationalPatternOperation relational => AsTri(Compare(relational.OperatorKind, value, Value(relational.Value))),
            IDiscardPatternOperation => Tri.True,
            IRecursivePatternOperation { PropertySubpatterns.IsEmpty: true, DeconstructionSubpatterns.IsEmpty: true } when value.Kind == ValueKind.NonNull => Tri.True,
            _ => Tri.Unknown,
        };

    private static Value Equal(Value left, Value right)
    {
        if (left.Kind == ValueKind.Unknown || right.Kind == ValueKind.Unknown)
        {
            return Flow.Value.Unknown;
        }

        if (left.Kind != ValueKind.Constant || right.Kind != ValueKind.Constant)
        {
            // Null and NonNull are known apart; two NonNulls are not known equal.
            return (left.Kind, right.Kind) switch
            {
                (ValueKind.Null, ValueKind.Null) => Flow.Value.Of(true),
                (ValueKind.Null, _) or (_, ValueKind.Null) => Flow.Value.Of(false),
                _ => Flow.Value.Unknown,
            };
        }

        if (IsNumber(left.Constant) && IsNumber(right.Constant))
        {
            return Flow.Value.Of(Convert.ToDecimal(left.Constant) == Convert.ToDecimal(right.Constant));
        }

        return Flow.Value.Of(Equals(left.Constant, right.Constant));
    }

    private static Value Compare(BinaryOperatorKind kind, Value left, Value right)
    {
        if (left.Kind != ValueKind.Constant || right.Kind != ValueKind.Constant || !IsNumber(left.Constant) || !IsNumber(right.Constant))
        {
            return Flow.Value.Unknown;
        }

        var l = Convert.ToDecimal(left.Constant);
        var r = Convert.ToDecimal(right.Constant);
        return kind switch
        {
            BinaryOperatorKind.LessThan => Flow.Value.Of(l < r),
            BinaryOperatorKind.LessThanOrEqual => Flow.Value.Of(l <= r),
            BinaryOperatorKind.GreaterThan => Flow.Value.Of(l > r),
            BinaryOperatorKind.GreaterThanOrEqual => Flow.Value.Of(l >= r),
            _ => Flow.Value.Unknown,
        };
    }

    private static Value Negate(Value value)
        => value.Constant is bool b ? Flow.Value.Of(!b) : Flow.Value.Unknown;

    private static bool IsNumber(object? value)
        => value is sbyte or byte or short or ushort or int or uint or long or ulong or decimal;
}

internal enum ValueKind
{
    Unknown,
    Constant,
    Null,
    NonNull,
}

internal readonly struct Value
{
    private Value(ValueKind kind, object? constant)
    {
        Kind = kind;
        Constant = constant;
    }

    public ValueKind Kind { get; }
    public object? Constant { get; }

    public static Value Unknown => default;
    public static Value Null => new(ValueKind.Null, null);
    public static Value NonNull => new(ValueKind.NonNull, null);
    public static Value Of(object constant) => new(ValueKind.Constant, constant);
}
