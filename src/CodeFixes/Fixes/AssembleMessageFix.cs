using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using WsAnalyzers.CodeFixes.Editing;

namespace WsAnalyzers.CodeFixes;

/// <summary>
/// WS1005: right after the receive, keeps receiving into the rest of the buffer (doubling it when full) until
/// EndOfMessage, and counts the bytes of the whole message; the code after the receive then reads that count instead of
/// <c>result.Count</c>. The receive loop's Close handling is kept: a Close ends the message (EndOfMessage is true) and the
/// last result is the one the code after it tests.
/// Offered only for <c>var result = await ws.ReceiveAsync(buffer-or-whole-view, ...)</c> (or <c>result = ...</c>) into a local
/// <c>new byte[n]</c>, decoded by count, with every <c>result.Count</c> after it in the receive's block.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AssembleMessageFix))]
[Shared]
public sealed class AssembleMessageFix : ReplaceNodeFix
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.FragmentsTreatedAsMessages);

    private protected override string Title => "Receive the whole message (until EndOfMessage) before decoding it";

    private protected override (SyntaxNode Old, SyntaxNode New)? Plan(SyntaxNode node, Diagnostic diagnostic, SemanticModel model)
    {
        // The flagged decode reads `result.Count`: the result of the receive whose piece it decodes.
        var counts = node.DescendantNodesAndSelf().OfType<MemberAccessExpressionSyntax>().Where(m => IsCountOfResult(m, model)).ToList();
        if (counts.Count == 0
            || counts.Select(c => model.GetSymbolInfo(c.Expression).Symbol).Distinct(SymbolEqualityComparer.Default).ToList() is not { Count: 1 } results
            || results[0] is not ILocalSymbol result
            || FindReceive(node, result, model) is not { } receive
            || !node.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(i => SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(i).Symbol, receive.Buffer)))
        {
            return null;
        }

        var function = Function(receive.Statement);
        if (!IsNewArray(receive.Buffer, model)
            || OtherWrites(function, result, receive.Statement, model)
            || Uses(function, receive.Buffer, model).Any(u => u.Parent is ArgumentSyntax { RefKindKeyword.RawKind: not (int)SyntaxKind.None }))
        {
            return null;
        }

        // Every `result.Count` of the function must be after the receive in its block, where the new count is in scope.
        var block = receive.Block;
        var index = block.Statements.IndexOf(receive.Statement);
        var allCounts = Uses(function, result, model).Select(u => u.Parent).OfType<MemberAccessExpressionSyntax>().Where(m => IsCountOfResult(m, model)).ToList();
        if (allCounts.Any(c => c.SpanStart < receive.Statement.Span.End || !block.Span.Contains(c.Span)))
        {
            return null;
        }

        var count = FreeName(model, function, receive.Statement.SpanStart, "count", "received", "messageLength");
        var buffer = receive.Buffer.Name;
        var resultName = result.Name;
        var window = receive.Memory
            ? $"new global::System.Memory<byte>({buffer}, {count}, {buffer}.Length - {count})"
            : $"new global::System.ArraySegment<byte>({buffer}, {count}, {buffer}.Length - {count})";
        var next = receive.Await.ReplaceNode(receive.Argument, SyntaxFactory.ParseExpression(window)).WithoutTrivia();
        var root = block.SyntaxTree.GetRoot();
        var declaration = Acknowledgement.Annotate(SyntaxFactory.ParseStatement($"var {count} = {resultName}.Count;"))
            .WithTrailingTrivia(Acknowledgement.NewLine(root));
        var rest = Acknowledgement.Annotate(SyntaxFactory.ParseStatement($$"""
            while (!{{resultName}}.EndOfMessage)
            {
                if ({{count}} == {{buffer}}.Length)
                {
                    global::System.Array.Resize(ref {{buffer}}, {{buffer}}.Length * 2);
                }

                {{resultName}} = {{next.ToFullString()}};
                {{count}} += {{resultName}}.Count;
            }
            """));
        rest = Acknowledgement.WithBlankLineAfter(rest, root, followed: index + 1 < block.Statements.Count);

        var replaced = block.ReplaceNodes(allCounts, (_, _) => SyntaxFactory.IdentifierName(count));
        var statements = replaced.Statements.InsertRange(index + 1, new[] { declaration, rest });
        return (block, replaced.WithStatements(statements));
    }

    private sealed class Receive
    {
        public Receive(BlockSyntax block, StatementSyntax statement, ExpressionSyntax await, ExpressionSyntax argument, ILocalSymbol buffer, bool memory)
        {
            Block = block;
            Statement = statement;
            Await = await;
            Argument = argument;
            Buffer = buffer;
            Memory = memory;
        }

        public BlockSyntax Block { get; }

        public StatementSyntax Statement { get; }

        /// <summary>The awaited receive, as written (with its ConfigureAwait, if any).</summary>
        public ExpressionSyntax Await { get; }

        /// <summary>The receive's buffer argument, replaced by the window after the bytes received so far.</summary>
        public ExpressionSyntax Argument { get; }

        public ILocalSymbol Buffer { get; }

        /// <summary>The Memory&lt;byte&gt; overload (ValueWebSocketReceiveResult), not the ArraySegment one.</summary>
        public bool Memory { get; }
    }

    /// <summary>The nearest statement before the decode, in a block around it and the same function, that stores a receive into the whole of a local array in <paramref name="result"/>.</summary>
    private static Receive? FindReceive(SyntaxNode decode, ILocalSymbol result, SemanticModel model)
    {
        for (SyntaxNode? current = decode; current is not null && !IsFunction(current); current = current.Parent)
        {
            if (current.Parent is not BlockSyntax block || current is not StatementSyntax inner)
            {
                continue;
            }

            for (var i = block.Statements.IndexOf(inner) - 1; i >= 0; i--)
            {
                if (AsReceive(block, block.Statements[i], result, model) is { } receive)
                {
                    return receive;
                }
            }
        }

        return null;
    }

    private static Receive? AsReceive(BlockSyntax block, StatementSyntax statement, ILocalSymbol result, SemanticModel model)
    {
        var value = statement switch
        {
            LocalDeclarationStatementSyntax { UsingKeyword.RawKind: (int)SyntaxKind.None, Declaration.Variables: { Count: 1 } variables }
                when SymbolEqualityComparer.Default.Equals(model.GetDeclaredSymbol(variables[0]), result) => variables[0].Initializer?.Value,
            ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression, Left: IdentifierNameSyntax target, Right: var right } }
                when SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(target).Symbol, result) => right,
            _ => null,
        };
        if (value is not AwaitExpressionSyntax { Expression: var awaited })
        {
            return null;
        }

        // ws.ReceiveAsync(..) or ws.ReceiveAsync(..).ConfigureAwait(..)
        if (awaited is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait", Expression: InvocationExpressionSyntax configured } })
        {
            awaited = configured;
        }

        if (awaited is not InvocationExpressionSyntax { ArgumentList.Arguments.Count: > 0 } call
            || model.GetSymbolInfo(call).Symbol is not IMethodSymbol { Name: "ReceiveAsync" } method
            || !IsWebSocket(method.ContainingType)
            || method.Parameters[0].Type.OriginalDefinition.MetadataName is not ("ArraySegment`1" or "Memory`1"))
        {
            return null;
        }

        var argument = call.ArgumentList.Arguments[0].Expression;
        var whole = argument switch
        {
            IdentifierNameSyntax identifier => identifier,
            BaseObjectCreationExpressionSyntax { ArgumentList.Arguments: { Count: 1 } only } => only[0].Expression,
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "AsMemory", Expression: var array }, ArgumentList.Arguments.Count: 0 } => array,
            _ => null,
        };
        return whole is IdentifierNameSyntax && model.GetSymbolInfo(whole).Symbol is ILocalSymbol { RefKind: RefKind.None, IsConst: false } buffer && buffer.Type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte }
            ? new Receive(block, statement, value, argument, buffer, method.Parameters[0].Type.OriginalDefinition.MetadataName == "Memory`1")
            : null;
    }

    private static bool IsWebSocket(INamedTypeSymbol? type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t is { Name: "WebSocket", ContainingNamespace: { Name: "WebSockets", ContainingNamespace: { Name: "Net", ContainingNamespace.Name: "System" } } })
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsCountOfResult(MemberAccessExpressionSyntax access, SemanticModel model)
        => access.Name.Identifier.ValueText == "Count"
            && access.Expression is IdentifierNameSyntax
            && model.GetSymbolInfo(access.Expression).Symbol is ILocalSymbol { Type.Name: "WebSocketReceiveResult" or "ValueWebSocketReceiveResult" };

    /// <summary>The buffer is made with <c>new byte[n]</c> (n not a constant 0): growing it cannot hand a foreign array to a pool or a caller.</summary>
    private static bool IsNewArray(ILocalSymbol buffer, SemanticModel model)
        => buffer.DeclaringSyntaxReferences.Length == 1
            && buffer.DeclaringSyntaxReferences[0].GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: ArrayCreationExpressionSyntax { Type.RankSpecifiers: { Count: 1 } ranks } }
            && ranks[0].Sizes.Count == 1
            && model.GetConstantValue(ranks[0].Sizes[0]) is not { HasValue: true, Value: 0 };

    /// <summary>An assignment to the result other than the receive itself (another receive's piece would be counted wrong).</summary>
    private static bool OtherWrites(SyntaxNode function, ILocalSymbol result, StatementSyntax receive, SemanticModel model)
        => Uses(function, result, model).Any(u => !receive.Span.Contains(u.Span)
            && (u.Parent is AssignmentExpressionSyntax assignment && assignment.Left == u || u.Parent is ArgumentSyntax { RefKindKeyword.RawKind: not (int)SyntaxKind.None }));

    private static IEnumerable<IdentifierNameSyntax> Uses(SyntaxNode function, ISymbol symbol, SemanticModel model)
        => function.DescendantNodes().OfType<IdentifierNameSyntax>()
            .Where(i => i.Identifier.ValueText == symbol.Name && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(i).Symbol, symbol));

    private static bool IsFunction(SyntaxNode node)
        => node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or CompilationUnitSyntax;

    private static SyntaxNode Function(SyntaxNode node) => node.Ancestors().First(IsFunction);

    /// <summary>A name neither in scope at the receive nor declared anywhere in its function (a later declaration would clash).</summary>
    private static string FreeName(SemanticModel model, SyntaxNode function, int position, params string[] candidates)
    {
        var declared = new HashSet<string>(function.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
        for (var suffix = 0; ; suffix++)
        {
            foreach (var candidate in candidates)
            {
                var name = suffix == 0 ? candidate : candidate + suffix;
                if (!declared.Contains(name) && !model.LookupSymbols(position, name: name).Any())
                {
                    return name;
                }
            }
        }
    }
}
