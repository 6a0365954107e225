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

namespace WsAnalyzers.CodeFixes;

/// <summary>WS1009: <c>ws.SendAsync(..);</c> or <c>_ = ws.SendAsync(..);</c> becomes <c>await ws.SendAsync(..);</c> in an async function.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AwaitSendFix)), Shared]
public sealed class AwaitSendFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.SendNotAwaited);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax send
                || DroppedTask.Find(send) is not { } target
                || !AwaitContext.CanAwaitAt(target.Statement, model, context.CancellationToken))
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create("Await SendAsync", ct => AwaitAsync(context.Document, target.Statement, target.Task, ct), RuleIds.SendNotAwaited),
                diagnostic);
        }
    }

    private static async Task<Document> AwaitAsync(Document document, ExpressionStatementSyntax statement, ExpressionSyntax task, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        editor.ReplaceNode(statement, DroppedTask.Awaited(statement, task));
        return editor.GetChangedDocument();
    }
}
