using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using WsAnalyzers.Rules;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace WsAnalyzers.CodeFixes;

/// <summary>WS1008: await the task the handler threw away (`_ = Work(ws);` becomes `await Work(ws);`).</summary>
[ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(AwaitDiscardedTaskFix)), Shared]
public sealed class AwaitDiscardedTaskFix : CodeFixProvider
{
    private const string EquivalenceKey = "WS1008.Await";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.RequestEndsBeforeSocket);

    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(async (context, document, diagnostics) =>
    {
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var statements = diagnostics.Select(d => Target(root, d)).OfType<ExpressionStatementSyntax>().Distinct().ToList();
        return document.WithSyntaxRoot(root.ReplaceNodes(statements, (original, _) => Awaited(original)));
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
            if (Target(root, diagnostic) is { } statement)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Await the work before the request ends",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(statement, Awaited(statement)))),
                        EquivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>The statement holding the discarded call, when the analyzer found `await` safe there.</summary>
    private static ExpressionStatementSyntax? Target(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.ContainsKey(RequestEndsBeforeSocketAnalyzer.AwaitFixProperty)
            || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } call)
        {
            return null;
        }

        return call.Parent switch
        {
            ExpressionStatementSyntax statement => statement,
            AssignmentExpressionSyntax { Parent: ExpressionStatementSyntax statement } => statement,
            _ => null,
        };
    }

    private static ExpressionStatementSyntax Awaited(ExpressionStatementSyntax statement)
    {
        var call = statement.Expression is AssignmentExpressionSyntax assignment ? assignment.Right : statement.Expression;
        var awaited = AwaitExpression(Token(SyntaxKind.AwaitKeyword).WithTrailingTrivia(Space), call.WithoutLeadingTrivia());
        return statement.WithExpression(awaited.WithLeadingTrivia(statement.Expression.GetLeadingTrivia()));
    }
}
