using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace WsAnalyzers.CodeFixes.Editing;

/// <summary>Whether an <c>await</c> inserted at a node compiles: an async function, and no lock, unsafe code or ref-struct local in the way.</summary>
internal static class AwaitContext
{
    public static bool CanAwaitAt(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case LockStatementSyntax or UnsafeStatementSyntax or QueryExpressionSyntax:
                    return false;
                case AnonymousFunctionExpressionSyntax lambda:
                    return lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword) && !HasRefStructLocal(lambda, model, cancellationToken);
                case LocalFunctionStatementSyntax local:
                    return IsAsync(local.Modifiers) && !HasRefStructLocal(local, model, cancellationToken);
                case BaseMethodDeclarationSyntax method:
                    return IsAsync(method.Modifiers) && !HasRefStructLocal(method, model, cancellationToken);
                case GlobalStatementSyntax:
                    return true;
                case AccessorDeclarationSyntax or MemberDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }

    private static bool IsAsync(SyntaxTokenList modifiers)
        => modifiers.Any(SyntaxKind.AsyncKeyword) && !modifiers.Any(SyntaxKind.UnsafeKeyword);

    // A Span local that lives across the new await would not compile (CS4007 / CS4012).
    private static bool HasRefStructLocal(SyntaxNode function, SemanticModel model, CancellationToken cancellationToken)
        => function.DescendantNodes().OfType<VariableDeclarationSyntax>()
            .Any(declaration => model.GetTypeInfo(declaration.Type, cancellationToken).Type is { IsRefLikeType: true });
}
