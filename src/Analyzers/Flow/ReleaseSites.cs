using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using WsAnalyzers.Model;

namespace WsAnalyzers.Flow;

/// <summary>
/// Whether anything in reach of a compilation could ever release a WebSocket: a call of Dispose, DisposeAsync, Abort or
/// a method named for disposing (`DisposeSafely(x)`, `RegisterForDispose(x)`) or a `using` whose receiver, argument or
/// resource may be a socket, or a referenced
/// library with a public method that takes one. When nothing can, a socket this compilation creates or accepts and
/// hands only to its own code is never released (WS1003), however many owners it passes through.
/// <para>
/// The question is answered from syntax and declarations, without binding any method body: a receiver's type is read
/// from its declaration (a field, property or parameter, a local declared with a type or `new T(...)`); one that cannot
/// be read that way, and receivers typed `object`, `dynamic`, `IDisposable`, `IAsyncDisposable`, a type parameter or a
/// "Disposable" container, count as sockets. `using` statements are read in the files that spell a socket word (where
/// a socket is named, made or declared). Asked at most once per compilation, and only when a socket's walk ends in
/// owners of this compilation.
/// </para>
/// </summary>
internal static class ReleaseSites
{
    private static readonly string[] ReleaseNames = { "Dispose", "DisposeAsync", "Abort" };
    private static readonly string[] ReleaseFragments = { "Dispose", "Abort" };
    private static readonly string[] HandOverNames = { "RegisterForDispose", "RegisterForDisposeAsync", "DisposeWith", "AddDisposable" };

    private static readonly ConditionalWeakTable<IAssemblySymbol, StrongBox<bool>> LibraryVerdicts = new();

    /// <summary>Whether code of this compilation or a library it references could release a socket (see the type's summary).</summary>
    public static bool MayReleaseSockets(WebSocketSymbols symbols)
        => LibrariesTakeSockets(symbols) || SourceMayRelease(symbols) || ExposesSockets(symbols);

    private static readonly string[] CloseNames = { "CloseAsync", "CloseOutputAsync" };

    /// <summary>
    /// Whether code of this compilation or a library it references could close a socket: a call named CloseAsync or
    /// CloseOutputAsync anywhere in the source (whatever its receiver), a referenced library that takes a WebSocket, or,
    /// in a class library, a public member that takes a socket in or lets one out. When nothing can, a Close the project receives is
    /// never answered, whichever of its owners the socket reaches (WS1002). Each file's calls are indexed once
    /// (<see cref="TreeCalls"/>).
    /// </summary>
    public static bool MayCloseSockets(WebSocketSymbols symbols)
    {
        foreach (var tree in symbols.Compilation.SyntaxTrees)
        {
            AnalysisCancellation.Token.ThrowIfCancellationRequested();
            foreach (var name in CloseNames)
            {
                if (TreeCalls.TryGetCalls(tree, name, out _))
                {
                    return true;
                }
            }
        }

        return LibrariesTakeSockets(symbols) || ExposesSockets(symbols, orTakes: true);
    }

    /// <summary>
    /// Each file's verdict, kept as long as the file's tree lives: an editor's next compilation differs by one document,
    /// so a keystroke reads one file again rather than every file of the project. The verdict rests on declarations,
    /// which may live in other files (a field's type): a change there that turns a receiver into a socket is seen when
    /// this file changes, or in the next build.
    /// </summary>
    private static readonly ConditionalWeakTable<SyntaxTree, StrongBox<bool>> TreeVerdicts = new();

    private static bool SourceMayRelease(WebSocketSymbols symbols)
    {
        foreach (var tree in symbols.Compilation.SyntaxTrees)
        {
            AnalysisCancellation.Token.ThrowIfCancellationRequested();
            if (TreeVerdicts.GetValue(tree, t => new StrongBox<bool>(TreeMayRelease(symbols, t))).Value)
            {
                return true;
            }
        }

        return false;
    }

