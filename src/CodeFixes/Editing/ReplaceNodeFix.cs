using System.Collections.Generic;
using System.Linq;
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

    /// <summary>
    /// Fix-all plans each diagnostic on the code the previous fixes left (in source order), as fixing them one at a
    /// time does: two edits of the same block (two receives in one loop) both land, and a local one fix introduces is
    /// in scope when the next picks its name. The cleanup runs once at the end.
    /// </summary>
    public sealed override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(async (context, document, diagnostics) =>
    {
        var cancellationToken = context.CancellationToken;
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        // Mark where each diagnostic points, so it can be found again after earlier edits moved it.
        var marks = new Dictionary<SyntaxNode, SyntaxAnnotation>();
        var pending = new List<(SyntaxAnnotation Mark, Diagnostic Diagnostic)>();
        foreach (var diagnostic in diagnostics.Where(d => d.Location.IsInSource).OrderBy(d => d.Location.SourceSpan.Start))
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (!marks.TryGetValue(node, out var mark))
            {
                marks[node] = mark = new SyntaxAnnotation(nameof(ReplaceNodeFix));
            }

            pending.Add((mark, diagnostic));
        }

        var current = document.WithSyntaxRoot(root.ReplaceNodes(marks.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(marks[original])));
        var changed = false;
        foreach (var (mark, diagnostic) in pending)
        {
            var currentRoot = await current.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await current.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (currentRoot?.GetAnnotatedNodes(mark).FirstOrDefault() is not { } node || model is null)
            {
                continue;
            }

            if (Plan(node, diagnostic, model) is { } edit)
            {
                current = current.WithSyntaxRoot(currentRoot.ReplaceNode(edit.Old, edit.New));
                changed = true;
            }
        }

        return changed ? await Edits.CleanUpAsync(current, cancellationToken).ConfigureAwait(false) : document;
    });

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
