using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using WsAnalyzers.Model;

namespace WsAnalyzers.Flow;

/// <summary>What a path knows about the socket's state (WS1010).</summary>
internal enum SocketPhase
{
    /// <summary>A ClientWebSocket before ConnectAsync returned: disposing it sends nothing because nothing is connected.</summary>
    NotConnected,

    /// <summary>Connected or accepted, and nothing on the path closed it or saw it leave Open.</summary>
    MaybeOpen,

    /// <summary>A check on the path says it is not Open (the peer's Close was received, or State was tested).</summary>
    NotOpen,
}

/// <summary>What the WS1010 walk found on the normal paths from where a socket was made.</summary>
internal sealed class OpenDisposalWalk
{
    /// <summary>Disposals (explicit calls, or the implicit ones at the end of a `using`) reached while the socket may be Open.</summary>
    public List<IInvocationOperation> Disposals { get; } = new();

    /// <summary>Some path leaves the graph with the socket still possibly Open and not disposed.</summary>
    public bool ExitsOpen { get; set; }

    /// <summary>A path met something the walk cannot judge past a budget: nothing found is trusted.</summary>
    public bool GaveUp { get; set; }
}

/// <summary>
/// WS1010's walk: follows one socket forward from where it is made (or from a Dispose method's entry, for a member)
/// along the normal paths, finally regions included, tracking whether it may still be Open. A path ends silently
/// where the socket is closed, aborted, handed on (returned, stored, captured by code that closes or receives, given
/// to a method that is not plainly harmless), or where a condition looks at its state in a way the walk cannot decide.
/// </summary>
internal sealed class OpenDisposalWalker
{
    private const int Budget = 4000;
    private const int MaxHelperDepth = 2;

    private readonly WebSocketSymbols _symbols;
    private readonly ImmutableArray<GraphInfo> _graphs;
    private readonly GraphInfo _graph;
    private readonly OpenDisposalWalk _result = new();

    private OpenDisposalWalker(WebSocketSymbols symbols, ImmutableArray<GraphInfo> graphs, GraphInfo graph)
    {
        _symbols = symbols;
        _graphs = graphs;
        _graph = graph;
    }

    public static OpenDisposalWalk After(WebSocketSymbols symbols, ImmutableArray<GraphInfo> graphs, GraphInfo graph, ISymbol socket, BasicBlock block, int index, SocketPhase phase)
    {
        var walker = new OpenDisposalWalker(symbols, graphs, graph);
        walker.Run(new PathState(phase, ImmutableHashSet.Create<ISymbol>(SymbolEqualityComparer.Default, socket), ImmutableDictionary<ILocalSymbol, Known>.Empty, ImmutableStack<Continuation>.Empty), block, index + 1);
        return walker._result;
    }

    public static OpenDisposalWalk FromEntry(WebSocketSymbols symbols, ImmutableArray<GraphInfo> graphs, GraphInfo graph, ISymbol socket, SocketPhase phase)
        => After(symbols, graphs, graph, socket, graph.Graph.Blocks[0], -1, phase);

