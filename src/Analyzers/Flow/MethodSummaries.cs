using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using WsAnalyzers.Model;

namespace WsAnalyzers.Flow;

internal enum HelperOutcome
{
    DoesNotClose,
    Closes,
    Unknown,
}

/// <summary>What a method of this compilation does with a socket it is given while that socket is in CloseReceived.</summary>
internal sealed class HelperSummary
{
    public HelperSummary(HelperOutcome outcome, ImmutableArray<Location> openGuards, ExitKind? ends = null, bool receives = false)
    {
        Outcome = outcome;
        OpenGuards = openGuards;
        Ends = ends;
        Receives = receives;
    }

    /// <summary>
    /// For a member that does not close: every way out of it receives on the socket first, without testing for the
    /// Close. Called in CloseReceived it throws (InvalidState): to its caller it is a receive.
    /// </summary>
    public bool Receives { get; }

    /// <summary>Whether a walk from a helper's entry in CloseReceived leaves it only by receiving again.</summary>
    public static bool OnlyReceives(WalkResult walk)
        => walk.ReceivesAgain && !walk.Acknowledged && !walk.Escapes && walk.Unacknowledged.All(e => e.Kind == ExitKind.Throw);

    /// <summary>For a member that does not close: it disposes, aborts or replaces the socket, so the caller's path ends there.</summary>
    public ExitKind? Ends { get; }

    public static HelperSummary Unknown { get; } = new(HelperOutcome.Unknown, ImmutableArray<Location>.Empty);

    public HelperOutcome Outcome { get; }

    /// <summary>Close calls in the helper skipped by a State == Open guard (WS1004 when reached from a close path).</summary>
    public ImmutableArray<Location> OpenGuards { get; }
}

/// <summary>
/// Interprocedural facts, computed on demand and cached once per compilation: helper summaries, call sites, owners.
/// </summary>
internal sealed class MethodSummaries
{
    private const int MaxDepth = 4;

    /// <summary>How many same-named calls in trees that never name the method's type are bound to check them.</summary>
    private const int MaxUnnamedCandidates = 4;

    [ThreadStatic]
    private static HashSet<(IMethodSymbol, int)>? s_inProgress;

    [ThreadStatic]
    private static HashSet<(IMethodSymbol, ISymbol)>? s_membersInProgress;

    [ThreadStatic]
    private static HashSet<(IMethodSymbol, int, ISymbol)>? s_heldInProgress;

    private readonly WebSocketSymbols _symbols;
    private readonly ConcurrentDictionary<(IMethodSymbol, int), HelperSummary> _helpers = new();
    private readonly ConcurrentDictionary<(IMethodSymbol, ISymbol), HelperSummary> _members = new();

    // Summaries whose computation hit the depth limit (or a recursion) hold only for the depth they were asked at.
    private readonly ConcurrentDictionary<(IMethodSymbol, int, int), HelperSummary> _helpersAtDepth = new();
    private readonly ConcurrentDictionary<(IMethodSymbol, ISymbol, int), HelperSummary> _membersAtDepth = new();
    private readonly ConcurrentDictionary<(IMethodSymbol, int, ISymbol), HelperSummary> _held = new();
    private readonly ConcurrentDictionary<(IMethodSymbol, int, ISymbol, int), HelperSummary> _heldAtDepth = new();
    private readonly ConcurrentDictionary<IMethodSymbol, bool> _checksClose = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ISymbol, bool> _neverReleased = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _createsSockets = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ISymbol, bool> _leftOpen = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ISymbol, bool> _collectionNeverReleased = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ISymbol, bool> _noMemberCanAnswer = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, (ImmutableArray<CallSite> Sites, bool Complete)> _callSites = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = new();
    private readonly ConcurrentDictionary<(IMethodSymbol, int, int, bool), bool> _callersAcknowledge = new();
    private readonly ConcurrentDictionary<InvocationExpressionSyntax, IMethodSymbol?> _targets = new();

    public MethodSummaries(WebSocketSymbols symbols) => _symbols = symbols;

    private Compilation Compilation => _symbols.Compilation;

    /// <summary>The summary for a socket passed as <paramref name="parameter"/>; null when the method is not in source.</summary>
    public HelperSummary? ForParameter(IMethodSymbol method, IParameterSymbol? parameter, int depth)
    {
        method = method.OriginalDefinition;
        if (parameter is not null && method.IsAbstract && IsDeclaredHere(method))
        {
            return ForImplementations(method, parameter.Ordinal, depth);
        }

        if (parameter is null || !IsInSource(method))
        {
            return null;
        }

        if (depth > MaxDepth)
        {
            return DepthCut.Cut(HelperSummary.Unknown);
        }

        var key = (method, parameter.Ordinal);
        if (_helpers.TryGetValue(key, out var cached) || _helpersAtDepth.TryGetValue((method, parameter.Ordinal, depth), out cached))
        {
            return cached;
        }

        s_inProgress ??= new HashSet<(IMethodSymbol, int)>();
        if (!s_inProgress.Add(key))
        {
            return DepthCut.Cut(HelperSummary.Unknown);
        }

        try
        {
            var cuts = DepthCut.Count;
            var summary = Summarize(method, parameter.Ordinal, depth);
            return DepthCut.Count == cuts
                ? _helpers.GetOrAdd(key, summary)
                : _helpersAtDepth.GetOrAdd((method, parameter.Ordinal, depth), summary);
        }
        finally
        {
            s_inProgress.Remove(key);
        }
    }

    /// <summary>
    /// What a member of the type that keeps its socket in <paramref name="member"/> (a field or property) does with it
    /// when called while it is in CloseReceived: Stop, Dispose, a close helper. Null when the method is not in source.
    /// </summary>
    public HelperSummary? ForMember(IMethodSymbol method, ISymbol member, int depth)
    {
        method = method.OriginalDefinition;
        member = member.OriginalDefinition;
        if (!IsInSource(method))
        {
            return null;
        }

        if (depth > MaxDepth)
        {
            return DepthCut.Cut(HelperSummary.Unknown);
        }

        var key = (method, member);
        if (_members.TryGetValue(key, out var cached) || _membersAtDepth.TryGetValue((method, member, depth), out cached))
        {
            return cached;
        }

        s_membersInProgress ??= new HashSet<(IMethodSymbol, ISymbol)>();
        if (!s_membersInProgress.Add(key))
        {
            // A member that ends up calling itself (a reconnect that restarts the loop): nothing more to learn on this path.
            return DepthCut.Cut(new HelperSummary(HelperOutcome.DoesNotClose, ImmutableArray<Location>.Empty));
        }

        var cuts = DepthCut.Count;
        try
        {
            var graph = GraphOf(method);
            if (graph is null)
            {
                return _members.GetOrAdd(key, HelperSummary.Unknown);
            }

            var walk = CloseWalker.FromEntry(new CloseContext(_symbols, graph, member, receive: null, result: null, buffer: null), depth);
            var outcome = walk.Acknowledged ? HelperOutcome.Closes : walk.Escapes ? HelperOutcome.Unknown : HelperOutcome.DoesNotClose;
            var guards = outcome == HelperOutcome.DoesNotClose
                ? walk.OpenGuards.Select(g => g.GuardSyntax().GetLocation()).Concat(walk.HelperGuards).Distinct().ToImmutableArray()
                : ImmutableArray<Location>.Empty;
            var ends = outcome == HelperOutcome.DoesNotClose
                ? walk.Unacknowledged.Where(e => e.Kind is ExitKind.Dispose or ExitKind.Abort or ExitKind.Replace).Select(e => (ExitKind?)e.Kind).FirstOrDefault()
                : null;
            var summary = new HelperSummary(outcome, guards, ends, HelperSummary.OnlyReceives(walk));
            return DepthCut.Count == cuts ? _members.GetOrAdd(key, summary) : _membersAtDepth.GetOrAdd((method, member, depth), summary);
        }
        finally
        {
            s_membersInProgress.Remove(key);
        }
    }

