using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace WsAnalyzers.CodeFixes.Editing;

/// <summary>Finding the syntax a diagnostic points at, the same way in every fix.</summary>
internal static class DiagnosticNodes
{
    /// <summary>The expression exactly covered by the diagnostic span (an argument's expression, not the argument).</summary>
    public static async Task<ExpressionSyntax?> FindExpressionAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var node = root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        return node switch
        {
            ArgumentSyntax argument => argument.Expression,
            ExpressionSyntax expression => expression,
            _ => null,
        };
    }
}