    private void Run(PathState start, BasicBlock block, int index)
    {
        var visited = new HashSet<string>();
        var work = new Stack<(BasicBlock Block, int Index, PathState State)>();
        work.Push((block, index, start));
        var steps = 0;
        while (work.Count > 0)
        {
            if (++steps > Budget)
            {
                _result.GaveUp = true;
                return;
            }

            AnalysisCancellation.ThrowIfCancellationRequested();
            var (current, from, state) = work.Pop();
            if (WalkOperations(current, from, ref state) is false)
            {
                continue;
            }

            if (current.Kind == BasicBlockKind.Exit)
            {
                Exit(state);
                continue;
            }

            if (current.FallThroughSuccessor is { Semantics: ControlFlowBranchSemantics.StructuredExceptionHandling })
            {
                // The end of a finally region: go on where the branch that ran it was going.
                if (!state.Pending.IsEmpty)
                {
                    var continuation = state.Pending.Peek();
                    Go(continuation, state.With(pending: state.Pending.Pop()));
                }

                continue;
            }

            if (current.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.Return && current.BranchValue is { } returned && IsSocket(returned, state))
            {
                continue;
            }

            if (current.ConditionKind == ControlFlowConditionKind.None)
            {
                Follow(current.FallThroughSuccessor, state);
                continue;
            }

            var split = Evaluate(current.BranchValue, state);
            if (split.Opaque)
            {
                continue;
            }

            var jumpsWhenTrue = current.ConditionKind == ControlFlowConditionKind.WhenTrue;
            var (onTrue, onFalse) = jumpsWhenTrue ? (current.ConditionalSuccessor, current.FallThroughSuccessor) : (current.FallThroughSuccessor, current.ConditionalSuccessor);
            if (split is { Constant: null, WhenTrue: null, WhenFalse: null } && (StartsWithClose(onTrue, state) || StartsWithClose(onFalse, state)))
            {
                // `if (IsConnected) await DisconnectAsync();` on a flag the walk cannot read: a condition that decides
                // whether to close is the code's own test of the state, and the code is trusted with it.
                continue;
            }
            if (split.Constant != false)
            {
                Follow(onTrue, Apply(state, split.WhenTrue));
            }

            if (split.Constant != true)
            {
                Follow(onFalse, Apply(state, split.WhenFalse));
            }
        }

        void Follow(ControlFlowBranch? branch, PathState state)
        {
            if (branch is null || branch.Semantics is ControlFlowBranchSemantics.Throw or ControlFlowBranchSemantics.Rethrow)
            {
                return;
            }

            Go(new Continuation(branch.FinallyRegions, 0, branch.Destination), state);
        }

        void Go(Continuation continuation, PathState state)
        {
            if (continuation.Next < continuation.Finally.Length)
            {
                var region = continuation.Finally[continuation.Next];
                var rest = new Continuation(continuation.Finally, continuation.Next + 1, continuation.Destination);
                Push(_graph.Graph.Blocks[region.FirstBlockOrdinal], state.With(pending: state.Pending.Push(rest)));
                return;
            }

            if (continuation.Destination is { } destination)
            {
                Push(destination, state);
            }
        }

        void Push(BasicBlock destination, PathState state)
        {
            if (visited.Add(destination.Ordinal + "|" + state.Key()))
            {
                work.Push((destination, 0, state));
            }
        }
    }

    private void Exit(PathState state)
    {
        if (state.Phase == SocketPhase.MaybeOpen)
        {
            _result.ExitsOpen = true;
        }
    }

    private static PathState Apply(PathState state, SocketPhase? phase)
        => phase switch
        {
            null => state,
            SocketPhase.MaybeOpen => state.Phase == SocketPhase.NotConnected ? state.With(phase: SocketPhase.MaybeOpen) : state,
            _ => state.With(phase: phase.Value),
        };

