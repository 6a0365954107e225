using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace WsAnalyzers.CodeFixes.Editing;

/// <summary>A statement that throws a call's task away (<c>X;</c> or <c>_ = X;</c>), and the same statement awaiting it.</summary>
internal static class DroppedTask
{
    /// <summary>The statement dropping the task of <paramref name="call"/> (through <c>.ConfigureAwait(..)</c> too), and the task expression.</summary>
    public static (ExpressionStatementSyntax Statement, ExpressionSyntax Task)? Find(InvocationExpressionSyntax call)
    {
        ExpressionSyntax task = call;
        if (task.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } member
            && member.Expression == task && member.Parent is InvocationExpressionSyntax configure)
        {
            task = configure;
        }

        return task.Parent switch
        {
            ExpressionStatementSyntax statement => (statement, task),
            AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" }, Parent: ExpressionStatementSyntax statement } assignment
                when assignment.Right == task && assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) => (statement, task),
            _ => null,
        };
    }

    /// <summary><c>await X;</c> in place of the statement, keeping its comments and layout.</summary>
    public static ExpressionStatementSyntax Awaited(ExpressionStatementSyntax statement, ExpressionSyntax task)
    {
        var awaited = SyntaxFactory.AwaitExpression(
                SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithTrailingTrivia(SyntaxFactory.Space),
                task.WithoutTrivia())
            .WithTriviaFrom(statement.Expression);
        return statement.WithExpression(awaited).WithAdditionalAnnotations(Formatter.Annotation);
    }
}
