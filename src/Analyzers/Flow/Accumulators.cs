using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace WsAnalyzers.Flow;

/// <summary>
/// Where a message is put together from the pieces of several receives: a local <c>MemoryStream</c>,
/// <c>StringBuilder</c>, <c>List&lt;byte&gt;</c> or <c>ArrayBufferWriter&lt;byte&gt;</c>. A Close is the first frame of
/// a message, so an accumulator that starts each message empty holds nothing after the Close's receive (its payload
/// has no bytes): what it gives back then is an empty text or an empty array.
/// </summary>
internal static class Accumulators
{
    /// <summary>Calls that add to an accumulator.</summary>
    public static bool IsWrite(IMethodSymbol method)
        => method.Name is "Write" or "WriteAsync" or "Append" or "AddRange" or "Add" or "Insert";

    public static bool IsAccumulatorType(ITypeSymbol? type)
        => type is INamedTypeSymbol named
           && (named is { Name: "MemoryStream", ContainingNamespace: { Name: "IO", ContainingNamespace.Name: "System" } }
               || named is { Name: "StringBuilder", ContainingNamespace: { Name: "Text", ContainingNamespace.Name: "System" } }
               || named is { Name: "List" or "ArrayBufferWriter", TypeArguments.Length: 1 } && named.TypeArguments[0].SpecialType == SpecialType.System_Byte);

    /// <summary>
    /// Whether the accumulator starts each message empty: it is declared at the nesting of the receive's message loop
    /// (inside the loop that runs once per message, or in the same body), or the method resets it (<c>Clear()</c>,
    /// <c>SetLength(0)</c>, <c>ResetWrittenCount()</c>, a new instance).
    /// </summary>
    public static bool StartsEachMessageEmpty(ILocalSymbol accumulator, SyntaxNode receive)
    {
        if (accumulator.DeclaringSyntaxReferences.Length != 1)
        {
            return false;
        }

        var declaration = accumulator.DeclaringSyntaxReferences[0].GetSyntax(AnalysisCancellation.Token);
        var body = declaration.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or AccessorDeclarationSyntax);
        if (body is null || !body.Span.Contains(receive.Span))
        {
            return false;
        }

        var receiveLoops = receive.Ancestors().TakeWhile(a => a != body).Where(IsLoop).ToList();
        var declarationLoops = declaration.Ancestors().TakeWhile(a => a != body).Where(IsLoop).ToList();
        if (declarationLoops.SequenceEqual(receiveLoops) || declarationLoops.SequenceEqual(receiveLoops.Skip(1)))
        {
            return true;
        }

        foreach (var node in body.DescendantNodes())
        {
            switch (node)
            {
                case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax target, Name.Identifier.ValueText: var name } } reset
                    when target.Identifier.ValueText == accumulator.Name
                         && (name is "Clear" or "ResetWrittenCount" || name == "SetLength" && reset.ArgumentList.Arguments.Count == 1 && reset.ArgumentList.Arguments[0].Expression is LiteralExpressionSyntax { Token.ValueText: "0" }):
                case AssignmentExpressionSyntax { Left: IdentifierNameSyntax assigned, Right: ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax }
                    when assigned.Identifier.ValueText == accumulator.Name:
                    return true;
            }
        }

        return false;
    }

    private static bool IsLoop(SyntaxNode node) => node is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or ForEachStatementSyntax;

    /// <summary>What the accumulator gives back: its text, its bytes or its length.</summary>
    public static bool IsRead(string name) => name is "ToString" or "ToArray" or "WrittenSpan" or "WrittenMemory" or "Length" or "Count" or "WrittenCount";
}
