using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using WsAnalyzers.Model;

namespace WsAnalyzers.Flow;

/// <summary>What happens to an owned socket along the normal (non-exceptional) paths from one point of a graph.</summary>
internal sealed class OwnershipWalk
{
    /// <summary>Some path leaves the graph (or overwrites the variable) while the socket is still owned.</summary>
    public bool Leaks { get; set; }

    /// <summary>Some path disposes (or aborts) the socket, here or in a helper of this compilation.</summary>
    public bool Disposed { get; set; }

    /// <summary>The socket was copied into another local (a using on the original name would cut the copy short).</summary>
    public bool Aliased { get; set; }

    /// <summary>Some path hands the socket to another owner: returned, stored, captured, or given to code out of sight.</summary>
    public bool Moved { get; set; }

    /// <summary>
    /// Some path stores the socket (here, or in a constructor of this compilation it is passed to) in a private field or
    /// property that its type never disposes, aborts or hands on: that owner will not release it, so the walk goes on.
    /// </summary>
    public bool KeptUnreleased { get; set; }

    /// <summary>
    /// Some path hands the socket to code out of sight (another assembly's method or constructor, a dynamic call, code
    /// that does not bind, a helper too deep to follow). <see cref="Moved"/> without this flag means every owner it went
    /// to is in this compilation: stored, returned, captured or passed to its own methods.
    /// </summary>
    public bool Escaped { get; set; }
}

/// <summary>
/// Follows a socket held in a local (or a parameter, for helper summaries) forward through a control flow graph:
/// a path ends when the socket is disposed, aborted or handed to another owner, or when it leaves the graph still owned.
/// Exceptional paths are not followed; a finally region that disposes covers every path through it.
/// </summary>
internal sealed class OwnershipWalker
{
    private const int MaxDepth = 4;

    private readonly WebSocketSymbols _symbols;
    private readonly ImmutableArray<GraphInfo> _graphs;
    private readonly GraphInfo _graph;
    private ImmutableHashSet<ISymbol> _socket;
    private readonly int _depth;
    private readonly OwnershipWalk _result = new();

    private OwnershipWalker(WebSocketSymbols symbols, ImmutableArray<GraphInfo> graphs, GraphInfo graph, ISymbol socket, int depth)
        : this(symbols, graphs, graph, ImmutableHashSet.Create<ISymbol>(SymbolEqualityComparer.Default, socket), depth)
    {
    }

    private OwnershipWalker(WebSocketSymbols symbols, ImmutableArray<GraphInfo> graphs, GraphInfo graph, ImmutableHashSet<ISymbol> socket, int depth)
    {
        _symbols = symbols;
        _graphs = graphs;
        _graph = graph;
        _socket = socket;
        _depth = depth;
    }

    /// <summary>Walks from just after operation <paramref name="index"/> of <paramref name="block"/>.</summary>
    public static OwnershipWalk After(WebSocketSymbols symbols, ImmutableArray<GraphInfo> graphs, GraphInfo graph, ISymbol socket, BasicBlock block, int index, int depth = 0)
    {
        var walker = new OwnershipWalker(symbols, graphs, graph, socket, depth);
        walker.Run(block, index + 1);
        return walker._result;
    }

    /// <summary>Walks a whole graph from its entry (a helper given the socket, a lambda or local function capturing it).</summary>
    public static OwnershipWalk FromEntry(WebSocketSymbols symbols, ImmutableArray<GraphInfo> graphs, GraphInfo graph, ISymbol socket, int depth)
    {
        var walker = new OwnershipWalker(symbols, graphs, graph, socket, depth);
        walker.Run(graph.Graph.Blocks[0], 0);
        return walker._result;
    }

    private static OwnershipWalk FromEntry(WebSocketSymbols symbols, ImmutableArray<GraphInfo> graphs, GraphInfo graph, ImmutableHashSet<ISymbol> socket, int depth)
    {
        var walker = new OwnershipWalker(symbols, graphs, graph, socket, depth);
        walker.Run(graph.Graph.Blocks[0], 0);
        return walker._result;
    }

