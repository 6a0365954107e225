using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace WsAnalyzers.Flow;

/// <summary>Small questions asked of operations by every part of the flow analysis.</summary>
internal static class OperationFacts
{
    public static IOperation? WithoutConversions(this IOperation? operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    /// <summary>The variable an expression reads: a local, parameter, field or property (through flow captures).</summary>
    public static ISymbol? ReferencedSymbol(this IOperation? operation, GraphInfo? graph = null)
    {
        operation = operation.WithoutConversions();
        if (operation is IFlowCaptureReferenceOperation capture && graph is not null && graph.TryGetCapture(capture, out var captured))
        {
            return captured.ReferencedSymbol(graph);
        }

        return operation switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            IFieldReferenceOperation field when IsThisOrStatic(field.Instance) => field.Field,
            IPropertyReferenceOperation property when property.Arguments.Length == 0 && IsThisOrStatic(property.Instance) => property.Property,
            _ => null,
        };
    }

    private static bool IsThisOrStatic(IOperation? instance)
        => instance is null || instance.WithoutConversions() is IInstanceReferenceOperation;

    /// <summary>The receiver of a call, treating the first argument of an extension method as its receiver.</summary>
    public static IOperation? Receiver(this IInvocationOperation invocation)
        => invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0
            ? invocation.Arguments[0].Value
            : invocation.Instance;

    /// <summary>Operations of a block in evaluation order (children before parents).</summary>
    public static void AddPostOrder(IOperation operation, List<IOperation> into)
    {
        // Nested lambdas and local functions are their own graphs: keep the lambda node, skip its body.
        if (operation is not IFlowAnonymousFunctionOperation and not IAnonymousFunctionOperation and not ILocalFunctionOperation)
        {
#if ROSLYN3_7
            foreach (var child in operation.Children)
#else
            foreach (var child in operation.ChildOperations)
#endif
            {
                AddPostOrder(child, into);
            }
        }

        into.Add(operation);
    }

    /// <summary>
    /// Where a State guard is reported: the whole condition when the graph split it at <c>||</c>
    /// (`State == Open || State == Connecting` is one guard, not two).
    /// </summary>
    public static SyntaxNode GuardSyntax(this IOperation guard)
    {
        var node = guard.Syntax;
        while (node.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.ParenthesizedExpressionSyntax
               || node.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.BinaryExpressionSyntax binary
                   && binary.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.LogicalOrExpression))
        {
            node = node.Parent;
        }

        // A guard that was only parenthesised keeps its own span.
        while (node is Microsoft.CodeAnalysis.CSharp.Syntax.ParenthesizedExpressionSyntax parenthesized && node != guard.Syntax)
        {
            node = parenthesized.Expression;
        }

        return node;
    }

    public static bool IsInsideArgumentsOf(this IOperation operation, IOperation ancestor)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A method of a collection of the base library (System.Collections.Generic, .Concurrent, .Immutable, .ObjectModel):
    /// it keeps, finds or drops an element and cannot close a socket it is given.
    /// </summary>
    public static bool IsLibraryCollectionCall(this IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var type = method.IsExtensionMethod ? method.Parameters.FirstOrDefault()?.Type : method.ContainingType;
        return method.DeclaringSyntaxReferences.IsEmpty && IsCollectionNamespace(type?.ContainingNamespace);
    }

    /// <summary>A library collection call that keeps its argument: Add, TryAdd, AddOrUpdate, GetOrAdd, Enqueue, Push, Insert.</summary>
    public static bool IsLibraryCollectionAdd(this IInvocationOperation invocation)
        => invocation.TargetMethod.Name is "Add" or "TryAdd" or "AddOrUpdate" or "GetOrAdd" or "Enqueue" or "Push" or "Insert" or "AddFirst" or "AddLast"
            && invocation.IsLibraryCollectionCall();

    /// <summary>The type whose field or property is the collection a call works on (<c>_sockets.Add(..)</c>); null when it is not a member.</summary>
    public static INamedTypeSymbol? CollectionOwner(this IInvocationOperation invocation)
    {
        var collection = invocation.TargetMethod.IsExtensionMethod ? invocation.Arguments.FirstOrDefault()?.Value : invocation.Instance;
        return collection.WithoutConversions() is IMemberReferenceOperation { Member: IFieldSymbol or IPropertySymbol } member ? member.Member.ContainingType : null;
    }

    private static bool IsCollectionNamespace(INamespaceSymbol? space)
        => space is { Name: "Generic" or "Concurrent" or "Immutable" or "ObjectModel", ContainingNamespace: { Name: "Collections", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

    /// <summary>
    /// A base-library method that only formats, writes out or compares the objects it is given and keeps none of them:
    /// <c>Console.WriteLine(ws)</c>, a <c>TextWriter</c>'s or <c>Debug</c>'s Write, <c>string.Format</c>,
    /// <c>StringBuilder.Append</c>, <c>ToString</c>/<c>Equals</c>/<c>GetHashCode</c>, an <c>ILogger</c> extension.
    /// A socket given to it stays where it was.
    /// </summary>
    public static bool OnlyLooksAt(IMethodSymbol method)
    {
        if (!method.DeclaringSyntaxReferences.IsEmpty || method.ContainingType is not { } type)
        {
            return false;
        }

        if (method.Name is "ToString" or "Equals" or "GetHashCode" or "ReferenceEquals" or "GetType")
        {
            return true;
        }

        var space = type.ContainingNamespace?.ToDisplayString();
        switch (space)
        {
            case "System":
                return type.Name is "Console" && method.Name.StartsWith("Write", System.StringComparison.Ordinal)
                       || type.Name is "String" && method.Name is "Format" or "Concat" or "Join";
            case "System.Diagnostics":
                return type.Name is "Debug" or "Trace" && method.Name.StartsWith("Write", System.StringComparison.Ordinal);
            case "System.Text":
                return type.Name is "StringBuilder" && method.Name.StartsWith("Append", System.StringComparison.Ordinal);
            case "System.Runtime.CompilerServices":
                return type.Name is "DefaultInterpolatedStringHandler" && method.Name is "AppendFormatted";
            case "Microsoft.Extensions.Logging":
                return type.Name is "LoggerExtensions" && method.Name.StartsWith("Log", System.StringComparison.Ordinal);
        }

        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t is { Name: "TextWriter", ContainingNamespace: { Name: "IO", ContainingNamespace.Name: "System" } })
            {
                return method.Name.StartsWith("Write", System.StringComparison.Ordinal);
            }
        }

        return false;
    }
}
