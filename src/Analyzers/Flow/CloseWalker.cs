using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using WsAnalyzers.Model;

namespace WsAnalyzers.Flow;

internal enum ExitKind
{
    Return,
    Throw,
    Dispose,
    Abort,

    /// <summary>The variable is given another socket while this one still waits for its answer.</summary>
    Replace,
}

/// <summary>A way the close path leaves the method, or ends the socket, without acknowledging.</summary>
internal readonly struct Exit
{
    public Exit(ExitKind kind, IOperation observedAt, IOperation? returned = null, bool toldApart = true)
    {
        Kind = kind;
        ObservedAt = observedAt;
        Returned = returned;
        ToldApart = toldApart;
    }

    /// <summary>For a return: whether the path passed a test for the Close itself (MessageType, CloseStatus, State).</summary>
    public bool ToldApart { get; }

    public ExitKind Kind { get; }

    /// <summary>For a return, the value returned (how a receiving helper tells its caller about the close).</summary>
    public IOperation? Returned { get; }

    /// <summary>Where the close was seen: the condition that told it apart, or the receive when nothing did.</summary>
    public IOperation ObservedAt { get; }
}

/// <summary>What happens on the paths that follow a received Close (or, for a helper, that start in CloseReceived).</summary>
internal sealed class WalkResult
{
    public bool TreatsCloseAsData { get; set; }

    /// <summary>
    /// Some path handed the Close's empty payload (<c>""</c>, no bytes) to an event, a delegate or a method of this
    /// compilation before any test told the Close apart: the code gets the Close as a message, even where a later
    /// condition (<c>while (ws.State == WebSocketState.Open)</c>) ends the loop.
    /// </summary>
    public bool DispatchesCloseAsData { get; set; }

    public bool ReceivesAgain { get; set; }

    /// <summary>
    /// Some path passed a condition that decided the Close (a loop's <c>while (ws.State == WebSocketState.Open)</c>, a
    /// <c>MessageType</c> test): the code does look for it, even if it decoded the empty payload first.
    /// </summary>
    public bool ToldApart { get; set; }

    public bool Acknowledged { get; set; }

    /// <summary>Some path hands the socket or the result to code the analysis cannot judge: stay silent about it.</summary>
    public bool Escapes { get; set; }

    public List<Exit> Unacknowledged { get; } = new();

    /// <summary>
    /// Where paths ended by handing the Close to code the walk does not judge (an event, a handler given the result, a
    /// check it cannot decide, a return of the result): if no code can answer the socket at all, these are unanswered too.
    /// </summary>
    public List<IOperation> EscapedAt { get; } = new();

    /// <summary>Conditions on State that skip a close on the close path (WS1004 candidates).</summary>
    public List<IOperation> OpenGuards { get; } = new();

    /// <summary>Close calls in members of the socket's type, called on the close path, that a State == Open guard skips.</summary>
    public List<Location> HelperGuards { get; } = new();

    /// <summary>Calls to methods of this compilation that get the socket on the close path.</summary>
    public List<IInvocationOperation> SourceCalls { get; } = new();

    /// <summary>For each condition that told the close apart, the value it had for a Close.</summary>
    public Dictionary<IOperation, bool> ObservedValues { get; } = new();

    public void Merge(WalkResult other)
    {
        TreatsCloseAsData |= other.TreatsCloseAsData;
        DispatchesCloseAsData |= other.DispatchesCloseAsData;
        ReceivesAgain |= other.ReceivesAgain;
        ToldApart |= other.ToldApart;
        Acknowledged |= other.Acknowledged;
        Escapes |= other.Escapes;
        Unacknowledged.AddRange(other.Unacknowledged);
        EscapedAt.AddRange(other.EscapedAt);
        OpenGuards.AddRange(other.OpenGuards);
        SourceCalls.AddRange(other.SourceCalls);
        HelperGuards.AddRange(other.HelperGuards);
    }
}

/// <summary>
/// Walks a control flow graph forward from a point under the assumption that the socket has just received a Close,
/// pruning the branches that assumption decides, and records what each path does with the socket.
/// </summary>
internal sealed class CloseWalker
{
    private static readonly HashSet<string> AccumulatingMethods = new()
    {
        "Write", "WriteAsync", "Append", "AddRange", "Add", "CopyTo", "BlockCopy", "Copy", "Advance", "Insert", "Enqueue", "Push",
    };

    private readonly CloseContext _context;
    private readonly CloseEvaluator _evaluator;
    private readonly ControlFlowRegion? _bound;
    private readonly HashSet<int> _visited = new();
    private readonly Stack<(BasicBlock Block, int Index, IOperation? Observed, bool ToldApart)> _work = new();

    /// <summary>Whether the path being walked passed a condition that tests for the Close itself (MessageType == Close, CloseStatus, State).</summary>
    private bool _toldApart;
    private readonly int _depth;

    private CloseWalker(CloseContext context, ControlFlowRegion? bound, int depth)
    {
        _context = context;
        _evaluator = new CloseEvaluator(context);
        _bound = bound;
        _depth = depth;
    }

