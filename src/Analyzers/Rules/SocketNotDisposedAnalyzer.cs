using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using WsAnalyzers.Flow;
using WsAnalyzers.Model;

namespace WsAnalyzers.Rules;

/// <summary>
/// A WebSocket the method creates or accepts into a local and leaves, on some path, neither disposed nor handed to
/// another owner (WS1003). Only WebSockets: other disposables are CA2000's business.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SocketNotDisposedAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property set when a `using` declaration on the local is a safe fix.</summary>
    public const string FixableProperty = "UsingFix";

    /// <summary>Diagnostic property set when the old socket of a field or property can be disposed before the assignment.</summary>
    public const string DisposeOldProperty = "DisposeOld";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.WS1003SocketNotDisposed);

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
                ImmutableArray.Create(OperationKind.ObjectCreation, OperationKind.Await, OperationKind.Invocation, OperationKind.PropertyReference, OperationKind.SimpleAssignment),
                operation => SocketSources.IsCreation(symbols, operation) || ClearsSocketMember(symbols, operation),
                end => Analyze(symbols, end),
                createOrRelease: true);
        });
    }

    private static void Analyze(WebSocketSymbols symbols, OperationBlockAnalysisContext context)
    {
        if (SocketBlocks.BodyOf(symbols, context, initializers: true) is not { } body)
        {
            return;
        }

        foreach (var graph in body.Graphs)
        {
            AnalyzeGraph(symbols, body, graph, context);
        }
    }

    private static void AnalyzeGraph(WebSocketSymbols symbols, BodyAnalysis body, GraphInfo graph, OperationBlockAnalysisContext context)
    {
        for (var b = 0; b < graph.Operations.Length; b++)
        {
            var operations = graph.Operations[b];
            for (var i = 0; i < operations.Count; i++)
            {
                if (operations[i] is ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation } stored
                    && stored.Target.ReferencedSymbol(graph) is { } member
                    && SocketSources.IsCreation(symbols, graph.Resolve(stored.Value))
                    && symbols.Summaries.NeverReleased(member))
                {
                    // A socket the type keeps in a private field or property that no member disposes, aborts or hands on.
                    var created = graph.Resolve(stored.Value);
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.WS1003SocketNotDisposed, created.Syntax.GetLocation(), member.Name, Descriptors.WS1003Field));
                    continue;
                }

                if (operations[i] is ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation } replaced
                    && replaced.Target.ReferencedSymbol(graph) is { } held && symbols.IsWebSocket(replaced.Target.Type)
                    && (SocketSources.IsCreation(symbols, graph.Resolve(replaced.Value))
                        || IsNull(replaced.Value) && held.ContainingType is { } owner && symbols.Summaries.CreatesSockets(owner))
                    && FieldReplacement.DropsOldSocket(symbols, graph, held, graph.Graph.Blocks[b], i))
                {
                    // A reconnect (or a Stop that clears the field) that drops the socket the member still holds from an earlier call.
                    var at = IsNull(replaced.Value) ? replaced.Syntax : graph.Resolve(replaced.Value).Syntax;
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.WS1003SocketNotDisposed, at.GetLocation(), DisposeOld, held.Name, Descriptors.WS1003Replaced));
                    continue;
                }

                if (operations[i] is ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation } kept
                    && kept.Target.ReferencedSymbol(graph) is { } keeper && symbols.IsWebSocket(kept.Target.Type)
                    && SocketSources.IsCreation(symbols, graph.Resolve(kept.Value)) && !symbols.MayReleaseSockets)
                {
                    // A socket the type keeps, in a compilation where nothing in reach ever releases a socket.
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.WS1003SocketNotDisposed, graph.Resolve(kept.Value).Syntax.GetLocation(), keeper.Name, Descriptors.WS1003FieldNothingReleases));
                    continue;
                }

                if (operations[i] is ISimpleAssignmentOperation { Target: ILocalReferenceOperation { Local: var listener } } accepted
                    && SymbolEqualityComparer.Default.Equals(listener.ContainingSymbol, graph.Owner)
                    && listener.Type is { Name: "HttpListenerWebSocketContext" }
                    && graph.Resolve(accepted.Value) is IAwaitOperation { Operation: IInvocationOperation { TargetMethod.Name: "AcceptWebSocketAsync" } } accept
                    && SocketUsedInPlace(symbols, body, listener) && !symbols.MayReleaseSockets)
                {
                    // `var wsContext = await context.AcceptWebSocketAsync(null);` whose `.WebSocket` is used in place and
                    // handed only to the project's code, where nothing ever releases a socket.
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.WS1003SocketNotDisposed, accept.Syntax.GetLocation(), listener.Name + ".WebSocket", Descriptors.WS1003NothingReleases));
                    continue;
                }

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

                var walk = OwnershipWalker.After(symbols, body.Graphs, graph, local, graph.Graph.Blocks[b], i);
                if (!walk.Leaks)
                {
                    if (walk.Moved && !walk.Escaped && !walk.Disposed && !IsUsingVariable(local) && !symbols.MayReleaseSockets)
                    {
                        // Every owner it went to is in this compilation, and nothing in reach ever releases a socket.
                        context.ReportDiagnostic(Diagnostic.Create(Descriptors.WS1003SocketNotDisposed, value.Syntax.GetLocation(), local.Name, Descriptors.WS1003NothingReleases));
                    }

                    continue;
                }

                // A socket kept by an owner that never releases it gets no `using` fix: that owner may still be using
                // it when this method returns (where the disposal belongs is a design decision).
                var properties = !walk.Moved && !walk.Aliased && !walk.KeptUnreleased && IsDeclarationInitializer(value.Syntax) && !IsWrittenElsewhere(body, local, assignment)
                    ? ImmutableDictionary<string, string?>.Empty.Add(FixableProperty, "true")
                    : ImmutableDictionary<string, string?>.Empty;
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.WS1003SocketNotDisposed, value.Syntax.GetLocation(), properties, local.Name, walk.KeptUnreleased ? Descriptors.WS1003Kept : Descriptors.WS1003Local));
            }
        }
    }

    /// <summary>
    /// Whether every use of an HttpListener context local reads its `.WebSocket` in place (a call on it, an argument to a
    /// method of the project that does not hand it out of sight, a comparison) and none copies the socket into a local
    /// (that local is judged on its own) or gives the context or its socket to code out of sight.
    /// </summary>
    private static bool SocketUsedInPlace(WebSocketSymbols symbols, BodyAnalysis body, ILocalSymbol listener)
    {
        var used = false;
        foreach (var graph in body.Graphs)
        {
            foreach (var operations in graph.Operations)
            {
                foreach (var root in operations)
                {
                    foreach (var operation in root.DescendantsAndSelf())
                    {
                        if (operation is not ILocalReferenceOperation { Local: var referenced } reference
                            || !SymbolEqualityComparer.Default.Equals(referenced, listener)
                            || reference.Parent is ISimpleAssignmentOperation { Target: var target } && target == reference)
                        {
                            continue;
                        }

                        if (reference.Parent is not IPropertyReferenceOperation { Property.Name: "WebSocket" } socket)
                        {
                            // The context itself goes somewhere (or is read for something else: its request, headers).
                            if (reference.Parent is IArgumentOperation or IConversionOperation)
                            {
                                return false;
                            }

                            continue;
                        }

                        used = true;
                        if (!UsedInPlace(socket, graph))
                        {
                            return false;
                        }
                    }
                }
            }
        }

        return used;

        bool UsedInPlace(IOperation socket, GraphInfo graph)
        {
            var use = socket.Parent is IConversionOperation conversion ? conversion.Parent : socket.Parent;
            switch (use)
            {
                case IInvocationOperation call when call.Instance == socket || call.Instance == socket.Parent:
                case IBinaryOperation:
                    return true;
                case IArgumentOperation { Parameter: { } parameter, Parent: IInvocationOperation { TargetMethod: var method } }
                    when !method.DeclaringSyntaxReferences.IsEmpty && symbols.Ownership.ForParameter(method, parameter.Ordinal, 1) != OwnershipEffect.Escapes:
                case IArgumentOperation { Parent: IInvocationOperation kept } when kept.IsLibraryCollectionCall():
                    // Given to the project's own code, or kept in a list of the base library (`_sockets.Add(wsContext.WebSocket)`).
                    return true;
                case IFlowCaptureOperation capture:
                    // Captured before a branch in the call's arguments (`ws.SendAsync(cond ? a : b, ..)`): judge where the capture is read.
                    var read = false;
                    foreach (var block in graph.Operations)
                    {
                        foreach (var root in block)
                        {
                            foreach (var reference in root.DescendantsAndSelf().OfType<IFlowCaptureReferenceOperation>())
                            {
                                if (reference.Id.Equals(capture.Id))
                                {
                                    read = true;
                                    if (!UsedInPlace(reference, graph))
                                    {
                                        return false;
                                    }
                                }
                            }
                        }
                    }

                    return read;
                default:
                    return false;
            }
        }
    }

    private static readonly ImmutableDictionary<string, string?> DisposeOld = ImmutableDictionary<string, string?>.Empty.Add(DisposeOldProperty, "true");

    /// <summary>A local declared by a `using` (statement or declaration): disposed when its scope ends, wherever it went meanwhile.</summary>
    private static bool IsUsingVariable(ILocalSymbol local)
        => local.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Parent: UsingStatementSyntax or LocalDeclarationStatementSyntax { UsingKeyword.RawKind: not 0 } } });

    private static bool IsNull(IOperation value) => value.WithoutConversions() is { ConstantValue: { HasValue: true, Value: null } };

    /// <summary>`_ws = null;` on a WebSocket field or property (marks the body for the replacement check).</summary>
    private static bool ClearsSocketMember(WebSocketSymbols symbols, IOperation operation)
        => operation is ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation } assignment
           && IsNull(assignment.Value) && symbols.IsWebSocket(assignment.Target.Type);

    /// <summary>`var ws = creation;` as a statement of its own in a block: the shape a using declaration fits.</summary>
    private static bool IsDeclarationInitializer(SyntaxNode value)
        => value.Parent is EqualsValueClauseSyntax
        {
            Parent: VariableDeclaratorSyntax
            {
                Parent: VariableDeclarationSyntax
                {
                    Variables.Count: 1,
                    Parent: LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0, Modifiers.Count: 0, Parent: BlockSyntax or GlobalStatementSyntax },
                },
            },
        };

    /// <summary>A using variable is read-only: any other write to the local (or a ref to it) rules the fix out.</summary>
    private static bool IsWrittenElsewhere(BodyAnalysis body, ILocalSymbol local, IOperation declaration)
    {
        foreach (var graph in body.Graphs)
        {
            foreach (var operations in graph.Operations)
            {
                foreach (var operation in operations)
                {
                    if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local)
                        && reference.Parent != declaration
                        && (reference.Parent is IAssignmentOperation assignment && assignment.Target == reference
                            || reference.Parent is IArgumentOperation { Parameter.RefKind: not RefKind.None and not RefKind.In }
                            || reference.Parent is IIncrementOrDecrementOperation))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}
