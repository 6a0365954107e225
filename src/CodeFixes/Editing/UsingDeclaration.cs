using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace WsAnalyzers.CodeFixes.Editing;

/// <summary>Turns `var x = ...;` into a using declaration (C# 8+) or a using statement over the rest of its block.</summary>
internal static class UsingDeclaration
{
    public static bool SupportsDeclaration(SyntaxTree tree)
        => tree.Options is CSharpParseOptions { LanguageVersion: >= LanguageVersion.CSharp8 };

    /// <summary>The declaration statement whose only initializer is <paramref name="value"/>, when a using can take it.</summary>
    public static LocalDeclarationStatementSyntax? DeclarationOf(SyntaxNode value, bool usingDeclaration)
    {
        if (value.Parent is not EqualsValueClauseSyntax
            {
                Parent: VariableDeclaratorSyntax
                {
                    Parent: VariableDeclarationSyntax
                    {
                        Variables.Count: 1,
                        Parent: LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0, Modifiers.Count: 0 } statement,
                    },
                },
            })
        {
            return null;
        }

        return statement.Parent switch
        {
            BlockSyntax or GlobalStatementSyntax when usingDeclaration => statement,
            // A using statement takes the rest of the block into its body: local functions there could be used above it.
            BlockSyntax block when !block.Statements.SkipWhile(s => s != statement).Skip(1).Any(s => s is LocalFunctionStatementSyntax) => statement,
            _ => null,
        };
    }

    /// <summary>Applies the using to a declaration found by <see cref="DeclarationOf"/>, keeping its comments.</summary>
    public static SyntaxNode Apply(SyntaxNode root, LocalDeclarationStatementSyntax statement, bool usingDeclaration)
    {
        if (usingDeclaration)
        {
            var declared = statement
                .WithoutLeadingTrivia()
                .WithUsingKeyword(Token(statement.GetLeadingTrivia(), SyntaxKind.UsingKeyword, TriviaList(Space)));
            return root.ReplaceNode(statement, declared);
        }

        var block = (BlockSyntax)statement.Parent!;
        var index = block.Statements.IndexOf(statement);
        var rest = block.Statements.Skip(index + 1).ToList();
        var usingStatement = UsingStatement(
                Token(statement.GetLeadingTrivia(), SyntaxKind.UsingKeyword, TriviaList(Space)),
                Token(SyntaxKind.OpenParenToken),
                statement.Declaration.WithoutTrivia(),
                expression: null,
                Token(TriviaList(), SyntaxKind.CloseParenToken, statement.SemicolonToken.TrailingTrivia),
                Block(rest))
            .WithAdditionalAnnotations(Formatter.Annotation);
        var statements = block.Statements.Take(index).Concat(new StatementSyntax[] { usingStatement });
        return root.ReplaceNode(block, block.WithStatements(List(statements)));
    }
}
