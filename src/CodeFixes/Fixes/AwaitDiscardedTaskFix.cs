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
using WsAnalyzers.Rules;
using WsAnalyzers.CodeFixes.Editing;

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

        var targets = new Dictionary<ExpressionStatementSyntax, ExpressionSyntax>();
        foreach (var diagnostic in diagnostics)
        {
            if (Target(root, diagnostic) is { } target)
            {
                targets[target.Statement] = target.Task;
            }
        }

        return document.WithSyntaxRoot(root.ReplaceNodes(targets.Keys, (original, _) => DroppedTask.Awaited(original, targets[original])));
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
            if (Target(root, diagnostic) is { } target)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Await the work before the request ends",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(target.Statement, DroppedTask.Awaited(target.Statement, target.Task)))),
                        EquivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>The statement dropping the call's task, when the analyzer found `await` safe there.</summary>
    private static (ExpressionStatementSyntax Statement, ExpressionSyntax Task)? Target(SyntaxNode root, Diagnostic diagnostic)
        => diagnostic.Properties.ContainsKey(RequestEndsBeforeSocketAnalyzer.AwaitFixProperty)
            && root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>() is { } call
            ? DroppedTask.Find(call)
            : null;
}