    /// <summary>
    /// What a method of this compilation does, when called in CloseReceived, with the socket member of the object passed
    /// as <paramref name="parameter"/> (<c>OnDisconnected(connection)</c> that closes <c>connection.WebSocket</c>).
    /// Null when the method is not in source or the parameter is unknown.
    /// </summary>
    public HelperSummary? ForHeldParameter(IMethodSymbol method, IParameterSymbol? parameter, ISymbol member, int depth)
    {
        method = method.OriginalDefinition;
        member = member.OriginalDefinition;
        if (parameter is null || !IsInSource(method) || method.IsAbstract || parameter.Ordinal >= method.Parameters.Length)
        {
            return null;
        }

        if (depth > MaxDepth)
        {
            return DepthCut.Cut(HelperSummary.Unknown);
        }

        var key = (method, parameter.Ordinal, member);
        if (_held.TryGetValue(key, out var cached) || _heldAtDepth.TryGetValue((method, parameter.Ordinal, member, depth), out cached))
        {
            return cached;
        }

        s_heldInProgress ??= new HashSet<(IMethodSymbol, int, ISymbol)>();
        if (!s_heldInProgress.Add(key))
        {
            return DepthCut.Cut(HelperSummary.Unknown);
        }

        var cuts = DepthCut.Count;
        try
        {
            var graph = GraphOf(method);
            if (graph is null)
            {
                return _held.GetOrAdd(key, HelperSummary.Unknown);
            }

            var holder = method.Parameters[parameter.Ordinal];
            var walk = CloseWalker.FromEntry(new CloseContext(_symbols, graph, member, receive: null, result: null, buffer: null, holder: holder), depth);
            var outcome = walk.Escapes ? HelperOutcome.Unknown : walk.Acknowledged ? HelperOutcome.Closes : HelperOutcome.DoesNotClose;
            var summary = new HelperSummary(outcome, ImmutableArray<Location>.Empty, receives: HelperSummary.OnlyReceives(walk));
            return DepthCut.Count == cuts ? _held.GetOrAdd(key, summary) : _heldAtDepth.GetOrAdd((method, parameter.Ordinal, member, depth), summary);
        }
        finally
        {
            s_heldInProgress.Remove(key);
        }
    }

    private HelperSummary Summarize(IMethodSymbol method, int ordinal, int depth)
    {
        var graph = GraphOf(method);
        if (graph is null || ordinal >= method.Parameters.Length)
        {
            return HelperSummary.Unknown;
        }

        var context = new CloseContext(_symbols, graph, method.Parameters[ordinal], receive: null, result: null, buffer: null);
        var walk = CloseWalker.FromEntry(context, depth);
        var outcome = walk.Escapes ? HelperOutcome.Unknown : walk.Acknowledged ? HelperOutcome.Closes : HelperOutcome.DoesNotClose;
        var guards = outcome == HelperOutcome.DoesNotClose
            ? walk.OpenGuards.Select(g => g.GuardSyntax().GetLocation()).Distinct().ToImmutableArray()
            : ImmutableArray<Location>.Empty;
        return new HelperSummary(outcome, guards, receives: HelperSummary.OnlyReceives(walk));
    }

    /// <summary>
    /// An interface or abstract method of this compilation: what its implementations in the compilation do with the
    /// parameter, when there are some and they agree (`manager.HandleAsync(ws)` on an `IManager` runs the manager's).
    /// </summary>
    private HelperSummary? ForImplementations(IMethodSymbol method, int ordinal, int depth)
    {
        var implementations = ImplementationsOf(method);
        HelperSummary? agreed = null;
        foreach (var implementation in implementations)
        {
            if (ordinal >= implementation.Parameters.Length
                || ForParameter(implementation, implementation.Parameters[ordinal], depth) is not { } summary
                || agreed is not null && agreed.Outcome != summary.Outcome)
            {
                return null;
            }

            agreed ??= summary;
        }

        return agreed;
    }

    /// <summary>
    /// The methods of this compilation's types that implement or override an interface or abstract method declared
    /// here, found in the types whose base list names its type (a type that inherits the contract from another base is
    /// not found: an empty or partial answer makes the caller treat the method as out of sight).
    /// </summary>
    internal ImmutableArray<IMethodSymbol> ImplementationsOf(IMethodSymbol method)
        => _implementations.GetOrAdd(method.OriginalDefinition, ComputeImplementationsOf);

    private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<IMethodSymbol>> _implementations = new(SymbolEqualityComparer.Default);

    private ImmutableArray<IMethodSymbol> ComputeImplementationsOf(IMethodSymbol method)
    {
        var contract = method.ContainingType;
        var found = ImmutableArray.CreateBuilder<IMethodSymbol>();
        if (contract is null || contract.IsGenericType || method.IsGenericMethod)
        {
            // Implementations of a constructed contract (`IHandler<string>`) are not matched member by member here:
            // none is returned rather than some.
            return found.ToImmutable();
        }

        foreach (var tree in Compilation.SyntaxTrees)
        {
            AnalysisCancellation.ThrowIfCancellationRequested();
            if (!TreeCalls.Mentions(tree, contract.Name))
            {
                continue;
            }

            SemanticModel? model = null;
            foreach (var declaration in tree.GetRoot(AnalysisCancellation.Token).DescendantNodes(n => n is CompilationUnitSyntax or TypeDeclarationSyntax || n.GetType().Name.EndsWith("NamespaceDeclarationSyntax", System.StringComparison.Ordinal)).OfType<TypeDeclarationSyntax>())
            {
                if (declaration.BaseList is not { } bases || !bases.Types.Any(b => SimpleName(b.Type) == contract.Name))
                {
                    continue;
                }

                model ??= SemanticModelFor(tree);
                if (model?.GetDeclaredSymbol(declaration, AnalysisCancellation.Token) is not { IsAbstract: false } type)
                {
                    continue;
                }

                IMethodSymbol? implementation = null;
                if (contract.TypeKind == TypeKind.Interface)
                {
                    implementation = type.FindImplementationForInterfaceMember(method) as IMethodSymbol;
                }
                else
                {
                    implementation = type.GetMembers(method.Name).OfType<IMethodSymbol>()
                        .FirstOrDefault(m => SymbolEqualityComparer.Default.Equals(m.OverriddenMethod?.OriginalDefinition, method));
                }

                if (implementation is not null && !implementation.IsAbstract && !found.Any(f => SymbolEqualityComparer.Default.Equals(f, implementation.OriginalDefinition)))
                {
                    found.Add(implementation.OriginalDefinition);
                }
            }
        }

        return found.ToImmutable();

        static string? SimpleName(TypeSyntax type) => type switch
        {
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
            _ => null,
        };
    }

    /// <summary>
    /// Whether a method given a receive result looks at whether it is a Close (then it is a check, not a use): it names
    /// WebSocketMessageType.Close or reads CloseStatus.
    /// </summary>
    public bool TreatsResultAsData(IMethodSymbol method, IParameterSymbol? parameter)
    {
        method = method.OriginalDefinition;
        if (parameter is null || !IsInSource(method))
        {
            return false;
        }

        return !_checksClose.GetOrAdd(method, m =>
        {
            var graph = GraphOf(m);
            if (graph is null)
            {
                return true;
            }

            foreach (var operations in graph.Operations)
            {
                foreach (var operation in operations)
                {
                    if (operation is IFieldReferenceOperation { Field.Name: "Close" } field && SymbolEqualityComparer.Default.Equals(field.Field.ContainingType, _symbols.MessageType))
                    {
                        return true;
                    }

                    // Reading MessageType to pick Text or Binary is not telling the Close apart: a helper that only
                    // dispatches on Text and Binary treats the Close as one more (empty) message.
                    if (operation is IPropertyReferenceOperation { Property.Name: "CloseStatus" })
                    {
                        return true;
                    }
                }
            }

            return false;
        });
    }

