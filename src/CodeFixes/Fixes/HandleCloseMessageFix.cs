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

/// <summary>
/// WS1001: right after the receive, handles the Close: acknowledges it (guarded by State == CloseReceived) and leaves
/// the loop, with <c>break</c> when that leaves the receive loop and compiles, and <c>return</c> (or a throw) where it must.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HandleCloseMessageFix))]
[Shared]
public sealed class HandleCloseMessageFix : ReplaceNodeFix
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.ReceiveLoopIgnoresClose);

    private protected override string Title => "Handle the Close message: acknowledge it and leave the loop";

    private protected override (SyntaxNode Old, SyntaxNode New)? Plan(SyntaxNode node, Diagnostic diagnostic, SemanticModel model)
    {
        if (FixKeys.IsTrue(diagnostic.Properties, FixKeys.ThroughHelper) || node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } receive)
        {
            // A loop over a receive helper that drops the Close: the helper has to tell it apart, which no edit here can.
            return null;
        }

        if (!AwaitContext.CanAwaitAt(receive, model, CancellationToken.None)
            || receive.Parent is not AwaitExpressionSyntax await
            || await.FirstAncestorOrSelf<StatementSyntax>() is not { Parent: BlockSyntax block } statement
            || Exit(statement, model) is not { } exit)
        {
            return null;
        }

        string? resultName;
        StatementSyntax receiveStatement;
        switch (statement)
        {
            case LocalDeclarationStatementSyntax { Declaration.Variables.Count: 1 } declaration when declaration.Declaration.Variables[0].Initializer?.Value == await:
                resultName = declaration.Declaration.Variables[0].Identifier.ValueText;
                receiveStatement = statement;
                break;
            case ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Right: var right, Left: IdentifierNameSyntax target } } when right == await:
                resultName = target.Identifier.ValueText;
                receiveStatement = statement;
                break;
            case ExpressionStatementSyntax { Expression: var expression } when expression == await:
                // The result was not stored: keep it in a new local so the Close can be told apart.
                resultName = FreeName(model, statement.SpanStart, "result", "receiveResult");
                receiveStatement = Acknowledgement.Annotate(SyntaxFactory.ParseStatement($"var {resultName} = {await.WithoutTrivia()};"))
                    .WithTriviaFrom(statement);
                break;
            default:
                return null;
        }

        if (string.IsNullOrEmpty(resultName) || receiveStatement.ContainsDiagnostics)
        {
            // Half-typed code (`= await ws.ReceiveAsync(..);` with the name missing): nothing safe to name.
            return null;
        }

        var properties = diagnostic.Properties.SetItem(FixKeys.Result, resultName);
        var names = Acknowledgement.Names.From(Diagnostic.Create(diagnostic.Descriptor, diagnostic.Location, properties), model, statement.Span.End);
        if (names is null)
        {
            return null;
        }

        var valueResult = FixKeys.IsTrue(diagnostic.Properties, FixKeys.ValueResult);
        names = new Acknowledgement.Names(names.Socket, valueResult ? null : resultName, names.Token);
        var handling = Acknowledgement.Annotate(SyntaxFactory.ParseStatement($$"""
            if ({{resultName}}.MessageType == global::System.Net.WebSockets.WebSocketMessageType.Close)
            {
                {{Acknowledgement.Guarded(names).ToFullString()}}

                {{exit}}
            }
            """));
        var index = block.Statements.IndexOf(statement);
        var after = receiveStatement == statement ? RestOfMessage(block, index, resultName) : index;
        var root = block.SyntaxTree.GetRoot();
        if (after != index)
        {
            // After the loop that reads the rest of the message: a blank line before, and one after unless the next statement has its own.
            handling = handling.WithLeadingTrivia(Acknowledgement.NewLine(root));
        }

        var followed = after + 1 < block.Statements.Count
            && !(after != index && block.Statements[after + 1].GetLeadingTrivia().FirstOrDefault().IsKind(SyntaxKind.EndOfLineTrivia));
        handling = Acknowledgement.WithBlankLineAfter(handling, root, followed);
        var statements = block.Statements.RemoveAt(index).Insert(index, receiveStatement).Insert(after + 1, handling);
        return (block, block.WithStatements(statements));
    }

    /// <summary>
    /// The index of the loop that receives the rest of the message into the same result right after the receive
    /// (<c>var count = result.Count; while (!result.EndOfMessage) { ... result = await ws.ReceiveAsync(..); ... }</c>, as the
    /// WS1005 fix writes it): the Close is told apart after it, where the last piece's result is known. Otherwise the
    /// receive's own index.
    /// </summary>
    private static int RestOfMessage(BlockSyntax block, int index, string result)
    {
        for (var j = index + 1; j < block.Statements.Count; j++)
        {
            switch (block.Statements[j])
            {
                case LocalDeclarationStatementSyntax:
                    continue;
                case WhileStatementSyntax { Condition: var condition } loop
                    when condition.DescendantNodesAndSelf().OfType<MemberAccessExpressionSyntax>().Any(m => m.Name.Identifier.ValueText == "EndOfMessage" && m.Expression is IdentifierNameSyntax { Identifier.ValueText: var name } && name == result)
                        && loop.Statement.DescendantNodes().OfType<AssignmentExpressionSyntax>().Any(a => a.Left is IdentifierNameSyntax { Identifier.ValueText: var target } && target == result && a.Right is AwaitExpressionSyntax):
                    return j;
                default:
                    return index;
            }
        }

        return index;
    }

    /// <summary>
    /// How the Close branch leaves: <c>break;</c> when the nearest loop is the receive loop itself and leaving it
    /// compiles; otherwise <c>return;</c> (or <c>yield break;</c>) when the function returns no value, and in a function
    /// that returns one the value it already returns for "nothing" (<c>return null;</c>, <c>return default;</c>), else a
    /// <see cref="System.Net.WebSockets.WebSocketException"/>: no value can come from a closed socket, and the caller
    /// already sees that exception when the next receive fails.
    /// </summary>
    private static string? Exit(StatementSyntax statement, SemanticModel model)
    {
        var function = statement.Ancestors().FirstOrDefault(a => a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax);
        var loops = statement.Ancestors()
            .TakeWhile(a => a != function)
            .Where(a => a is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or ForEachStatementSyntax or SwitchStatementSyntax)
            .ToList();
        var symbol = function switch
        {
            null => null,
            AnonymousFunctionExpressionSyntax lambda => model.GetSymbolInfo(lambda).Symbol as IMethodSymbol,
            _ => model.GetDeclaredSymbol(function) as IMethodSymbol,
        };
        var iterator = function is not null && OwnNodes(function).OfType<YieldStatementSyntax>().Any();

        // Top-level statements return nothing unless one of them returns an exit code.
        var topLevel = function is null && statement.FirstAncestorOrSelf<GlobalStatementSyntax>() is { Parent: { } unit }
            && !OwnNodes(unit).OfType<ReturnStatementSyntax>().Any(r => r.Expression is not null);
        var returnsNothing = topLevel || (symbol is not null
            && (symbol.ReturnsVoid || symbol.ReturnType is INamedTypeSymbol { Arity: 0, Name: "Task" or "ValueTask" }));
        if (loops.Count == 1 && loops[0] is StatementSyntax loop and not SwitchStatementSyntax && !CollectsMessage(loop)
            && (returnsNothing || iterator || model.AnalyzeControlFlow(loop) is { Succeeded: true, EndPointIsReachable: true }))
        {
            // After the loop the function already ends the way it did (or cannot fall off its end without a value).
            return "break;";
        }

        if (topLevel)
        {
            return "return;";
        }

        if (symbol is null || function is null)
        {
            return null;
        }

        if (returnsNothing || iterator)
        {
            return iterator ? "yield break;" : "return;";
        }

        var empty = OwnNodes(function).OfType<ReturnStatementSyntax>()
            .Select(r => r.Expression)
            .FirstOrDefault(e => (e is PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression } suppressed ? suppressed.Operand : e)
                is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NullLiteralExpression or (int)SyntaxKind.DefaultLiteralExpression } or DefaultExpressionSyntax);
        return empty is not null
            ? $"return {empty.WithoutTrivia()};"
            : "throw new global::System.Net.WebSockets.WebSocketException(global::System.Net.WebSockets.WebSocketError.InvalidState, \"The remote party closed the WebSocket connection.\");";
    }

    /// <summary>
    /// A loop that puts one message together (<c>do { .. } while (!result.EndOfMessage);</c>, or <c>while (!end)</c> with
    /// <c>end = result.EndOfMessage;</c> in it): what follows it handles the message, so leaving it with <c>break</c>
    /// would hand on the Close's empty one.
    /// </summary>
    private static bool CollectsMessage(StatementSyntax loop)
    {
        var condition = loop switch
        {
            WhileStatementSyntax @while => @while.Condition,
            DoStatementSyntax @do => @do.Condition,
            _ => null,
        };
        if (condition is null)
        {
            return false;
        }

        if (condition.DescendantNodesAndSelf().OfType<MemberAccessExpressionSyntax>().Any(m => m.Name.Identifier.ValueText == "EndOfMessage"))
        {
            return true;
        }

        var flags = condition.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Select(i => i.Identifier.ValueText).ToList();
        return loop.DescendantNodes().OfType<AssignmentExpressionSyntax>().Any(a => a.Left is IdentifierNameSyntax { Identifier.ValueText: var flag } && flags.Contains(flag)
            && a.Right is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "EndOfMessage" });
    }

    /// <summary>The nodes of a function's own body, not those of functions nested in it.</summary>
    private static System.Collections.Generic.IEnumerable<SyntaxNode> OwnNodes(SyntaxNode function)
        => function.DescendantNodes(n => n == function || n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax and not GlobalStatementSyntax));

    private static string FreeName(SemanticModel model, int position, params string[] candidates)
    {
        foreach (var name in candidates)
        {
            if (!model.LookupSymbols(position, name: name).Any())
            {
                return name;
            }
        }

        return candidates[candidates.Length - 1] + "1";
    }
}