    private void Run(BasicBlock start, int index)
    {
        var visited = new HashSet<(int, string)>();
        var work = new Stack<(BasicBlock Block, int Index, ImmutableHashSet<ISymbol> Aliases)>();
        work.Push((start, index, _socket));
        while (work.Count > 0)
        {
            var (block, from, aliases) = work.Pop();
            _socket = aliases;
            if (!WalkOperations(block, from))
            {
                continue;
            }

            if (block.Kind == BasicBlockKind.Exit)
            {
                _result.Leaks = true;
                continue;
            }

            if (block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.Return && block.BranchValue is { } returned && IsSocket(returned))
            {
                _result.Moved = true;
                continue;
            }

            var nullWhen = block.ConditionKind == ControlFlowConditionKind.None ? null : NullWhen(block.BranchValue);
            Follow(block.ConditionalSuccessor, nullWhen == (block.ConditionKind == ControlFlowConditionKind.WhenTrue));
            Follow(block.FallThroughSuccessor, nullWhen == (block.ConditionKind == ControlFlowConditionKind.WhenFalse));
        }

        void Follow(ControlFlowBranch? branch, bool socketIsNull)
        {
            if (branch is null || socketIsNull)
            {
                return;
            }

            foreach (var region in branch.FinallyRegions)
            {
                if (RegionReleases(region))
                {
                    return;
                }
            }

            if (branch.Destination is { } destination && branch.Semantics is not (ControlFlowBranchSemantics.Throw or ControlFlowBranchSemantics.Rethrow)
                && visited.Add((destination.Ordinal, string.Join(",", _socket.Select(a => a.Name).OrderBy(n => n)))))
            {
                work.Push((destination, 0, _socket));
            }
        }
    }

    /// <summary>False when the path ends inside the block (released or overwritten).</summary>
    private bool WalkOperations(BasicBlock block, int from)
    {
        var operations = _graph.Operations[block.Ordinal];
        for (var i = from; i < operations.Count; i++)
        {
            if (operations[i] is ISimpleAssignmentOperation { Target: ILocalReferenceOperation alias } copy && IsSocket(copy.Value) && !IsSocket(alias)
                && SymbolEqualityComparer.Default.Equals(alias.Local.ContainingSymbol, _graph.Owner))
            {
                // `other = ws;`: the socket now has two names; following either one is enough.
                _socket = _socket.Add(alias.Local);
                _result.Aliased = true;
                continue;
            }

            if (Releases(operations[i]))
            {
                return false;
            }

            if (IsWrite(operations[i]))
            {
                _socket = _socket.Remove(((ISimpleAssignmentOperation)operations[i]).Target.ReferencedSymbol(_graph)!);
                if (_socket.IsEmpty)
                {
                    _result.Leaks = true;
                    return false;
                }
            }
        }

        return true;
    }