    /// <summary>The graph of a method, local function included, built from source; null when there is none.</summary>
    public GraphInfo? GraphOf(IMethodSymbol method)
    {
        var reference = method.DeclaringSyntaxReferences.FirstOrDefault();
        if (reference is null)
        {
            return null;
        }

        var body = BodyAnalysis.ForSyntax(_symbols, RootOf(reference.GetSyntax()));
        return body?.Graphs.FirstOrDefault(g => SymbolEqualityComparer.Default.Equals(g.Owner, method));
    }

    /// <summary>
    /// Whether the callers in sight answer the close after the method returns: computed once per method and parameter,
    /// or once per depth when the answer was cut short by the depth limit (a shallower question may see further).
    /// </summary>
    public bool CallersAcknowledge(IMethodSymbol method, int ordinal, int depth, bool throws, Func<bool> compute)
    {
        method = method.OriginalDefinition;
        if (_callersAcknowledge.TryGetValue((method, ordinal, -1, throws), out var known)
            || _callersAcknowledge.TryGetValue((method, ordinal, depth, throws), out known))
        {
            return known;
        }

        var cuts = DepthCut.Count;
        var result = compute();
        return _callersAcknowledge.GetOrAdd((method, ordinal, DepthCut.Count == cuts ? -1 : depth, throws), result);
    }

    /// <summary>
    /// Whether a call of this method, not given the socket, may close it all the same: its type keeps sockets in a
    /// collection (<see cref="KeepsSockets"/>) and the method, or a method of its type it calls by name, closes or aborts
    /// a socket it looks up (<see cref="ClosesLookedUpSocket"/>): a connection manager's <c>RemoveSocket(id)</c>.
    /// </summary>
    public bool MayCloseAnotherSocket(IMethodSymbol method)
        => !method.DeclaringSyntaxReferences.IsEmpty && method.ContainingType is { } type && KeepsSockets(type)
            && _closesLookedUp.GetOrAdd(method.OriginalDefinition, m => ClosesLookedUpSocket(m, depth: 1));

    /// <summary>Whether some member of a type that keeps sockets in a collection closes or aborts a socket it looks up there.</summary>
    public bool ClosesKeptSockets(INamedTypeSymbol type)
        => KeepsSockets(type) && _closesKept.GetOrAdd(type, t => t.GetMembers().OfType<IMethodSymbol>()
            .Any(m => !m.DeclaringSyntaxReferences.IsEmpty && _closesLookedUp.GetOrAdd(m.OriginalDefinition, x => ClosesLookedUpSocket(x, depth: 1))));

    /// <summary>
    /// A field or property of the type (or a base in source) that is a collection of the base library holding sockets,
    /// or objects with a socket member: <c>ConcurrentDictionary&lt;string, WebSocket&gt;</c>, <c>List&lt;Connection&gt;</c>.
    /// </summary>
    public bool KeepsSockets(INamedTypeSymbol type)
        => _keepsSockets.GetOrAdd(type, t =>
        {
            for (var current = t; current is not null && !current.DeclaringSyntaxReferences.IsEmpty; current = current.BaseType)
            {
                foreach (var member in current.GetMembers())
                {
                    var memberType = member switch
                    {
                        IFieldSymbol field => field.Type,
                        IPropertySymbol property => property.Type,
                        _ => null,
                    };
                    if (memberType is INamedTypeSymbol { IsGenericType: true } collection
                        && collection.ContainingNamespace is { Name: "Generic" or "Concurrent" or "Immutable" or "ObjectModel" }
                        && collection.TypeArguments.Any(HoldsSocket))
                    {
                        return true;
                    }
                }
            }

            return false;
        });

    private bool HoldsSocket(ITypeSymbol element)
        => _symbols.IsWebSocket(element)
            || element is INamedTypeSymbol named && !named.DeclaringSyntaxReferences.IsEmpty
                && named.GetMembers().Any(m => m is IFieldSymbol f && _symbols.IsWebSocket(f.Type) || m is IPropertySymbol p && _symbols.IsWebSocket(p.Type));

