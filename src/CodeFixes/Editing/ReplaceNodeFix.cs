using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace WsAnalyzers.CodeFixes.Editing;

/// <summary>
/// A fix that replaces one node per diagnostic. Subclasses only plan the edit (or return null to offer no fix);
/// registration, fix-all and the cleanup (imports, simplified names, formatting) are shared.
/// </summary>
public abstract class ReplaceNodeFix : CodeFixProvider
{
    private protected abstract string Title { get; }

    public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (Plan(node, diagnostic, model) is { } edit)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(Title, ct => Edits.ReplaceAsync(context.Document, root, edit.Old, edit.New, ct), equivalenceKey: GetType().Name),
                    diagnostic);
            }
        }
    }

    /// <summary>The node to replace and its replacement; null when the shape is not one the fix knows or would not compile.</summary>
    private protected abstract (SyntaxNode Old, SyntaxNode New)? Plan(SyntaxNode node, Diagnostic diagnostic, SemanticModel model);
}
