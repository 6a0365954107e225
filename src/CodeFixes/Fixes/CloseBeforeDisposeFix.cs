using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using WsAnalyzers.CodeFixes.Editing;
using WsAnalyzers.Rules;

namespace WsAnalyzers.CodeFixes;

/// <summary>
/// WS1010: close the socket before it is left — before the Dispose call, at the end of the using scope, or at the end
/// of the handler — guarded by State being Open or CloseReceived (the states CloseAsync accepts and that still owe the
/// peer a Close frame; any other state skips it) and bounded by a five-second token, so a peer that never answers
/// cannot hang the dispose.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CloseBeforeDisposeFix)), Shared]
public sealed class CloseBeforeDisposeFix : ReplaceNodeFix
{
    private const string TimeoutName = "closeTimeout";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.DisposedWhileOpen);

    private protected override string Title => "Close the WebSocket before it is disposed";

    private protected override (SyntaxNode Old, SyntaxNode New)? Plan(SyntaxNode node, Diagnostic diagnostic, SemanticModel model)
    {
        if (!diagnostic.Properties.TryGetValue(DisposedWhileOpenAnalyzer.SocketProperty, out var socket) || string.IsNullOrEmpty(socket)
            || !diagnostic.Properties.TryGetValue(DisposedWhileOpenAnalyzer.ShapeProperty, out var shape)
            || SyntaxFactory.ParseExpression(socket!) is not { ContainsDiagnostics: false })
        {
            return null;
        }

        var scope = node.AncestorsAndSelf().FirstOrDefault(a => a is UsingStatementSyntax || a is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: not 0 });
        switch (shape)
        {
            case "Dispose":
                var statement = node.AncestorsAndSelf().OfType<ExpressionStatementSyntax>().FirstOrDefault();
                if (statement is not { Parent: BlockSyntax block } || !IsDisposal(statement.Expression, node))
                {
                    return null;
                }

                return Insert(block, block.Statements.IndexOf(statement), socket!, model);
            case "Using" when scope is UsingStatementSyntax { Statement: BlockSyntax body }:
                return InsertAtEnd(body, socket!, model);
            case "Using" when scope is LocalDeclarationStatementSyntax { Parent: BlockSyntax enclosing }:
                return InsertAtEnd(enclosing, socket!, model);
            case "Return":
                var function = node.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax);
                var functionBody = function switch
                {
                    BaseMethodDeclarationSyntax method => method.Body,
                    LocalFunctionStatementSyntax local => local.Body,
                    AnonymousFunctionExpressionSyntax lambda => lambda.Block,
                    _ => null,
                };
                return functionBody is null || functionBody.DescendantNodes(n => n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax).OfType<ReturnStatementSyntax>().Any()
                    ? null
                    : InsertAtEnd(functionBody, socket!, model);
            default:
                return null;
        }
    }

    /// <summary>`ws.Dispose();`, `ws?.Dispose();` or `await ws.DisposeAsync();` whose call is the diagnostic's.</summary>
    private static bool IsDisposal(ExpressionSyntax expression, SyntaxNode node)
    {
        if (expression is AwaitExpressionSyntax awaited)
        {
            expression = awaited.Expression;
        }

        return expression.Span.Contains(node.Span) && expression is InvocationExpressionSyntax or ConditionalAccessExpressionSyntax;
    }

    /// <summary>At the end of a scope: before a final return or throw, else after the last statement.</summary>
    private static (SyntaxNode Old, SyntaxNode New)? InsertAtEnd(BlockSyntax block, string socket, SemanticModel model)
    {
        var count = block.Statements.Count;
        if (count > 0 && block.Statements[count - 1] is ReturnStatementSyntax or ThrowStatementSyntax)
        {
            return Insert(block, count - 1, socket, model);
        }

        return Insert(block, count, socket, model);
    }

    private static (SyntaxNode Old, SyntaxNode New)? Insert(BlockSyntax block, int index, string socket, SemanticModel model)
    {
        var position = index < block.Statements.Count ? block.Statements[index].SpanStart : block.CloseBraceToken.SpanStart;
        if (!AwaitContext.CanAwaitAt(block.Statements.Count > 0 ? block.Statements[System.Math.Min(index, block.Statements.Count - 1)] : block, model, default))
        {
            return null;
        }

        var name = FreeName(block, model, position);
        var usingDeclaration = ((CSharpParseOptions)block.SyntaxTree.Options).LanguageVersion >= LanguageVersion.CSharp8;
        var bounded = $"new global::System.Threading.CancellationTokenSource(global::System.TimeSpan.FromSeconds(5))";
        var close = $"await {socket}.CloseAsync(global::System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, {name}.Token);";
        var inner = usingDeclaration
            ? $"using var {name} = {bounded};\n    {close}"
            : $"using (var {name} = {bounded})\n    {{\n        {close}\n    }}";
        var state = "global::System.Net.WebSockets.WebSocketState";
        var text = $"if ({socket}.State == {state}.Open || {socket}.State == {state}.CloseReceived)\n{{\n    {inner}\n}}\n";
        var root = block.SyntaxTree.GetRoot();
        var guarded = Acknowledgement.WithBlankLineAfter(Acknowledgement.Annotate(SyntaxFactory.ParseStatement(text)), root, followed: index < block.Statements.Count);
        var statements = block.Statements;
        if (index > 0 && index == statements.Count)
        {
            // Appended after the scope's last statement: set it apart as a step of its own.
            guarded = guarded.WithLeadingTrivia(Acknowledgement.NewLine(root));
        }
        else if (index > 0 && LeadingBlankLines(statements[index]) is > 0 and var blank)
        {
            // The statement it goes before was set apart by a blank line: the close takes that blank line over (and
            // keeps one after it), rather than sticking to the statement above and doubling the one below.
            var next = statements[index];
            guarded = guarded.WithLeadingTrivia(Acknowledgement.NewLine(root));
            statements = statements.Replace(next, next.WithLeadingTrivia(next.GetLeadingTrivia().Skip(blank)));
        }

        return (block, block.WithStatements(statements.Insert(index, guarded)));
    }

    /// <summary>How many leading trivia of a statement are blank lines (and their indentation) before anything else.</summary>
    private static int LeadingBlankLines(StatementSyntax statement)
    {
        var trivia = statement.GetLeadingTrivia();
        var end = 0;
        for (var i = 0; i < trivia.Count; i++)
        {
            if (trivia[i].IsKind(SyntaxKind.EndOfLineTrivia))
            {
                end = i + 1;
            }
            else if (!trivia[i].IsKind(SyntaxKind.WhitespaceTrivia))
            {
                break;
            }
        }

        return end;
    }

    /// <summary>"closeTimeout", or with a number when that name is taken at the position or declared in the function.</summary>
    private static string FreeName(BlockSyntax block, SemanticModel model, int position)
    {
        var function = block.AncestorsAndSelf().LastOrDefault(a => a is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or GlobalStatementSyntax) ?? block;
        var declared = function.DescendantNodes().OfType<VariableDeclaratorSyntax>().Select(v => v.Identifier.ValueText)
            .Concat(function.DescendantNodes().OfType<ParameterSyntax>().Select(p => p.Identifier.ValueText))
            .ToImmutableHashSet();
        for (var n = 1; ; n++)
        {
            var name = n == 1 ? TimeoutName : TimeoutName + n;
            if (!declared.Contains(name) && !model.LookupSymbols(position, name: name).Any())
            {
                return name;
            }
        }
    }
}