    /// <summary>
    /// A CloseAsync, CloseOutputAsync or Abort (in the method, or in a method of its type it calls by name, to
    /// <paramref name="depth"/>) on a socket the method looks up rather than is given or keeps: an element
    /// (<c>_sockets[id]</c>), a <c>foreach</c> or lambda variable, an <c>out</c> variable, or a local the method declares
    /// from anything but a new or accepted socket. Decided from syntax.
    /// </summary>
    private bool ClosesLookedUpSocket(IMethodSymbol method, int depth)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax();
            foreach (var call in syntax.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                var name = TreeCalls.NameOf(call);
                if (name is "CloseAsync" or "CloseOutputAsync" or "Abort")
                {
                    if (call.Expression is MemberAccessExpressionSyntax { Expression: var receiver } && IsLookedUp(receiver, syntax, call)
                        && (name == "Abort" || !OnlyWhileOpen(call, syntax)))
                    {
                        return true;
                    }

                    continue;
                }

                if (depth > 0 && name is not null && method.ContainingType is { } type)
                {
                    foreach (var callee in type.GetMembers(name))
                    {
                        if (callee is IMethodSymbol other && !SymbolEqualityComparer.Default.Equals(other, method) && !other.DeclaringSyntaxReferences.IsEmpty
                            && ClosesLookedUpSocket(other, depth - 1))
                        {
                            return true;
                        }
                    }
                }
            }
        }

        return false;

        // `if (socket.State == WebSocketState.Open) await socket.CloseAsync(..)`, or after `if (socket.State != Open) return;`:
        // in CloseReceived that close does not run.
        static bool OnlyWhileOpen(SyntaxNode close, SyntaxNode method)
        {
            for (var node = close; node is not null && node != method; node = node.Parent)
            {
                if (node.Parent is IfStatementSyntax { Condition: var condition } branch && branch.Statement == node && TestsOpen(condition, negated: false))
                {
                    return true;
                }

                if (node is StatementSyntax statement && node.Parent is BlockSyntax block)
                {
                    foreach (var earlier in block.Statements.TakeWhile(s => s != statement))
                    {
                        if (earlier is IfStatementSyntax { Condition: var guard, Else: null } exit && TestsOpen(guard, negated: true)
                            && (exit.Statement is ReturnStatementSyntax or ThrowStatementSyntax
                                || exit.Statement is BlockSyntax { Statements.Count: 1 } only && only.Statements[0] is ReturnStatementSyntax or ThrowStatementSyntax))
                        {
                            return true;
                        }
                    }
                }
            }

            return false;
        }

        // A condition that holds only while Open (or, negated, that holds whenever the socket is not Open): it names
        // WebSocketState.Open with `==`/`is` (or `!=`/`is not`), and not CloseReceived.
        static bool TestsOpen(ExpressionSyntax condition, bool negated)
        {
            var names = condition.DescendantNodesAndSelf().OfType<MemberAccessExpressionSyntax>()
                .Where(m => m.Expression is IdentifierNameSyntax { Identifier.ValueText: "WebSocketState" } || m.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "WebSocketState" })
                .Select(m => m.Name.Identifier.ValueText).ToList();
            if (!names.Contains("Open") || names.Contains("CloseReceived"))
            {
                return false;
            }

            var text = condition.ToString();
            var unequal = text.Contains("!=") || text.Contains("is not");
            return negated ? unequal && !text.Contains("||") : !unequal && !text.Contains("||");
        }

        static bool IsLookedUp(ExpressionSyntax receiver, SyntaxNode method, SyntaxNode close)
        {
            var root = receiver;
            while (true)
            {
                switch (root)
                {
                    case ElementAccessExpressionSyntax:
                        return true;
                    case MemberAccessExpressionSyntax member:
                        root = member.Expression;
                        continue;
                    case ParenthesizedExpressionSyntax parenthesized:
                        root = parenthesized.Expression;
                        continue;
                    case PostfixUnaryExpressionSyntax postfix:
                        root = postfix.Operand;
                        continue;
                }

                break;
            }

            if (root is not IdentifierNameSyntax { Identifier.ValueText: var name })
            {
                return false;
            }

            foreach (var node in method.DescendantNodes())
            {
                switch (node)
                {
                    case ForEachStatementSyntax loop when loop.Identifier.ValueText == name:
                        // A loop that closes every socket it keeps is a shutdown, not an answer to one peer's Close:
                        // it looks one up only when it picks it (a filtered sequence, or an `if` that is not a State test).
                        return Picks(loop, close);
                    case ParameterSyntax { Parent: ParameterListSyntax { Parent: LambdaExpressionSyntax } } lambdaParameter when lambdaParameter.Identifier.ValueText == name:
                    case ParameterSyntax { Parent: LambdaExpressionSyntax } simple when simple.Identifier.ValueText == name:
                    case SingleVariableDesignationSyntax { Parent: DeclarationExpressionSyntax { Parent: ArgumentSyntax } } outVariable when outVariable.Identifier.ValueText == name:
                        return true;
                    case VariableDeclaratorSyntax declarator when declarator.Identifier.ValueText == name:
                        return declarator.Initializer?.Value is not { } value
                            || !(value is BaseObjectCreationExpressionSyntax || value.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>()
                                .Any(i => TreeCalls.NameOf(i) is "AcceptWebSocketAsync" or "CreateFromStream"));
                }
            }

            return false;
        }

        static bool Picks(ForEachStatementSyntax loop, SyntaxNode close)
        {
            if (loop.Expression.DescendantNodesAndSelf().Any(n => n is LambdaExpressionSyntax or BinaryExpressionSyntax))
            {
                return true;
            }

            for (var node = close; node is not null && node != loop; node = node.Parent)
            {
                if (node.Parent is IfStatementSyntax { Condition: var condition } test && test.Statement == node
                    && !condition.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(n => n.Identifier.ValueText is "State" or "WebSocketState"))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private readonly ConcurrentDictionary<IMethodSymbol, bool> _closesLookedUp = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _closesKept = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _keepsSockets = new(SymbolEqualityComparer.Default);

    /// <summary>Call sites of a method in this compilation; empty when it is only called from out of sight.</summary>
    public ImmutableArray<CallSite> CallSites(IMethodSymbol method)
        => _callSites.GetOrAdd(method.OriginalDefinition, FindCallSites).Sites;

    /// <summary>
    /// Whether <see cref="CallSites"/> holds every call of the compilation: false when calls that could not be told
    /// apart from syntax were too many to bind (a method named like a common one, in a large project).
    /// </summary>
    public bool AllCallSitesKnown(IMethodSymbol method)
        => _callSites.GetOrAdd(method.OriginalDefinition, FindCallSites).Complete;

    private (ImmutableArray<CallSite>, bool) FindCallSites(IMethodSymbol method)
    {
        var sites = ImmutableArray.CreateBuilder<CallSite>();
        var allComplete = true;
        foreach (var target in DispatchedAs(method))
        {
            allComplete &= AddCallSites(target, sites);
        }

        return (sites.ToImmutable(), allComplete);
    }

    /// <summary>
    /// The method and what a call can name to run it: the members of interfaces declared in source that it implements,
    /// and the source methods it overrides (`endpoint.HandleAsync(..)` on an `IWebSocketEndpoint` runs the endpoint's).
    /// </summary>
    private static IEnumerable<IMethodSymbol> DispatchedAs(IMethodSymbol method)
    {
        yield return method;
        if (method.MethodKind != MethodKind.Ordinary || method.IsStatic || method.ContainingType is not { } type)
        {
            yield break;
        }

        for (var overridden = method.OverriddenMethod; overridden is not null && !overridden.DeclaringSyntaxReferences.IsEmpty; overridden = overridden.OverriddenMethod)
        {
            yield return overridden.OriginalDefinition;
        }

        foreach (var contract in type.AllInterfaces)
        {
            if (contract.DeclaringSyntaxReferences.IsEmpty)
            {
                continue;
            }

            foreach (var member in contract.GetMembers(method.Name))
            {
                if (member is IMethodSymbol declared && SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(declared), method))
                {
                    yield return declared.OriginalDefinition;
                }
            }
        }
    }

    /// <returns>Whether every call of <paramref name="method"/> could be told apart (<see cref="AllCallSitesKnown"/>).</returns>
    private bool AddCallSites(IMethodSymbol method, ImmutableArray<CallSite>.Builder sites)
    {
        var (candidates, complete) = CandidateCalls(method);
        foreach (var syntax in candidates)
        {
            AnalysisCancellation.ThrowIfCancellationRequested();
            if (!SymbolEqualityComparer.Default.Equals(TargetOf(syntax), method)
                || BodyAnalysis.ForSyntax(_symbols, RootOf(syntax)) is not { } body)
            {
                continue;
            }

            foreach (var graph in body.Graphs)
            {
                for (var b = 0; b < graph.Operations.Length; b++)
                {
                    var operations = graph.Operations[b];
                    for (var i = 0; i < operations.Count; i++)
                    {
                        if (operations[i] is IInvocationOperation call && call.Syntax == syntax)
                        {
                            sites.Add(new CallSite(body, graph, graph.Graph.Blocks[b], i, call));
                        }
                    }
                }
            }
        }

        return complete;
    }

    /// <summary>
    /// The calls that may be calls of <paramref name="method"/>, decided from syntax before anything is bound: its name,
    /// an argument count it accepts, and, for a private method or a local function, a place that can see it. Binding a
    /// call binds the member around it, so a common name (Dispose, SendAsync) would otherwise cost a pass over every
    /// body of the project that calls anything so named.
    /// </summary>
    private (IEnumerable<InvocationExpressionSyntax>, bool Complete) CandidateCalls(IMethodSymbol method)
    {
        var scope = method.MethodKind == MethodKind.LocalFunction ? method.ContainingSymbol
            : method.DeclaredAccessibility == Accessibility.Private ? method.ContainingType
            : null;
        if (scope is not null)
        {
            var inScope = new List<InvocationExpressionSyntax>();
            foreach (var reference in scope.DeclaringSyntaxReferences)
            {
                if (TreeCalls.TryGetCalls(reference.SyntaxTree, method.Name, out var scoped))
                {
                    inScope.AddRange(scoped.Where(call => reference.Span.Contains(call.Span) && Accepts(method, call)));
                }
            }

            return (inScope, true);
        }

        // A call of a member of T is written in T, in a type derived from it (whose base list names T), on a receiver
        // declared as T, or as `T.M(..)`: in a tree that names T. Calls elsewhere can only reach it through a receiver
        // whose type is inferred from code out of this tree (`var x = Make(); x.M();`); a few of those are bound, and
        // when there are more the set is marked incomplete instead of binding every same-named call of the project.
        var type = method.ContainingType;
        var named = new List<InvocationExpressionSyntax>();
        var elsewhere = new List<InvocationExpressionSyntax>();
        foreach (var tree in Compilation.SyntaxTrees)
        {
            AnalysisCancellation.ThrowIfCancellationRequested();
            if (!TreeWords.MayContain(tree, method.Name))
            {
                continue;
            }

            var mentions = method.IsExtensionMethod || type is null || TreeCalls.Mentions(tree, type.Name);
            if (!mentions && elsewhere.Count > MaxUnnamedCandidates)
            {
                // The set is incomplete already: another tree that does not name the type changes nothing.
                continue;
            }

            if (!TreeCalls.TryGetCalls(tree, method.Name, out var calls))
            {
                continue;
            }

            foreach (var call in calls)
            {
                if (Accepts(method, call))
                {
                    (mentions ? named : elsewhere).Add(call);
                }
            }
        }

        if (elsewhere.Count <= MaxUnnamedCandidates)
        {
            named.AddRange(elsewhere);
            return (named, true);
        }

        return (named, false);

        static bool Accepts(IMethodSymbol method, InvocationExpressionSyntax call)
        {
            var arguments = call.ArgumentList.Arguments.Count;
            var parameters = method.Parameters;
            var required = parameters.Count(p => !p.IsOptional && !p.IsParams);
            var most = parameters.Any(p => p.IsParams) ? int.MaxValue : parameters.Length;
            if (method.IsExtensionMethod)
            {
                // Called as `x.M(..)` the receiver is not among the arguments.
                required--;
            }

            return arguments >= required && arguments <= most;
        }
    }

    /// <summary>The method of this compilation a call binds to (null when it is not one in source); bound once per call.</summary>
    private IMethodSymbol? TargetOf(InvocationExpressionSyntax syntax)
        => _targets.GetOrAdd(syntax, s =>
        {
            if (SemanticModelFor(s.SyntaxTree)?.GetSymbolInfo(s, AnalysisCancellation.Token).Symbol is not IMethodSymbol bound
                || !IsInSource(bound.ReducedFrom ?? bound) && !(bound.IsAbstract && IsDeclaredHere(bound)))
            {
                return null;
            }

            return (bound.ReducedFrom ?? bound).OriginalDefinition;
        });

    /// <summary>
    /// Every reference to a member in its type's declarations, with what it stands for (<see cref="MemberUse"/>) and the
    /// model that bound it; null when a part of the type is in a tree out of this compilation.
    /// </summary>
    private List<(IdentifierNameSyntax Name, ExpressionSyntax Use, SemanticModel Model)>? ReferencesInType(ISymbol member, INamedTypeSymbol type)
    {
        var references = new List<(IdentifierNameSyntax, ExpressionSyntax, SemanticModel)>();
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var root = reference.GetSyntax(AnalysisCancellation.Token);
            if (SemanticModelFor(root.SyntaxTree) is not { } model)
            {
                return null;
            }

            foreach (var name in root.DescendantNodes().OfType<IdentifierNameSyntax>())
            {
                if (name.Identifier.ValueText == member.Name
                    && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, AnalysisCancellation.Token).Symbol?.OriginalDefinition, member.OriginalDefinition)
                    && MemberUse(name) is { } use)
                {
                    references.Add((name, use, model));
                }
            }
        }

        return references;
    }

    /// <summary>
    /// The expression a reference to a member stands for in its context: <c>this._ws</c>, <c>(_ws)</c> and
    /// <c>_ws!</c> are the member itself. Null inside <c>nameof(..)</c>, which names the member without using it.
    /// </summary>
    internal static ExpressionSyntax? MemberUse(IdentifierNameSyntax name)
    {
        ExpressionSyntax use = name.Parent is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } qualified && qualified.Name == name ? qualified : name;
        while (true)
        {
            switch (use.Parent)
            {
                case ParenthesizedExpressionSyntax parenthesized:
                    use = parenthesized;
                    continue;
                case PostfixUnaryExpressionSyntax suppressed when suppressed.IsKind(SyntaxKind.SuppressNullableWarningExpression):
                    use = suppressed;
                    continue;
                case ArgumentSyntax { Parent.Parent: InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } } }:
                    return null;
                default:
                    return use;
            }
        }
    }

    /// <summary>
    /// Whether a private field or property that holds a socket is never released: no code of its type disposes or
    /// aborts it (`_ws.Dispose()`, `_ws?.Abort()`, `using (_ws)`), and no code hands its value on (an argument, a
    /// return, an assignment to something else, a capture by a lambda that does more than use it). Members other code
    /// can reach are not judged: their owner may be out of sight.
    /// </summary>
    /// <summary>
    /// Whether a member of the type other than <paramref name="except"/> disposes or aborts <paramref name="member"/>
    /// (a Disconnect, Stop or Dispose of its own): the type offers a teardown for the socket it keeps.
    /// </summary>
    public bool ReleasedElsewhere(ISymbol member, IMethodSymbol except)
    {
        if (member.ContainingType is not { } type || ReferencesInType(member, type) is not { } references)
        {
            return false;
        }

        var inside = except.DeclaringSyntaxReferences;
        foreach (var (name, use, _) in references)
        {
            if (IsReleaseOf(use) && !inside.Any(r => r.SyntaxTree == name.SyntaxTree && r.Span.Contains(name.Span)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a use of a member disposes or aborts it: <c>_ws.Dispose()</c>, <c>_ws?.DisposeAsync()</c>, <c>_ws.Abort()</c>.</summary>
    private static bool IsReleaseOf(ExpressionSyntax use) => use.Parent switch
    {
        MemberAccessExpressionSyntax access when access.Expression == use => access.Name.Identifier.ValueText is "Dispose" or "DisposeAsync" or "Abort",
        ConditionalAccessExpressionSyntax conditional when conditional.Expression == use
            => conditional.WhenNotNull is InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax { Name.Identifier.ValueText: "Dispose" or "DisposeAsync" or "Abort" } },
        _ => false,
    };

    public bool NeverReleased(ISymbol member)
        => _neverReleased.GetOrAdd(member.OriginalDefinition, ComputeNeverReleased);

    private bool ComputeNeverReleased(ISymbol member)
    {
        if (member.DeclaredAccessibility != Accessibility.Private || member.IsStatic || member.ContainingType is not { } type
            || member is IPropertySymbol { IsIndexer: true })
        {
            return false;
        }

        if (ReferencesInType(member, type) is not { } references)
        {
            // A type of another project: its uses of the member are out of sight.
            return false;
        }

        foreach (var (_, use, _) in references)
        {
            if (!IsPlainUse(use))
            {
                return false;
            }
        }

        return true;

        // Reads that neither release the socket nor hand it on: a member access on it, a write to the member, a null test.
        static bool IsPlainUse(ExpressionSyntax use)
        {
            switch (use.Parent)
            {
                case MemberAccessExpressionSyntax access when access.Expression == use:
                    return !IsReleaseOf(use);
                case ConditionalAccessExpressionSyntax conditional when conditional.Expression == use:
                    return !IsReleaseOf(use);
                case AssignmentExpressionSyntax assignment when assignment.Left == use:
                    // `using (_ws = new ClientWebSocket())`: the using disposes what it is given.
                    return !(assignment.Parent is UsingStatementSyntax { Expression: var resource } && resource == assignment);
                case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.EqualsExpression) || binary.IsKind(SyntaxKind.NotEqualsExpression):
                    return true;
                case IsPatternExpressionSyntax:
                    return true;
                default:
                    return false;
            }
        }
    }

    /// <summary>
    /// For WS1010: a socket member that only its type writes (private, or seen outside only read: <see cref="OnlyReadOutside"/>), that its type connects (ConnectAsync on it, an accepted or stream-made
    /// socket stored in it, or a local it connected), or that it is given by its constructor and closes in one of its
    /// members (a wrapper that takes over an open socket), and never hands on. Its type's Dispose can be called while it is Open, whatever other
    /// members would close it first (a Stop nobody is obliged to call): the Dispose's own path decides.
    /// </summary>
    public bool ConnectedAndKept(ISymbol member)
        => _leftOpen.GetOrAdd(member.OriginalDefinition, ComputeConnectedAndKept);

    private bool ComputeConnectedAndKept(ISymbol member)
    {
        if (member.IsStatic || member.ContainingType is not { } type || member is IPropertySymbol { IsIndexer: true }
            || member.DeclaredAccessibility != Accessibility.Private && !OnlyReadOutside(member, type))
        {
            return false;
        }

        // Connected by the type, or given to it at construction (an accepted or connected socket a wrapper takes over) and
        // closed by one of its members: either way the type owns an Open socket.
        bool connected = false, given = false, closed = false;
        if (ReferencesInType(member, type) is not { } references)
        {
            // A type of another project: its uses of the member are out of sight.
            return false;
        }

        foreach (var (_, use, model) in references)
        {
            switch (use.Parent)
            {
                case MemberAccessExpressionSyntax access when access.Expression == use:
                    connected |= access.Name.Identifier.ValueText == "ConnectAsync";
                    closed |= access.Name.Identifier.ValueText is "CloseAsync" or "CloseOutputAsync";
                    break;
                case ConditionalAccessExpressionSyntax conditional when conditional.Expression == use:
                    closed |= conditional.WhenNotNull is InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax { Name.Identifier.ValueText: "CloseAsync" or "CloseOutputAsync" } };
                    break;
                case AssignmentExpressionSyntax assignment when assignment.Left == use:
                    var value = model.GetOperation(assignment.Right, AnalysisCancellation.Token).WithoutConversions();
                    if (value is not null && SocketSources.IsCreation(_symbols, value) && value is not IObjectCreationOperation
                        || value is ILocalReferenceOperation { Local: var local } && ConnectsLocal(assignment, local))
                    {
                        connected = true;
                    }

                    given |= value is IParameterReferenceOperation { Parameter.ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.Constructor } };
                    break;
                case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.EqualsExpression) || binary.IsKind(SyntaxKind.NotEqualsExpression):
                case IsPatternExpressionSyntax:
                    break;
                case BinaryExpressionSyntax { Right: ThrowExpressionSyntax } coalesce when coalesce.IsKind(SyntaxKind.CoalesceExpression)
                    && coalesce.Parent is AssignmentExpressionSyntax { Left: var target }
                    && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(target, AnalysisCancellation.Token).Symbol?.OriginalDefinition, member.OriginalDefinition):
                    // `Socket = Socket ?? throw new ObjectDisposedException(..)`: the member kept as it is.
                    break;
                case ArgumentSyntax argument when argument.Expression == use && LentToCloseFreeCode(argument, model):
                    // `new MessageReader(_ws)`: a reader or sender of this compilation that never closes, disposes,
                    // aborts or hands on a socket; the socket is still this type's to close.
                    break;
                default:
                    return false;
            }
        }

        return connected || given && closed;
    }

    private static readonly string[] EndingNames = { "CloseAsync", "CloseOutputAsync", "Dispose", "DisposeAsync", "Abort" };

    /// <summary>
    /// An argument given to a method or constructor of this compilation whose parameter is at most kept in a member its
    /// type never releases (<see cref="OwnershipSummaries.ForParameter"/>), in a type that calls no close, dispose or
    /// abort on anything: lent to be read from or written to, not handed over.
    /// </summary>
    private bool LentToCloseFreeCode(ArgumentSyntax argument, SemanticModel model)
    {
        if (model.GetOperation(argument, AnalysisCancellation.Token) is not IArgumentOperation { Parameter: { } parameter } lent)
        {
            return false;
        }

        var method = lent.Parent switch
        {
            IInvocationOperation call => call.TargetMethod,
            IObjectCreationOperation creation => creation.Constructor,
            _ => null,
        };
        method = method?.OriginalDefinition;
        if (method is null || method.IsAbstract || method.IsVirtual || method.IsOverride || method.ContainingType is not { } type
            || type.DeclaringSyntaxReferences.IsEmpty || method.DeclaringSyntaxReferences.IsEmpty
            || type.DeclaringSyntaxReferences.Any(r => TreeCalls.AnyCallWithin(r.SyntaxTree, r.Span, EndingNames)))
        {
            return false;
        }

        return _symbols.Ownership.ForParameter(method, parameter.Ordinal, 1) is OwnershipEffect.None or OwnershipEffect.KeptUnreleased;
    }

    /// <summary>
    /// For a member others can see (`public ClientWebSocket Socket { get; private set; }`, a protected field): only its
    /// type and derived types can store a socket in it, and every use of it in the compilation outside its type only
    /// reads it (a member access other than a close, dispose or abort; a null or equality test). Code outside the
    /// compilation is not in sight: a library's users could close it first, which the Dispose's own path cannot know.
    /// </summary>
    private bool OnlyReadOutside(ISymbol member, INamedTypeSymbol type)
    {
        switch (member)
        {
            case IPropertySymbol property when property.SetMethod is { DeclaredAccessibility: not (Accessibility.Private or Accessibility.Protected) }:
            case IFieldSymbol { DeclaredAccessibility: not Accessibility.Protected }:
                return false;
        }

        var declarations = type.DeclaringSyntaxReferences;
        foreach (var tree in Compilation.SyntaxTrees)
        {
            if (!TreeCalls.Mentions(tree, member.Name))
            {
                continue;
            }

            SemanticModel? model = null;
            foreach (var name in tree.GetRoot(AnalysisCancellation.Token).DescendantNodes().OfType<IdentifierNameSyntax>())
            {
                if (name.Identifier.ValueText != member.Name || declarations.Any(d => d.SyntaxTree == tree && d.Span.Contains(name.Span)))
                {
                    continue;
                }

                model ??= SemanticModelFor(tree);
                if (model is null)
                {
                    return false;
                }

                if (!SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, AnalysisCancellation.Token).Symbol?.OriginalDefinition, member.OriginalDefinition))
                {
                    continue;
                }

                ExpressionSyntax use = name.Parent is MemberAccessExpressionSyntax qualified && qualified.Name == name ? qualified : name;
                while (use.Parent is ParenthesizedExpressionSyntax or PostfixUnaryExpressionSyntax)
                {
                    use = (ExpressionSyntax)use.Parent;
                }

                var read = use.Parent switch
                {
                    MemberAccessExpressionSyntax access when access.Expression == use => access.Name.Identifier.ValueText is not ("CloseAsync" or "CloseOutputAsync" or "Dispose" or "DisposeAsync" or "Abort"),
                    ConditionalAccessExpressionSyntax conditional when conditional.Expression == use
                        => conditional.WhenNotNull is not InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax { Name.Identifier.ValueText: "CloseAsync" or "CloseOutputAsync" or "Dispose" or "DisposeAsync" or "Abort" } },
                    BinaryExpressionSyntax binary => binary.IsKind(SyntaxKind.EqualsExpression) || binary.IsKind(SyntaxKind.NotEqualsExpression),
                    IsPatternExpressionSyntax => true,
                    _ => false,
                };
                if (!read)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Whether no code at all can answer a Close received on a private socket member: its type makes the sockets it
    /// stores there (only new, accepted or stream-made sockets, or null, are written to it), never lets one out (every
    /// other use is a member access of the socket's own type, or a null or equality test), and every
    /// member that closes it does nothing when entered in CloseReceived (a close behind <c>State == Open</c>, or none
    /// at all). A receive path that hands the Close to an event, a handler or a caller then leaves it unanswered
    /// whatever that code does, since nothing it can call sends the answer.
    /// </summary>
    public bool NoMemberCanAnswer(ISymbol member)
        => _noMemberCanAnswer.GetOrAdd(member.OriginalDefinition, ComputeNoMemberCanAnswer);

    private bool ComputeNoMemberCanAnswer(ISymbol member)
    {
        if (member.DeclaredAccessibility != Accessibility.Private || member.ContainingType is not { } type
            || member is IPropertySymbol { IsIndexer: true } || !_symbols.IsWebSocket(MemberType(member)))
        {
            return false;
        }

        var closers = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        if (ReferencesInType(member, type) is not { } references)
        {
            // A type of another project: its uses of the member are out of sight.
            return false;
        }

        foreach (var (name, use, model) in references)
        {
            SimpleNameSyntax? called;
            switch (use.Parent)
            {
                case MemberAccessExpressionSyntax access when access.Expression == use:
                    called = access.Name;
                    break;
                case ConditionalAccessExpressionSyntax conditional when conditional.Expression == use:
                    called = conditional.WhenNotNull switch
                    {
                        MemberBindingExpressionSyntax binding => binding.Name,
                        InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax binding } => binding.Name,
                        MemberAccessExpressionSyntax { Expression: MemberBindingExpressionSyntax binding } => binding.Name,
                        _ => null,
                    };
                    if (called is null)
                    {
                        return false;
                    }

                    break;
                case AssignmentExpressionSyntax assignment when assignment.Left == use:
                    if (model.GetOperation(assignment.Right, AnalysisCancellation.Token).WithoutConversions() is not { } stored
                        || !SocketSources.IsCreation(_symbols, stored) && stored.ConstantValue is not { HasValue: true, Value: null } && stored is not IDefaultValueOperation)
                    {
                        // A socket made elsewhere (a constructor parameter, a local): whoever made it may still answer.
                        return false;
                    }

                    continue;
                case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.EqualsExpression) || binary.IsKind(SyntaxKind.NotEqualsExpression):
                case IsPatternExpressionSyntax:
                    continue;
                default:
                    // The socket's value goes somewhere: code out of this scan may close it.
                    return false;
            }

            if (model.GetSymbolInfo(called, AnalysisCancellation.Token).Symbol is not { } target
                || target is IMethodSymbol { IsExtensionMethod: true } or IMethodSymbol { ReducedFrom: not null }
                || !_symbols.IsWebSocket(target.ContainingType))
            {
                // An extension method (or an unresolved call) is given the socket.
                return false;
            }

            if (called.Identifier.ValueText is "CloseAsync" or "CloseOutputAsync")
            {
                var declaration = name.Ancestors().FirstOrDefault(a => a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax or AccessorDeclarationSyntax);
                if (declaration is not BaseMethodDeclarationSyntax and not AccessorDeclarationSyntax
                    || model.GetDeclaredSymbol(declaration, AnalysisCancellation.Token) is not IMethodSymbol closer)
                {
                    // A close in a lambda or local function: when it runs is not this scan's to say.
                    return false;
                }

                closers.Add(closer);
            }
        }

        foreach (var closer in closers)
        {
            if (ForMember(closer, member, 1)?.Outcome is not HelperOutcome.DoesNotClose || ReceivesItself(closer, type))
            {
                // A member that receives (itself or through a receiving method of its type) and then closes answers the
                // Close it receives, however it does when entered in CloseReceived: its path decides.
                return false;
            }
        }

        return true;
    }

    private static readonly string[] ReceiveNames = { "ReceiveAsync" };

    /// <summary>Whether a method spells a receive, or calls by name a method of <paramref name="type"/> that does.</summary>
    private static bool ReceivesItself(IMethodSymbol method, INamedTypeSymbol type)
    {
        HashSet<string>? receiving = null;
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (TreeCalls.AnyCallWithin(reference.SyntaxTree, reference.Span, ReceiveNames))
            {
                return true;
            }

            receiving ??= new HashSet<string>(type.GetMembers().OfType<IMethodSymbol>()
                .Where(m => m.DeclaringSyntaxReferences.Any(r => TreeCalls.AnyCallWithin(r.SyntaxTree, r.Span, ReceiveNames)))
                .Select(m => m.Name));
            if (receiving.Count > 0 && TreeCalls.AnyCallWithin(reference.SyntaxTree, reference.Span, receiving.Contains))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a private collection member (a <c>System.Collections</c> type with a WebSocket type argument, such as
    /// <c>ConcurrentDictionary&lt;string, WebSocket&gt;</c>) keeps its sockets for good: its type never disposes or
    /// aborts a socket, never lets one out (no member of another accessibility than private whose type names a
    /// WebSocket, no socket given to code outside the type other than a collection's own methods, no socket given to a
    /// constructor or stored in another object). A socket added to it is then never released by anyone.
    /// </summary>
    public bool CollectionNeverReleased(ISymbol member)
        => _collectionNeverReleased.GetOrAdd(member.OriginalDefinition, ComputeCollectionNeverReleased);

    private bool ComputeCollectionNeverReleased(ISymbol member)
    {
        if (member.DeclaredAccessibility != Accessibility.Private || member.ContainingType is not { } type
            || !IsSocketCollection(MemberType(member)))
        {
            return false;
        }

        foreach (var typeMember in type.GetMembers())
        {
            if (typeMember.DeclaredAccessibility != Accessibility.Private && !typeMember.IsImplicitlyDeclared
                && MemberType(typeMember) is { } memberType && NamesSocket(memberType)
                && !(typeMember is IMethodSymbol { MethodKind: MethodKind.Ordinary } exposing && NoCallerReleases(exposing)))
            {
                return false;
            }
        }

        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var root = reference.GetSyntax(AnalysisCancellation.Token);
            if (SemanticModelFor(root.SyntaxTree) is not { } model)
            {
                return false;
            }

            foreach (var node in root.DescendantNodes())
            {
                switch (node)
                {
                    case InvocationExpressionSyntax call when TreeCalls.NameOf(call) is "Dispose" or "DisposeAsync" or "Abort":
                        if (call.Expression is not MemberAccessExpressionSyntax and not MemberBindingExpressionSyntax
                            || ReceiverType(model, call) is not INamedTypeSymbol receiver || _symbols.IsWebSocket(receiver)
                            || receiver.TypeKind == TypeKind.Interface || receiver.SpecialType == SpecialType.System_Object)
                        {
                            return false;
                        }

                        break;
                    case UsingStatementSyntax { Declaration: { } declared } when MaySocket(model.GetTypeInfo(declared.Type, AnalysisCancellation.Token).Type):
                    case UsingStatementSyntax { Expression: { } resource } when MaySocket(model.GetTypeInfo(resource, AnalysisCancellation.Token).Type):
                    case LocalDeclarationStatementSyntax { UsingKeyword.RawKind: > 0 } local when MaySocket(model.GetTypeInfo(local.Declaration.Type, AnalysisCancellation.Token).Type):
                        // A `using` that may dispose a socket.
                        return false;
                    case ArgumentSyntax argument when _symbols.IsWebSocket(model.GetTypeInfo(argument.Expression, AnalysisCancellation.Token).Type):
                        var target = model.GetSymbolInfo(argument.Parent!.Parent!, AnalysisCancellation.Token).Symbol;
                        if (argument.Parent!.Parent is BaseObjectCreationExpressionSyntax
                            || target is not IMethodSymbol { MethodKind: not MethodKind.Constructor } method
                            || !SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, type) && !IsCollectionMethod(method))
                        {
                            return false;
                        }

                        break;
                    case AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax { Expression: not ThisExpressionSyntax } } stored
                        when _symbols.IsWebSocket(model.GetTypeInfo(stored.Right, AnalysisCancellation.Token).Type):
                        return false;
                }
            }
        }

        return true;

        bool MaySocket(ITypeSymbol? resource)
            => resource is null || _symbols.IsWebSocket(resource) || resource.TypeKind is TypeKind.Interface or TypeKind.Error
               || resource.SpecialType == SpecialType.System_Object;

        static ITypeSymbol? ReceiverType(SemanticModel model, InvocationExpressionSyntax call)
            => call.Expression switch
            {
                MemberAccessExpressionSyntax access => model.GetTypeInfo(access.Expression, AnalysisCancellation.Token).Type,
                MemberBindingExpressionSyntax binding when binding.Parent?.Parent is ConditionalAccessExpressionSyntax conditional
                    => model.GetTypeInfo(conditional.Expression, AnalysisCancellation.Token).Type,
                _ => null,
            };
    }

    /// <summary>
    /// A method that hands sockets out of their keeper (<c>GetAllSockets()</c>) whose every caller is in sight and
    /// releases nothing: no Dispose, DisposeAsync or Abort in the caller's body. A public or protected method of a
    /// library may have callers out of sight.
    /// </summary>
    private bool NoCallerReleases(IMethodSymbol method)
    {
        if (method.DeclaredAccessibility is Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal
            && Compilation.Options.OutputKind == OutputKind.DynamicallyLinkedLibrary
            || !AllCallSitesKnown(method))
        {
            return false;
        }

        foreach (var site in CallSites(method))
        {
            var root = RootOf(site.Call.Syntax);
            if (TreeCalls.AnyCallWithin(root.SyntaxTree, root.Span, ReleaseNames))
            {
                return false;
            }
        }

        return true;
    }

    private static readonly string[] ReleaseNames = { "Dispose", "DisposeAsync", "Abort" };

    private static ITypeSymbol? MemberType(ISymbol member) => member switch
    {
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        IMethodSymbol { MethodKind: MethodKind.Ordinary } method => method.ReturnType,
        _ => null,
    };

    private bool IsSocketCollection(ITypeSymbol? type)
        => type is INamedTypeSymbol { IsGenericType: true } named && InCollections(named.ContainingNamespace)
           && named.TypeArguments.Any(_symbols.IsWebSocket);

    /// <summary>A WebSocket, or a generic type, array or task that holds one.</summary>
    private bool NamesSocket(ITypeSymbol type) => type switch
    {
        _ when _symbols.IsWebSocket(type) => true,
        IArrayTypeSymbol array => NamesSocket(array.ElementType),
        INamedTypeSymbol { IsGenericType: true } named => named.TypeArguments.Any(NamesSocket),
        _ => false,
    };

    private static bool IsCollectionMethod(IMethodSymbol method) => InCollections(method.ContainingNamespace);

    private static bool InCollections(INamespaceSymbol? ns)
    {
        for (; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            if (ns.Name == "Collections" && ns.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>var ws = new ClientWebSocket(); await ws.ConnectAsync(..); _ws = ws;</c>: the local stored is connected in the same body.</summary>
    private static bool ConnectsLocal(AssignmentExpressionSyntax assignment, ILocalSymbol local)
    {
        var body = assignment.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax);
        return body is not null && body.DescendantNodes().OfType<InvocationExpressionSyntax>().Any(call =>
            call.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConnectAsync", Expression: IdentifierNameSyntax target }
            && target.Identifier.ValueText == local.Name);
    }

    /// <summary>Whether a type creates or accepts WebSockets itself (then it owns the ones it keeps in its fields).</summary>
    public bool CreatesSockets(INamedTypeSymbol type)
        => _createsSockets.GetOrAdd(type, t =>
        {
            foreach (var reference in t.DeclaringSyntaxReferences)
            {
                var syntax = reference.GetSyntax();
                if (SemanticModelFor(syntax.SyntaxTree) is not { } model)
                {
                    continue;
                }

                foreach (var node in syntax.DescendantNodes())
                {
                    var created = node switch
                    {
                        BaseObjectCreationExpressionSyntax creation => model.GetTypeInfo(creation).Type,
                        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "CreateFromStream" or "CreateClientWebSocket" or "AcceptWebSocketAsync" } } call
                            => (model.GetSymbolInfo(call).Symbol as IMethodSymbol)?.ReturnType,
                        _ => null,
                    };
                    if (created is INamedTypeSymbol { Name: "Task" or "ValueTask", TypeArguments.Length: 1 } task)
                    {
                        created = task.TypeArguments[0];
                    }

                    if (_symbols.IsWebSocket(created))
                    {
                        return true;
                    }
                }
            }

            return false;
        });

    /// <summary>
    /// Takes the driver's model of a tree (the one an operation block it handed us was bound with) for the summaries'
    /// own questions about that tree: bodies next to the analysed one are then bound once, by the model the driver
    /// keeps, rather than a second time by a model of our own.
    /// </summary>
    public void Adopt(SemanticModel? model)
    {
        if (model is { IsSpeculativeSemanticModel: false } && model.Compilation == Compilation)
        {
            _models.TryAdd(model.SyntaxTree, model);
        }
    }

    /// <summary>
    /// A model of a tree of this compilation; null for a tree of another project's compilation (an IDE references the
    /// projects of a solution as compilations, so their methods are source symbols whose trees are not ours to bind):
    /// such code is out of sight, as if it came from a DLL.
    /// </summary>
    public SemanticModel? SemanticModelFor(SyntaxTree tree)
