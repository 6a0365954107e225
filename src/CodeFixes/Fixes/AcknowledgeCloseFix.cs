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
using Microsoft.CodeAnalysis.Formatting;
using WsAnalyzers.CodeFixes.Editing;

namespace WsAnalyzers.CodeFixes;

/// <summary>
/// WS1002: sends the acknowledgement in the Close branch (the side of an <c>if</c> the reported path takes, an <c>else</c>
/// made for it when needed), or right after the loop that ends on the close.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AcknowledgeCloseFix))]
[Shared]
public sealed class AcknowledgeCloseFix : ReplaceNodeFix
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.CloseNotAcknowledged);

    private protected override string Title => "Acknowledge the peer's close with CloseOutputAsync";

    /// <summary>The node to replace and its replacement; null when the shape is not one the fix knows.</summary>
    private protected override (SyntaxNode Old, SyntaxNode New)? Plan(SyntaxNode node, Diagnostic diagnostic, SemanticModel model)
    {
        if (!AwaitContext.CanAwaitAt(node, model, CancellationToken.None) || !diagnostic.Properties.TryGetValue(FixKeys.CloseWhen, out var when))
        {
            return null;
        }

        var condition = node.AncestorsAndSelf().OfType<ExpressionSyntax>().LastOrDefault(e => e.Span.Contains(node.Span) && e.Parent is IfStatementSyntax or WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax)
            ?? node as ExpressionSyntax;
        switch (condition?.Parent)
        {
            case IfStatementSyntax ifStatement when ifStatement.Condition == condition:
                return ConditionValue(node, condition, when == "true") switch
                {
                    true => IntoBranch(ifStatement, ifStatement.Statement, diagnostic, model),
                    false => ifStatement.Else is { } elseClause ? IntoBranch(ifStatement, elseClause.Statement, diagnostic, model) : null,
                    null => WhereTheOtherOperandGoes(ifStatement, diagnostic, model),
                };
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

    /// <summary>
    /// The value of the whole condition on the reported path, from the value of the operand where the close was seen:
    /// null when another operand decides it (the close seen true in an <c>&amp;&amp;</c>, or false in an <c>||</c>).
    /// </summary>
    private static bool? ConditionValue(SyntaxNode node, ExpressionSyntax condition, bool value)
    {
        bool? result = value;
        for (var current = node; current != condition && current.Parent is { } parent; current = parent)
        {
            result = parent switch
            {
                PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression } => !result,
                BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalAndExpression } => result == false ? false : null,
                BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalOrExpression } => result == true ? true : null,
                _ => result,
            };
        }

        return result;
    }

    /// <summary>
    /// The close was seen by one operand and another decides the branch: the acknowledgement goes into each side that
    /// does not close the socket itself, and into a new <c>else</c> when the branch taken for a Close closes and the
    /// other side is whatever follows the <c>if</c>. Guarded by State == CloseReceived, it does nothing on the paths that
    /// did not receive a Close.
    /// </summary>
    private static (SyntaxNode, SyntaxNode)? WhereTheOtherOperandGoes(IfStatementSyntax ifStatement, Diagnostic diagnostic, SemanticModel model)
    {
        var names = Acknowledgement.Names.From(diagnostic, model, ifStatement.Statement.SpanStart);
        if (names is null)
        {
            return null;
        }

        // The condition tests the token: on the path that skips the close it may be cancelled, and an acknowledgement
        // of a received close completes at once.
        if (ifStatement.Condition.DescendantNodesAndSelf().OfType<ExpressionSyntax>().Any(e => e.ToString() == names.Token))
        {
            names = new Acknowledgement.Names(names.Socket, names.Result, "global::System.Threading.CancellationToken.None");
        }

        var thenCloses = Closes(ifStatement.Statement, names.Socket);
        var elseCloses = ifStatement.Else is { } existing && Closes(existing.Statement, names.Socket);
        if (thenCloses && ifStatement.Else is not null && elseCloses)
        {
            return null;
        }

        var root = ifStatement.SyntaxTree.GetRoot();
        var updated = ifStatement;
        if (!thenCloses)
        {
            updated = updated.WithStatement(Prepend(updated.Statement, names, root));
        }

        if (updated.Else is { } elseClause)
        {
            if (!elseCloses)
            {
                updated = updated.WithElse(elseClause.WithStatement(Prepend(elseClause.Statement, names, root)));
            }
        }
        else if (thenCloses)
        {
            var trailing = updated.GetTrailingTrivia();
            updated = updated
                .WithStatement(updated.Statement.WithTrailingTrivia(Acknowledgement.NewLine(root)))
                .WithElse(SyntaxFactory.ElseClause(Acknowledgement.Guarded(names)).WithTrailingTrivia(trailing).WithAdditionalAnnotations(Formatter.Annotation));
        }

        return updated == ifStatement ? null : (ifStatement, updated);
    }

    private static BlockSyntax Prepend(StatementSyntax branch, Acknowledgement.Names names, SyntaxNode root)
    {
        var block = Acknowledgement.AsBlock(branch);
        return block.WithStatements(block.Statements.Insert(0, Acknowledgement.Guarded(names, root, followed: block.Statements.Count > 0)));
    }

    /// <summary>Whether a branch calls CloseAsync or CloseOutputAsync on the socket (as spelled in the diagnostic).</summary>
    private static bool Closes(StatementSyntax branch, string socket)
        => branch.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>().Any(call =>
            call.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "CloseAsync" or "CloseOutputAsync" } access
            && access.Expression.ToString() == socket);

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