    public WalkResult Result { get; } = new();

    private GraphInfo Graph => _context.Graph;

    /// <summary>Walks from just after operation <paramref name="index"/> of <paramref name="block"/>.</summary>
    public static WalkResult From(CloseContext context, BasicBlock block, int index, int depth = 0)
    {
        var walker = new CloseWalker(context, bound: null, depth);
        walker._work.Push((block, index + 1, null, false));
        walker.Run();
        return walker.Result;
    }

    /// <summary>Walks a caller from a call that throws on the close path: the exception's way out (catch, finally, using).</summary>
    public static WalkResult FromThrowingCall(CloseContext context, BasicBlock block, IOperation call, int depth)
    {
        var walker = new CloseWalker(context, bound: null, depth);
        walker.ExceptionalExit(block, call);
        walker.Run();
        return walker.Result;
    }

    /// <summary>Walks a method from its entry, as a helper called with the socket in CloseReceived.</summary>
    public static WalkResult FromEntry(CloseContext context, int depth)
    {
        var walker = new CloseWalker(context, bound: null, depth);
        var entry = context.Graph.Graph.Blocks[0];
        walker._visited.Add(entry.Ordinal);
        walker._work.Push((entry, 0, null, false));
        walker.Run();
        return walker.Result;
    }

    private static WalkResult WithinRegion(CloseContext context, ControlFlowRegion region, int depth, IOperation? observed)
    {
        if (region.FirstBlockOrdinal < 0 || region.LastBlockOrdinal >= context.Graph.Graph.Blocks.Length)
        {
            return new WalkResult();
        }

        var walker = new CloseWalker(context, region, depth);
        var first = context.Graph.Graph.Blocks[region.FirstBlockOrdinal];
        walker._visited.Add(first.Ordinal);
        walker._work.Push((first, 0, observed, false));
        walker.Run();
        return walker.Result;
    }

    private void Run()
    {
        while (_work.Count > 0)
        {
            AnalysisCancellation.ThrowIfCancellationRequested();
            var (block, index, observed, toldApart) = _work.Pop();
            _toldApart = toldApart;
            var operations = Graph.Operations[block.Ordinal];
            var stopped = false;
            for (var i = index; i < operations.Count && !stopped; i++)
            {
                stopped = Visit(operations[i], block, ref observed);
            }

            if (!stopped)
            {
                FollowBranches(block, observed);
            }
        }
    }

    /// <returns>true when this path ends here.</returns>
    private bool Visit(IOperation operation, BasicBlock block, ref IOperation? observed)
    {
        _evaluator.Assign(operation);
        switch (operation)
        {
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation copy } copied when _context.IsSocket(copied.Value) && !_context.IsSocket(copy):
                // `var socket = _ws;`: the copy is the same socket from here on.
                _context.Copies.Add(copy.Local);
                return false;
            case ISimpleAssignmentOperation replace when _context.IsSocket(replace.Target) && _context.Copies.Count == 0 && IsNewSocket(replace.Value):
                // `_ws = new ClientWebSocket()` on reconnect: the socket that received the close is dropped unanswered.
                Result.Unacknowledged.Add(new Exit(ExitKind.Replace, observed ?? (IOperation?)_context.Receive ?? operation));
                return true;
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation { Local: var named } } renamed when _context.Copies.Count == 0
                && (_context.IsSocket(renamed.Target) && !_context.IsSocket(Graph.Resolve(renamed.Value)) || SymbolEqualityComparer.Default.Equals(named, _context.Holder)):
                // `ws = wsContext.WebSocket;` (or `wsContext = ...` for the holder) in the next turn of an accept loop:
                // the variable names another socket from here on, and this one is left as it is.
                Result.Unacknowledged.Add(new Exit(ExitKind.Return, observed ?? (IOperation?)_context.Receive ?? operation));
                return true;
            case IInvocationOperation invocation:
                return VisitInvocation(invocation, block, observed);
            case IPropertyReferenceOperation property when property.Property.Name is "Count" or "EndOfMessage" && IsResultExpression(property.Instance):
                return false;
            case ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation:
                var symbol = operation.ReferencedSymbol(Graph);
                if (_context.Buffer is not null && symbol is not null && SymbolEqualityComparer.Default.Equals(symbol, _context.Buffer) && IsDataUse(operation))
                {
                    Result.TreatsCloseAsData = true;
                }
                else if (_context.IsSocket(operation) && IsEscape(operation))
                {
                    Result.Escapes = true;
                    return true;
                }