#pragma warning disable RS1030 // Summaries of other methods need their trees' models; made lazily, once per tree and compilation.
        => Compilation.ContainsSyntaxTree(tree) ? _models.GetOrAdd(tree, t => Compilation.GetSemanticModel(t)) : null;
#pragma warning restore RS1030

    private bool IsInSource(IMethodSymbol method)
        => !method.IsAbstract && !method.IsExtern && IsDeclaredHere(method);

    private bool IsDeclaredHere(IMethodSymbol method)
        => method.DeclaringSyntaxReferences.Length > 0 && Compilation.ContainsSyntaxTree(method.DeclaringSyntaxReferences[0].SyntaxTree);

    /// <summary>The member whose body holds a node: a method, accessor, constructor, or the top-level statements.</summary>
    internal static SyntaxNode RootOf(SyntaxNode node)
    {
        for (var current = node; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case BaseMethodDeclarationSyntax:
                case AccessorDeclarationSyntax:
                case IndexerDeclarationSyntax:
                case PropertyDeclarationSyntax { ExpressionBody: not null }:
                    return current;
                case GlobalStatementSyntax:
                    return current.Parent!;
                case VariableDeclaratorSyntax { Initializer: { } initializer } when current.Parent?.Parent is FieldDeclarationSyntax:
                    return initializer;
            }
        }

        return node;
    }
}

/// <summary>A call of a method of this compilation, located in its caller's graph.</summary>
internal sealed class CallSite
{
    public CallSite(BodyAnalysis body, GraphInfo graph, BasicBlock block, int index, IInvocationOperation call)
    {
        Body = body;
        Graph = graph;
        Block = block;
        Index = index;
        Call = call;
    }

    public BodyAnalysis Body { get; }
    public GraphInfo Graph { get; }
    public BasicBlock Block { get; }
    public int Index { get; }
    public IInvocationOperation Call { get; }
}
