using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using WsAnalyzers.Flow;
using WsAnalyzers.Model;

namespace WsAnalyzers.Rules;

/// <summary>
/// The gates every body-level rule passes through: a type whose files spell no socket word gets no body actions (one
/// symbol-start callback per type); within the others a body whose text calls none of the rule's names is skipped; and
/// a cheap operation action marks the operation blocks that do what the rule is about (receive, close, create or accept
/// a socket). Only those are analysed at block end.
/// </summary>
internal static class SocketBlocks
{
    /// <summary>
    /// How every rule treats generated code: its bodies are not analysed (a generated file, an `auto-generated` header or
    /// `[GeneratedCode]` on the symbol keeps the driver from calling the rule there), and what the rules report from
    /// hand-written bodies is not filtered again. With <see cref="GeneratedCodeAnalysisFlags.None"/> the driver would
    /// walk the whole tree of each reported location for `[GeneratedCode]` declarations, once per tree, and charge it to
    /// the reporting rule: an eighth of the rules' time on WebSocket-heavy code. The one difference: a report placed
    /// outside the analysed body (the close helper's guard of WS1004) in a generated file is shown.
    /// </summary>
    public const GeneratedCodeAnalysisFlags GeneratedCode = GeneratedCodeAnalysisFlags.ReportDiagnostics;

    private static readonly ImmutableArray<OperationKind> Invocations = ImmutableArray.Create(OperationKind.Invocation);

    /// <summary>The calls by which a body can make or release a socket without spelling a socket word.</summary>
    private static readonly string[] CreateOrReleaseCalls = { "Dispose", "DisposeAsync", "Abort", "CreateFromStream", "CreateClientWebSocket" };

    /// <summary>Bodies that call a WebSocket member of a kind <paramref name="wanted"/> accepts; <paramref name="callNames"/> are the names of those kinds (the syntax gate).</summary>
    public static void Register(CompilationStartAnalysisContext start, WebSocketSymbols symbols, Func<SocketCall, bool> wanted, Action<OperationBlockAnalysisContext> analyze, string[] callNames)
        => Register(start, Invocations, operation => wanted(symbols.Classify((IInvocationOperation)operation)), analyze, callNames);

    /// <summary>
    /// Bodies holding an operation of one of <paramref name="kinds"/> that <paramref name="marks"/> the body. Two gates
    /// come first, both from syntax and cached per tree, so ordinary code in a project that uses WebSockets somewhere
    /// costs next to nothing: a type none of whose declarations could matter gets no body actions at all (so the driver
    /// does not call us once per body of it), and within a type that could, a body is skipped when its text calls none
    /// of <paramref name="callNames"/> or (<paramref name="createOrRelease"/>) cannot make or release a socket.
    /// </summary>
    public static void Register(CompilationStartAnalysisContext start, ImmutableArray<OperationKind> kinds, Func<IOperation, bool> marks, Action<OperationBlockAnalysisContext> analyze, string[]? callNames = null, bool createOrRelease = false,
        Func<string, bool>? orCallsNamed = null)
    {
        start.RegisterSymbolStartAction(
            type =>
            {
                if (!TypeMayMatter((INamedTypeSymbol)type.Symbol, createOrRelease))
                {
                    return;
                }

                type.RegisterOperationBlockStartAction(block =>
                {
                    if (callNames is not null && !CallsAny(block, callNames) && (orCallsNamed is null || !CallsAny(block, orCallsNamed))
                        || createOrRelease && !MayCreateOrRelease(block))
                    {
                        return;
                    }

                    RegisterBody(block, kinds, marks, analyze);
                });
            },
            SymbolKind.NamedType);
    }

    /// <summary>Every invocation in the types whose files spell a socket word (the type gate of <see cref="TypeMayMatter"/>).</summary>
    public static void RegisterCalls(CompilationStartAnalysisContext start, Action<OperationAnalysisContext> analyze)
        => start.RegisterSymbolStartAction(
            type =>
            {
                if (TypeMayMatter((INamedTypeSymbol)type.Symbol, createOrRelease: false))
                {
                    type.RegisterOperationAction(analyze, OperationKind.Invocation);
                }
            },
            SymbolKind.NamedType);

    /// <summary>
    /// The shared analysis of the member body among the action's operation blocks (a method, accessor, constructor or
    /// lambda body; with <paramref name="initializers"/> also a field or property initializer), or null when none is.
    /// </summary>
    public static BodyAnalysis? BodyOf(WebSocketSymbols symbols, OperationBlockAnalysisContext context, bool initializers)
    {
        foreach (var block in context.OperationBlocks)
        {
            var root = block;
            while (root.Parent is not null)
            {
                root = root.Parent;
            }

            if (root is IMethodBodyBaseOperation or IBlockOperation || initializers && root is IFieldInitializerOperation or IPropertyInitializerOperation)
            {
                return BodyAnalysis.For(symbols, context.GetControlFlowGraph(block), context.OwningSymbol);
            }
        }

        return null;
    }

