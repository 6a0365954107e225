using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace WsAnalyzers.CodeFixes.Editing;

/// <summary>Builds "the first <c>count</c> bytes of this buffer" in the form the surrounding code expects.</summary>
internal static class BufferSlice
{
    /// <summary>
    /// <c>new ArraySegment&lt;byte&gt;(b)</c> → <c>new ArraySegment&lt;byte&gt;(b, 0, count)</c>; <c>b.AsSpan()</c> → <c>b.AsSpan(0, count)</c>;
    /// an array → <c>b.AsSpan(0, count)</c> / <c>b.AsMemory(0, count)</c> / <c>new ArraySegment&lt;byte&gt;(b, 0, count)</c> by the expected type;
    /// a segment, memory or span → <c>x.Slice(0, count)</c>. Null when none of these would bind.
    /// </summary>
    public static ExpressionSyntax? Build(ExpressionSyntax buffer, ExpressionSyntax count, SemanticModel model, SyntaxGenerator generator)
    {
        var zero = SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(0));
        var info = model.GetTypeInfo(buffer);
        ExpressionSyntax? result = buffer switch
        {
            BaseObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 1 } creation
                => creation.WithArgumentList(creation.ArgumentList!.AddArguments(SyntaxFactory.Argument(zero), SyntaxFactory.Argument(count))),
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "AsSpan" or "AsMemory" }, ArgumentList.Arguments.Count: 0 } call
                => call.WithArgumentList(call.ArgumentList.AddArguments(SyntaxFactory.Argument(zero), SyntaxFactory.Argument(count))),
            _ when info.Type is IArrayTypeSymbol array => FromArray(buffer, array, info.ConvertedType, zero, count, model, generator),
            _ when info.Type is { } type && HasMember(model, buffer, type, "Slice")
                => (ExpressionSyntax)generator.InvocationExpression(generator.MemberAccessExpression(buffer.WithoutTrivia(), "Slice"), zero, count),
            _ => null,
        };
        return result?.WithTriviaFrom(buffer).WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static ExpressionSyntax? FromArray(
        ExpressionSyntax buffer, IArrayTypeSymbol array, ITypeSymbol? expected, ExpressionSyntax zero, ExpressionSyntax count, SemanticModel model, SyntaxGenerator generator)
    {
        var expectedName = expected?.OriginalDefinition.MetadataName;
        if (expectedName == "ArraySegment`1" && expected is INamedTypeSymbol segment)
        {
            return (ExpressionSyntax)generator.ObjectCreationExpression(segment, buffer.WithoutTrivia(), zero, count).WithAdditionalAnnotations(Simplifier.Annotation);
        }

        var method = expectedName is "Memory`1" or "ReadOnlyMemory`1" ? "AsMemory" : "AsSpan";
        if (!HasMember(model, buffer, array, method))
        {
            return null;
        }

        var slice = generator.InvocationExpression(generator.MemberAccessExpression(buffer.WithoutTrivia(), method), zero, count);

        // An array is expected (a handler's byte[] parameter, a returned byte[]): a copy of the received bytes.
        return (ExpressionSyntax)(expected is IArrayTypeSymbol ? generator.InvocationExpression(generator.MemberAccessExpression(slice, "ToArray")) : slice);
    }

    // The member must bind where the buffer is written (an extension needs its using).
    private static bool HasMember(SemanticModel model, SyntaxNode at, ITypeSymbol type, string name)
        => model.LookupSymbols(at.SpanStart, type, name, includeReducedExtensionMethods: true).Any();
}