                return false;
#if ROSLYN3_7
            case IInvalidOperation invalid when invalid.Children.Any(IsSocketOrResult):
#else
            case IInvalidOperation invalid when invalid.ChildOperations.Any(IsSocketOrResult):
#endif
            case IObjectCreationOperation creation when creation.Arguments.Any(a => IsSocketOrResult(a.Value)):
                Escape(observed, operation);
                return true;
            case IFlowAnonymousFunctionOperation lambda when Captures(lambda.Symbol):
                Escape(observed, operation);
                return true;
            default:
                return false;
        }
    }

    private bool VisitInvocation(IInvocationOperation invocation, BasicBlock block, IOperation? observed)
    {
        if (!_toldApart && _context.Receive is not null && IsDispatch(invocation) && invocation.Arguments.Any(a => _evaluator.IsEmptyData(a.Value))
            && !invocation.Arguments.Any(a => IsResultExpression(a.Value)))
        {
            Result.DispatchesCloseAsData = true;
        }

        if (ThrowsOnEmptyInput(invocation.TargetMethod) && invocation.Arguments.Length > 0 && _evaluator.IsEmptyData(invocation.Arguments[0].Value))
        {
            // A JSON parser throws on the Close's empty payload: the Close is parsed as data, and the way out is the exception's.
            Result.TreatsCloseAsData = true;
            ExceptionalExit(block, observed ?? (IOperation?)_context.Receive ?? invocation);
            return true;
        }

        var kind = _context.Symbols.Classify(invocation);
        if (kind != SocketCall.None && _context.IsSocket(invocation.Receiver()))
        {
            switch (kind)
            {
                case SocketCall.Close:
                case SocketCall.CloseOutput:
                    Result.Acknowledged = true;
                    return true;
                case SocketCall.Receive:
                    // In CloseReceived the next receive throws InvalidState: the exception is the way out. After a
                    // condition that told the Close apart, the loop does handle it (WS1001 is about loops that never
                    // look); what that branch then fails to answer is WS1002's business.
                    Result.ReceivesAgain |= !_toldApart;
                    ExceptionalExit(block, observed ?? (IOperation?)_context.Receive ?? invocation);
                    return true;
                case SocketCall.Dispose:
                case SocketCall.Abort:
                    Result.Unacknowledged.Add(new Exit(kind == SocketCall.Dispose ? ExitKind.Dispose : ExitKind.Abort, observed ?? (IOperation?)_context.Receive ?? invocation));
                    return true;
                default:
                    return false;
            }
        }

        if (kind == SocketCall.None && invocation.Instance.ReferencedSymbol(Graph) is ILocalSymbol holder && MayCloseThroughHolder(holder, invocation.TargetMethod))
        {
            // `client.CloseAsync(..)` on an object made here from the socket (`new ChatClient(socket, ..)`), whose
            // method closes a socket it keeps: the walk cannot tell which, nor under what guard.
            Escape(observed, invocation);
            return true;
        }

        if (kind == SocketCall.None && _context.Symbols.CloseHelpers.IsCloseHelper(invocation.TargetMethod))
        {
            // Named in .editorconfig (wsanalyzers.close_helpers): the user vouches that it closes the socket.
            Result.Acknowledged = true;
            return true;
        }

        if (kind is SocketCall.Close or SocketCall.CloseOutput && _context.Receive is not null)
        {
            // A proxy forwards the close to its other socket; that side's answer completes this one.
            Result.Escapes = true;
            return true;
        }

        if (kind == SocketCall.None && _context.IsOwnMemberCall(invocation)
            && !invocation.Arguments.Any(a => _context.IsSocket(a.Value)))
        {
            // A member of the type that keeps the socket (Stop, Dispose, a close helper): what it does with the socket
            // when called in CloseReceived.
            var member = _context.Symbols.Summaries.ForMember(invocation.TargetMethod, _context.Socket, _depth + 1);
            if (member is not null)
            {
                Result.HelperGuards.AddRange(member.OpenGuards);
                if (Apply(member, invocation, block, observed))
                {
                    return true;
                }
            }
        }

        for (var i = 0; i < invocation.Arguments.Length; i++)
        {
            var argument = invocation.Arguments[i];
            if (_context.IsSocket(argument.Value))
            {
                if (OperationFacts.OnlyLooksAt(invocation.TargetMethod))
                {
                    // `Console.WriteLine(ws)`, `logger.LogInformation("{Socket}", ws)`: written out, not kept.
                    continue;
                }

                var summary = _context.Symbols.Summaries.ForParameter(invocation.TargetMethod, argument.Parameter, _depth + 1);
                if (summary is null && invocation.IsLibraryCollectionCall())
                {
                    // `_sockets.Add(ws)`, `_clients.TryRemove(id, out _)`: a list keeps or drops it but cannot answer
                    // the close. Kept in a list that a member of its type closes sockets from, it may be answered there.
                    if (invocation.IsLibraryCollectionAdd() && invocation.CollectionOwner() is { } owner && _context.Symbols.Summaries.ClosesKeptSockets(owner))
                    {
                        Escape(observed, invocation);
                        return true;
                    }

                    continue;
                }

                if (summary is null)
                {
                    // A method we cannot see takes the socket: its owner is out of sight.
                    Result.Escapes = true;
                    return true;
                }

                if (Apply(summary, invocation, block, observed))
                {
                    return true;
                }
            }
            else if (_context.Holder is not null && SymbolEqualityComparer.Default.Equals(argument.Value.ReferencedSymbol(Graph), _context.Holder)
                && !OperationFacts.OnlyLooksAt(invocation.TargetMethod))
            {
                // The object holding the socket (`OnDisconnected(connection)`): what the method does with its socket.
                var held = _context.Symbols.Summaries.ForHeldParameter(invocation.TargetMethod, argument.Parameter, _context.Socket, _depth + 1);
                if (held is null)
                {
                    if (invocation.IsLibraryCollectionCall() && !(invocation.IsLibraryCollectionAdd() && invocation.CollectionOwner() is { } owner
                        && _context.Symbols.Summaries.ClosesKeptSockets(owner)))
                    {
                        continue;
                    }

                    Escape(observed, invocation);
                    return true;
                }

                if (Apply(held, invocation, block, observed))
                {
                    return true;
                }
            }
            else if (argument.Value.ReferencedSymbol(Graph) is { } symbol && _context.IsResult(symbol))
            {
                if (IsInCondition(invocation, block))
                {
                    // A check on the result (string.IsNullOrEmpty(message), IsClose(result)): the branch decides it.
                    continue;
                }

                if (CallbacksCannotClose(invocation))
                {
                    // `handle(result, buffer)` where every caller in sight passes a lambda that cannot reach a socket.
                    continue;
                }

                if (IsLibraryConsumer(invocation))
                {
                    // `Console.WriteLine(message)`, `logger.LogInformation(..)`, `JsonSerializer.Deserialize(..)` given what a
                    // receiving helper returned: a static library method that is not given the socket cannot answer the close.
                    continue;
                }

                if (!_context.Symbols.Summaries.TreatsResultAsData(invocation.TargetMethod, argument.Parameter))
                {
                    Escape(observed, invocation);
                    return true;
                }

                Result.TreatsCloseAsData = true;
            }
        }

        if (kind == SocketCall.None && !_context.IsMemberSocket && _context.Symbols.Summaries.MayCloseAnotherSocket(invocation.TargetMethod)
            && !invocation.Arguments.Any(a => _context.IsSocket(a.Value)) && GivenTo(invocation.TargetMethod.ContainingType))
        {
            // `_manager.RemoveSocket(id)` after `_manager.AddSocket(ws)`: a method of this compilation that closes a
            // socket it finds, of a type this code gave the socket to, may be closing this one.
            Escape(observed, invocation);
            return true;
        }

        return false;
    }

    /// <summary>Whether the member around the walked graph (lambdas included) passes the socket to a method of <paramref name="type"/>.</summary>
    private bool GivenTo(INamedTypeSymbol type)
    {
        IOperation root = Graph.Graph.OriginalOperation;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        return root.Descendants().Any(o => o is IInvocationOperation call
            && SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType?.OriginalDefinition, type.OriginalDefinition)
            && call.Arguments.Any(a => a.Value.WithoutConversions() is ILocalReferenceOperation or IParameterReferenceOperation
                && _context.IsSocket(a.Value.WithoutConversions()!.ReferencedSymbol()!)));
    }

    /// <summary>The path hands the Close to code the walk does not judge; where, for a socket no code can answer at all.</summary>
    private void Escape(IOperation? observed, IOperation at)
    {
        Result.Escapes = true;
        Result.EscapedAt.Add(observed ?? (IOperation?)_context.Receive ?? at);
    }

    /// <summary>
    /// What a call of a method of this compilation does to the path, from its summary: it answers, hands the socket
    /// out of sight, or drops it (a member that disposes or replaces it); true when the path ends there.
    /// </summary>
    private bool Apply(HelperSummary summary, IInvocationOperation call, BasicBlock block, IOperation? observed)
    {
        Result.SourceCalls.Add(call);
        switch (summary.Outcome)
        {
            case HelperOutcome.DoesNotClose when summary.Receives:
                // A receive helper called again: like a receive, it throws InvalidState in CloseReceived.
                Result.ReceivesAgain |= !_toldApart;
                ExceptionalExit(block, observed ?? (IOperation?)_context.Receive ?? call);
                return true;
            case HelperOutcome.Closes:
                Result.Acknowledged = true;
                return true;
            case HelperOutcome.Unknown:
                Escape(observed, call);
                return true;
            case HelperOutcome.DoesNotClose when summary.Ends is { } ends:
                Result.Unacknowledged.Add(new Exit(ends, observed ?? (IOperation?)_context.Receive ?? call));
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Whether <paramref name="holder"/> is given, in this graph, an object of a source type made with the socket as an
    /// argument, and <paramref name="method"/> (a source method) spells a close call.
    /// </summary>
    private bool MayCloseThroughHolder(ILocalSymbol holder, IMethodSymbol method)
    {
        if (method.DeclaringSyntaxReferences.IsEmpty || !method.DeclaringSyntaxReferences.Any(r => TreeCalls.AnyCallWithin(r.SyntaxTree, r.Span, CloseNames)))
        {
            return false;
        }

        foreach (var operations in Graph.Operations)
        {
            foreach (var operation in operations)
            {
                if (operation is ISimpleAssignmentOperation { Target: ILocalReferenceOperation { Local: var target } } made
                    && SymbolEqualityComparer.Default.Equals(target, holder)
                    && Graph.Resolve(made.Value) is IObjectCreationOperation creation
                    && creation.Arguments.Any(a => _context.IsSocket(a.Value)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static readonly string[] CloseNames = { "CloseAsync", "CloseOutputAsync" };

    /// <summary>Another socket: created, accepted, or made by a factory call (not null, not the socket itself).</summary>
    private bool IsNewSocket(IOperation value)
    {
        var resolved = Graph.Resolve(value);
        return !_context.IsSocket(resolved) && resolved is IObjectCreationOperation or IInvocationOperation or IAwaitOperation
            && _context.Symbols.IsWebSocket(resolved.Type ?? (resolved as IAwaitOperation)?.Type);
    }

    private static bool IsInCondition(IOperation operation, BasicBlock block)
        => block.BranchValue is { } condition && (operation == condition || operation.IsInsideArgumentsOf(condition));

    private void FollowBranches(BasicBlock block, IOperation? observed)
    {
        if (block.ConditionKind == ControlFlowConditionKind.None || block.BranchValue is null)
        {
            Follow(block, block.FallThroughSuccessor, observed);
            return;
        }

        var condition = block.BranchValue;
        var whenTrue = block.ConditionKind == ControlFlowConditionKind.WhenTrue ? block.ConditionalSuccessor : block.FallThroughSuccessor;
        var whenFalse = block.ConditionKind == ControlFlowConditionKind.WhenTrue ? block.FallThroughSuccessor : block.ConditionalSuccessor;
        var value = _evaluator.Evaluate(condition);
        if (value == Tri.Unknown)
        {
            if (_evaluator.MentionsClose(condition))
            {
                if (_evaluator.AsksOnlyWhichClose(condition))
                {
                    // `switch ((int?)result.CloseStatus) { case 1000: .. }`: which close it is, on a path that is a close
                    // either way. The code knows it has the Close; both sides go on.
                    _toldApart = true;
                    Result.ToldApart = true;
                    Follow(block, whenTrue, observed);
                    Follow(block, whenFalse, observed);
                    return;
                }

                // A check we cannot decide (a helper given the result, a comparison with a variable): trust it.
                Escape(observed, condition);
                return;
            }

            Follow(block, whenTrue, observed);
            Follow(block, whenFalse, observed);
            return;
        }

        var taken = value == Tri.True ? whenTrue : whenFalse;
        var pruned = value == Tri.True ? whenFalse : whenTrue;
        // The close is observed by the last condition that told it apart before the path ends.
        if (_evaluator.MentionsClose(condition))
        {
            observed = condition;
            Result.ObservedValues[condition] = value == Tri.True;
            _toldApart |= _evaluator.TestsForClose(condition);
            Result.ToldApart |= _toldApart;
        }

        if (IsOpenGuard(block, condition, taken, pruned))
        {
            Result.OpenGuards.Add(condition);
        }

        Follow(block, taken, observed);
    }

    private void Follow(BasicBlock from, ControlFlowBranch? branch, IOperation? observed)
    {
        if (branch is null)
        {
            return;
        }

        foreach (var region in branch.FinallyRegions)
        {
            if (_bound is not null && !Contains(_bound, region))
            {
                return;
            }

            var inFinally = WithinRegion(_context, region, _depth, observed);
            MergeHandler(inFinally);
            if (inFinally.Acknowledged || inFinally.Escapes)
            {
                return;
            }
        }

        var destination = branch.Destination;
        if (_bound is not null && (destination is null || !Contains(_bound, destination)))
        {
            return;
        }

        if (destination is null)
        {
            if (branch.Semantics is ControlFlowBranchSemantics.Throw or ControlFlowBranchSemantics.Rethrow)
            {
                ExceptionalExit(from, observed ?? (IOperation?)_context.Receive ?? from.BranchValue ?? _context.Graph.Graph.OriginalOperation);
            }

            return;
        }

        if (destination.Kind == BasicBlockKind.Exit)
        {
            if (branch.Semantics == ControlFlowBranchSemantics.Return && from.BranchValue is { } returned && IsSocketOrResult(returned))
            {
                Escape(observed, from.BranchValue ?? (IOperation)_context.Graph.Graph.OriginalOperation);
                return;
            }

            var returnedValue = branch.Semantics == ControlFlowBranchSemantics.Return && from.BranchValue is { } value ? _evaluator.ResolveOnPath(value) : null;
            Result.Unacknowledged.Add(new Exit(ExitKind.Return, observed ?? (IOperation?)_context.Receive ?? from.BranchValue ?? _context.Graph.Graph.OriginalOperation, returnedValue, _toldApart));
            return;
        }

        if (_visited.Add(destination.Ordinal))
        {
            _work.Push((destination, 0, observed, _toldApart));
        }
    }

    /// <summary>An exception leaves <paramref name="block"/>: run to the nearest catch, or through the finally regions.</summary>
    private void ExceptionalExit(BasicBlock block, IOperation observedAt)
    {
        // A local function's or lambda's regions chain up into its enclosing graph: stop at this graph's root.
        for (var region = block.EnclosingRegion; region is not null && region != Graph.Graph.Root; region = region.EnclosingRegion)
        {
            if (_bound is not null && region == _bound)
            {
                return;
            }

            if (region.Kind != ControlFlowRegionKind.Try || region.EnclosingRegion is not { } parent)
            {
                continue;
            }

            if (parent.Kind == ControlFlowRegionKind.TryAndCatch)
            {
                foreach (var handler in parent.NestedRegions)
                {
                    if (handler.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.FilterAndHandler)
                    {
                        var first = Graph.Graph.Blocks[handler.FirstBlockOrdinal];
                        if (_visited.Add(first.Ordinal))
                        {
                            _work.Push((first, 0, observedAt, _toldApart));
                        }
                    }
                }

                return;
            }

            if (parent.Kind == ControlFlowRegionKind.TryAndFinally && parent.NestedRegions.Length == 2)
            {
                var inFinally = WithinRegion(_context, parent.NestedRegions[1], _depth, observedAt);
                MergeHandler(inFinally);
                if (inFinally.Acknowledged || inFinally.Escapes)
                {
                    return;
                }
            }
        }

        Result.Unacknowledged.Add(new Exit(ExitKind.Throw, observedAt));
    }

    private void MergeHandler(WalkResult handler)
    {
        Result.Acknowledged |= handler.Acknowledged;
        Result.Escapes |= handler.Escapes;
        foreach (var pair in handler.ObservedValues)
        {
            Result.ObservedValues[pair.Key] = pair.Value;
        }

        Result.OpenGuards.AddRange(handler.OpenGuards);
        Result.SourceCalls.AddRange(handler.SourceCalls);
        Result.HelperGuards.AddRange(handler.HelperGuards);
        foreach (var exit in handler.Unacknowledged)
        {
            if (exit.Kind is ExitKind.Dispose or ExitKind.Abort or ExitKind.Replace)
            {
                Result.Unacknowledged.Add(exit);
            }
        }
    }

    /// <summary>
    /// A condition on the socket's State that, now that the peer has closed, skips a close the other way would run,
    /// while the way it takes cannot reach that close.
    /// </summary>
    private bool IsOpenGuard(BasicBlock block, IOperation condition, ControlFlowBranch? taken, ControlFlowBranch? pruned)
    {
        if (pruned?.Destination is not { } skipped || !MentionsState(condition))
        {
            return false;
        }

        var closes = BlocksWithClose(skipped, block);
        if (closes.Count == 0)
        {
            return false;
        }

        if (taken?.Destination is { } next && ReachesWithPruning(next, block, closes))
        {
            return false;
        }

        return true;
    }

    private bool MentionsState(IOperation condition)
    {
        foreach (var operation in condition.DescendantsAndSelf())
        {
            var resolved = Graph.Resolve(operation);
            if (resolved is IPropertyReferenceOperation { Property.Name: "State" } state && _context.IsSocket(state.Instance))
            {
                return true;
            }
        }

        return false;
    }

    private HashSet<int> BlocksWithClose(BasicBlock start, BasicBlock excluded)
    {
        var found = new HashSet<int>();
        var seen = new HashSet<int> { excluded.Ordinal, start.Ordinal };
        var stack = new Stack<BasicBlock>();
        stack.Push(start);
        while (stack.Count > 0 && seen.Count < 200)
        {
            var current = stack.Pop();
            var step = CloseOrReceive(current);
            if (step == SocketCall.Close)
            {
                found.Add(current.Ordinal);
                continue;
            }

            if (step == SocketCall.Receive)
            {
                // Past another receive the close is not the one this guard skips: that receive would throw first (a
                // `while (State == Open)` loop whose body closes after receiving guards the receive, not the close).
                continue;
            }

            foreach (var next in new[] { current.FallThroughSuccessor?.Destination, current.ConditionalSuccessor?.Destination })
            {
                if (next is not null && seen.Add(next.Ordinal))
                {
                    stack.Push(next);
                }
            }
        }

        return found;
    }

    private bool ReachesWithPruning(BasicBlock start, BasicBlock excluded, HashSet<int> targets)
    {
        var seen = new HashSet<int> { excluded.Ordinal, start.Ordinal };
        var stack = new Stack<BasicBlock>();
        stack.Push(start);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            if (targets.Contains(current.Ordinal))
            {
                return true;
            }

            var successors = new List<BasicBlock?>();
            var value = current.ConditionKind == ControlFlowConditionKind.None || current.BranchValue is null ? Tri.Unknown : _evaluator.Evaluate(current.BranchValue);
            if (value == Tri.Unknown)
            {
                successors.Add(current.FallThroughSuccessor?.Destination);
                successors.Add(current.ConditionalSuccessor?.Destination);
            }
            else
            {
                var takesConditional = (value == Tri.True) == (current.ConditionKind == ControlFlowConditionKind.WhenTrue);
                successors.Add(takesConditional ? current.ConditionalSuccessor?.Destination : current.FallThroughSuccessor?.Destination);
            }

            foreach (var next in successors)
            {
                if (next is not null && seen.Add(next.Ordinal))
                {
                    stack.Push(next);
                }
            }
        }

        return false;
    }

    /// <summary>What a block does first to the socket: close it, receive on it, or neither (None).</summary>
    private SocketCall CloseOrReceive(BasicBlock block)
    {
        foreach (var invocation in Graph.Operations[block.Ordinal].OfType<IInvocationOperation>())
        {
            if (IsDirectClose(invocation))
            {
                return SocketCall.Close;
            }

            if (_context.Symbols.Classify(invocation) == SocketCall.Receive && _context.IsSocket(invocation.Receiver()))
            {
                return SocketCall.Receive;
            }
        }

        return SocketCall.None;
    }

    private bool IsDirectClose(IInvocationOperation invocation)
    {
        var kind = _context.Symbols.Classify(invocation);
        if (kind is SocketCall.Close or SocketCall.CloseOutput)
        {
            return _context.IsSocket(invocation.Receiver());
        }

        return false;
    }

    private bool IsResultExpression(IOperation? instance)
    {
        if (instance is null)
        {
            return false;
        }

        var resolved = Graph.Resolve(instance);
        return _context.IsReceive(resolved) || (resolved.ReferencedSymbol(Graph) is { } r && _context.IsResult(r));
    }

    private bool IsSocketOrResult(IOperation value)
    {
        var symbol = value.ReferencedSymbol(Graph);
        return _context.IsSocket(value) || (symbol is not null && _context.IsResult(symbol));
    }

    /// <summary>A read of the receive buffer that decodes or dispatches it (not the next receive, not accumulation).</summary>
    private bool IsDataUse(IOperation reference)
    {
        if (reference.Parent is IPropertyReferenceOperation { Property.Name: "Length" or "Count" or "Capacity" or "Array" or "Offset" }
            && reference.Parent.Parent is not IArgumentOperation and not IInvocationOperation)
        {
            return false;
        }

        for (var current = reference.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ISimpleAssignmentOperation assignment when assignment.Target == reference || reference.IsInsideArgumentsOf(assignment.Target):
                    return false;
                case IInvocationOperation invocation:
                    if (_context.Symbols.Classify(invocation) == SocketCall.Receive || AccumulatingMethods.Contains(invocation.TargetMethod.Name))
                    {
                        return false;
                    }

                    // The call also gets the result: it can tell the Close apart itself (judged when the call is visited).
                    if (invocation.Arguments.Any(a => IsResultExpression(a.Value)))
                    {
                        return false;
                    }

                    break;
                case IObjectCreationOperation creation when creation.Parent is not IArgumentOperation:
                    return false;
            }
        }

        return true;
    }

    /// <summary>
    /// JSON parsers that throw on empty input: System.Text.Json's <c>JsonSerializer.Deserialize</c>,
    /// <c>JsonDocument.Parse</c> and <c>JsonNode.Parse</c>, Newtonsoft's <c>JObject</c>/<c>JArray</c>/<c>JToken.Parse</c>
    /// (its <c>JsonConvert.DeserializeObject</c> returns null instead).
    /// </summary>
    private static bool ThrowsOnEmptyInput(IMethodSymbol method)
        => method.ContainingType is { } type && type.ContainingNamespace?.ToDisplayString() is { } space
           && (method.Name == "Deserialize" && type.Name == "JsonSerializer" && space == "System.Text.Json"
               || method.Name == "Parse" && (type.Name == "JsonDocument" && space == "System.Text.Json"
                                             || type.Name == "JsonNode" && space == "System.Text.Json.Nodes"
                                             || type.Name is "JObject" or "JArray" or "JToken" && space == "Newtonsoft.Json.Linq"));

    /// <summary>Newtonsoft's <c>JsonConvert.DeserializeObject</c>: the Close's empty payload parses to null, taken as a message.</summary>
    private static bool IsNullOnEmptyParser(IMethodSymbol method)
        => method.Name == "DeserializeObject" && method.ContainingType is { Name: "JsonConvert" } type && type.ContainingNamespace?.ToDisplayString() == "Newtonsoft.Json";

    /// <summary>The socket stored somewhere that outlives this path: a field, a property, another variable's owner.</summary>
    private bool IsEscape(IOperation reference)
    {
        var parent = reference.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent is ISimpleAssignmentOperation assignment && assignment.Value.WithoutConversions() == reference.WithoutConversions()
            && assignment.Target.WithoutConversions() is IFieldReferenceOperation or IPropertyReferenceOperation or IArrayElementReferenceOperation;
    }

    /// <summary>
    /// A call of a delegate parameter of a non-public method whose every caller in sight passes a lambda that touches
    /// no WebSocket and calls no method of this compilation: the callback can consume the result but not close the
    /// socket, so it decides nothing about the handshake.
    /// </summary>
    private bool CallbacksCannotClose(IInvocationOperation invocation)
    {
        if (invocation.TargetMethod.MethodKind != MethodKind.DelegateInvoke
            || invocation.Instance?.WithoutConversions() is not IParameterReferenceOperation { Parameter: var parameter }
            || parameter.ContainingSymbol is not IMethodSymbol { DeclaredAccessibility: Accessibility.Private or Accessibility.Internal or Accessibility.NotApplicable } method
            || method.DeclaringSyntaxReferences.Length == 0)
        {
            return false;
        }

        var sites = _context.Symbols.Summaries.CallSites(method);
        if (sites.IsEmpty)
        {
            return false;
        }

        foreach (var site in sites)
        {
            var argument = site.Call.Arguments.FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.Parameter?.OriginalDefinition, parameter.OriginalDefinition));
            var value = argument is null ? null : site.Graph.Resolve(argument.Value.WithoutConversions()!);
            if (value is not IDelegateCreationOperation { Target: IFlowAnonymousFunctionOperation lambda }
                || site.Body.Graphs.FirstOrDefault(g => SymbolEqualityComparer.Default.Equals(g.Owner, lambda.Symbol)) is not { } graph
                || graph.Operations.SelectMany(o => o).Any(o => _context.Symbols.IsWebSocket(o.Type)
                    || o is IInvocationOperation { TargetMethod.DeclaringSyntaxReferences.Length: > 0 }
                    || o is IFlowAnonymousFunctionOperation))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A static method from a referenced library (an extension method included), outside the threading namespaces that
    /// hand values on to other code, given what a receiving helper returned (not a receive result, whose consumers may
    /// look at MessageType).
    /// </summary>
    private bool IsLibraryConsumer(IInvocationOperation invocation)
    {
        if (_context.Receive is not null || _context.Result is null || _context.Symbols.IsReceiveResult(TypeOf(_context.Result)))
        {
            return false;
        }

        var method = invocation.TargetMethod;
        if (!method.IsStatic || method.MethodKind == MethodKind.DelegateInvoke || method.DeclaringSyntaxReferences.Length > 0)
        {
            return false;
        }

        var ns = method.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        return !ns.StartsWith("System.Threading", StringComparison.Ordinal);
    }

    private static ITypeSymbol? TypeOf(ISymbol symbol) => symbol switch
    {
        ILocalSymbol local => local.Type,
        IParameterSymbol parameter => parameter.Type,
        IFieldSymbol field => field.Type,
        _ => null,
    };

    private bool Captures(IMethodSymbol lambda)
    {
        foreach (var reference in lambda.DeclaringSyntaxReferences)
        {
            foreach (var token in reference.GetSyntax().DescendantTokens())
            {
                if ((token.ValueText == _context.Socket.Name && !OnlyCompared(token)) || (_context.Result is not null && token.ValueText == _context.Result.Name))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// A call that hands a message on to the code that handles it: an event or delegate, a method of this compilation
    /// (not a receive helper, nor one that only writes it out), or a JSON parser that returns null for empty text (those
    /// that throw end the path as an exception). One also given the result can tell the Close apart itself.
    /// </summary>
    private bool IsDispatch(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (method.MethodKind == MethodKind.DelegateInvoke || IsNullOnEmptyParser(method))
        {
            return true;
        }

        return method.MethodKind is MethodKind.Ordinary or MethodKind.LocalFunction && !method.DeclaringSyntaxReferences.IsEmpty
            && _context.Symbols.Classify(invocation) == SocketCall.None && !OperationFacts.OnlyLooksAt(method)
            && !BodyAnalysis.MayNameReceiveHelper(method.Name);
    }

    /// <summary>
    /// A mention of the socket's name that only compares it with another (<c>p => p.Socket == socket</c>,
    /// <c>ReferenceEquals(c.Ws, socket)</c>): a lookup, which neither keeps nor closes the socket.
    /// </summary>
    private static bool OnlyCompared(SyntaxToken token)
        => token.Parent is IdentifierNameSyntax name
           && (name.Parent is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.EqualsExpression or (int)SyntaxKind.NotEqualsExpression }
               || name.Parent is ArgumentSyntax { Parent.Parent: InvocationExpressionSyntax { Expression: var callee } }
                  && (callee is IdentifierNameSyntax { Identifier.ValueText: "ReferenceEquals" or "Equals" }
                      || callee is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ReferenceEquals" or "Equals" }));

    private static bool Contains(ControlFlowRegion outer, ControlFlowRegion inner)
    {
        for (var region = inner; region is not null; region = region.EnclosingRegion)
        {
            if (region == outer)
            {
                return true;
            }
        }

        return false;
    }

    private static bool Contains(ControlFlowRegion region, BasicBlock block)
        => block.Ordinal >= region.FirstBlockOrdinal && block.Ordinal <= region.LastBlockOrdinal;
}
