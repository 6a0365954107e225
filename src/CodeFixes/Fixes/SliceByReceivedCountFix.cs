using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using WsAnalyzers.CodeFixes.Editing;
using WsAnalyzers.Rules;

namespace WsAnalyzers.CodeFixes;

/// <summary>WS1006: use only the received bytes — <c>GetString(buffer, 0, result.Count)</c>, <c>buffer.AsSpan(0, result.Count)</c>, <c>memory.Slice(0, result.Count)</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SliceByReceivedCountFix)), Shared]
public sealed class SliceByReceivedCountFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.ReceivedCountIgnored);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            // Without a stored result there is no count to slice by: no fix.
            if (!diagnostic.Properties.TryGetValue(ReceivedCountIgnoredAnalyzer.CountProperty, out var countText) || countText is null
                || await DiagnosticNodes.FindExpressionAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false) is not { } buffer)
            {
                continue;
            }

            var count = SyntaxFactory.ParseExpression(countText);
            var generator = SyntaxGenerator.GetGenerator(context.Document);
            if (Replacement(buffer, count, model, generator) is not { } edit)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create($"Use only the received bytes ({countText})", ct => ReplaceAsync(context.Document, edit.Old, edit.New, ct), RuleIds.ReceivedCountIgnored),
                diagnostic);
        }
    }

    private static (SyntaxNode Old, SyntaxNode New)? Replacement(ExpressionSyntax buffer, ExpressionSyntax count, SemanticModel model, SyntaxGenerator generator)
    {
        // segment.Array! : the argument is the suppression around the flagged expression.
        var outer = buffer.Parent is PostfixUnaryExpressionSyntax suppressed && suppressed.IsKind(SyntaxKind.SuppressNullableWarningExpression) ? suppressed : (ExpressionSyntax)buffer;
        if (outer.Parent is ArgumentSyntax { Parent: ArgumentListSyntax arguments } argument
            && arguments.Parent is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetString" } })
        {
            // GetString(buffer, 0, buffer.Length): the count replaces the length.
            if (arguments.Arguments.Count == 3 && arguments.Arguments.IndexOf(argument) == 2)
            {
                return (buffer, count.WithTriviaFrom(buffer));
            }

            // GetString(byte[]): use the (bytes, index, count) overload.
            if (arguments.Arguments.Count == 1 && model.GetTypeInfo(outer).ConvertedType is IArrayTypeSymbol)
            {
                ExpressionSyntax index = buffer is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Array" } segmentArray
                    ? segmentArray.WithName(SyntaxFactory.IdentifierName("Offset"))
                    : SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(0));
                return (arguments, arguments.AddArguments(SyntaxFactory.Argument(index), SyntaxFactory.Argument(count)).WithAdditionalAnnotations(Formatter.Annotation));
            }
        }

        // Write(buffer, 0, buffer.Length), Array.Copy(buffer, destination, buffer.Length): the count replaces the length.
        if (buffer is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Length" } && buffer.Parent is ArgumentSyntax)
        {
            return (buffer, count.WithTriviaFrom(buffer));
        }

        // segment.Array elsewhere: slice the segment itself.
        if (buffer is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Array", Expression: var segment }
            && model.GetTypeInfo(segment).Type?.OriginalDefinition.MetadataName == "ArraySegment`1")
        {
            return BufferSlice.Build(segment, count, model, generator) is { } sliced ? (buffer, sliced.WithTriviaFrom(buffer)) : null;
        }

        return BufferSlice.Build(buffer, count, model, generator) is { } slice ? (buffer, slice) : null;
    }

    private static async Task<Document> ReplaceAsync(Document document, SyntaxNode oldNode, SyntaxNode newNode, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        editor.ReplaceNode(oldNode, newNode);
        return editor.GetChangedDocument();
    }
}