    /// <summary>False when the path ends in the block (closed, disposed, handed on, or beyond what the walk judges).</summary>
    private bool? WalkOperations(BasicBlock block, int from, ref PathState state)
    {
        var operations = _graph.Operations[block.Ordinal];
        for (var i = from; i < operations.Count; i++)
        {
            var operation = operations[i];
            var current = state;
            switch (operation)
            {
                case IInvocationOperation call:
                    if (!Invocation(call, ref state))
                    {
                        return false;
                    }

                    break;

                case ISimpleAssignmentOperation assignment:
                    if (IsSocket(assignment.Target, state))
                    {
                        // The variable now names another socket (or null): what happens to this one is WS1003's business.
                        return false;
                    }

                    if (assignment.Target is ILocalReferenceOperation { Local: var local })
                    {
                        if (IsSocket(assignment.Value, state))
                        {
                            if (!SymbolEqualityComparer.Default.Equals(local.ContainingSymbol, _graph.Owner))
                            {
                                return false;
                            }

                            state = state.With(socket: state.Socket.Add(local));
                            break;
                        }

                        state = Remember(state, local, assignment.Value);
                        break;
                    }

                    if (IsSocket(assignment.Value, state))
                    {
                        // Stored in a field, property, element or another method's variable: another owner.
                        return false;
                    }

                    break;

                case ICompoundAssignmentOperation { Target: ILocalReferenceOperation { Local: var changed } }:
                    state = state.With(known: state.Known.Remove(changed));
                    break;

                case IFlowAnonymousFunctionOperation lambda:
                    if (GraphOf(lambda.Symbol) is { } body && !Harmless(body, state.Socket, 0, ref state))
                    {
                        return false;
                    }

                    break;

#if ROSLYN3_7
                case IInvalidOperation invalid when invalid.Children.Any(c => IsSocket(c, current)):
#else
                case IInvalidOperation invalid when invalid.ChildOperations.Any(c => IsSocket(c, current)):
#endif
                case IObjectCreationOperation creation when creation.Arguments.Any(a => IsSocket(a.Value, current)):
                case IDynamicInvocationOperation dynamicCall when dynamicCall.Arguments.Any(a => IsSocket(a, current)):
                case IArrayInitializerOperation array when array.ElementValues.Any(e => IsSocket(e, current)):
                case ITupleOperation tuple when tuple.Elements.Any(e => IsSocket(e, current)):
                case IReturnOperation { ReturnedValue: { } returned } when IsSocket(returned, state):
                    return false;
            }
        }

        return true;
    }

    /// <summary>What a call does to the path; false when the path ends here.</summary>
    private bool Invocation(IInvocationOperation call, ref PathState state)
    {
        var receiver = call.Receiver();
        var onSocket = IsSocket(receiver, state);
        switch (_symbols.Classify(call))
        {
            case SocketCall.Close or SocketCall.CloseOutput or SocketCall.Abort when onSocket:
                return false;
            case SocketCall.Dispose when onSocket:
                if (state.Phase == SocketPhase.MaybeOpen)
                {
                    _result.Disposals.Add(call);
                }

                return false;
        }

        if (onSocket && call.TargetMethod.Name is "ConnectAsync" && !call.TargetMethod.IsExtensionMethod)
        {
            // Reached only when ConnectAsync returned: a ConnectAsync that throws leaves the socket disposed.
            state = Apply(state, SocketPhase.MaybeOpen);
            return true;
        }

        for (var a = 0; a < call.Arguments.Length; a++)
        {
            if (!IsSocket(call.Arguments[a].Value, state) || OperationFacts.OnlyLooksAt(call.TargetMethod))
            {
                continue;
            }

            if (call.Arguments[a].Parameter is not { } parameter
                || !HelperIsHarmless(call.TargetMethod, parameter, 0, ref state) && !MayReturnUntouched(call.TargetMethod, parameter))
            {
                return false;
            }
        }

        if (call.TargetMethod.MethodKind == MethodKind.LocalFunction && GraphOf(call.TargetMethod.OriginalDefinition) is { } function
            && !Harmless(function, state.Socket, 0, ref state))
        {
            return false;
        }

        if (call.Instance?.WithoutConversions() is null or IInstanceReferenceOperation
            && state.Socket.FirstOrDefault(s => s is IFieldSymbol or IPropertySymbol) is { } member
            && TouchesMember(call.TargetMethod.OriginalDefinition, member, 0))
        {
            // A member of the socket's own type that uses it (a Stop, a Disconnect): it may close it, so the path is
            // no longer this walk's to judge.
            return false;
        }

        return true;
    }

