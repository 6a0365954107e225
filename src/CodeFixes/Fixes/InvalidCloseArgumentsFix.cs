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
using Microsoft.CodeAnalysis.Simplification;
using WsAnalyzers.CodeFixes.Editing;
using WsAnalyzers.Rules;

namespace WsAnalyzers.CodeFixes;

/// <summary>WS1007: Empty becomes NormalClosure; an over-long literal description is cut to 123 UTF-8 bytes.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InvalidCloseArgumentsFix)), Shared]
public sealed class InvalidCloseArgumentsFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.InvalidCloseArguments);

    // One equivalence key for both edits: fix-all (and dotnet format, which fixes by the first action's key) fixes every kind at once.
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(InvalidCloseArgumentsAnalyzer.KindProperty, out var kind))
            {
                continue;
            }

            var expression = await DiagnosticNodes.FindExpressionAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false);
            if (expression is null)
            {
                continue;
            }

            if (kind == InvalidCloseArgumentsAnalyzer.EmptyStatus)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Send NormalClosure", ct => UseNormalClosureAsync(context.Document, expression, ct), RuleIds.InvalidCloseArguments),
                    diagnostic);
            }
            else if (kind == InvalidCloseArgumentsAnalyzer.LongDescription
                && expression is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression)
                && literal.Token.Value is string text)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Shorten the description to 123 UTF-8 bytes", ct => ShortenAsync(context.Document, literal, text, ct), RuleIds.InvalidCloseArguments),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> UseNormalClosureAsync(Document document, ExpressionSyntax status, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var closeStatus = editor.SemanticModel.Compilation.GetTypeByMetadataName("System.Net.WebSockets.WebSocketCloseStatus");
        if (closeStatus is null)
        {
            return document;
        }

        var generator = editor.Generator;
        var replacement = generator.MemberAccessExpression(generator.TypeExpression(closeStatus), "NormalClosure")
            .WithTriviaFrom(status)
            .WithAdditionalAnnotations(Simplifier.Annotation, Formatter.Annotation);
        editor.ReplaceNode(status, replacement);
        return editor.GetChangedDocument();
    }

    private static async Task<Document> ShortenAsync(Document document, LiteralExpressionSyntax literal, string text, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var shortened = InvalidCloseArgumentsAnalyzer.TruncateToUtf8Bytes(text, InvalidCloseArgumentsAnalyzer.MaxDescriptionBytes);
        var replacement = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(shortened))
            .WithTriviaFrom(literal);
        return document.WithSyntaxRoot(root.ReplaceNode(literal, replacement));
    }
}