    private bool RegionReleases(ControlFlowRegion region)
    {
        for (var b = region.FirstBlockOrdinal; b <= region.LastBlockOrdinal; b++)
        {
            foreach (var operation in _graph.Operations[b])
            {
                if (Releases(operation))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private bool IsWrite(IOperation operation)
        => operation is ISimpleAssignmentOperation assignment && IsSocket(assignment.Target);

    /// <summary>Whether this operation disposes the socket or hands it to another owner (recorded in the result).</summary>
    private bool Releases(IOperation operation)
    {
        switch (operation)
        {
            case IInvocationOperation call:
                var kind = _symbols.Classify(call);
                if (kind is SocketCall.Dispose or SocketCall.Abort && IsSocket(call.Receiver()))
                {
                    _result.Disposed = true;
                    return true;
                }

                if (kind != SocketCall.None)
                {
                    return false;
                }

                foreach (var argument in call.Arguments)
                {
                    if (IsSocket(argument.Value))
                    {
                        if (KeptInCollection(call.Instance))
                        {
                            // `_clients.TryAdd(id, ws)` into a registry whose type never releases or lets out a socket.
                            _result.KeptUnreleased = true;
                            return false;
                        }

                        return Record(HelperEffect(call.TargetMethod, argument.Parameter));
                    }
                }

                if (call.TargetMethod.MethodKind == MethodKind.LocalFunction && GraphOf(call.TargetMethod) is { } function && MentionsIn(function))
                {
                    return Record(EffectOf(FromEntry(_symbols, _graphs, function, _socket, _depth + 1)));
                }

                return false;

            case IObjectCreationOperation { Constructor: { } constructor } handed
                when handed.Arguments.FirstOrDefault(a => IsSocket(a.Value)) is { Parameter: { } parameter }
                     && !constructor.DeclaringSyntaxReferences.IsEmpty:
                // `new Session(ws)` with the constructor in sight: its summary decides (an owner that keeps the socket
                // in a member it never releases does not take it off this method's hands).
                return Record(HelperEffect(constructor, parameter));

            case ISimpleAssignmentOperation kept when IsSocket(kept.Value) && !IsSocket(kept.Target) && KeptUnreleased(kept.Target):
                _result.KeptUnreleased = true;
                return false;

#if ROSLYN3_7
            case IInvalidOperation invalid when invalid.Children.Any(IsSocket):
#else
            case IInvalidOperation invalid when invalid.ChildOperations.Any(IsSocket):
#endif
                // Half-typed or unresolved code (a missing type's constructor): what it does with the socket is unknown.
            case IObjectCreationOperation creation when creation.Arguments.Any(a => IsSocket(a.Value)):
            case IDynamicInvocationOperation dynamicCall when dynamicCall.Arguments.Any(IsSocket):
                // Another assembly's constructor, a call bound at run time: an owner out of sight.
                _result.Moved = true;
                _result.Escaped = true;
                return true;

            case IArrayInitializerOperation array when array.ElementValues.Any(IsSocket):
            case ITupleOperation tuple when tuple.Elements.Any(IsSocket):
            case ISimpleAssignmentOperation assignment when IsSocket(assignment.Value) && !IsSocket(assignment.Target):
                _result.Moved = true;
                return true;

            case IFlowAnonymousFunctionOperation lambda when GraphOf(lambda.Symbol) is { } body && MentionsIn(body):
                var effect = EffectOf(FromEntry(_symbols, _graphs, body, _socket, _depth + 1));
                if (effect == OwnershipEffect.None && IsAwaitedWhereCreated(lambda.Syntax))
                {
                    return false;
                }

                return Record(effect == OwnershipEffect.None ? OwnershipEffect.Moves : effect);

            default:
                return false;
        }
    }

    /// <summary>A private field or property of this compilation that its type never releases (<see cref="MethodSummaries.NeverReleased"/>).</summary>
    private bool KeptUnreleased(IOperation target)
        => target is IPropertyReferenceOperation { Property.IsIndexer: true } indexer
            ? KeptInCollection(indexer.Instance)
            : target is IFieldReferenceOperation or IPropertyReferenceOperation
              && target.ReferencedSymbol(_graph) is { } member
              && _symbols.IsWebSocket(target.Type)
              && _symbols.Summaries.NeverReleased(member);

    /// <summary>A private collection member of this compilation whose type never releases its sockets (<see cref="MethodSummaries.CollectionNeverReleased"/>).</summary>
    private bool KeptInCollection(IOperation? collection)
        => collection is IFieldReferenceOperation or IPropertyReferenceOperation
           && collection.ReferencedSymbol(_graph) is { } member
           && _symbols.Summaries.CollectionNeverReleased(member);

    private bool Record(OwnershipEffect effect)
    {
        switch (effect)
        {
            case OwnershipEffect.KeptUnreleased:
                _result.KeptUnreleased = true;
                return false;
            case OwnershipEffect.Disposes:
                _result.Disposed = true;
                return true;
            case OwnershipEffect.Moves:
                _result.Moved = true;
                return true;
            case OwnershipEffect.Escapes:
                _result.Moved = true;
                _result.Escaped = true;
                return true;
            default:
                return false;
        }
    }

    internal static OwnershipEffect EffectOf(OwnershipWalk walk)
        => walk.Escaped ? OwnershipEffect.Escapes : walk.Moved ? OwnershipEffect.Moves : walk.Disposed ? OwnershipEffect.Disposes : walk.KeptUnreleased ? OwnershipEffect.KeptUnreleased : OwnershipEffect.None;

    /// <summary>
    /// A socket given to a method: out of sight it escapes (a System.Collections method only stores it: it moves, in
    /// sight); in this compilation the method's summary decides.
    /// </summary>
    private OwnershipEffect HelperEffect(IMethodSymbol method, IParameterSymbol? parameter)
    {
        if (OperationFacts.OnlyLooksAt(method))
        {
            // `Console.WriteLine(ws)`: written out, not kept.
            return OwnershipEffect.None;
        }

        if (parameter is null || _depth >= MaxDepth)
        {
            return OwnershipEffect.Escapes;
        }

        if (method.DeclaringSyntaxReferences.IsEmpty && method.ContainingNamespace?.ToDisplayString() is { } space
            && (space.StartsWith("System.Collections", System.StringComparison.Ordinal) || method.ContainingType?.IsTupleType == true))
        {
            return OwnershipEffect.Moves;
        }

        if (method.MethodKind == MethodKind.DelegateInvoke && !_symbols.MayReleaseSockets)
        {
            // `await handler(data, ws)` in a compilation where nothing in reach ever releases a socket: whatever code the
            // delegate runs keeps it at most.
            return OwnershipEffect.Moves;
        }

        if (method.MethodKind == MethodKind.LocalFunction && GraphOf(method.OriginalDefinition) is { } function)
        {
            return EffectOf(FromEntry(_symbols, _graphs, function, method.OriginalDefinition.Parameters[parameter.Ordinal], _depth + 1));
        }

        return _symbols.Ownership.ForParameter(method, parameter.Ordinal, _depth + 1);
    }

    /// <summary>
    /// A lambda whose work completes before the method goes on without it: `await Task.Run(() => ...)`, or
    /// `var t = Task.Run(() => ...);` with `t` awaited later in the same body (`await t`, `await Task.WhenAll(t, ..)`).
    /// </summary>
    private static bool IsAwaitedWhereCreated(SyntaxNode lambda)
    {
        SyntaxNode? node;
        for (node = lambda.Parent; node is not null and not StatementSyntax; node = node.Parent)
        {
            if (node is AwaitExpressionSyntax)
            {
                return true;
            }

            if (node is AnonymousFunctionExpressionSyntax)
            {
                return false;
            }
        }

        if (node is not LocalDeclarationStatementSyntax { Declaration.Variables: { Count: 1 } variables } declaration)
        {
            return false;
        }

        var name = variables[0].Identifier.ValueText;
        var body = declaration.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or CompilationUnitSyntax);
        return body is not null && body.DescendantNodes().OfType<AwaitExpressionSyntax>()
            .Any(awaited => awaited.SpanStart > declaration.Span.End
                && awaited.DescendantNodes().OfType<IdentifierNameSyntax>().Any(id => id.Identifier.ValueText == name));
    }

    private GraphInfo? GraphOf(ISymbol owner)
        => _graphs.FirstOrDefault(g => SymbolEqualityComparer.Default.Equals(g.Owner, owner));

    private bool MentionsIn(GraphInfo graph) => SocketSources.Mentions(_graphs, graph, IsSocket);

    private bool IsSocket(IOperation? operation)
        => operation is not null && operation.ReferencedSymbol(_graph) is { } symbol && _socket.Contains(symbol);

    /// <summary>The value of a branch condition under which the socket is null, when the condition tests it against null.</summary>
    private bool? NullWhen(IOperation? condition)
    {
        switch (condition.WithoutConversions())
        {
            case IIsNullOperation isNull when IsSocket(isNull.Operand):
                return true;
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return !NullWhen(not.Operand);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary
                when IsSocket(binary.LeftOperand) && IsNullConstant(binary.RightOperand) || IsSocket(binary.RightOperand) && IsNullConstant(binary.LeftOperand):
                return binary.OperatorKind == BinaryOperatorKind.Equals;
            case IIsPatternOperation pattern when IsSocket(pattern.Value):
                return pattern.Pattern switch
                {
                    IConstantPatternOperation constant when IsNullConstant(constant.Value) => true,
                    INegatedPatternOperation { Pattern: IConstantPatternOperation constant } when IsNullConstant(constant.Value) => false,
                    ITypePatternOperation or IDeclarationPatternOperation or IRecursivePatternOperation => false,
                    _ => null,
                };
            default:
                return null;
        }
    }

    private static bool IsNullConstant(IOperation operation)
        => operation.WithoutConversions() is { ConstantValue: { HasValue: true, Value: null } };
}

/// <summary>What a method, lambda or local function does with a socket it is given.</summary>
internal enum OwnershipEffect
{
    None,
    Disposes,
    Moves,

    /// <summary>Stored in a private member its type never releases: the caller still has to release it.</summary>
    KeptUnreleased,

    /// <summary>Handed to code out of sight (another assembly, a dynamic call, a method too deep to follow).</summary>
    Escapes,
}
