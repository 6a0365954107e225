using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using WsAnalyzers.CodeFixes.Editing;
using WsAnalyzers.Rules;

namespace WsAnalyzers.CodeFixes;

/// <summary>WS1003: dispose the socket with `using var` (or a using statement below C# 8).</summary>
[ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(AddUsingFix)), Shared]
public sealed class AddUsingFix : CodeFixProvider
{
    private const string EquivalenceKey = "WS1003.AddUsing";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.SocketNotDisposed);

    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(async (context, document, diagnostics) =>
    {
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        // Later declarations first: a using statement takes in the statements after it, fixed ones included.
        var usingDeclaration = UsingDeclaration.SupportsDeclaration(root.SyntaxTree);
        var targets = diagnostics
            .Select(d => Target(root, d, usingDeclaration))
            .OfType<LocalDeclarationStatementSyntax>()
            .Distinct()
            .ToList();
        var annotations = targets.ToDictionary(t => t, _ => new SyntaxAnnotation());
        root = root.ReplaceNodes(targets, (original, _) => original.WithAdditionalAnnotations(annotations[original]));
        foreach (var annotation in annotations.OrderByDescending(a => a.Key.SpanStart).Select(a => a.Value))
        {
            if (root.GetAnnotatedNodes(annotation).FirstOrDefault() is LocalDeclarationStatementSyntax statement)
            {
                root = UsingDeclaration.Apply(root, statement, usingDeclaration);
            }
        }

        return document.WithSyntaxRoot(root);
    });

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        var usingDeclaration = UsingDeclaration.SupportsDeclaration(root.SyntaxTree);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (Target(root, diagnostic, usingDeclaration) is not { } statement)
            {
                continue;
            }

            var name = statement.Declaration.Variables[0].Identifier.ValueText;
            context.RegisterCodeFix(
                CodeAction.Create(
                    usingDeclaration ? $"Dispose '{name}' with a using declaration" : $"Dispose '{name}' with a using statement",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(UsingDeclaration.Apply(root, statement, usingDeclaration))),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static LocalDeclarationStatementSyntax? Target(SyntaxNode root, Diagnostic diagnostic, bool usingDeclaration)
    {
        if (!diagnostic.Properties.ContainsKey(SocketNotDisposedAnalyzer.FixableProperty))
        {
            return null;
        }

        var value = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        while (value.Parent is not null && value.Parent.Span == value.Span)
        {
            value = value.Parent;
        }

        return UsingDeclaration.DeclarationOf(value, usingDeclaration);
    }
}
