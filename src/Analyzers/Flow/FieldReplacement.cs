using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using WsAnalyzers.Model;

namespace WsAnalyzers.Flow;

/// <summary>
/// WS1003 for a field or property the type keeps its socket in: whether an assignment to it (a reconnect's new
/// socket, or null) can drop a socket it still holds. Walks the member's graph backwards from the assignment to the
/// entry: a Dispose or Abort of the member on the way releases the old socket, and so does a branch that tested it
/// null; reaching the entry without either means the old socket (from an earlier call) is dropped undisposed.
/// </summary>
internal static class FieldReplacement
{
    public static bool DropsOldSocket(WebSocketSymbols symbols, GraphInfo graph, ISymbol member, BasicBlock block, int index)
    {
        if (graph.Owner is IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } || graph.Graph.OriginalOperation is IFieldInitializerOperation or IPropertyInitializerOperation)
        {
            return false;
        }

        if (ReleasesBefore(symbols, graph, member, block, index) || ReleasedAfter(symbols, graph, member, block, index))
        {
            return false;
        }

        var assigned = graph.Operations[block.Ordinal][index];
        if (graph.Owner is IMethodSymbol { MethodKind: MethodKind.Ordinary, DeclaredAccessibility: Accessibility.Public } entry
            && assigned is ISimpleAssignmentOperation { Value: { } created } && SocketSources.IsCreation(symbols, graph.Resolve(created))
            && entry.Name.IndexOf("Reconnect", System.StringComparison.OrdinalIgnoreCase) < 0
            && !ReadsBefore(entry, member, assigned.Syntax.SpanStart)
            && symbols.Summaries.ReleasedElsewhere(member, entry))
        {
            // A public Connect or Run that makes the type's socket without looking at an old one, in a type whose
            // Disconnect, Stop or Dispose releases it: the pair is the type's contract, and a second Connect without the
            // teardown between is its caller's error. A method that first tests the old socket (`if (_ws == null ||
            // _ws.State != Open)`), or a public Reconnect, expects one to be there and has to release it.
            return false;
        }