    private static bool TreeMayRelease(WebSocketSymbols symbols, SyntaxTree tree)
    {
        var compilation = symbols.Compilation;
        SemanticModel? model = null;
        foreach (var name in HandOverNames)
        {
            if (TreeCalls.TryGetCalls(tree, name, out _))
            {
                return true;
            }
        }

        if (TreeWords.SpellsReleaseWord(tree))
        {
            foreach (var fragment in ReleaseFragments)
            {
                foreach (var call in TreeCalls.CallsNamedWith(tree, fragment))
                {
                    var name = TreeCalls.NameOf(call)!;
                    if (!IsReleaseName(name))
                    {
                        continue;
                    }

                    model ??= compilation.GetSemanticModel(tree);
                    if (ReceiverMayBeSocket(symbols, model, call)
                        || Array.IndexOf(ReleaseNames, name) < 0 && call.ArgumentList.Arguments.Any(a => MayBeSocket(symbols, TypeOf(model, a.Expression))))
                    {
                        return true;
                    }
                }
            }
        }

        // A `using` of a socket names it where it is declared or made: only files that spell a socket word are read for them.
        if (!SourceWords.In(tree))
        {
            return false;
        }

        foreach (var statement in TreeCalls.UsingsOf(tree))
        {
            model ??= compilation.GetSemanticModel(tree);
            if (ResourceMayBeSocket(symbols, model, statement))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Dispose, DisposeAsync, Abort, and helpers named for disposing (`DisposeSafely`, `SafeDispose`, `TryDispose`).</summary>
    private static bool IsReleaseName(string name)
        => name == "Abort" || name.IndexOf("Dispose", StringComparison.Ordinal) >= 0;

    private static bool ReceiverMayBeSocket(WebSocketSymbols symbols, SemanticModel model, InvocationExpressionSyntax call)
    {
        switch (call.Expression)
        {
            case IdentifierNameSyntax:
                // `Dispose()` of the type itself: a WebSocket subclass disposing itself.
                return TypeOfEnclosing(model, call) is not { } own || symbols.IsWebSocket(own);
            case MemberAccessExpressionSyntax access:
                return access.Expression is ThisExpressionSyntax or BaseExpressionSyntax
                    ? TypeOfEnclosing(model, call) is not { } self || symbols.IsWebSocket(self)
                    : MayBeSocket(symbols, TypeOf(model, access.Expression));
            case MemberBindingExpressionSyntax:
                return call.Parent is not ConditionalAccessExpressionSyntax conditional
                    ? call.Ancestors().OfType<ConditionalAccessExpressionSyntax>().FirstOrDefault() is not { } outer || MayBeSocket(symbols, TypeOf(model, outer.Expression))
                    : MayBeSocket(symbols, TypeOf(model, conditional.Expression));
            default:
                return true;
        }
    }

    private static bool ResourceMayBeSocket(WebSocketSymbols symbols, SemanticModel model, StatementSyntax statement)
    {
        var (declaration, expression) = statement switch
        {
            UsingStatementSyntax usingStatement => (usingStatement.Declaration, usingStatement.Expression),
            LocalDeclarationStatementSyntax local => (local.Declaration, null),
            _ => (null, null),
        };
        if (expression is not null)
        {
            return MayBeSocket(symbols, TypeOf(model, expression));
        }

        if (declaration is null)
        {
            return true;
        }

        if (!declaration.Type.IsVar)
        {
            return MayBeSocket(symbols, TypeOfSyntax(model, declaration.Type));
        }

        foreach (var variable in declaration.Variables)
        {
            if (variable.Initializer is { Value: var fresh } && IsFreshSocket(fresh))
            {
                // `using var ws = await context.WebSockets.AcceptWebSocketAsync();`: it releases the socket it makes, no other.
                continue;
            }

            if (MayBeSocket(symbols, variable.Initializer is { Value: var value } ? TypeOfInitializer(model, value) ?? TypeOfCall(model, value) : null))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A socket made right there: <c>new ClientWebSocket()</c>, an <c>AcceptWebSocketAsync</c> or <c>CreateFromStream</c>
    /// call (awaited, or with <c>ConfigureAwait</c>).
    /// </summary>
    private static bool IsFreshSocket(ExpressionSyntax value)
    {
        while (true)
        {
            switch (value)
            {
                case AwaitExpressionSyntax awaited:
                    value = awaited.Expression;
                    continue;
                case ParenthesizedExpressionSyntax parenthesized:
                    value = parenthesized.Expression;
                    continue;
                case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait", Expression: var configured } }:
                    value = configured;
                    continue;
                case ObjectCreationExpressionSyntax { Type: var type }:
                    return type is IdentifierNameSyntax { Identifier.ValueText: "ClientWebSocket" } or QualifiedNameSyntax { Right.Identifier.ValueText: "ClientWebSocket" };
                case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "AcceptWebSocketAsync" or "CreateFromStream" } }:
                    return true;
                default:
                    return false;
            }
        }
    }

    /// <summary>
    /// The type a call or await produces where a `using` or a `var` local takes it (`using var scope =
    /// factory.CreateScope();`, `var s = await listener.AcceptAsync();` later disposed), bound only when the declarations
    /// cannot tell and the file spells a socket word (elsewhere it stays unknown, counted as a socket, so that ordinary
    /// files are not bound): read once per file (<see cref="TreeVerdicts"/>).
    /// </summary>
    private static ITypeSymbol? TypeOfCall(SemanticModel model, ExpressionSyntax value)
        => value is InvocationExpressionSyntax or AwaitExpressionSyntax && SourceWords.In(value.SyntaxTree) ? model.GetTypeInfo(value).Type : null;

    /// <summary>
    /// A type that may hold a socket: a WebSocket, one of the types a socket converts to (object, dynamic, IDisposable,
    /// IAsyncDisposable, a type parameter), a container of disposables, or a type that could not be read (null).
    /// </summary>
    private static bool MayBeSocket(WebSocketSymbols symbols, ITypeSymbol? type)
        => type switch
        {
            null or IErrorTypeSymbol or IDynamicTypeSymbol or ITypeParameterSymbol => true,
            { SpecialType: SpecialType.System_Object } => true,
            INamedTypeSymbol { TypeKind: TypeKind.Interface, Name: "IDisposable" or "IAsyncDisposable" } => true,
            _ => symbols.IsWebSocket(type) || type.Name.IndexOf("Disposable", StringComparison.Ordinal) >= 0,
        };

    /// <summary>The type of an expression from declarations only: a name of a local, parameter, field or property, `this.x`, `a.b`, a cast; null when unknown.</summary>
    private static ITypeSymbol? TypeOf(SemanticModel model, ExpressionSyntax expression)
    {
        switch (expression)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return TypeOf(model, parenthesized.Expression);
            case CastExpressionSyntax cast:
                return TypeOfSyntax(model, cast.Type);
            case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AsExpression, Right: TypeSyntax asType }:
                return TypeOfSyntax(model, asType);
            case IdentifierNameSyntax name:
                return TypeOfName(model, name);
            case MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax or BaseExpressionSyntax } access:
                return MemberType(TypeOfEnclosing(model, access), access.Name.Identifier.ValueText);
            case MemberAccessExpressionSyntax access:
                return MemberType(TypeOf(model, access.Expression), access.Name.Identifier.ValueText);
            case AwaitExpressionSyntax awaited:
                return TypeOf(model, awaited.Expression) is INamedTypeSymbol { Name: "Task" or "ValueTask", TypeArguments.Length: 1 } task ? task.TypeArguments[0] : null;
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax called }:
                return ReturnType(TypeOf(model, called.Expression) ?? TypeNamed(model, called.Expression), called.Name.Identifier.ValueText);
            case InvocationExpressionSyntax { Expression: IdentifierNameSyntax called } invocation:
                return ReturnType(TypeOfEnclosing(model, invocation), called.Identifier.ValueText);
            default:
                return null;
        }
    }

    /// <summary>`Encoding.UTF8`, `File.OpenRead(..)`: a receiver that names a type.</summary>
    private static ITypeSymbol? TypeNamed(SemanticModel model, ExpressionSyntax expression)
        => expression is NameSyntax or MemberAccessExpressionSyntax
            ? model.GetSpeculativeTypeInfo(PositionOf(expression), SyntaxFactory.ParseTypeName(expression.ToString()), SpeculativeBindingOption.BindAsTypeOrNamespace).Type
            : null;

    /// <summary>The return type of the methods named <paramref name="name"/> of a type (its bases and interfaces too), when they agree on one.</summary>
    private static ITypeSymbol? ReturnType(ITypeSymbol? type, string name)
    {
        if (type is null)
        {
            return null;
        }

        ITypeSymbol? agreed = null;
        foreach (var owner in new[] { type }.Concat(Bases(type)).Concat(type.AllInterfaces))
        {
            foreach (var member in owner.GetMembers(name))
            {
                if (member is not IMethodSymbol method || method.ReturnsVoid || method.ReturnType is ITypeParameterSymbol)
                {
                    return null;
                }

                if (agreed is not null && !SymbolEqualityComparer.Default.Equals(agreed, method.ReturnType))
                {
                    return null;
                }

                agreed = method.ReturnType;
            }
        }

        return agreed;

        static IEnumerable<ITypeSymbol> Bases(ITypeSymbol type)
        {
            for (var current = type.BaseType; current is not null; current = current.BaseType)
            {
                yield return current;
            }
        }
    }

    private static ITypeSymbol? TypeOfName(SemanticModel model, IdentifierNameSyntax name)
    {
        var text = name.Identifier.ValueText;
        var member = name.Ancestors().FirstOrDefault(a => a is MemberDeclarationSyntax or CompilationUnitSyntax);
        if (member is GlobalStatementSyntax)
        {
            member = member.Parent;
        }

        if (member is not null)
        {
            foreach (var node in member.DescendantNodes())
            {
                switch (node)
                {
                    case VariableDeclaratorSyntax declarator when declarator.Identifier.ValueText == text:
                        return declarator.Parent is VariableDeclarationSyntax declaration
                            ? declaration.Type.IsVar
                                ? declarator.Initializer is { Value: var value } ? TypeOfInitializer(model, value) ?? TypeOfCall(model, value) : null
                                : TypeOfSyntax(model, declaration.Type)
                            : null;
                    case ParameterSyntax parameter when parameter.Identifier.ValueText == text:
                        return parameter.Type is null ? null : (model.GetDeclaredSymbol(parameter) as IParameterSymbol)?.Type;
                    case ForEachStatementSyntax loop when loop.Identifier.ValueText == text:
                        return loop.Type.IsVar ? SourceWords.In(loop.SyntaxTree) ? model.GetForEachStatementInfo(loop).ElementType : null : TypeOfSyntax(model, loop.Type);
                    case SingleVariableDesignationSyntax designation when designation.Identifier.ValueText == text:
                        return designation.Parent is DeclarationPatternSyntax pattern ? TypeOfSyntax(model, pattern.Type) : null;
                    case CatchDeclarationSyntax caught when caught.Identifier.ValueText == text:
                        return TypeOfSyntax(model, caught.Type);
                }
            }
        }

        // A field or property of the enclosing types (or their bases), or of a primary constructor's parameters.
        for (var type = TypeOfEnclosing(model, name); type is not null; type = type.ContainingType)
        {
            if (MemberType(type, text) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>`new T(..)`, `(T)x`, `x as T`, a call whose methods of that name agree on a return type: the type the initializer names.</summary>
    private static ITypeSymbol? TypeOfInitializer(SemanticModel model, ExpressionSyntax value)
        => value switch
        {
            ObjectCreationExpressionSyntax creation => TypeOfSyntax(model, creation.Type),
            _ => TypeOf(model, value),
        };

    private static ITypeSymbol? MemberType(ITypeSymbol? type, string name)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers(name))
            {
                switch (member)
                {
                    case IFieldSymbol field:
                        return field.Type;
                    case IPropertySymbol property:
                        return property.Type;
                }
            }
        }

        return null;
    }

    /// <summary>A type named in source, bound at its member's declaration (no method body is bound).</summary>
    private static ITypeSymbol? TypeOfSyntax(SemanticModel model, TypeSyntax type)
        => model.GetSpeculativeTypeInfo(PositionOf(type), type, SpeculativeBindingOption.BindAsTypeOrNamespace).Type;

    /// <summary>Where a name is bound: at the start of its member's declaration, whose scope has the file's and the type's names but no body's.</summary>
    private static int PositionOf(SyntaxNode node)
        => node.Ancestors().FirstOrDefault(a => a is MemberDeclarationSyntax) is { } member ? member.SpanStart : node.SpanStart;

    private static INamedTypeSymbol? TypeOfEnclosing(SemanticModel model, SyntaxNode node)
        => node.Ancestors().OfType<BaseTypeDeclarationSyntax>().FirstOrDefault() is { } declaration
            ? model.GetDeclaredSymbol(declaration) as INamedTypeSymbol
            : null;

    /// <summary>A referenced library (not the framework) with a public or protected method or constructor that takes a WebSocket.</summary>
    private static bool LibrariesTakeSockets(WebSocketSymbols symbols)
    {
        foreach (var assembly in symbols.Compilation.SourceModule.ReferencedAssemblySymbols)
        {
            if (!IsFramework(assembly.Name) && LibraryVerdicts.GetValue(assembly, a => new StrongBox<bool>(TakesSockets(a))).Value)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsFramework(string name)
        => name is "mscorlib" or "netstandard" or "System" or "WindowsBase"
           || name.StartsWith("System.", StringComparison.Ordinal) || name.StartsWith("Microsoft.", StringComparison.Ordinal);

    private static bool TakesSockets(IAssemblySymbol assembly)
    {
        if (!assembly.Modules.Any(m => m.ReferencedAssemblies.Any(r => r.Name.StartsWith("System.Net.WebSockets", StringComparison.Ordinal)
            || r.Name is "netstandard" or "System" or "mscorlib")))
        {
            return false;
        }

        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            AnalysisCancellation.Token.ThrowIfCancellationRequested();
            var current = pending.Pop();
            foreach (var member in current.GetMembers())
            {
                switch (member)
                {
                    case INamespaceSymbol space:
                        pending.Push(space);
                        break;
                    case INamedTypeSymbol { DeclaredAccessibility: Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal } type:
                        pending.Push(type);
                        break;
                    case IMethodSymbol { DeclaredAccessibility: Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal } method
                        when method.Parameters.Any(p => NamesWebSocket(p.Type)):
                        return true;
                }
            }
        }

        return false;
    }

    /// <summary>System.Net.WebSockets.WebSocket or a type derived from it (by name: the library's view of the type).</summary>
    private static bool NamesWebSocket(ITypeSymbol type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t.Name == "WebSocket" && t.ContainingNamespace?.ToDisplayString() == "System.Net.WebSockets")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A library (not an application) whose public API lets a socket out (a public or protected member of a public type
    /// typed as one, or a method returning one): its users may release what it keeps. With <paramref name="orTakes"/>,
    /// also one whose public API takes a socket in (a parameter typed as one): its users may close what they pass.
    /// </summary>
    private static bool ExposesSockets(WebSocketSymbols symbols, bool orTakes = false)
    {
        var compilation = symbols.Compilation;
        if (compilation.Options.OutputKind != OutputKind.DynamicallyLinkedLibrary)
        {
            return false;
        }

        foreach (var tree in compilation.SyntaxTrees)
        {
            if (!SourceWords.In(tree))
            {
                continue;
            }

            var model = compilation.GetSemanticModel(tree);
            foreach (var declaration in tree.GetRoot(AnalysisCancellation.Token).DescendantNodes(n => n is not MemberDeclarationSyntax || n is TypeDeclarationSyntax || n.GetType().Name.EndsWith("NamespaceDeclarationSyntax", StringComparison.Ordinal)).OfType<TypeDeclarationSyntax>())
            {
                if (model.GetDeclaredSymbol(declaration) is not INamedTypeSymbol type || !IsVisibleOutside(type))
                {
                    continue;
                }

                foreach (var member in type.GetMembers())
                {
                    if (member.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal))
                    {
                        continue;
                    }

                    var exposed = member switch
                    {
                        IFieldSymbol field => symbols.IsWebSocket(field.Type),
                        IPropertySymbol property => symbols.IsWebSocket(property.Type),
                        IMethodSymbol method => symbols.IsWebSocket(method.ReturnType) || method.ReturnType is INamedTypeSymbol { TypeArguments.Length: 1 } task && symbols.IsWebSocket(task.TypeArguments[0])
                            || method.Parameters.Any(p => (orTakes || p.RefKind == RefKind.Out) && symbols.IsWebSocket(p.Type)),
                        _ => false,
                    };
                    if (exposed)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static bool IsVisibleOutside(INamedTypeSymbol type)
    {
        for (var t = type; t is not null; t = t.ContainingType)
        {
            if (t.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal))
            {
                return false;
            }
        }

        return true;
    }
}
