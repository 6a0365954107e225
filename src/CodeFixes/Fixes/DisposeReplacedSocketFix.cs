using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using WsAnalyzers.Rules;

namespace WsAnalyzers.CodeFixes;

/// <summary>WS1003 on a field or property that drops its old socket: dispose the old one first (`_ws?.Dispose();`).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DisposeReplacedSocketFix)), Shared]
public sealed class DisposeReplacedSocketFix : CodeFixProvider
{
    private const string EquivalenceKey = "WS1003.DisposeReplaced";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.SocketNotDisposed);

    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(async (context, document, diagnostics) =>
    {
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var statements = diagnostics.Select(d => Target(root, d)).OfType<ExpressionStatementSyntax>().Distinct().ToList();
        return statements.Count == 0
            ? document
            : await Editing.Edits.CleanUpAsync(document.WithSyntaxRoot(Apply(root, statements)), context.CancellationToken).ConfigureAwait(false);
    });

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (Target(root, diagnostic) is not { } statement)
            {
                continue;
            }

            var member = ((AssignmentExpressionSyntax)statement.Expression).Left.WithoutTrivia().ToString();
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Dispose the socket '{member}' held before replacing it",
                    token => Editing.Edits.CleanUpAsync(context.Document.WithSyntaxRoot(Apply(root, new[] { statement })), token),
                    EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>The `member = value;` statement the diagnostic is on, when it sits in a block or a switch section.</summary>
    private static ExpressionStatementSyntax? Target(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.ContainsKey(SocketNotDisposedAnalyzer.DisposeOldProperty))
        {
            return null;
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        var assignment = node.AncestorsAndSelf().OfType<AssignmentExpressionSyntax>().FirstOrDefault();
        return assignment is { RawKind: (int)SyntaxKind.SimpleAssignmentExpression, Parent: ExpressionStatementSyntax { Parent: BlockSyntax or SwitchSectionSyntax } statement }
            ? statement
            : null;
    }

    private static SyntaxNode Apply(SyntaxNode root, IReadOnlyCollection<ExpressionStatementSyntax> statements)
    {
        var annotations = statements.ToDictionary(s => s, _ => new SyntaxAnnotation());
        root = root.ReplaceNodes(statements, (original, _) => original.WithAdditionalAnnotations(annotations[original]));
        foreach (var annotation in annotations.Values)
        {
            if (root.GetAnnotatedNodes(annotation).FirstOrDefault() is not ExpressionStatementSyntax statement)
            {
                continue;
            }

            var target = ((AssignmentExpressionSyntax)statement.Expression).Left.WithoutTrivia();
            var dispose = SyntaxFactory.ParseStatement($"{target}?.Dispose();")
                .WithLeadingTrivia(statement.GetLeadingTrivia())
                .WithTrailingTrivia(Editing.Acknowledgement.NewLine(root))
                .WithAdditionalAnnotations(Formatter.Annotation);
            // The statement's blank lines and comments now lead the Dispose; the statement keeps its indentation.
            var indentation = statement.GetLeadingTrivia().Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse();
            var rest = statement.WithLeadingTrivia(indentation);
            root = root.ReplaceNode(statement, new SyntaxNode[] { dispose, rest });
        }

        return root;
    }
}
