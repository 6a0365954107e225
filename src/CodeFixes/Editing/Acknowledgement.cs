using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace WsAnalyzers.CodeFixes.Editing;

/// <summary>
/// Builds the statement that answers a received Close: guarded by State == CloseReceived (another task may have
/// closed already), echoing the peer's status and description, never WebSocketCloseStatus.Empty.
/// </summary>
internal static class Acknowledgement
{
    /// <summary>The names a fix reuses, read from the diagnostic's properties and checked against the scope at a position.</summary>
    internal sealed class Names
    {
        public Names(string socket, string? result, string token)
        {
            Socket = socket;
            Result = result;
            Token = token;
        }

        public string Socket { get; }

        /// <summary>The stored receive result when it is a WebSocketReceiveResult in scope; null to read the socket's status.</summary>
        public string? Result { get; }

        public string Token { get; }

        public static Names? From(Diagnostic diagnostic, SemanticModel model, int position)
        {
            var properties = diagnostic.Properties;
            if (!properties.TryGetValue(FixKeys.Socket, out var socket) || string.IsNullOrEmpty(socket) || !IsSimpleReference(socket!, model, position))
            {
                return null;
            }

            properties.TryGetValue(FixKeys.Result, out var result);
            properties.TryGetValue(FixKeys.Token, out var token);
            var valueResult = FixKeys.IsTrue(properties, FixKeys.ValueResult);
            return new Names(
                socket!,
                !valueResult && result is not null && IsSimpleReference(result, model, position) ? result : null,
                token is not null && IsSimpleReference(token, model, position) ? token : "global::System.Threading.CancellationToken.None");
        }

        /// <summary>An identifier, or this/member chain, that binds at <paramref name="position"/>.</summary>
        private static bool IsSimpleReference(string text, SemanticModel model, int position)
        {
            var expression = SyntaxFactory.ParseExpression(text);
            if (expression.ContainsDiagnostics)
            {
                return false;
            }

            var first = expression.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().FirstOrDefault();
            if (expression is ThisExpressionSyntax || expression.DescendantNodesAndSelf().OfType<ThisExpressionSyntax>().Any())
            {
                return true;
            }

            return first is not null && model.LookupSymbols(position, name: first.Identifier.ValueText).Any();
        }
    }

    /// <summary><c>if (ws.State == WebSocketState.CloseReceived) { await ws.CloseOutputAsync(status, description, token); }</c></summary>
    public static StatementSyntax Guarded(Names names, SyntaxNode root, bool followed)
        => WithBlankLineAfter(Guarded(names), root, followed);

    /// <summary>Ends an inserted statement with a blank line when another statement follows, in the line-ending style of the file.</summary>
    public static T WithBlankLineAfter<T>(T statement, SyntaxNode root, bool followed)
        where T : SyntaxNode
    {
        var eol = NewLine(root);
        return followed ? statement.WithTrailingTrivia(eol, eol) : statement.WithTrailingTrivia(eol);
    }

    /// <summary>A line break in the file's own style.</summary>
    public static SyntaxTrivia NewLine(SyntaxNode root)
    {
        var newLine = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString();
        return SyntaxFactory.EndOfLine(string.IsNullOrEmpty(newLine) ? "\n" : newLine);
    }

    public static StatementSyntax Guarded(Names names)
    {
        var status = names.Result is null
            ? $"{names.Socket}.CloseStatus ?? global::System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, {names.Socket}.CloseStatusDescription"
            : $"{names.Result}.CloseStatus ?? global::System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, {names.Result}.CloseStatusDescription";
        var text = $$"""
            if ({{names.Socket}}.State == global::System.Net.WebSockets.WebSocketState.CloseReceived)
            {
                await {{names.Socket}}.CloseOutputAsync({{status}}, {{names.Token}});
            }
            """;
        return Annotate(SyntaxFactory.ParseStatement(text));
    }

    public static T Annotate<T>(T node)
        where T : SyntaxNode
        => node.WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation, Simplifier.AddImportsAnnotation);

    /// <summary>A statement as a block, so statements can be inserted before it.</summary>
    public static BlockSyntax AsBlock(StatementSyntax statement)
        => statement as BlockSyntax ?? SyntaxFactory.Block(statement).WithAdditionalAnnotations(Formatter.Annotation);
}

/// <summary>Applies a syntax edit and runs the cleanup a fix promises: imports added, names simplified, code formatted.</summary>
internal static class Edits
{
    public static async System.Threading.Tasks.Task<Document> ReplaceAsync(Document document, SyntaxNode root, SyntaxNode oldNode, SyntaxNode newNode, System.Threading.CancellationToken cancellationToken)
        => await CleanUpAsync(document.WithSyntaxRoot(root.ReplaceNode(oldNode, newNode)), cancellationToken).ConfigureAwait(false);

    /// <summary>The cleanup of annotated edits: imports added, names simplified, code formatted.</summary>
    public static async System.Threading.Tasks.Task<Document> CleanUpAsync(Document changed, System.Threading.CancellationToken cancellationToken)
    {
        changed = await ImportAdder.AddImportsAsync(changed, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        changed = await Simplifier.ReduceAsync(changed, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Formatter.FormatAsync(changed, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
