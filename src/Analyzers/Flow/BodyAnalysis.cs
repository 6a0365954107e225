using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using WsAnalyzers.Model;

namespace WsAnalyzers.Flow;

/// <summary>A diagnostic-to-be: where, and what a fix needs to know.</summary>
internal sealed class Finding
{
    public Finding(Location location, ImmutableDictionary<string, string?> properties)
    {
        Location = location;
        Properties = properties;
    }

    public Location Location { get; }
    public ImmutableDictionary<string, string?> Properties { get; }
}

/// <summary>One receive and what its close path does.</summary>
internal sealed class ReceiveWalk
{
    public ReceiveWalk(CloseContext context, IInvocationOperation receive, bool inLoop, WalkResult walk)
    {
        Context = context;
        Receive = receive;
        InLoop = inLoop;
        Walk = walk;
    }

    public CloseContext Context { get; }
    public IInvocationOperation Receive { get; }
    public bool InLoop { get; }
    public WalkResult Walk { get; }
}

/// <summary>
/// The socket usage of one member body (with its lambdas and local functions): built once per body and compilation,
/// shared by every rule. Rules read <see cref="IgnoredClose"/>, <see cref="Unacknowledged"/> and <see cref="OpenGuards"/>.
/// </summary>
internal sealed class BodyAnalysis
{
    private const int MaxCallerDepth = 3;

    private readonly WebSocketSymbols _symbols;
    private readonly object _walksLock = new();
    private readonly object _findingsLock = new();
    private ImmutableArray<ReceiveWalk>? _walks;
    private (ImmutableArray<Finding> Ignored, ImmutableArray<Finding> Unacknowledged, ImmutableArray<Finding> Guards)? _findings;
    private StrongBox<ImmutableArray<Finding>>? _helperIgnored;

    private BodyAnalysis(WebSocketSymbols symbols, ControlFlowGraph root, ISymbol owner)
    {
        _symbols = symbols;
        var graphs = new List<GraphInfo>();
        AddGraphs(root, owner, graphs);
        Graphs = graphs.ToImmutableArray();
    }

    /// <summary>The body's own graph first, then those of its lambdas and local functions.</summary>
    public ImmutableArray<GraphInfo> Graphs { get; }

    public static BodyAnalysis For(WebSocketSymbols symbols, ControlFlowGraph graph, ISymbol owner)
    {
        symbols.Summaries.Adopt(graph.OriginalOperation.SemanticModel);
        return symbols.Bodies.GetValue(graph.OriginalOperation.Syntax, _ => new BodyAnalysis(symbols, graph, owner));
    }

    public static BodyAnalysis? ForSyntax(WebSocketSymbols symbols, SyntaxNode root)
    {
        if (symbols.Bodies.TryGetValue(root, out var existing))
        {
            return existing;
        }

        var model = symbols.Summaries.SemanticModelFor(root.SyntaxTree);
        if (model is null)
        {
            return null;
        }

        ControlFlowGraph? graph;
        try
        {
            graph = ControlFlowGraph.Create(root, model, AnalysisCancellation.Token);
        }
        catch (ArgumentException)
        {
            return null;
        }

        if (graph is null)
        {
            return null;
        }

        var owner = model.GetDeclaredSymbol(root) ?? model.GetEnclosingSymbol(root.SpanStart + 1);
        return owner is null ? null : symbols.Bodies.GetValue(root, _ => new BodyAnalysis(symbols, graph, owner));
    }

    public ImmutableArray<ReceiveWalk> Walks
    {
        get
        {
            lock (_walksLock)
            {
                return _walks ??= ComputeWalks();
            }
        }
    }

    /// <summary>
    /// WS1001: receives in loops whose Close is treated as data or received past, and calls in loops of receive helpers
    /// that return after the Close without telling it apart, when the loop calls them again.
    /// </summary>
    public ImmutableArray<Finding> IgnoredClose
    {
        get
        {
            var direct = Findings().Ignored;
            if (Volatile.Read(ref _helperIgnored) is not { } throughHelpers)
            {
                // Computed outside any lock (it reads other bodies' findings); a race computes it twice, the same.
                throughHelpers = new StrongBox<ImmutableArray<Finding>>(ComputeHelperIgnored());
                throughHelpers = Interlocked.CompareExchange(ref _helperIgnored, throughHelpers, null) ?? throughHelpers;
            }

            return throughHelpers.Value.IsEmpty ? direct : direct.AddRange(throughHelpers.Value);
        }
    }

    /// <summary>WS1002: places where the peer's close is seen and some path never acknowledges it.</summary>
    public ImmutableArray<Finding> Unacknowledged => Findings().Unacknowledged;

    /// <summary>WS1004: State == Open guards that skip the acknowledgement.</summary>
    public ImmutableArray<Finding> OpenGuards => Findings().Guards;

    private (ImmutableArray<Finding> Ignored, ImmutableArray<Finding> Unacknowledged, ImmutableArray<Finding> Guards) Findings()
    {
        var walks = Walks;
        lock (_findingsLock)
        {
            return _findings ??= ComputeFindings(walks);
        }
    }

    private static void AddGraphs(ControlFlowGraph graph, ISymbol owner, List<GraphInfo> into)
    {
        var info = new GraphInfo(graph, owner);
        into.Add(info);
        foreach (var operations in info.Operations)
        {
            foreach (var operation in operations)
            {
                if (operation is IFlowAnonymousFunctionOperation lambda)
                {
                    AddGraphs(graph.GetAnonymousFunctionControlFlowGraph(lambda), lambda.Symbol, into);
                }
            }
        }

        foreach (var local in graph.LocalFunctions)
        {
            AddGraphs(graph.GetLocalFunctionControlFlowGraph(local), local, into);
        }
    }

    private ImmutableArray<ReceiveWalk> ComputeWalks()
    {
        var walks = ImmutableArray.CreateBuilder<ReceiveWalk>();
        foreach (var graph in Graphs)
        {
            for (var b = 0; b < graph.Operations.Length; b++)
            {
                var operations = graph.Operations[b];
                for (var i = 0; i < operations.Count; i++)
                {
                    if (operations[i] is not IInvocationOperation receive || _symbols.Classify(receive) != SocketCall.Receive || AwaitsCloseAck(receive))
                    {
                        continue;
                    }

                    var socket = receive.Receiver()?.ReferencedSymbol(graph);
                    var aliases = ImmutableArray<ISymbol>.Empty;
                    ISymbol? holder = null;
                    if (socket is null && HeldSocket(receive.Receiver(), graph) is { } held)
                    {
                        // `session.Socket.ReceiveAsync(..)`: the socket member of an object a local or parameter holds.
                        socket = held.Member;
                        holder = held.Holder;
                    }

                    if (socket is ILocalSymbol snapshot && HeldSnapshotOf(snapshot) is { } heldCopy)
                    {
                        // `var webSocket = resource.WebSocket;` then a loop on webSocket: the member of the object the
                        // parameter or local holds, so `resource.CleanupAsync()` is judged for that socket.
                        socket = heldCopy.Member;
                        holder = heldCopy.Holder;
                    }

                    if (holder is not null && socket is not null)
                    {
                        // `var socket = session.Socket;` elsewhere in the body: the same socket by another name.
                        aliases = CopiesOfHeld(graph, socket, holder);
                    }

                    if (socket is null)
                    {
                        continue;
                    }

                    var block = graph.Graph.Blocks[b];
                    if (socket is ILocalSymbol local && SnapshotOf(local) is { } member)
                    {
                        // `var ws = _ws;` then a loop on ws: the socket is the type's member, judged as such.
                        aliases = ImmutableArray.Create<ISymbol>(local);
                        socket = member;
                    }

                    if (StoredElsewhere(receive))
                    {
                        // `conn.ReceiveTask = conn.Client.ReceiveAsync(..)`: the task is kept for code that awaits it
                        // elsewhere; the Close does not arrive here.
                        continue;
                    }

                    if (StoredTask(receive, graph) is { } task)
                    {
                        // `var receiving = ws.ReceiveAsync(..); await Task.WhenAny(receiving, timeout); r = receiving.Result;`:
                        // the Close arrives where the stored task is awaited or read.
                        foreach (var (consumedIn, consumedAt, consumer) in TaskConsumers(graph, task))
                        {
                            var consumed = new CloseContext(_symbols, graph, socket, receive, ResultOf(consumer, graph), BufferOf(receive, graph), aliases: aliases, holder: holder)
                            {
                                ReceiveTask = task,
                            };
                            walks.Add(new ReceiveWalk(consumed, receive, graph.CanReach(block, block), CloseWalker.From(consumed, consumedIn, consumedAt)));
                        }

                        continue;
                    }

                    var context = new CloseContext(_symbols, graph, socket, receive, ResultOf(receive, graph), BufferOf(receive, graph), aliases: aliases, holder: holder);
                    walks.Add(new ReceiveWalk(context, receive, graph.CanReach(block, block), CloseWalker.From(context, block, i)));
                }
            }
        }

        return walks.ToImmutable();
    }

