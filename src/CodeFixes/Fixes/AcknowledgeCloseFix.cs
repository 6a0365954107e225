using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using WsAnalyzers.CodeFixes.Editing;

namespace WsAnalyzers.CodeFixes;

/// <summary>WS1002: sends the acknowledgement in the Close branch, or right after the loop that ends on the close.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AcknowledgeCloseFix))]
[Shared]
public sealed class AcknowledgeCloseFix : ReplaceNodeFix
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.CloseNotAcknowledged);

    private protected override string Title => "Acknowledge the peer's close with CloseOutputAsync";

    /// <summary>The node to replace and its replacement; null when the shape is not one the fix knows.</summary>
    private protected override (SyntaxNode Old, SyntaxNode New)? Plan(SyntaxNode node, Diagnostic diagnostic, SemanticModel model)
    {
        if (!AwaitContext.CanAwaitAt(node, model, CancellationToken.None) || !diagnostic.Properties.TryGetValue("CloseWhen", out var when))
        {
            return null;
        }

        var condition = node.AncestorsAndSelf().OfType<ExpressionSyntax>().LastOrDefault(e => e.Span.Contains(node.Span) && e.Parent is IfStatementSyntax or WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax)
            ?? node as ExpressionSyntax;
        switch (condition?.Parent)
        {
            case IfStatementSyntax ifStatement when ifStatement.Condition == condition:
                return when == "true" ? IntoBranch(ifStatement, ifStatement.Statement, diagnostic, model)
                    : ifStatement.Else is { } elseClause ? IntoBranch(ifStatement, elseClause.Statement, diagnostic, model)
                    : null;
            case WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax when when == "false":
                return AfterLoop((StatementSyntax)condition.Parent, diagnostic, model);
        }

        if (node.FirstAncestorOrSelf<SwitchLabelSyntax>() is { Parent: SwitchSectionSyntax section } && when == "true" && section.Statements.Count > 0)
        {
            var names = Acknowledgement.Names.From(diagnostic, model, section.Statements[0].SpanStart);
            return names is null ? null : (section, section.WithStatements(section.Statements.Insert(0, Acknowledgement.Guarded(names, section.SyntaxTree.GetRoot(), followed: true))));
        }

        return null;
    }

    private static (SyntaxNode, SyntaxNode)? IntoBranch(IfStatementSyntax ifStatement, StatementSyntax branch, Diagnostic diagnostic, SemanticModel model)
    {
        var names = Acknowledgement.Names.From(diagnostic, model, branch.SpanStart);
        if (names is null)
        {
            return null;
        }

        var block = Acknowledgement.AsBlock(branch);
        var updated = block.WithStatements(block.Statements.Insert(0, Acknowledgement.Guarded(names, branch.SyntaxTree.GetRoot(), followed: block.Statements.Count > 0)));
        return (ifStatement, ifStatement.ReplaceNode(branch, updated));
    }

    private static (SyntaxNode, SyntaxNode)? AfterLoop(StatementSyntax loop, Diagnostic diagnostic, SemanticModel model)
    {
        if (loop.Parent is not BlockSyntax block)
        {
            return null;
        }

        var names = Acknowledgement.Names.From(diagnostic, model, loop.Span.End);
        if (names is null)
        {
            return null;
        }

        var index = block.Statements.IndexOf(loop);
        var root = loop.SyntaxTree.GetRoot();
        var acknowledgement = Acknowledgement.Guarded(names, root, followed: index + 1 < block.Statements.Count);
        acknowledgement = acknowledgement.WithLeadingTrivia(Acknowledgement.NewLine(root));
        return (block, block.WithStatements(block.Statements.Insert(index + 1, acknowledgement)));
    }
}