    /// <summary>
    /// Whether the block a branch leads to (not counting what follows it) closes or aborts the socket, or calls a member
    /// of the socket's own type that uses it.
    /// </summary>
    private bool StartsWithClose(ControlFlowBranch? branch, PathState state)
    {
        if (branch?.Destination is not { } block || block.Kind != BasicBlockKind.Block)
        {
            return false;
        }

        var member = state.Socket.FirstOrDefault(s => s is IFieldSymbol or IPropertySymbol);
        foreach (var operation in _graph.Operations[block.Ordinal])
        {
            foreach (var call in operation.DescendantsAndSelf().OfType<IInvocationOperation>())
            {
                var kind = _symbols.Classify(call);
                if (kind is SocketCall.Close or SocketCall.CloseOutput or SocketCall.Abort && IsSocket(call.Receiver(), state)
                    || kind == SocketCall.None && member is not null && call.Instance?.WithoutConversions() is null or IInstanceReferenceOperation
                       && TouchesMember(call.TargetMethod.OriginalDefinition, member, 0))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Whether a method of the member's type names the member, itself or through the type's methods it calls (3 deep).</summary>
    private static bool TouchesMember(IMethodSymbol method, ISymbol member, int depth)
    {
        if (depth > 3 || !SymbolEqualityComparer.Default.Equals(method.ContainingType, member.ContainingType))
        {
            return false;
        }

        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(AnalysisCancellation.Token);
            foreach (var token in syntax.DescendantTokens())
            {
                if (token.ValueText == member.Name)
                {
                    return true;
                }
            }

            foreach (var invocation in syntax.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax>())
            {
                var name = invocation.Expression switch
                {
                    Microsoft.CodeAnalysis.CSharp.Syntax.SimpleNameSyntax simple => simple.Identifier.ValueText,
                    Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax { Expression: Microsoft.CodeAnalysis.CSharp.Syntax.ThisExpressionSyntax } access => access.Name.Identifier.ValueText,
                    _ => null,
                };
                if (name is not null && member.ContainingType.GetMembers(name).OfType<IMethodSymbol>().Any(m => TouchesMember(m, member, depth + 1)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// A method of this compilation that can return without doing anything to the socket it is given: a path from its
    /// entry to its end on which the socket is at most read (<c>State</c>) or written out, finally regions included
    /// (<c>if (id is null) return;</c> before a receive loop). On that path the socket is as Open as before the call.
    /// </summary>
    private bool MayReturnUntouched(IMethodSymbol method, IParameterSymbol parameter)
    {
        method = method.OriginalDefinition;
        if (method.IsAbstract || method.IsVirtual || method.IsOverride || method.DeclaringSyntaxReferences.Length != 1 || parameter.RefKind != RefKind.None
            || method.MethodKind == MethodKind.LocalFunction)
        {
            return false;
        }

        var body = BodyAnalysis.ForSyntax(_symbols, MethodSummaries.RootOf(method.DeclaringSyntaxReferences[0].GetSyntax(AnalysisCancellation.Token)));
        var graph = body?.Graphs.FirstOrDefault(g => SymbolEqualityComparer.Default.Equals(g.Owner, method));
        if (graph is null)
        {
            return false;
        }

        var socket = method.Parameters[parameter.Ordinal];
        var seen = new HashSet<int>();
        var pending = new Stack<BasicBlock>();
        pending.Push(graph.Graph.Blocks[0]);
        while (pending.Count > 0)
        {
            var block = pending.Pop();
            if (!seen.Add(block.Ordinal) || Touches(graph.Operations[block.Ordinal]))
            {
                continue;
            }

            if (block.Kind == BasicBlockKind.Exit)
            {
                return true;
            }

            // A constant condition (`while (true)`) takes one way only.
            var constant = block.BranchValue?.ConstantValue is { HasValue: true, Value: bool value } ? value : (bool?)null;
            foreach (var branch in new[] { block.FallThroughSuccessor, block.ConditionalSuccessor })
            {
                if (constant is { } taken && block.ConditionKind != ControlFlowConditionKind.None
                    && (branch == block.ConditionalSuccessor) != (taken == (block.ConditionKind == ControlFlowConditionKind.WhenTrue)))
                {
                    continue;
                }

                if (branch?.Destination is { IsReachable: true } next && branch.Semantics != ControlFlowBranchSemantics.Throw && branch.Semantics != ControlFlowBranchSemantics.Rethrow
                    && !branch.FinallyRegions.Any(region => Enumerable.Range(region.FirstBlockOrdinal, region.LastBlockOrdinal - region.FirstBlockOrdinal + 1).Any(b => Touches(graph.Operations[b]))))
                {
                    pending.Push(next);
                }
            }
        }

        return false;

        bool Touches(IReadOnlyList<IOperation> operations)
        {
            foreach (var root in operations)
            {
                foreach (var operation in root.DescendantsAndSelf())
                {
                    if (operation is IFlowAnonymousFunctionOperation lambda && lambda.Syntax.DescendantTokens().Any(t => t.ValueText == socket.Name))
                    {
                        // A lambda that captures the socket: whatever it does, it does later.
                        return true;
                    }

                    if (operation is not IParameterReferenceOperation { Parameter: var referenced } reference
                        || !SymbolEqualityComparer.Default.Equals(referenced, socket))
                    {
                        continue;
                    }

                    var parent = reference.Parent;
                    while (parent is IConversionOperation)
                    {
                        parent = parent.Parent;
                    }

                    if (parent is IPropertyReferenceOperation { Property.Name: "State" or "CloseStatus" }
                        || parent is not (IPropertyReferenceOperation or IInterpolationOperation)
                           && !(parent is IArgumentOperation { Parent: IInvocationOperation written } && OperationFacts.OnlyLooksAt(written.TargetMethod)))
                    {
                        // Used, or its state looked at (`if (ws.State != WebSocketState.Open) return;` may be why the path returns).
                        return true;
                    }
                }
            }

            return false;
        }
    }

    /// <summary>A helper of this compilation that only sends on the socket, reads it, or connects it.</summary>
    private bool HelperIsHarmless(IMethodSymbol method, IParameterSymbol parameter, int depth, ref PathState state)
    {
        method = method.OriginalDefinition;
        if (depth >= MaxHelperDepth || method.IsAbstract || method.IsVirtual || method.IsOverride || method.DeclaringSyntaxReferences.Length == 0
            || parameter.RefKind != RefKind.None)
        {
            return false;
        }

        if (method.MethodKind == MethodKind.LocalFunction && GraphOf(method) is { } local)
        {
            return Harmless(local, ImmutableHashSet.Create<ISymbol>(SymbolEqualityComparer.Default, method.Parameters[parameter.Ordinal]), depth + 1, ref state);
        }

        var body = BodyAnalysis.ForSyntax(_symbols, MethodSummaries.RootOf(method.DeclaringSyntaxReferences[0].GetSyntax(AnalysisCancellation.Token)));
        var graph = body?.Graphs.FirstOrDefault(g => SymbolEqualityComparer.Default.Equals(g.Owner, method));
        if (body is null || graph is null)
        {
            return false;
        }

        var inner = new OpenDisposalWalker(_symbols, body.Graphs, graph);
        return inner.Harmless(graph, ImmutableHashSet.Create<ISymbol>(SymbolEqualityComparer.Default, method.Parameters[parameter.Ordinal]), depth + 1, ref state);
    }

    /// <summary>
    /// Whether a graph (a lambda, local function or helper) uses the socket only to send, read its properties or
    /// connect it (the path's phase then becomes MaybeOpen). Receiving, closing, disposing or handing it on is not harmless.
    /// </summary>
    private bool Harmless(GraphInfo graph, ImmutableHashSet<ISymbol> socket, int depth, ref PathState state)
    {
        var connects = false;
        foreach (var operations in graph.Operations)
        {
            foreach (var operation in operations)
            {
                if (operation is IFlowAnonymousFunctionOperation nested && GraphOf(nested.Symbol) is { } inner)
                {
                    if (!Harmless(inner, socket, depth, ref state))
                    {
                        return false;
                    }

                    continue;
                }

                if (operation is not (ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation)
                    || operation.ReferencedSymbol(graph) is not { } referenced || !socket.Contains(referenced))
                {
                    continue;
                }

                var parent = operation.Parent;
                while (parent is IConversionOperation)
                {
                    parent = parent.Parent;
                }

                switch (parent)
                {
                    case IPropertyReferenceOperation:
                    case IInterpolationOperation:
                    case IArgumentOperation { Parent: IInvocationOperation written } when OperationFacts.OnlyLooksAt(written.TargetMethod):
                        continue;
                    case IInvocationOperation call when call.Instance == operation:
                        var kind = _symbols.Classify(call);
                        if (kind == SocketCall.Send)
                        {
                            continue;
                        }

                        if (kind == SocketCall.None && call.TargetMethod.Name == "ConnectAsync")
                        {
                            connects = true;
                            continue;
                        }

                        return false;
                    case IArgumentOperation { Parent: IInvocationOperation helper, Parameter: { } parameter }
                        when _symbols.Classify(helper) == SocketCall.None && helper.TargetMethod.MethodKind != MethodKind.LocalFunction:
                        if (!HelperIsHarmless(helper.TargetMethod, parameter, depth, ref state))
                        {
                            return false;
                        }

                        continue;
                    default:
                        return false;
                }
            }
        }

        if (connects)
        {
            state = Apply(state, SocketPhase.MaybeOpen);
        }

        return true;
    }

    private GraphInfo? GraphOf(ISymbol owner)
        => _graphs.FirstOrDefault(g => SymbolEqualityComparer.Default.Equals(g.Owner, owner));

    private bool IsSocket(IOperation? operation, PathState state)
        => operation is not null && operation.ReferencedSymbol(_graph) is { } symbol && state.Socket.Contains(symbol);

    private static PathState Remember(PathState state, ILocalSymbol local, IOperation value)
    {
        if (local.Type.SpecialType != SpecialType.System_Boolean)
        {
            return state;
        }

        var known = value.WithoutConversions() is { ConstantValue: { HasValue: true, Value: bool constant } }
            ? new Known(constant, null)
            : new Known(null, value);
        return state.With(known: state.Known.SetItem(local, known));
    }

    // ---- Conditions ----

    private readonly struct Split
    {
        public Split(SocketPhase? whenTrue, SocketPhase? whenFalse, bool? constant = null, bool opaque = false)
        {
            WhenTrue = whenTrue;
            WhenFalse = whenFalse;
            Constant = constant;
            Opaque = opaque;
        }

        public SocketPhase? WhenTrue { get; }
        public SocketPhase? WhenFalse { get; }
        public bool? Constant { get; }
        public bool Opaque { get; }

        public Split Negate() => new(WhenFalse, WhenTrue, Constant is { } value ? !value : null, Opaque);

        public static Split None { get; } = new(null, null);

        public static Split Unknowable { get; } = new(null, null, opaque: true);
    }

    private const int StateOpen = 2;
    private const int MessageClose = 2;

    private Split Evaluate(IOperation? condition, PathState state, int depth = 0)
    {
        if (condition is null || depth > 4)
        {
            return Split.None;
        }

        var operation = _graph.Resolve(condition);
        switch (operation)
        {
            case { ConstantValue: { HasValue: true, Value: bool constant } }:
                return new Split(null, null, constant);
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return Evaluate(not.Operand, state, depth + 1).Negate();
            case IIsNullOperation isNull when IsSocket(isNull.Operand, state):
                // The walk follows a socket that exists: the null side of a `?.` or of a using's disposal is not taken.
                return new Split(null, null, false);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } nullTest
                when IsSocket(nullTest.LeftOperand, state) && IsNull(nullTest.RightOperand) || IsSocket(nullTest.RightOperand, state) && IsNull(nullTest.LeftOperand):
                return new Split(null, null, nullTest.OperatorKind == BinaryOperatorKind.NotEquals);
            case IIsPatternOperation { Pattern: IConstantPatternOperation constant } isNullPattern when IsSocket(isNullPattern.Value, state) && IsNull(constant.Value):
                return new Split(null, null, false);
            case IIsPatternOperation { Pattern: INegatedPatternOperation { Pattern: IConstantPatternOperation constant } } notNullPattern when IsSocket(notNullPattern.Value, state) && IsNull(constant.Value):
                return new Split(null, null, true);
            case ILocalReferenceOperation { Local: var local } when state.Known.TryGetValue(local, out var known):
                return known.Constant is { } value ? new Split(null, null, value) : Evaluate(known.Condition, state, depth + 1);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary:
                var split = Compare(binary.LeftOperand, binary.RightOperand, state) ?? Compare(binary.RightOperand, binary.LeftOperand, state);
                if (split is { } decided)
                {
                    return binary.OperatorKind == BinaryOperatorKind.Equals ? decided : decided.Negate();
                }

                break;
            case IIsPatternOperation pattern when Subject(pattern.Value, state) is { } subject:
                return Matching(subject, Mask(pattern.Pattern, subject));
            case IPropertyReferenceOperation { Property.Name: "HasValue", Instance: { } instance } when Subject(instance, state) == Looked.CloseStatus:
                return new Split(SocketPhase.NotOpen, null);
        }

        return LooksAtState(operation, state) ? Split.Unknowable : Split.None;
    }

    private static bool IsNull(IOperation operation) => operation.WithoutConversions() is { ConstantValue: { HasValue: true, Value: null } };

    private enum Looked
    {
        State,
        MessageType,
        CloseStatus,
    }

    private Looked? Subject(IOperation operation, PathState state)
    {
        operation = _graph.Resolve(operation);
        if (operation is IInvocationOperation { TargetMethod.Name: "GetValueOrDefault", Instance: { } nullable })
        {
            operation = _graph.Resolve(nullable);
        }

        if (operation is not IPropertyReferenceOperation { Instance: { } instance } property)
        {
            return null;
        }

        var onSocket = IsSocket(instance, state);
        var onResult = _symbols.IsReceiveResult(instance.Type);
        return property.Property.Name switch
        {
            "State" when onSocket => Looked.State,
            "MessageType" when onResult => Looked.MessageType,
            "CloseStatus" when onSocket || onResult => Looked.CloseStatus,
            _ => null,
        };
    }

    /// <summary>`subject == value` for a subject the walk knows; null when neither side is one.</summary>
    private Split? Compare(IOperation subjectSide, IOperation valueSide, PathState state)
    {
        if (Subject(subjectSide, state) is not { } subject)
        {
            return null;
        }

        var value = valueSide.WithoutConversions();
        if (value is not { ConstantValue.HasValue: true })
        {
            return Split.Unknowable;
        }

        if (subject == Looked.CloseStatus)
        {
            return value.ConstantValue.Value is null ? new Split(null, SocketPhase.NotOpen) : new Split(SocketPhase.NotOpen, null);
        }

        return value.ConstantValue.Value is int number && number is >= 0 and < 16 ? Matching(subject, 1 << number) : Split.Unknowable;
    }

    /// <summary>What a test that holds exactly for the values in <paramref name="mask"/> (null: unknown) says about the socket.</summary>
    private static Split Matching(Looked subject, int? mask)
    {
        if (mask is not { } matched)
        {
            return Split.Unknowable;
        }

        switch (subject)
        {
            case Looked.State:
                var open = 1 << StateOpen;
                var trueSide = (matched & open) == 0 ? SocketPhase.NotOpen : matched == open ? SocketPhase.MaybeOpen : (SocketPhase?)null;
                var falseSide = (matched & open) != 0 ? SocketPhase.NotOpen : (SocketPhase?)null;
                return new Split(trueSide, falseSide);
            case Looked.MessageType:
                var close = 1 << MessageClose;
                var all = 0b111;
                return new Split(
                    (matched & all) == close ? SocketPhase.NotOpen : null,
                    (all & ~matched) == close ? SocketPhase.NotOpen : null);
            default:
                // CloseStatus: only null tests are understood.
                return matched == NullMask ? new Split(null, SocketPhase.NotOpen) : matched == ~NullMask ? new Split(SocketPhase.NotOpen, null) : Split.Unknowable;
        }
    }

    private const int NullMask = 1 << 30;

    /// <summary>The enum values (bits 0–15) a pattern matches; bit 30 stands for null. Null when the walk cannot tell.</summary>
    private static int? Mask(IPatternOperation pattern, Looked subject)
    {
        switch (pattern)
        {
            case IConstantPatternOperation constant:
                var value = constant.Value.WithoutConversions()?.ConstantValue ?? default;
                if (!value.HasValue)
                {
                    return null;
                }

                return value.Value is null ? NullMask : value.Value is int number && number is >= 0 and < 16 ? 1 << number : null;
            case INegatedPatternOperation negated:
                return ~Mask(negated.Pattern, subject);
            case IBinaryPatternOperation binary:
                var left = Mask(binary.LeftPattern, subject);
                var right = Mask(binary.RightPattern, subject);
                if (left is null || right is null)
                {
                    return null;
                }

                return binary.OperatorKind == BinaryOperatorKind.Or ? left | right : left & right;
            case IRecursivePatternOperation { PropertySubpatterns.Length: 0, DeconstructionSubpatterns.Length: 0 } or ITypePatternOperation when subject == Looked.CloseStatus:
                return ~NullMask;
            default:
                return null;
        }
    }

    /// <summary>Whether a condition reads the socket's State or CloseStatus, or a receive result's MessageType or CloseStatus.</summary>
    private bool LooksAtState(IOperation condition, PathState state)
    {
        var list = new List<IOperation>();
        OperationFacts.AddPostOrder(condition, list);
        return list.Any(o => o is IPropertyReferenceOperation && Subject(o, state) is not null
            || o is IFlowCaptureReferenceOperation capture && _graph.TryGetCapture(capture, out var value) && value != condition && Subject(value, state) is not null);
    }

    // ---- Path state ----

    private sealed class Known
    {
        public Known(bool? constant, IOperation? condition)
        {
            Constant = constant;
            Condition = condition;
        }

        public bool? Constant { get; }
        public IOperation? Condition { get; }

        public override string ToString() => Constant?.ToString() ?? "@" + Condition?.Syntax.SpanStart;
    }

    private sealed class Continuation
    {
        public Continuation(ImmutableArray<ControlFlowRegion> @finally, int next, BasicBlock? destination)
        {
            Finally = @finally;
            Next = next;
            Destination = destination;
        }

        public ImmutableArray<ControlFlowRegion> Finally { get; }
        public int Next { get; }
        public BasicBlock? Destination { get; }

        public override string ToString()
            => (Next < Finally.Length ? Finally[Next].FirstBlockOrdinal.ToString() : "-") + ">" + (Destination?.Ordinal.ToString() ?? "x");
    }

    private sealed class PathState
    {
        public PathState(SocketPhase phase, ImmutableHashSet<ISymbol> socket, ImmutableDictionary<ILocalSymbol, Known> known, ImmutableStack<Continuation> pending)
        {
            Phase = phase;
            Socket = socket;
            Known = known;
            Pending = pending;
        }

        public SocketPhase Phase { get; }
        public ImmutableHashSet<ISymbol> Socket { get; }
        public ImmutableDictionary<ILocalSymbol, Known> Known { get; }
        public ImmutableStack<Continuation> Pending { get; }

        public PathState With(SocketPhase? phase = null, ImmutableHashSet<ISymbol>? socket = null, ImmutableDictionary<ILocalSymbol, Known>? known = null, ImmutableStack<Continuation>? pending = null)
            => new(phase ?? Phase, socket ?? Socket, known ?? Known, pending ?? Pending);

        public string Key()
            => (int)Phase + "|" + string.Join(",", Socket.Select(s => s.Name).OrderBy(n => n, System.StringComparer.Ordinal))
               + "|" + string.Join(",", Known.Select(k => k.Key.Name + "=" + k.Value).OrderBy(n => n, System.StringComparer.Ordinal))
               + "|" + string.Join(",", Pending.Select(p => p.ToString()));
    }
}