    private static void RegisterBody(OperationBlockStartAnalysisContext block, ImmutableArray<OperationKind> kinds, Func<IOperation, bool> marks, Action<OperationBlockAnalysisContext> analyze)
    {
        var seen = new Flag();
        block.RegisterOperationAction(
            operation =>
            {
                if (!seen.Value && marks(operation.Operation))
                {
                    seen.Value = true;
                }
            },
            kinds);
        block.RegisterOperationBlockEndAction(end =>
        {
            if (seen.Value)
            {
                // The shared flow analysis (built for whichever rule asks first) stops between blocks on this token.
                using var cancellation = AnalysisCancellation.Enter(end.CancellationToken);
                analyze(end);
            }
        });
    }

    /// <summary>
    /// Whether a body of <paramref name="type"/> could pass the body gate, from the text of its declarations' files.
    /// Every finding of the rules gated on call names sits in a body that calls ReceiveAsync, SendAsync, CloseAsync,
    /// CloseOutputAsync or AcceptWebSocketAsync, each of which spells a socket word (<see cref="SourceWords"/>). The rules
    /// that follow creations also need a file that calls Dispose, Abort or a factory by name, or a base type declared
    /// in a file with a socket word (an inherited socket member). The top-level statements' Program is declared by the
    /// files holding them; a type with no declaration in source always passes.
    /// </summary>
    internal static bool TypeMayMatter(INamedTypeSymbol type, bool createOrRelease)
    {
        var references = type.DeclaringSyntaxReferences;
        if (type.IsImplicitlyDeclared || references.IsEmpty)
        {
            return true;
        }

        foreach (var reference in references)
        {
            if (SourceWords.In(reference.SyntaxTree))
            {
                return true;
            }
        }

        if (!createOrRelease)
        {
            return false;
        }

        foreach (var reference in references)
        {
            if (TreeWords.SpellsReleaseWord(reference.SyntaxTree) && TreeCalls.AnyCallWithin(reference.SyntaxTree, reference.Span, CreateOrReleaseCalls))
            {
                return true;
            }
        }

        return BaseMentionsSockets(type);
    }

    /// <summary>
    /// The gate of the rules that follow sockets from where they are made (WS1003, WS1010): a body can create, accept,
    /// clear or dispose a socket only if its file spells a socket word (`new ClientWebSocket`, `AcceptWebSocketAsync`,
    /// `context.WebSocket`, `WebSocket.CreateFromStream`, a member typed as one), or it calls Dispose, Abort or a
    /// factory by name, or a base type in source is declared in a file that spells one (an inherited socket member).
    /// What it cannot see: a socket typed by a WebSocket subclass whose name lacks the word, created or cleared in a
    /// file that spells none of the words, through a member of no base type declared with them.
    /// </summary>
#pragma warning disable RS1012 // Reads the block's syntax and the owning type's members only; the caller registers the actions.
    private static bool MayCreateOrRelease(OperationBlockStartAnalysisContext block)
    {
        foreach (var operation in block.OperationBlocks)
        {
            var tree = operation.Syntax.SyntaxTree;
            if (SourceWords.In(tree) || TreeCalls.AnyCallWithin(tree, operation.Syntax.Span, CreateOrReleaseCalls))
            {
                return true;
            }
        }

        return BaseMentionsSockets(block.OwningSymbol as INamedTypeSymbol ?? block.OwningSymbol.ContainingType);
    }

    /// <summary>A base type declared in a file that spells a socket word: an inherited socket field or property may be used here.</summary>
    private static bool BaseMentionsSockets(INamedTypeSymbol? type)
    {
        for (var current = type?.BaseType; current is not null && !current.DeclaringSyntaxReferences.IsEmpty; current = current.BaseType)
        {
            foreach (var reference in current.DeclaringSyntaxReferences)
            {
                if (SourceWords.In(reference.SyntaxTree))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool CallsAny(OperationBlockStartAnalysisContext block, string[] names)
#pragma warning restore RS1012
    {
        foreach (var operation in block.OperationBlocks)
        {
            if (TreeCalls.AnyCallWithin(operation.Syntax.SyntaxTree, operation.Syntax.Span, names))
            {
                return true;
            }
        }

        return false;
    }

#pragma warning disable RS1012 // Reads the block's syntax only.
    private static bool CallsAny(OperationBlockStartAnalysisContext block, Func<string, bool> matches)
#pragma warning restore RS1012
    {
        foreach (var operation in block.OperationBlocks)
        {
            if (TreeCalls.AnyCallWithin(operation.Syntax.SyntaxTree, operation.Syntax.Span, matches))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class Flag
    {
        public volatile bool Value;
    }
}