        if (graph.Operations[block.Ordinal][index].Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.AssignmentExpressionSyntax assignment
            && (IsUsingResource(assignment) || assignment.Right.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.NullLiteralExpression))
            && OnlyUsingWrites(member))
        {
            // `using (_ws = new ClientWebSocket())` wherever the member is given a socket: each one is disposed when its
            // using ends, so a later one (or a null) replaces a socket its using disposes.
            return false;
        }

        var seen = new HashSet<int> { block.Ordinal };
        var work = new Stack<BasicBlock>();
        work.Push(block);
        while (work.Count > 0)
        {
            var current = work.Pop();
            foreach (var predecessor in current.Predecessors)
            {
                var from = predecessor.Source;
                if (from.Kind == BasicBlockKind.Entry)
                {
                    return true;
                }

                if (KnownNullOnEdge(graph, member, predecessor) || !seen.Add(from.Ordinal))
                {
                    continue;
                }

                if (ReleasesBefore(symbols, graph, member, from, graph.Operations[from.Ordinal].Count))
                {
                    continue;
                }

                work.Push(from);
            }
        }

        return false;
    }

    /// <summary>
    /// Among the first <paramref name="count"/> operations of a block: a Dispose, DisposeAsync or Abort of the member,
    /// or its socket handed on (`var socket = _ws;` before `_ws = null;`, the member given to a method).
    /// </summary>
    private static bool ReleasesBefore(WebSocketSymbols symbols, GraphInfo graph, ISymbol member, BasicBlock block, int count)
    {
        var operations = graph.Operations[block.Ordinal];
        for (var i = 0; i < count && i < operations.Count; i++)
        {
            if (Releases(symbols, graph, member, operations[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Releases(WebSocketSymbols symbols, GraphInfo graph, ISymbol member, IOperation operation)
    {
        bool IsMember(IOperation? value)
            => SymbolEqualityComparer.Default.Equals(value.ReferencedSymbol(graph)?.OriginalDefinition, member.OriginalDefinition);

        return operation switch
        {
            IInvocationOperation call when symbols.Classify(call) is SocketCall.Dispose or SocketCall.Abort => IsMember(call.Receiver()),
            IInvocationOperation call when symbols.Classify(call) == SocketCall.None => ReleasedByOwnMember(call, member),
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation } copy => IsMember(copy.Value),
            IArgumentOperation argument => IsMember(argument.Value),
            _ => false,
        };
    }

    /// <summary>
    /// `await DisconnectAsync();` before `_ws = new ClientWebSocket();`: a method of the member's type, called on the same
    /// object, whose body disposes or aborts the member (`_ws.Dispose()`, `_ws?.Dispose()`, `_ws.Abort()`, `using (_ws)`).
    /// Decided from syntax.
    /// </summary>
    private static bool ReleasedByOwnMember(IInvocationOperation call, ISymbol member)
    {
        if (call.Instance is not (null or IInstanceReferenceOperation) || call.TargetMethod.DeclaringSyntaxReferences.Length != 1
            || member.ContainingType is not { } owner
            || !SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType?.OriginalDefinition, owner.OriginalDefinition))
        {
            return false;
        }

        var body = call.TargetMethod.DeclaringSyntaxReferences[0].GetSyntax(AnalysisCancellation.Token);

        // `var ws = _ws; _ws = null; ws.Dispose();`: a local copy of the member stands for it.
        var names = new System.Collections.Generic.HashSet<string> { member.Name };
        foreach (var node in body.DescendantNodes())
        {
            if (node is Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax { Initializer.Value: var value } copy && Names(value, member.Name))
            {
                names.Add(copy.Identifier.ValueText);
            }
            else if (node is Microsoft.CodeAnalysis.CSharp.Syntax.AssignmentExpressionSyntax { Left: Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax local } assigned
                && assigned.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.SimpleAssignmentExpression) && Names(assigned.Right, member.Name) && local.Identifier.ValueText != member.Name)
            {
                names.Add(local.Identifier.ValueText);
            }
        }

        foreach (var node in body.DescendantNodes())
        {
            switch (node)
            {
                case Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax invocation when TreeCalls.NameOf(invocation) is "Dispose" or "DisposeAsync" or "Abort":
                    var receiver = invocation.Expression switch
                    {
                        Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax access => access.Expression,
                        Microsoft.CodeAnalysis.CSharp.Syntax.MemberBindingExpressionSyntax when invocation.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.ConditionalAccessExpressionSyntax conditional => conditional.Expression,
                        _ => null,
                    };
                    if (names.Any(name => Names(receiver, name)))
                    {
                        return true;
                    }

                    break;
                case Microsoft.CodeAnalysis.CSharp.Syntax.UsingStatementSyntax { Expression: var resource } when names.Any(name => Names(resource, name)):
                    return true;
            }
        }

        return false;

        static bool Names(Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionSyntax? expression, string name) => expression switch
        {
            Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax identifier => identifier.Identifier.ValueText == name,
            Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax { Expression: Microsoft.CodeAnalysis.CSharp.Syntax.ThisExpressionSyntax } access => access.Name.Identifier.ValueText == name,
            Microsoft.CodeAnalysis.CSharp.Syntax.ParenthesizedExpressionSyntax parenthesized => Names(parenthesized.Expression, name),
            Microsoft.CodeAnalysis.CSharp.Syntax.PostfixUnaryExpressionSyntax postfix => Names(postfix.Operand, name),
            _ => false,
        };
    }

    private static bool IsUsingResource(Microsoft.CodeAnalysis.CSharp.Syntax.AssignmentExpressionSyntax assignment)
        => assignment.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.UsingStatementSyntax { Expression: var resource } && resource == assignment;

    /// <summary>
    /// Whether a private member without an initializer is given sockets only as a using's resource: every assignment
    /// naming it in its type is one (there is at least one) or stores null.
    /// </summary>
    private static bool OnlyUsingWrites(ISymbol member)
    {
        if (member.DeclaredAccessibility != Accessibility.Private
            || member.DeclaringSyntaxReferences.Any(r => r.GetSyntax(AnalysisCancellation.Token) is Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax { Initializer: not null }
                or Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax { Initializer: not null }))
        {
            return false;
        }

        var usings = 0;
        foreach (var reference in member.ContainingType?.DeclaringSyntaxReferences ?? default)
        {
            foreach (var assignment in reference.GetSyntax(AnalysisCancellation.Token).DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.AssignmentExpressionSyntax>())
            {
                var target = assignment.Left switch
                {
                    Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                    Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
                    _ => null,
                };
                if (target != member.Name)
                {
                    continue;
                }

                if (IsUsingResource(assignment))
                {
                    usings++;
                }
                else if (!assignment.Right.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.NullLiteralExpression))
                {
                    return false;
                }
            }
        }

        return usings > 0;
    }

    /// <summary>Whether the method names the member before <paramref name="position"/> (a test or use of an old socket).</summary>
    private static bool ReadsBefore(IMethodSymbol method, ISymbol member, int position)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            foreach (var name in reference.GetSyntax(AnalysisCancellation.Token).DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax>())
            {
                if (name.SpanStart >= position)
                {
                    break;
                }

                if (name.Identifier.ValueText == member.Name)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the member's new socket is released again later in the same member (a Connect whose `finally` disposes
    /// it): then no earlier call can leave a live socket behind for this assignment to drop.
    /// </summary>
    private static bool ReleasedAfter(WebSocketSymbols symbols, GraphInfo graph, ISymbol member, BasicBlock block, int index)
    {
        foreach (var operation in SocketSources.OperationsAfter(graph, block, index))
        {
            if (operation is IInvocationOperation call && symbols.Classify(call) is SocketCall.Dispose or SocketCall.Abort
                && Releases(symbols, graph, member, call))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the branch is only taken when the member is null (`if (_ws == null)`, `_ws ??= ...`, `_ws?.Dispose()`'s null side).</summary>
    private static bool KnownNullOnEdge(GraphInfo graph, ISymbol member, ControlFlowBranch edge)
    {
        var source = edge.Source;
        if (source.ConditionKind == ControlFlowConditionKind.None || source.BranchValue is not { } condition)
        {
            return false;
        }

        var conditional = edge == source.ConditionalSuccessor;
        var whenTrue = conditional == (source.ConditionKind == ControlFlowConditionKind.WhenTrue);
        return NullTest(graph, member, condition) is { } testsNull && testsNull == whenTrue;
    }

    /// <summary>True when the condition is true exactly when the member is null, false when exactly when it is not; null otherwise.</summary>
    private static bool? NullTest(GraphInfo graph, ISymbol member, IOperation condition)
    {
        bool IsMember(IOperation? operation)
            => SymbolEqualityComparer.Default.Equals(operation.ReferencedSymbol(graph)?.OriginalDefinition, member.OriginalDefinition);

        static bool IsNull(IOperation operation) => operation.WithoutConversions() is { ConstantValue: { HasValue: true, Value: null } };

        switch (condition.WithoutConversions())
        {
            case IIsNullOperation isNull when IsMember(isNull.Operand):
                return true;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary
                when IsMember(binary.LeftOperand) && IsNull(binary.RightOperand) || IsMember(binary.RightOperand) && IsNull(binary.LeftOperand):
                return binary.OperatorKind == BinaryOperatorKind.Equals;
            case IIsPatternOperation { Pattern: IConstantPatternOperation constant } pattern when IsMember(pattern.Value) && IsNull(constant.Value):
                return true;
            case IIsPatternOperation { Pattern: INegatedPatternOperation { Pattern: IConstantPatternOperation constant } } pattern when IsMember(pattern.Value) && IsNull(constant.Value):
                return false;
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return NullTest(graph, member, not.Operand) is { } inner ? !inner : null;
            default:
                return null;
        }
    }
}
