using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using WsAnalyzers.CodeFixes.Editing;

namespace WsAnalyzers.CodeFixes;

/// <summary>WS1004: widens a State == Open guard so it also admits CloseReceived.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AdmitCloseReceivedFix))]
[Shared]
public sealed class AdmitCloseReceivedFix : ReplaceNodeFix
{
    private const string State = "global::System.Net.WebSockets.WebSocketState";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.CloseGuardedByOpen);

    private protected override string Title => "Also close when the state is CloseReceived";

    private protected override (SyntaxNode Old, SyntaxNode New)? Plan(SyntaxNode node, Diagnostic diagnostic, SemanticModel model)
    {
        var patterns = ((CSharpParseOptions)node.SyntaxTree.Options).LanguageVersion >= LanguageVersion.CSharp9;
        return node is ExpressionSyntax guard && Widen(guard, patterns) is { } widened ? (guard, widened) : null;
    }

    private static ExpressionSyntax? Widen(ExpressionSyntax guard, bool patterns)
    {
        var (state, negated) = guard switch
        {
            BinaryExpressionSyntax { RawKind: (int)SyntaxKind.EqualsExpression } b when IsOpen(b.Right) => (b.Left, false),
            BinaryExpressionSyntax { RawKind: (int)SyntaxKind.NotEqualsExpression } b when IsOpen(b.Right) => (b.Left, true),
            BinaryExpressionSyntax { RawKind: (int)SyntaxKind.EqualsExpression } b when IsOpen(b.Left) => (b.Right, false),
            BinaryExpressionSyntax { RawKind: (int)SyntaxKind.NotEqualsExpression } b when IsOpen(b.Left) => (b.Right, true),
            IsPatternExpressionSyntax { Pattern: ConstantPatternSyntax c } p when IsOpen(c.Expression) => (p.Expression, false),
            IsPatternExpressionSyntax { Pattern: UnaryPatternSyntax { Pattern: ConstantPatternSyntax c } } p when IsOpen(c.Expression) => (p.Expression, true),
            _ => (null, false),
        };
        if (state is null)
        {
            return null;
        }

        var s = state.WithoutTrivia().ToString();
        var text = (patterns, negated) switch
        {
            (true, false) => $"{s} is {State}.Open or {State}.CloseReceived",
            (true, true) => $"{s} is not ({State}.Open or {State}.CloseReceived)",
            (false, false) => $"{s} == {State}.Open || {s} == {State}.CloseReceived",
            (false, true) => $"{s} != {State}.Open && {s} != {State}.CloseReceived",
        };
        ExpressionSyntax widened = SyntaxFactory.ParseExpression(text);
        if (guard.Parent is not (IfStatementSyntax or WhileStatementSyntax or ParenthesizedExpressionSyntax or ReturnStatementSyntax or EqualsValueClauseSyntax))
        {
            widened = SyntaxFactory.ParenthesizedExpression(widened);
        }

        return Acknowledgement.Annotate(widened).WithTriviaFrom(guard);
    }

    private static bool IsOpen(ExpressionSyntax expression)
        => expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Open" } or IdentifierNameSyntax { Identifier.ValueText: "Open" };
}