    /// <summary>The local a receive's task is stored in without being awaited there (<c>var receiving = ws.ReceiveAsync(..);</c>).</summary>
    private static ILocalSymbol? StoredTask(IInvocationOperation receive, GraphInfo graph)
    {
        IOperation task = TaskUse.TaskOf(receive);
        while (task.Parent is IConversionOperation { IsImplicit: true })
        {
            task = task.Parent;
        }

        return task.Parent is ISimpleAssignmentOperation { Target: var target } assignment && assignment.Value == task
            && target.ReferencedSymbol(graph) is ILocalSymbol { Type: INamedTypeSymbol { Name: "Task" or "ValueTask", Arity: 1 } } local
            ? local
            : null;
    }

    /// <summary>Whether a receive's task, not awaited, is stored in a field, property or element (`_pending = ws.ReceiveAsync(..)`).</summary>
    private static bool StoredElsewhere(IInvocationOperation receive)
    {
        IOperation task = TaskUse.TaskOf(receive);
        while (task.Parent is IConversionOperation { IsImplicit: true })
        {
            task = task.Parent;
        }

        return task.Parent is ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation or IArrayElementReferenceOperation } assignment
            && assignment.Value == task;
    }

    /// <summary>Where a stored receive task is awaited or read (<c>await receiving</c>, <c>receiving.Result</c>, <c>GetAwaiter().GetResult()</c>).</summary>
    private static IEnumerable<(BasicBlock Block, int Index, IOperation Consumer)> TaskConsumers(GraphInfo graph, ILocalSymbol task)
    {
        for (var b = 0; b < graph.Operations.Length; b++)
        {
            var operations = graph.Operations[b];
            for (var i = 0; i < operations.Count; i++)
            {
                if (CloseContext.AwaitedTask(operations[i]) is { } awaited && awaited != operations[i].WithoutConversions()
                    && SymbolEqualityComparer.Default.Equals(awaited.ReferencedSymbol(graph), task))
                {
                    yield return (graph.Graph.Blocks[b], i, operations[i]);
                }
            }
        }
    }

    /// <summary>Locals of the graph given <c>holder.Member</c> (<c>var socket = session.Socket;</c>).</summary>
    private static ImmutableArray<ISymbol> CopiesOfHeld(GraphInfo graph, ISymbol member, ISymbol holder)
    {
        var copies = ImmutableArray.CreateBuilder<ISymbol>();
        foreach (var operations in graph.Operations)
        {
            foreach (var operation in operations)
            {
                if (operation is ISimpleAssignmentOperation assignment && assignment.Target.ReferencedSymbol(graph) is ILocalSymbol copy
                    && graph.Resolve(assignment.Value.WithoutConversions()!) is IMemberReferenceOperation { Instance: { } instance } read
                    && SymbolEqualityComparer.Default.Equals(read.Member, member)
                    && SymbolEqualityComparer.Default.Equals(instance.ReferencedSymbol(graph), holder)
                    && !copies.Contains(copy))
                {
                    copies.Add(copy);
                }
            }
        }

        return copies.ToImmutable();
    }

    /// <summary>The socket member and the local or parameter holding its object, for a receiver such as <c>session.Socket</c>.</summary>
    private (ISymbol Member, ISymbol Holder)? HeldSocket(IOperation? receiver, GraphInfo graph)
    {
        if (receiver is not null
            && graph.Resolve(receiver.WithoutConversions()!) is IMemberReferenceOperation { Member: IFieldSymbol or IPropertySymbol { IsIndexer: false }, Instance: { } instance } reference
            && instance.ReferencedSymbol(graph) is ILocalSymbol or IParameterSymbol
            && _symbols.IsWebSocket(reference.Type))
        {
            return (reference.Member, instance.ReferencedSymbol(graph)!);
        }

        return null;
    }

    /// <summary>
    /// A receive that waits for the answer to a close this code sent: under `if (ws.State == WebSocketState.CloseSent)`,
    /// or after the statement `await ws.CloseOutputAsync(..);` earlier in an enclosing block. The Close it returns
    /// completes the handshake this side began; nothing is left to answer.
    /// </summary>
    private static bool AwaitsCloseAck(IInvocationOperation receive)
    {
        var receiver = receive.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } ? access.Expression.ToString() : null;
        for (var node = receive.Syntax; node.Parent is { } parent && node is not (MemberDeclarationSyntax or AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax); node = parent)
        {
            if (parent is IfStatementSyntax { Condition: var condition } test && test.Statement == node
                && condition.DescendantNodes().OfType<IdentifierNameSyntax>().Any(n => n.Identifier.ValueText == "CloseSent"))
            {
                return true;
            }

            if (receiver is not null && node is StatementSyntax statement && parent is BlockSyntax block)
            {
                foreach (var earlier in block.Statements.TakeWhile(x => x != statement))
                {
                    // The close as a statement of its own (`await ws.CloseOutputAsync(..);`), not one inside a branch.
                    var expression = (earlier as ExpressionStatementSyntax)?.Expression;
                    if ((expression is AwaitExpressionSyntax awaited ? awaited.Expression : expression) is InvocationExpressionSyntax call
                        && call.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "CloseOutputAsync" } closed
                        && closed.Expression.ToString() == receiver)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>
    /// WS1001 through a receive helper of this compilation (<c>var text = await ReceiveTextAsync(ws);</c> in a loop): the
    /// helper returns after the peer's Close without any test having told it apart (the empty payload as text, a count,
    /// nothing), so the loop walked from the call, under that assumption, calls it again (or receives itself) and
    /// throws InvalidState. The helper's own unanswered close stays WS1002's, decided in the helper. No fix is offered:
    /// the Close has to be told apart in the helper.
    /// </summary>
    private ImmutableArray<Finding> ComputeHelperIgnored()
    {
        var findings = ImmutableArray.CreateBuilder<Finding>();
        foreach (var graph in Graphs)
        {
            for (var b = 0; b < graph.Operations.Length; b++)
            {
                var block = graph.Graph.Blocks[b];
                var operations = graph.Operations[b];
                for (var i = 0; i < operations.Count; i++)
                {
                    if (operations[i] is not IInvocationOperation call || !MayBeReceiveHelper(call.TargetMethod)
                        || _symbols.Classify(call) != SocketCall.None || !graph.CanReach(block, block))
                    {
                        continue;
                    }

                    foreach (var (socket, returned) in SocketsDroppedBy(call, graph))
                    {
                        var context = new CloseContext(_symbols, graph, socket, receive: null, result: null, buffer: null, dataCall: call, dataValue: returned);
                        if (CloseWalker.From(context, block, i).ReceivesAgain)
                        {
                            findings.Add(new Finding(call.Syntax.GetLocation(), ImmutableDictionary<string, string?>.Empty
                                .Add(FixKeys.ThroughHelper, "true").Add(FixKeys.SocketName, socket.Name)));
                            break;
                        }
                    }
                }
            }
        }

        return findings.ToImmutable();
    }

    /// <summary>A method of this compilation that may be a receive helper (the gate of WS1001's bodies spells the same names).</summary>
    internal static bool MayBeReceiveHelper(IMethodSymbol method)
        => method.MethodKind == MethodKind.Ordinary && !method.IsAbstract && method.DeclaringSyntaxReferences.Length == 1 && MayNameReceiveHelper(method.Name);

    internal static bool MayNameReceiveHelper(string name)
        => name.IndexOf("Receive", StringComparison.Ordinal) >= 0 || name.IndexOf("Read", StringComparison.Ordinal) >= 0;

    /// <summary>
    /// The sockets a call of a receive helper receives on (a socket argument, or the type's socket member on the same
    /// object) and drops the Close of: with what the helper returns then.
    /// </summary>
    private IEnumerable<(ISymbol Socket, Value Returned)> SocketsDroppedBy(IInvocationOperation call, GraphInfo graph)
    {
        var method = call.TargetMethod.OriginalDefinition;
        if (ForSyntax(_symbols, MethodSummaries.RootOf(method.DeclaringSyntaxReferences[0].GetSyntax())) is not { } helper
            || helper.Graphs.IsEmpty || helper.Findings().Ignored.Length > 0)
        {
            // A helper that itself ignores the Close is reported there, once.
            yield break;
        }

        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter is { } parameter && _symbols.IsWebSocket(parameter.Type) && argument.Value.ReferencedSymbol(graph) is { } socket
                && helper.UntoldReturn(s => s is IParameterSymbol p && p.Ordinal == parameter.Ordinal && SymbolEqualityComparer.Default.Equals(p.ContainingSymbol.OriginalDefinition, method)) is { } value)
            {
                yield return (socket, value);
            }
        }

        if (method.IsStatic || call.Instance?.WithoutConversions() is not (null or IInstanceReferenceOperation))
        {
            yield break;
        }

        foreach (var member in helper.Walks.Select(w => w.Context.Socket).Where(s => s is IFieldSymbol or IPropertySymbol).Distinct(SymbolEqualityComparer.Default))
        {
            if (new CloseContext(_symbols, graph, member!, receive: null, result: null, buffer: null).IsOwnMemberCall(call)
                && helper.UntoldReturn(s => SymbolEqualityComparer.Default.Equals(s, member)) is { } value)
            {
                yield return (member!, value);
            }
        }
    }

    /// <summary>The values returned on the ways from <paramref name="start"/> to the graph's exit (null for a return without a value).</summary>
    private static IEnumerable<IOperation?> ReturnsReachableFrom(GraphInfo graph, BasicBlock start)
    {
        var seen = new HashSet<int> { start.Ordinal };
        var work = new Stack<BasicBlock>();
        work.Push(start);
        while (work.Count > 0)
        {
            var block = work.Pop();
            foreach (var branch in new[] { block.FallThroughSuccessor, block.ConditionalSuccessor })
            {
                if (branch?.Destination is not { } destination)
                {
                    continue;
                }

                if (destination.Kind == BasicBlockKind.Exit)
                {
                    if (branch.Semantics is ControlFlowBranchSemantics.Return or ControlFlowBranchSemantics.Regular)
                    {
                        yield return branch.Semantics == ControlFlowBranchSemantics.Return ? block.BranchValue : null;
                    }
                }
                else if (seen.Add(destination.Ordinal))
                {
                    work.Push(destination);
                }
            }
        }
    }

    /// <summary>
    /// For a helper body: what it returns, from its own graph, on paths after a receive on a socket <paramref name="isSocket"/>
    /// accepts returned a Close that no test told apart, when the returned value says nothing of the Close (no
    /// MessageType, CloseStatus or State, not the result itself). Text is the empty payload's <c>""</c>; Unknown when
    /// the returns disagree. Null when no such path returns.
    /// </summary>
    private Value? UntoldReturn(Func<ISymbol, bool> isSocket)
    {
        Value? agreed = null;
        foreach (var walk in Walks)
        {
            if (walk.Context.Graph != Graphs[0] || !isSocket(walk.Context.Socket))
            {
                continue;
            }

            foreach (var exit in walk.Walk.Unacknowledged)
            {
                if (exit.Kind != ExitKind.Return || exit.ToldApart || ReturnTellsClose(exit.Returned, walk.Context))
                {
                    continue;
                }

                agreed = Agree(agreed, ValueOf(exit.Returned));
            }

            if (walk.Walk.Acknowledged && ReturnedAfterAnswering(walk.Context) is { } answered)
            {
                // It answers the Close and returns: its caller goes on with a closed socket, told only by the value.
                agreed = Agree(agreed, answered);
            }
        }

        return agreed;

        static Value Agree(Value? agreed, Value value)
            => agreed is null || (agreed.Value.Kind == value.Kind && Equals(agreed.Value.Constant, value.Constant)) ? value : Value.Unknown;

        static Value ValueOf(IOperation? returned)
        {
            var value = CloseEvaluator.Returned(returned);
            return value.Kind == ValueKind.Unknown && returned?.Type?.SpecialType == SpecialType.System_String ? Value.Of("") : value;
        }

        // What the graph returns after a close of the socket, when every return reachable from every close agrees on a
        // known value ("" for text) and none reads the Close; null otherwise (or when nothing returns: it throws).
        static Value? ReturnedAfterAnswering(CloseContext context)
        {
            var graph = context.Graph;
            Value? agreed = null;
            for (var b = 0; b < graph.Operations.Length; b++)
            {
                if (!graph.Operations[b].Any(o => o is IInvocationOperation close && context.Symbols.Classify(close) is SocketCall.Close or SocketCall.CloseOutput
                    && context.IsSocket(close.Receiver())))
                {
                    continue;
                }

                foreach (var returned in ReturnsReachableFrom(graph, graph.Graph.Blocks[b]))
                {
                    if (ReturnTellsClose(returned, context))
                    {
                        return null;
                    }

                    var value = ValueOf(returned);
                    if (value.Kind == ValueKind.Unknown && returned is not null || agreed is { } known && Agree(known, value).Kind == ValueKind.Unknown && value.Kind != ValueKind.Unknown)
                    {
                        return null;
                    }

                    agreed = value;
                }
            }

            return agreed;
        }
    }

    /// <summary>
    /// A receive helper's untold return (the Close handed back as data) that a caller in sight calls in a loop that calls
    /// it again (or receives itself) without telling the Close apart: WS1001 is reported at the helper's receive, and
    /// the callers' loops are not reported again (<see cref="ComputeHelperIgnored"/> skips a helper reported there).
    /// </summary>
    private bool CalledAgainByLoop(CloseContext context, Exit exit)
        => exit.Kind == ExitKind.Return && !exit.ToldApart && context.Receive is not null && !ReturnTellsClose(exit.Returned, context)
            && context.Graph.Owner is IMethodSymbol { MethodKind: MethodKind.Ordinary } function && MayBeReceiveHelper(function)
            && AnyDataCaller(context, function, (site, walk) => site.Graph.CanReach(site.Block, site.Block) && walk.ReceivesAgain);

    /// <summary>
    /// A helper whose message loop takes the Close's empty payload as data and returns (it breaks on EndOfMessage), called
    /// by loops that do tell the Close apart afterwards (<c>while (_ws.State == WebSocketState.Open) await ReadAsync();</c>):
    /// the Close is noticed, one level up, and what stays unanswered is WS1002's.
    /// </summary>
    private bool CallersTellApart(ReceiveWalk walk)
        => !walk.Walk.ReceivesAgain && walk.Context.Receive is not null && walk.Context.Holder is null
            && walk.Context.Graph.Owner is IMethodSymbol { MethodKind: MethodKind.Ordinary } function
            && walk.Walk.Unacknowledged.Any(e => e.Kind == ExitKind.Return)
            && EveryDataCaller(walk.Context, function, (_, callerWalk) => callerWalk.ToldApart && !callerWalk.ReceivesAgain);

    /// <summary>
    /// Whether the helper has callers in sight and each one, walked from the call as WS1001's walks are (the helper's call
    /// standing for what it hands back after a Close, as plain data), passes <paramref name="check"/>. False when a
    /// caller's socket cannot be named (an object out of sight).
    /// </summary>
    private bool EveryDataCaller(CloseContext context, IMethodSymbol function, Func<CallSite, WalkResult, bool> check)
        => DataCallers(context, function, check, every: true);

    /// <summary>Whether some caller in sight, walked as in <see cref="EveryDataCaller"/>, passes <paramref name="check"/>.</summary>
    private bool AnyDataCaller(CloseContext context, IMethodSymbol function, Func<CallSite, WalkResult, bool> check)
        => DataCallers(context, function, check, every: false);

    private bool DataCallers(CloseContext context, IMethodSymbol function, Func<CallSite, WalkResult, bool> check, bool every)
    {
        var sites = _symbols.Summaries.CallSites(function);
        if (sites.IsEmpty)
        {
            return false;
        }

        var returned = UntoldReturn(s => SymbolEqualityComparer.Default.Equals(s, context.Socket)) ?? Value.Unknown;
        foreach (var site in sites)
        {
            ISymbol? socket = context.Socket switch
            {
                IParameterSymbol parameter => site.Call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == parameter.Ordinal)?.Value.ReferencedSymbol(site.Graph),
                IFieldSymbol or IPropertySymbol when site.Call.Instance?.WithoutConversions() is null or IInstanceReferenceOperation => context.Socket,
                _ => null,
            };
            if (socket is null)
            {
                if (every)
                {
                    return false;
                }

                continue;
            }

            var caller = new CloseContext(_symbols, site.Graph, socket, receive: null, result: null, buffer: null, dataCall: site.Call, dataValue: returned);
            if (check(site, CloseWalker.From(caller, site.Block, site.Index, depth: 1)) != every)
            {
                return !every;
            }
        }

        return every;
    }

    /// <summary>Whether a value a receive helper returns reads the Close: MessageType, CloseStatus or State, the result itself, the socket.</summary>
    private static bool ReturnTellsClose(IOperation? returned, CloseContext context)
    {
        foreach (var operation in returned?.DescendantsAndSelf() ?? Enumerable.Empty<IOperation>())
        {
            switch (operation)
            {
                case IFlowCaptureReferenceOperation:
                    // A value chosen by a branch of the return expression: not judged.
                    return true;
                case IPropertyReferenceOperation { Property.Name: "MessageType" or "CloseStatus" or "CloseStatusDescription" or "State" }:
                    return true;
                case ILocalReferenceOperation local when context.IsResult(local.Local)
                    && operation.Parent is not IPropertyReferenceOperation { Property.Name: "Count" or "EndOfMessage" }:
                    return true;
                case ILocalReferenceOperation local when SymbolEqualityComparer.Default.Equals(local.Local, context.ReceiveTask):
                    // `return await receiving;`: the stored receive's own result.
                    return true;
            }

            if (operation.ReferencedSymbol(context.Graph) is { } symbol && context.IsSocket(symbol))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The socket member and its holder a local is a copy of (<c>var ws = session.Socket;</c>, <c>session</c> a parameter
    /// or local): every write to the local in this body reads that member of that holder. Null otherwise.
    /// </summary>
    private (ISymbol Member, ISymbol Holder)? HeldSnapshotOf(ILocalSymbol local)
    {
        (ISymbol Member, ISymbol Holder)? found = null;
        foreach (var (graph, assignment) in WritesOf(local))
        {
            if (HeldSocket(assignment.Value, graph) is not { } held
                || found is { } earlier && (!SymbolEqualityComparer.Default.Equals(earlier.Member, held.Member) || !SymbolEqualityComparer.Default.Equals(earlier.Holder, held.Holder)))
            {
                return null;
            }

            found = held;
        }

        return found;
    }

    /// <summary>
    /// The field or property a local is a copy of (`var ws = _ws;`, `var c = this.Connection;`): every write to the
    /// local in this body reads the same member of this object. Null otherwise.
    /// </summary>
    private ISymbol? SnapshotOf(ILocalSymbol local)
    {
        ISymbol? member = null;
        foreach (var (graph, assignment) in WritesOf(local))
        {
            if (graph.Resolve(assignment.Value).ReferencedSymbol(graph) is not { } read || read is not (IFieldSymbol or IPropertySymbol)
                || (member is not null && !SymbolEqualityComparer.Default.Equals(member, read)))
            {
                return null;
            }

            member = read;
        }

        return member is not null && _symbols.IsWebSocket(MemberType(member)) ? member : null;
    }

    /// <summary>Every assignment to a local in this body's graphs (lambdas and local functions included), with its graph.</summary>
    private IEnumerable<(GraphInfo Graph, ISimpleAssignmentOperation Assignment)> WritesOf(ILocalSymbol local)
    {
        foreach (var graph in Graphs)
        {
            foreach (var operations in graph.Operations)
            {
                foreach (var operation in operations)
                {
                    if (operation is ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment
                        && SymbolEqualityComparer.Default.Equals(target.Local, local))
                    {
                        yield return (graph, assignment);
                    }
                }
            }
        }
    }

    private static ITypeSymbol? MemberType(ISymbol member) => member switch
    {
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        _ => null,
    };

    private (ImmutableArray<Finding>, ImmutableArray<Finding>, ImmutableArray<Finding>) ComputeFindings(ImmutableArray<ReceiveWalk> walks)
    {
        var ignored = new List<Finding>();
        var unacknowledged = new Dictionary<TextSpan2, Finding>();
        var guards = new Dictionary<TextSpan2, Finding>();
        // A loop ignores the Close when it receives again without telling it apart, or uses the Close's empty payload
        // as data and never looks for the Close at all. Decoding the payload before the loop's own condition (or a later
        // test) notices the Close is not reported here: the loop does end, and an unanswered end is WS1002's.
        // A path that handed the Close to code the walk cannot judge (an undecidable test on the result) may be where the
        // loop looks: the data verdict needs every path judged.
        // A loop that hands the Close's empty payload to its handler before any test looks is reported too, even when its
        // condition ends it afterwards: the handler got the Close as a message.
        var ignoring = walks.Where(w => w.InLoop && (w.Walk.ReceivesAgain || (w.Walk.DispatchesCloseAsData && !w.Walk.Acknowledged)
            || (w.Walk.TreatsCloseAsData && !w.Walk.ToldApart && !w.Walk.Escapes && !CallersTellApart(w)))).ToList();
        foreach (var walk in walks)
        {
            var properties = FixProperties(walk);

            if (ignoring.Contains(walk))
            {
                if (!ReadsRestOfMessage(walk, walks))
                {
                    ignored.Add(new Finding(walk.Receive.Syntax.GetLocation(), properties));
                    if (!walk.Walk.Acknowledged && (walk.Walk.Unacknowledged.Any(exit => IsReported(exit, walk.Context, 0)) || HandedToNoAnswer(walk)))
                    {
                        // The Close such a loop takes for data (or receives past) is never answered either: WS1002 too,
                        // at the same receive. It has no fix of its own: WS1001's fix adds the Close branch with its
                        // acknowledgement, which clears both.
                        unacknowledged[new TextSpan2(walk.Receive.Syntax)] = new Finding(walk.Receive.Syntax.GetLocation(),
                            ImmutableDictionary<string, string?>.Empty.Add(FixKeys.SocketName, walk.Context.Socket.Name));
                    }
                }

                continue;
            }

            if (ReadsRestOfMessage(walk, walks) && walks.Any(w => w != walk && (w.Walk.Acknowledged || ignoring.Contains(w)) && w.Context.Result is { } first
                && SymbolEqualityComparer.Default.Equals(first, walk.Context.Result)))
            {
                // The message's first receive answers a Close (or is reported for ignoring it): a Close between the pieces
                // of one message (legal, but rare) is left alone; the Close that starts a message is judged there.
                continue;
            }

            var reported = false;
            var calledAgain = false;
            foreach (var exit in walk.Walk.Unacknowledged)
            {
                if (!calledAgain && CalledAgainByLoop(walk.Context, exit))
                {
                    // A receive helper that hands the Close back as data to a loop that calls it again: WS1001 at this
                    // receive (where the Close has to be told apart; no fix is offered), and WS1002 where it returns.
                    calledAgain = true;
                    ignored.Add(new Finding(walk.Receive.Syntax.GetLocation(), ImmutableDictionary<string, string?>.Empty
                        .Add(FixKeys.ThroughHelper, "true").Add(FixKeys.SocketName, walk.Context.Socket.Name)));
                }

                if (!IsReported(exit, walk.Context, 0))
                {
                    continue;
                }

                reported = true;
                Unanswered(walk, exit.ObservedAt, properties);
            }

            if (HandedToNoAnswer(walk))
            {
                // The Close is handed to an event, a handler, a caller or another owner, but nothing any of them can call
                // answers it (or nothing in reach closes a socket at all).
                foreach (var at in walk.Walk.EscapedAt)
                {
                    reported = true;
                    Unanswered(walk, at, properties);
                }
            }

            if (reported)
            {
                foreach (var guard in walk.Walk.OpenGuards)
                {
                    guards[new TextSpan2(guard.GuardSyntax())] = new Finding(guard.GuardSyntax().GetLocation(), ImmutableDictionary<string, string?>.Empty);
                }
            }
        }

        foreach (var guard in HelperGuardsReachedFromClosePaths().Concat(MemberGuardsReachedFromClosePaths()))
        {
            guards[new TextSpan2(guard)] = new Finding(guard, ImmutableDictionary<string, string?>.Empty);
        }

        foreach (var guard in GuardsAfterHelpersThatSawTheClose())
        {
            guards[new TextSpan2(guard.GuardSyntax())] = new Finding(guard.GuardSyntax().GetLocation(), ImmutableDictionary<string, string?>.Empty);
        }

        return (ignored.ToImmutableArray(), unacknowledged.Values.OrderBy(f => f.Location.SourceSpan.Start).ToImmutableArray(),
            guards.Values.OrderBy(f => f.Location.SourceSpan.Start).ToImmutableArray());

        // A WS1002 finding where the close was seen, with the value its condition had for a Close (the fix's branch).
        void Unanswered(ReceiveWalk walk, IOperation at, ImmutableDictionary<string, string?> properties)
        {
            var exitProperties = walk.Walk.ObservedValues.TryGetValue(at, out var value)
                ? properties.Add(FixKeys.CloseWhen, value ? "true" : "false")
                : properties;
            unacknowledged[new TextSpan2(at.Syntax)] = new Finding(at.Syntax.GetLocation(), exitProperties.Add(FixKeys.SocketName, walk.Context.Socket.Name));
        }
    }

    /// <summary>
    /// The Close is handed to an event, a handler, a caller or another owner, but nothing any of them can call answers it
    /// (or nothing in reach closes a socket at all).
    /// </summary>
    private bool HandedToNoAnswer(ReceiveWalk walk)
        => !walk.Walk.Acknowledged && walk.Walk.EscapedAt.Count > 0
           && (!_symbols.MayCloseSockets
               || walk.Context.Holder is null && walk.Context.Socket is IFieldSymbol or IPropertySymbol && _symbols.Summaries.NoMemberCanAnswer(walk.Context.Socket));

    /// <summary>
    /// A receive in a loop that runs while its result's <c>EndOfMessage</c> is false, into the result an earlier receive
    /// stored (<c>while (!result.EndOfMessage) { result = await ws.ReceiveAsync(..); }</c>): it reads the rest of that
    /// receive's message, and the earlier receive's verdict speaks for the message (reported once, where it starts).
    /// </summary>
    private static bool ReadsRestOfMessage(ReceiveWalk walk, ImmutableArray<ReceiveWalk> walks)
    {
        if (walk.Context.Result is not ILocalSymbol result
            || !walks.Any(w => w != walk && SymbolEqualityComparer.Default.Equals(w.Context.Result, result) && w.Receive.Syntax.SpanStart < walk.Receive.Syntax.SpanStart))
        {
            return false;
        }

        // The graph's operations have no loops left: the loop is found in the syntax (in the function that declares the
        // local, where its name cannot mean anything else).
        for (var current = walk.Receive.Syntax.Parent; current is not null and not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax; current = current.Parent)
        {
            if (current is WhileStatementSyntax { Condition: { } condition }
                && condition.DescendantNodesAndSelf().OfType<MemberAccessExpressionSyntax>().Any(m => m.Name.Identifier.ValueText == "EndOfMessage"
                    && m.Expression is IdentifierNameSyntax name && name.Identifier.ValueText == result.Name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Guards in this body reached after a call that receives on the socket and returns when the peer closed (a
    /// ReceiveString helper returning null on Close): the caller's <c>State == Open</c> close is then skipped.
    /// </summary>
    private IEnumerable<IOperation> GuardsAfterHelpersThatSawTheClose()
    {
        foreach (var graph in Graphs)
        {
            // Only a graph that closes a socket can hold such a guard: skip the interprocedural work elsewhere.
            if (!graph.Operations.Any(ops => ops.Any(o => o is IInvocationOperation close && _symbols.Classify(close) is SocketCall.Close or SocketCall.CloseOutput)))
            {
                continue;
            }

            for (var b = 0; b < graph.Operations.Length; b++)
            {
                var operations = graph.Operations[b];
                for (var i = 0; i < operations.Count; i++)
                {
                    if (operations[i] is not IInvocationOperation call || _symbols.Classify(call) != SocketCall.None)
                    {
                        continue;
                    }

                    foreach (var argument in call.Arguments)
                    {
                        if (argument.Parameter is not { } parameter || !_symbols.IsWebSocket(parameter.Type)
                            || argument.Value.ReferencedSymbol(graph) is not { } socket || ReturnedOnClose(call.TargetMethod, parameter.Ordinal) is not { } returned)
                        {
                            continue;
                        }

                        var context = new CloseContext(_symbols, graph, socket, receive: null, result: ResultOf(call, graph), buffer: null, returned);
                        var walk = CloseWalker.From(context, graph.Graph.Blocks[b], i, depth: 1);
                        if (walk.Unacknowledged.Any(exit => IsReported(exit, context, 1)))
                        {
                            foreach (var guard in walk.OpenGuards)
                            {
                                yield return guard;
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// For a method of this compilation that receives on the socket parameter and returns, unanswered, when the peer
    /// closes: what it returns then (Unknown unless every such return agrees). Null when it never returns on a close.
    /// </summary>
    private Value? ReturnedOnClose(IMethodSymbol method, int ordinal)
    {
        method = method.OriginalDefinition;
        if (method.DeclaringSyntaxReferences.FirstOrDefault() is not { } reference
            || ForSyntax(_symbols, MethodSummaries.RootOf(reference.GetSyntax())) is not { } body)
        {
            return null;
        }

        Value? agreed = null;
        foreach (var walk in body.Walks)
        {
            if (walk.Context.Socket is not IParameterSymbol p || p.Ordinal != ordinal || !SymbolEqualityComparer.Default.Equals(p.ContainingSymbol, method))
            {
                continue;
            }

            foreach (var exit in walk.Walk.Unacknowledged)
            {
                if (exit.Kind != ExitKind.Return)
                {
                    continue;
                }

                var value = CloseEvaluator.Returned(exit.Returned);
                agreed = agreed is null || Same(agreed.Value, value) ? value : Value.Unknown;
            }
        }

        return agreed;

        static bool Same(Value a, Value b) => a.Kind == b.Kind && Equals(a.Constant, b.Constant);
    }

    /// <summary>
    /// Guards in this body's method, as a member of a type that keeps its socket in a field or property (a Stop or
    /// Disconnect that closes only while Open), reached from a close path that is reported.
    /// </summary>
    private IEnumerable<Location> MemberGuardsReachedFromClosePaths()
    {
        if (Graphs.IsEmpty || Graphs[0].Owner is not IMethodSymbol { MethodKind: MethodKind.Ordinary or MethodKind.ExplicitInterfaceImplementation } method)
        {
            yield break;
        }

        foreach (var member in method.ContainingType.GetMembers())
        {
            if (member is not (IFieldSymbol or IPropertySymbol) || !_symbols.IsWebSocket(MemberType(member)))
            {
                continue;
            }

            var summary = _symbols.Summaries.ForMember(method, member, 0);
            if (summary is null || summary.OpenGuards.IsEmpty)
            {
                continue;
            }

            var reached = _symbols.Summaries.CallSites(method).Any(site => site.Body.Walks.Any(w =>
                w.Walk.SourceCalls.Any(call => call.Syntax == site.Call.Syntax)
                && w.Walk.Unacknowledged.Any(exit => site.Body.IsReported(exit, w.Context, 0))));
            if (reached)
            {
                // Guards of helpers this member calls are reported in their own bodies.
                var own = Graphs[0].Graph.OriginalOperation.Syntax;
                foreach (var guard in summary.OpenGuards.Where(g => g.SourceTree == own.SyntaxTree && own.Span.Contains(g.SourceSpan)))
                {
                    yield return guard;
                }
            }
        }
    }

    /// <summary>Guards in this body's methods, when treated as helpers, that a caller reaches on its close path.</summary>
    private IEnumerable<Location> HelperGuardsReachedFromClosePaths()
    {
        foreach (var graph in Graphs)
        {
            if (graph.Owner is not IMethodSymbol method)
            {
                continue;
            }

            foreach (var parameter in method.Parameters)
            {
                if (!_symbols.IsWebSocket(parameter.Type))
                {
                    continue;
                }

                var summary = _symbols.Summaries.ForParameter(method, parameter, 0);
                if (summary is null || summary.OpenGuards.IsEmpty)
                {
                    continue;
                }

                var reached = _symbols.Summaries.CallSites(method).Any(site =>
                    site.Body.Walks.Any(w => w.Walk.SourceCalls.Any(call => call.Syntax == site.Call.Syntax)));
                if (reached)
                {
                    foreach (var guard in summary.OpenGuards)
                    {
                        yield return guard;
                    }
                }
            }
        }
    }

    /// <summary>Whether an unanswered way out of a walk in one of this body's graphs is a bug, given who owns the socket.</summary>
    internal bool IsReported(Exit exit, CloseContext context, int depth)
    {
        if (exit.Kind is ExitKind.Dispose or ExitKind.Abort or ExitKind.Replace || !_symbols.MayCloseSockets)
        {
            // Nothing in reach closes any socket: whoever the socket goes to, the Close stays unanswered.
            return true;
        }

        if (context.Holder is IParameterSymbol { ContainingSymbol: IMethodSymbol holderMethod } holderParameter
            && SymbolEqualityComparer.Default.Equals(holderMethod, context.Graph.Owner))
        {
            // `session.Socket` of a parameter `session`: the callers that pass the object decide, walked from the call.
            return depth < MaxCallerDepth ? !HolderCallersAcknowledge(holderMethod, holderParameter.Ordinal, context.Socket, depth, exit.Kind == ExitKind.Throw) : DepthCut.Cut(false);
        }

        if (context.Holder is not null)
        {
            // A caller's walk of the object that keeps the socket (`await session.RunAsync()`): the caller owns that
            // object unless it hands it on.
            return context.Holder is ILocalSymbol holder && SymbolEqualityComparer.Default.Equals(holder.ContainingSymbol, context.Graph.Owner)
                && !Escapes(context.Graph, holder);
        }

        switch (context.Socket)
        {
            case ILocalSymbol local when !SymbolEqualityComparer.Default.Equals(local.ContainingSymbol, context.Graph.Owner):
                // Captured from the enclosing method (a receive loop in Task.Run): that method may close it once the
                // loop's task completes, so follow it from where the lambda is made.
                return CapturedSocketUnanswered(context.Graph, local, depth);
            case ILocalSymbol local:
                return !Escapes(context.Graph, local);
            case IParameterSymbol { ContainingSymbol: IMethodSymbol method } parameter when KeptWhereClosed(parameter):
                return false;
            case IParameterSymbol { ContainingSymbol: IMethodSymbol method } parameter:
                return depth < MaxCallerDepth ? !CallersAcknowledge(method, parameter.Ordinal, depth, exit.Kind == ExitKind.Throw) : DepthCut.Cut(false);
            case IFieldSymbol or IPropertySymbol:
                return _symbols.Summaries.NoMemberCanAnswer(context.Socket) || MemberSocketUnanswered(context, depth);
            default:
                return false;
        }
    }

    /// <summary>
    /// A socket kept in a field or property, left unanswered when the walked member returns: decided on the path. The
    /// member's callers in sight are walked from the call (the same object: `await ReceiveLoop()` in RunAsync, or a
    /// holder: `await session.RunAsync()`); a close elsewhere in the type that nothing on the path calls does not count.
    /// Without a caller in sight the type decides: it owns the socket when it creates or accepts it.
    /// </summary>
    private bool MemberSocketUnanswered(CloseContext context, int depth)
    {
        var member = context.Socket;
        if (context.Graph.Owner is not IMethodSymbol { MethodKind: not (MethodKind.AnonymousFunction or MethodKind.LocalFunction) } function)
        {
            return OwnsMemberSocket(member, function: null);
        }

        if (_symbols.Summaries.ForMember(function, member, depth + 1)?.Outcome == HelperOutcome.Closes)
        {
            // Called again after the peer closed (a poll), the member answers first.
            return false;
        }

        var sites = _symbols.Summaries.CallSites(function);
        if (depth >= MaxCallerDepth)
        {
            return DepthCut.Cut(false);
        }

        if (sites.IsEmpty)
        {
            // No caller in sight: the type decides, unless calls too many to bind may hide one.
            return _symbols.Summaries.AllCallSitesKnown(function) && OwnsMemberSocket(member, function);
        }

        foreach (var site in sites)
        {
            var instance = site.Call.Instance?.WithoutConversions();
            ISymbol? holder = null;
            var aliases = ImmutableArray<ISymbol>.Empty;
            if (instance is not null and not IInstanceReferenceOperation)
            {
                holder = instance.ReferencedSymbol(site.Graph);
                if (holder is not ILocalSymbol local)
                {
                    // The object comes from a parameter, a field or an expression: its owner is out of sight here.
                    continue;
                }

                aliases = SocketsGivenAtCreation(site.Graph, local, member);
            }

            if (!IsAwaitedOrSynchronous(site.Call))
            {
                // Started and left running (`_ = ReceiveLoop()`): nothing after the call waits for the loop to end.
                if (holder is null ? OwnsMemberSocket(member, function) : !Escapes(site.Graph, (ILocalSymbol)holder))
                {
                    return true;
                }

                continue;
            }

            var caller = new CloseContext(_symbols, site.Graph, member, receive: null, result: ResultOf(site.Call, site.Graph), buffer: null,
                Value.Unknown, holder, aliases);
            var walk = CloseWalker.From(caller, site.Block, site.Index, depth + 1);
            if (walk.Unacknowledged.Any(exit => site.Body.IsReported(exit, caller, depth + 1)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the type that keeps a socket in this member owns it: it creates or accepts its sockets. A member the
    /// type is given (a constructor parameter) belongs to code out of sight, unless a caller in sight is walked.
    /// A public member that returns a value tells callers out of sight about the close through it: their business.
    /// </summary>
    private bool OwnsMemberSocket(ISymbol member, IMethodSymbol? function)
    {
        if (function is { DeclaredAccessibility: Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal }
            && !function.ReturnsVoid && function.ReturnType is not INamedTypeSymbol { Name: "Task" or "ValueTask", Arity: 0 })
        {
            return false;
        }

        return member.ContainingType is { } type && _symbols.Summaries.CreatesSockets(type);
    }

    /// <summary>The sockets a holder local was constructed with (`new Session(ws)`), the caller's names for its member.</summary>
    private static ImmutableArray<ISymbol> SocketsGivenAtCreation(GraphInfo graph, ILocalSymbol holder, ISymbol member)
    {
        var sockets = ImmutableArray.CreateBuilder<ISymbol>();
        foreach (var operations in graph.Operations)
        {
            foreach (var operation in operations)
            {
                if (operation is ISimpleAssignmentOperation assignment
                    && SymbolEqualityComparer.Default.Equals(assignment.Target.ReferencedSymbol(graph), holder)
                    && graph.Resolve(assignment.Value) is IObjectCreationOperation creation)
                {
                    foreach (var argument in creation.Arguments)
                    {
                        if (argument.Value.ReferencedSymbol(graph) is { } socket && argument.Parameter is { } parameter
                            && AssignsParameterTo(creation.Constructor, parameter, member))
                        {
                            sockets.Add(socket);
                        }
                    }

                    if (creation.Initializer is { } initializer)
                    {
                        foreach (var init in initializer.Initializers)
                        {
                            if (init is ISimpleAssignmentOperation { Target: IMemberReferenceOperation target } set
                                && SymbolEqualityComparer.Default.Equals(target.Member.OriginalDefinition, member.OriginalDefinition)
                                && set.Value.ReferencedSymbol(graph) is { } given)
                            {
                                sockets.Add(given);
                            }
                        }
                    }
                }
            }
        }

        return sockets.ToImmutable();
    }

    /// <summary>Whether a constructor stores one of its parameters in the member (`_ws = ws;`, a primary constructor's capture aside).</summary>
    private static bool AssignsParameterTo(IMethodSymbol? constructor, IParameterSymbol parameter, ISymbol member)
    {
        if (constructor?.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not { } syntax)
        {
            return false;
        }

        foreach (var assignment in syntax.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.AssignmentExpressionSyntax>())
        {
            var left = assignment.Left is Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax access ? access.Name : assignment.Left;
            if (left is Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax name && name.Identifier.ValueText == member.Name
                && assignment.Right is Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax value && value.Identifier.ValueText == parameter.Name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the caller waits for the call to finish before going on: awaited, synchronous, or waited on.</summary>
    private static bool IsAwaitedOrSynchronous(IInvocationOperation call)
    {
        var type = call.TargetMethod.ReturnType;
        if (call.TargetMethod.ReturnsVoid && !call.TargetMethod.IsAsync)
        {
            return true;
        }

        if (type is not INamedTypeSymbol { Name: "Task" or "ValueTask" })
        {
            return true;
        }

        IOperation current = call;
        while (current.Parent is IConversionOperation
               || current.Parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure && configure.Instance == current)
        {
            current = current.Parent;
        }

        return current.Parent is IAwaitOperation
            || current.Parent is IInvocationOperation { TargetMethod.Name: "Wait" or "GetAwaiter" } wait && wait.Instance == current
            || current.Parent is IPropertyReferenceOperation { Property.Name: "Result" };
    }

    /// <summary>Whether every caller in sight acknowledges after the method returns on the close path; true when none is in sight.</summary>
    private bool CallersAcknowledge(IMethodSymbol method, int ordinal, int depth, bool throws)
        => _symbols.Summaries.CallersAcknowledge(method, ordinal, depth, throws, () => ComputeCallersAcknowledge(method, ordinal, depth, throws));

    /// <summary>
    /// Walks each call site with the caller's argument as the socket: from just after the call when the method returns on
    /// the close path, or along the exception's way out of the call (catch, finally, using) when it throws.
    /// </summary>
    private bool ComputeCallersAcknowledge(IMethodSymbol method, int ordinal, int depth, bool throws)
    {
        foreach (var site in _symbols.Summaries.CallSites(method))
        {
            var argument = site.Call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == ordinal);
            var socket = argument?.Value.ReferencedSymbol(site.Graph);
            ISymbol? holder = null;
            if (socket is null && argument is not null && site.Graph.Resolve(argument.Value.WithoutConversions()!) is IMemberReferenceOperation { Member: IPropertySymbol or IFieldSymbol, Instance: { } instance } member
                && instance.ReferencedSymbol(site.Graph) is ILocalSymbol local && _symbols.IsWebSocket(member.Type))
            {
                // `Handle(wsContext.WebSocket)`: the socket of the object a local of the caller holds.
                socket = member.Member;
                holder = local;
            }

            if (socket is null || ClosesSomewhere(site.Graph, socket, direct: false, except: site.Call))
            {
                continue;
            }

            // What the method returns is how it reports the close (null, a message with Close, a flag): conditions on
            // it are close checks the caller makes, judged like those on a receive result.
            var context = new CloseContext(_symbols, site.Graph, socket, receive: null, result: ResultOf(site.Call, site.Graph), buffer: null,
                ReturnedOnClose(method, ordinal) ?? Value.Unknown, holder: holder);
            if (CallerLeavesUnanswered(site, context, depth, throws))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Walks a caller from its call (or along the exception's way out of it, when the method throws on the close path)
    /// and asks its body whether a way out leaves the close unanswered.
    /// </summary>
    private static bool CallerLeavesUnanswered(CallSite site, CloseContext context, int depth, bool throws)
    {
        var walk = throws
            ? CloseWalker.FromThrowingCall(context, site.Block, site.Call, depth + 1)
            : CloseWalker.From(context, site.Block, site.Index, depth + 1);
        return walk.Unacknowledged.Any(exit => site.Body.IsReported(exit, context, depth + 1));
    }

    /// <summary>
    /// For a socket member read through a parameter (<c>session.Socket</c>): walks each call site with the caller's
    /// argument as the holder, as <see cref="ComputeCallersAcknowledge"/> does for a socket parameter. Arguments that are
    /// not a local or parameter of the caller (a field, an expression) belong to code this walk does not follow.
    /// </summary>
    private bool HolderCallersAcknowledge(IMethodSymbol method, int ordinal, ISymbol member, int depth, bool throws)
    {
        foreach (var site in _symbols.Summaries.CallSites(method))
        {
            var argument = site.Call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == ordinal);
            if (argument?.Value.ReferencedSymbol(site.Graph) is not (ILocalSymbol or IParameterSymbol) || argument.Value.ReferencedSymbol(site.Graph) is not { } holder)
            {
                continue;
            }

            var context = new CloseContext(_symbols, site.Graph, member, receive: null, result: ResultOf(site.Call, site.Graph), buffer: null,
                Value.Unknown, holder: holder);
            if (CallerLeavesUnanswered(site, context, depth, throws))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// For a socket a lambda captures: whether the enclosing code, walked from where the lambda is made with the peer's
    /// close assumed, leaves it unanswered. A local function (no creation point) counts as answered if its enclosing
    /// body closes the socket anywhere.
    /// </summary>
    private bool CapturedSocketUnanswered(GraphInfo inner, ILocalSymbol local, int depth)
    {
        if (depth >= MaxCallerDepth)
        {
            return DepthCut.Cut(false);
        }

        foreach (var graph in Graphs)
        {
            for (var b = 0; b < graph.Operations.Length; b++)
            {
                var operations = graph.Operations[b];
                for (var i = 0; i < operations.Count; i++)
                {
                    if (operations[i] is not IFlowAnonymousFunctionOperation lambda || !SymbolEqualityComparer.Default.Equals(lambda.Symbol, inner.Owner))
                    {
                        continue;
                    }

                    var context = new CloseContext(_symbols, graph, local, receive: null, result: null, buffer: null);
                    var walk = CloseWalker.From(context, graph.Graph.Blocks[b], i, depth + 1);
                    return walk.Unacknowledged.Any(exit => exit.Kind is ExitKind.Dispose or ExitKind.Abort
                        || (SymbolEqualityComparer.Default.Equals(local.ContainingSymbol, graph.Owner)
                            ? !Escapes(graph, local, capturesEscape: false)
                            : CapturedSocketUnanswered(graph, local, depth + 1)));
                }
            }
        }

        return !Graphs.Any(g => Escapes(g, local, capturesEscape: false) || ClosesSomewhere(g, local));
    }

    /// <summary>
    /// Whether a graph closes the socket anywhere: through a helper of this compilation given the socket (a sibling
    /// send loop whose finally closes), and, when <paramref name="direct"/>, with its own close call.
    /// </summary>
    private bool ClosesSomewhere(GraphInfo graph, ISymbol socket, bool direct = true, IInvocationOperation? except = null)
    {
        foreach (var operations in graph.Operations)
        {
            foreach (var operation in operations)
            {
                if (operation is not IInvocationOperation call || call == except)
                {
                    continue;
                }

                if (direct && _symbols.Classify(call) is SocketCall.Close or SocketCall.CloseOutput
                    && SymbolEqualityComparer.Default.Equals(call.Receiver()?.ReferencedSymbol(graph), socket))
                {
                    return true;
                }

                foreach (var argument in call.Arguments)
                {
                    if (SymbolEqualityComparer.Default.Equals(argument.Value.ReferencedSymbol(graph), socket)
                        && _symbols.Summaries.ForParameter(call.TargetMethod, argument.Parameter, 1)?.Outcome == HelperOutcome.Closes)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>A socket this body adds to a collection of a type that closes sockets it finds there (<see cref="MethodSummaries.ClosesKeptSockets"/>).</summary>
    private bool KeptWhereClosed(ISymbol socket)
        => Graphs.Any(graph => graph.Operations.Any(operations => operations.Any(o => o is IInvocationOperation call && call.IsLibraryCollectionAdd()
            && call.Arguments.Any(a => SymbolEqualityComparer.Default.Equals(a.Value.ReferencedSymbol(graph), socket))
            && call.CollectionOwner() is { } owner && _symbols.Summaries.ClosesKeptSockets(owner))));

    /// <summary>Whether a local socket is handed to an owner: stored, returned, captured, or given to code out of sight.</summary>
    private bool Escapes(GraphInfo graph, ILocalSymbol local, bool capturesEscape = true)
    {
        foreach (var block in graph.Graph.Blocks)
        {
            if (block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.Return && block.BranchValue?.ReferencedSymbol(graph) is { } returned
                && SymbolEqualityComparer.Default.Equals(returned, local))
            {
                return true;
            }

            foreach (var operation in graph.Operations[block.Ordinal])
            {
                switch (operation)
                {
                    case ISimpleAssignmentOperation assignment when SymbolEqualityComparer.Default.Equals(assignment.Value.ReferencedSymbol(graph), local)
                        && assignment.Target.WithoutConversions() is IFieldReferenceOperation or IPropertyReferenceOperation or IArrayElementReferenceOperation:
                        return true;
                    case IObjectCreationOperation creation when creation.Arguments.Any(a => SymbolEqualityComparer.Default.Equals(a.Value.ReferencedSymbol(graph), local)):
                        return true;
                    case IFlowAnonymousFunctionOperation lambda when capturesEscape && Mentions(lambda.Symbol, local.Name):
                        return true;
                    case IInvocationOperation call when _symbols.IsWebSocket(local.Type) && call.IsLibraryCollectionCall():
                        // A socket kept in a list is not handed to an owner, unless its type closes sockets from the list.
                        if (call.IsLibraryCollectionAdd() && call.Arguments.Any(a => SymbolEqualityComparer.Default.Equals(a.Value.ReferencedSymbol(graph), local))
                            && call.CollectionOwner() is { } owner && _symbols.Summaries.ClosesKeptSockets(owner))
                        {
                            return true;
                        }

                        break;
                    case IInvocationOperation call when _symbols.Classify(call) == SocketCall.None:
                        foreach (var argument in call.Arguments)
                        {
                            if (SymbolEqualityComparer.Default.Equals(argument.Value.ReferencedSymbol(graph), local)
                                && _symbols.Summaries.ForParameter(call.TargetMethod, argument.Parameter, 1) is not { Outcome: not HelperOutcome.Unknown })
                            {
                                return true;
                            }
                        }

                        break;
                }
            }
        }

        // A socket captured by a local function or lambda of this body is shared with it.
        foreach (var other in Graphs)
        {
            if (capturesEscape && other != graph && other.Owner is IMethodSymbol { MethodKind: MethodKind.LocalFunction } function && Mentions(function, local.Name)
                && SymbolEqualityComparer.Default.Equals(function.ContainingSymbol, local.ContainingSymbol))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Mentions(ISymbol symbol, string name)
        => symbol.DeclaringSyntaxReferences.Any(r => r.GetSyntax().DescendantTokens().Any(t => t.ValueText == name));

    private static ISymbol? ResultOf(IOperation receive, GraphInfo graph)
    {
        var current = receive;
        while (current.Parent is IConversionOperation or IAwaitOperation
               || current.Parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" or "GetAwaiter" or "GetResult" } unwrap && unwrap.Instance == current
               || current.Parent is IPropertyReferenceOperation { Property.Name: "Result" } result && result.Instance == current)
        {
            current = current.Parent;
        }

        return current.Parent is ISimpleAssignmentOperation assignment && assignment.Value == current
            ? assignment.Target.ReferencedSymbol(graph)
            : null;
    }

    private static ISymbol? BufferOf(IInvocationOperation receive, GraphInfo graph)
    {
        if (receive.Arguments.Length == 0)
        {
            return null;
        }

        var buffer = graph.Resolve(receive.Arguments[0].Value);
        return buffer switch
        {
            IObjectCreationOperation { Arguments.Length: > 0 } creation => creation.Arguments[0].Value.ReferencedSymbol(graph),
            IInvocationOperation call => call.Receiver()?.ReferencedSymbol(graph),
            _ => buffer.ReferencedSymbol(graph),
        };
    }

    /// <summary>Names the fixers reuse: the socket and result as written, and the token passed to the receive.</summary>
    private static ImmutableDictionary<string, string?> FixProperties(ReceiveWalk walk)
    {
        var builder = ImmutableDictionary.CreateBuilder<string, string?>();
        builder[FixKeys.Socket] = walk.Receive.Receiver()?.Syntax.ToString();
        builder[FixKeys.Result] = walk.Context.Result?.Name;
        builder[FixKeys.ValueResult] = walk.Receive.TargetMethod.ReturnType is INamedTypeSymbol { TypeArguments.Length: 1 } task
            && task.TypeArguments[0].Name == "ValueWebSocketReceiveResult" ? "true" : "false";
        var token = walk.Receive.Arguments.FirstOrDefault(a => a.Parameter?.Type.Name == "CancellationToken" && !a.IsImplicit);
        builder[FixKeys.Token] = token?.Value.WithoutConversions() is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation
            ? token.Value.Syntax.ToString()
            : null;
        return builder.ToImmutable();
    }

    /// <summary>A span within one tree, for de-duplicating findings.</summary>
    private readonly struct TextSpan2 : IEquatable<TextSpan2>
    {
        private readonly SyntaxTree? _tree;
        private readonly int _start;
        private readonly int _length;

        public TextSpan2(SyntaxNode node)
            : this(node.GetLocation())
        {
        }

        public TextSpan2(Location location)
        {
            _tree = location.SourceTree;
            _start = location.SourceSpan.Start;
            _length = location.SourceSpan.Length;
        }

        public bool Equals(TextSpan2 other) => _tree == other._tree && _start == other._start && _length == other._length;

        public override bool Equals(object? obj) => obj is TextSpan2 other && Equals(other);

        public override int GetHashCode() => (_start * 397) ^ _length;
    }
}
