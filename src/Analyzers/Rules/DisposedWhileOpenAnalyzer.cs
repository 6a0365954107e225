using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using WsAnalyzers.Flow;
using WsAnalyzers.Model;

namespace WsAnalyzers.Rules;

/// <summary>
/// A socket that may still be Open disposed with no close sent before it on that path (WS1010): explicitly, at the
/// end of a `using`, in its owning type's Dispose, or (an ASP.NET Core accepted socket) by the request ending when
/// the handler returns. The peer gets no Close frame: its receive fails with ConnectionClosedPrematurely, a browser
/// sees 1006.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DisposedWhileOpenAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the socket as the fix names it.</summary>
    public const string SocketProperty = "Socket";

    /// <summary>Diagnostic property: where the fix puts the close — "Dispose" (before the call), "Using" (at the end of the scope) or "Return" (at the end of the handler).</summary>
    public const string ShapeProperty = "Shape";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.WS1010DisposedWhileOpen);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(SocketBlocks.GeneratedCode);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = WebSocketSymbols.Get(start.Compilation);
            if (symbols is null)
            {
                return;
            }

            SocketBlocks.Register(
                start,
                ImmutableArray.Create(OperationKind.ObjectCreation, OperationKind.Await, OperationKind.Invocation, OperationKind.PropertyReference),
                operation => SocketSources.IsCreation(symbols, operation)
                    || operation is IInvocationOperation call && symbols.Classify(call) == SocketCall.Dispose,
                end => Analyze(symbols, end),
                createOrRelease: true);
        });
    }

    private static void Analyze(WebSocketSymbols symbols, OperationBlockAnalysisContext context)
    {
        if (SocketBlocks.BodyOf(symbols, context, initializers: false) is not { } body)
        {
            return;
        }

        var reported = new HashSet<Location>();
        foreach (var graph in body.Graphs)
        {
            Locals(symbols, body, graph, context, reported);
        }

        Members(symbols, body, context, reported);
    }

    /// <summary>Sockets the body makes into a local: walked from where they are made.</summary>
    private static void Locals(WebSocketSymbols symbols, BodyAnalysis body, GraphInfo graph, OperationBlockAnalysisContext context, HashSet<Location> reported)
    {
        for (var b = 0; b < graph.Operations.Length; b++)
        {
            var operations = graph.Operations[b];
            for (var i = 0; i < operations.Count; i++)
            {
                if (operations[i] is not ISimpleAssignmentOperation { Target: ILocalReferenceOperation { Local: var local } } assignment
                    || !SymbolEqualityComparer.Default.Equals(local.ContainingSymbol, graph.Owner)
                    || !symbols.IsWebSocket(local.Type))
                {
                    continue;
                }

                var value = graph.Resolve(assignment.Value);
                if (!SocketSources.IsCreation(symbols, value))
                {
                    continue;
                }

                // A `new` socket is connected only once ConnectAsync returns; accepted and stream-made ones are open at once.
                var phase = value is IObjectCreationOperation ? SocketPhase.NotConnected : SocketPhase.MaybeOpen;
                var walk = OpenDisposalWalker.After(symbols, body.Graphs, graph, local, graph.Graph.Blocks[b], i, phase);
                if (walk.GaveUp)
                {
                    continue;
                }

                foreach (var disposal in walk.Disposals)
                {
                    Report(context, reported, disposal, local.Name);
                }

                if (walk.ExitsOpen && SocketSources.IsAccept(symbols, value) && reported.Add(value.Syntax.GetLocation()))
                {
                    // ASP.NET Core ends the request when the handler returns, and with it the connection: no Close frame.
                    var properties = ImmutableDictionary<string, string?>.Empty.Add(SocketProperty, local.Name).Add(ShapeProperty, "Return");
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.WS1010DisposedWhileOpen, value.Syntax.GetLocation(), properties, local.Name, Descriptors.WS1010Returns));
                }
            }
        }
    }

    /// <summary>
    /// A type's Dispose, or a member others call on a live connection (a public or internal Disconnect or Stop), that
    /// disposes the socket member the type connected with no close before it on its own path.
    /// </summary>
    private static void Members(WebSocketSymbols symbols, BodyAnalysis body, OperationBlockAnalysisContext context, HashSet<Location> reported)
    {
        if (context.OwningSymbol is not IMethodSymbol { IsStatic: false, MethodKind: MethodKind.Ordinary } method || body.Graphs.IsEmpty)
        {
            return;
        }

        var graph = body.Graphs[0];
        if (method.Name is not ("Dispose" or "DisposeAsync" or "DisposeAsyncCore")
            && (method.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal) || ConnectsAMember(symbols, graph)))
        {
            // Private members run inside the type's own paths (a catch, a reconnect); a method that connects replaces
            // the socket it disposes.
            return;
        }

        var members = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var operations in graph.Operations)
        {
            foreach (var operation in operations)
            {
                if (operation is IInvocationOperation call && symbols.Classify(call) == SocketCall.Dispose
                    && call.Receiver().ReferencedSymbol(graph) is { Kind: SymbolKind.Field or SymbolKind.Property } member
                    && SymbolEqualityComparer.Default.Equals(member.ContainingType, method.ContainingType)
                    && symbols.Summaries.ConnectedAndKept(member))
                {
                    members.Add(member);
                }
            }
        }

        foreach (var member in members)
        {
            if (method.Name is "Dispose" or "DisposeAsync" or "DisposeAsyncCore" && StoppedFirstByHost(symbols, method.ContainingType, member))
            {
                // A hosted service: the host calls StopAsync before it disposes the service, and StopAsync closes.
                continue;
            }

            var walk = OpenDisposalWalker.FromEntry(symbols, body.Graphs, graph, member, SocketPhase.MaybeOpen);
            if (walk.GaveUp)
            {
                continue;
            }

            foreach (var disposal in walk.Disposals)
            {
                Report(context, reported, disposal, member.Name);
            }
        }
    }

    /// <summary>
    /// Whether the type is a hosted service (<c>IHostedService</c>, as <c>BackgroundService</c> is) whose <c>StopAsync</c>
    /// closes the socket member, itself or through a method of the type it calls: the host stops a service before it
    /// disposes it.
    /// </summary>
    private static bool StoppedFirstByHost(WebSocketSymbols symbols, INamedTypeSymbol type, ISymbol member)
    {
        if (!type.AllInterfaces.Any(i => i.Name == "IHostedService" && i.ContainingNamespace?.ToDisplayString() == "Microsoft.Extensions.Hosting"))
        {
            return false;
        }

        foreach (var stop in type.GetMembers("StopAsync").OfType<IMethodSymbol>())
        {
            if (symbols.Summaries.GraphOf(stop) is { } graph && (ClosesMember(symbols, graph, member) || graph.Operations.Any(operations => operations.Any(operation =>
                operation.DescendantsAndSelf().OfType<IInvocationOperation>().Any(call => SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType?.OriginalDefinition, type.OriginalDefinition)
                    && !SymbolEqualityComparer.Default.Equals(call.TargetMethod.OriginalDefinition, stop.OriginalDefinition)
                    && symbols.Summaries.GraphOf(call.TargetMethod) is { } called && ClosesMember(symbols, called, member))))))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ClosesMember(WebSocketSymbols symbols, GraphInfo graph, ISymbol member)
        => graph.Operations.Any(operations => operations.Any(operation => operation.DescendantsAndSelf().OfType<IInvocationOperation>().Any(call =>
            symbols.Classify(call) is SocketCall.Close or SocketCall.CloseOutput
            && SymbolEqualityComparer.Default.Equals(call.Receiver().ReferencedSymbol(graph)?.OriginalDefinition, member.OriginalDefinition))));

    private static bool ConnectsAMember(WebSocketSymbols symbols, GraphInfo graph)
        => graph.Operations.Any(operations => operations.Any(operation => operation.DescendantsAndSelf().OfType<IInvocationOperation>().Any(call =>
            call.TargetMethod.Name == "ConnectAsync" && symbols.IsWebSocket(call.TargetMethod.ContainingType)
            && call.Receiver().ReferencedSymbol(graph) is { Kind: SymbolKind.Field or SymbolKind.Property })));

    private static void Report(OperationBlockAnalysisContext context, HashSet<Location> reported, IInvocationOperation disposal, string name)
    {
        var (location, shape) = Where(disposal);
        if (!reported.Add(location))
        {
            return;
        }

        var socket = disposal.Receiver()?.WithoutConversions()?.Syntax is ExpressionSyntax { } expression && !disposal.IsImplicit
            ? expression.ToString()
            : name;
        var properties = ImmutableDictionary<string, string?>.Empty.Add(SocketProperty, socket).Add(ShapeProperty, shape);
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.WS1010DisposedWhileOpen, location, properties, name, Descriptors.WS1010Disposed));
    }

    /// <summary>An explicit Dispose is reported on the call; a `using` on its keyword.</summary>
    private static (Location Location, string Shape) Where(IInvocationOperation disposal)
    {
        var syntax = disposal.Syntax;
        if (!disposal.IsImplicit)
        {
            return (syntax.GetLocation(), "Dispose");
        }

        for (var node = syntax; node is not null; node = node.Parent)
        {
            switch (node)
            {
                case UsingStatementSyntax statement:
                    return (statement.UsingKeyword.GetLocation(), "Using");
                case LocalDeclarationStatementSyntax declaration when declaration.UsingKeyword.RawKind != 0:
                    return (declaration.UsingKeyword.GetLocation(), "Using");
                case StatementSyntax:
                    return (syntax.GetLocation(), "Other");
            }
        }

        return (syntax.GetLocation(), "Other");
    }
}
