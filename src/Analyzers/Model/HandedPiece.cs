using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using WsAnalyzers.Flow;

namespace WsAnalyzers.Model;

/// <summary>What the callers in sight of a function with a receive result and a buffer parameter hand it.</summary>
internal enum HandedPieceVerdict
{
    /// <summary>No caller in sight, or one that hands over something other than a buffer it just received into.</summary>
    NotAPiece,

    /// <summary>Every caller hands over the buffer it just received into, and none reads EndOfMessage.</summary>
    Piece,

    /// <summary>As <see cref="Piece"/>, but a caller on the way reads EndOfMessage.</summary>
    PieceCallerReadsEnd,
}

/// <summary>
/// A function handed one received piece by the code that receives it: a method, local function or lambda with a receive
/// result parameter and a buffer parameter (<c>Handle(WebSocketReceiveResult result, byte[] buffer)</c>, the
/// <c>Action&lt;WebSocketReceiveResult, byte[]&gt;</c> a receive loop calls). What its callers pass is looked up in
/// sight: the piece counts only when every caller found hands over the very buffer it has just received into (or its
/// own such parameter, one level further up), so a handler given an assembled message stays out.
/// </summary>
internal sealed class HandedPiece
{
    private const int CallerDepth = 3;

    private HandedPiece(IParameterSymbol result, IParameterSymbol buffer, bool callersReadEndOfMessage)
    {
        Result = result;
        Buffer = buffer;
        CallersReadEndOfMessage = callersReadEndOfMessage;
    }

    public IParameterSymbol Result { get; }

    public IParameterSymbol Buffer { get; }

    /// <summary>A caller on the way from the receive reads EndOfMessage: it may put the pieces together itself.</summary>
    public bool CallersReadEndOfMessage { get; }

    /// <summary>The result and buffer parameters of a function, when it has exactly one of each (and no count of its own).</summary>
    public static (IParameterSymbol Result, IParameterSymbol Buffer)? Parameters(WebSocketSymbols symbols, IMethodSymbol function)
    {
        IParameterSymbol? result = null, buffer = null;
        foreach (var parameter in function.Parameters)
        {
            if (parameter.RefKind != RefKind.None)
            {
                return null;
            }

            if (symbols.IsReceiveResult(parameter.Type))
            {
                if (result is not null)
                {
                    return null;
                }

                result = parameter;
            }
            else if (symbols.Buffers.IsByteArray(parameter.Type) || symbols.Buffers.IsView(parameter.Type))
            {
                if (buffer is not null)
                {
                    return null;
                }

                buffer = parameter;
            }
            else if (parameter.Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64)
            {
                return null;
            }
        }

        return result is not null && buffer is not null ? (result, buffer) : null;
    }

    /// <summary>
    /// The piece handed to <paramref name="function"/> (whose body is <paramref name="body"/>), or null when it is not
    /// one: no such parameters, the buffer parameter written in the body, or a caller in sight that does not hand
    /// over a buffer it just received into (or none found at all).
    /// </summary>
    public static HandedPiece? Of(WebSocketSymbols symbols, IMethodSymbol function, IOperation body)
    {
        if (Parameters(symbols, function) is not { } parameters
            || body.DescendantsAndSelf().Any(o => o is IAssignmentOperation { Target: IParameterReferenceOperation target }
                && SymbolEqualityComparer.Default.Equals(target.Parameter, parameters.Buffer)))
        {
            return null;
        }

        var verdict = symbols.HandedPieces.GetOrAdd(function.OriginalDefinition, f => Callers(symbols, f, body, parameters.Buffer.Ordinal, CallerDepth));
        return verdict == HandedPieceVerdict.NotAPiece ? null : new HandedPiece(parameters.Result, parameters.Buffer, verdict == HandedPieceVerdict.PieceCallerReadsEnd);
    }

    private static HandedPieceVerdict Callers(WebSocketSymbols symbols, IMethodSymbol function, IOperation? body, int ordinal, int depth)
    {
        var sites = function.MethodKind == MethodKind.AnonymousFunction && body?.Parent is IAnonymousFunctionOperation lambda
            ? LambdaInvocations(symbols, lambda)
            : MethodInvocations(symbols, function);
        if (sites.Count == 0)
        {
            return HandedPieceVerdict.NotAPiece;
        }

        var readsEnd = false;
        foreach (var (call, member) in sites)
        {
            var argument = call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == ordinal);
            if (argument is null || BodyReceives.WholeBuffer(symbols.Buffers, argument.Value) is not { } passed)
            {
                return HandedPieceVerdict.NotAPiece;
            }

            readsEnd |= MentionsEndOfMessage(member.Syntax);
            if (BodyReceives.Collect(symbols, member) is { } receives && receives.LastReceiveInto(passed, call) is not null)
            {
                continue;
            }

            // A caller that forwards the piece it was handed itself.
            if (passed is IParameterSymbol forwarded && depth > 0
                && forwarded.ContainingSymbol is IMethodSymbol caller && caller.MethodKind != MethodKind.AnonymousFunction
                && Parameters(symbols, caller) is { } callerParameters
                && SymbolEqualityComparer.Default.Equals(callerParameters.Buffer, forwarded))
            {
                var up = Callers(symbols, caller, null, forwarded.Ordinal, depth - 1);
                if (up == HandedPieceVerdict.NotAPiece)
                {
                    return HandedPieceVerdict.NotAPiece;
                }

                readsEnd |= up == HandedPieceVerdict.PieceCallerReadsEnd;
                continue;
            }

            return HandedPieceVerdict.NotAPiece;
        }

        return readsEnd ? HandedPieceVerdict.PieceCallerReadsEnd : HandedPieceVerdict.Piece;
    }

    /// <summary>The calls of a method (or of a method it overrides or implements) in the compilation, each with the body it is in.</summary>
    private static List<(IInvocationOperation, IOperation)> MethodInvocations(WebSocketSymbols symbols, IMethodSymbol function)
    {
        var found = new List<(IInvocationOperation, IOperation)>();
        var required = function.Parameters.Count(p => !p.IsOptional && !p.IsParams);
        foreach (var tree in symbols.Compilation.SyntaxTrees)
        {
            AnalysisCancellation.ThrowIfCancellationRequested();
            if (!TreeCalls.TryGetCalls(tree, function.Name, out var calls))
            {
                continue;
            }

            foreach (var syntax in calls)
            {
                // From syntax first: a call with an argument count the method cannot take is not bound.
                var count = syntax.ArgumentList.Arguments.Count;
                if (count < required || count > function.Parameters.Length
                    || symbols.Summaries.SemanticModelFor(tree) is not { } model
                    || model.GetSymbolInfo(syntax).Symbol is not IMethodSymbol target
                    || !Reaches(target.OriginalDefinition, function)
                    || model.GetOperation(MethodSummaries.RootOf(syntax)) is not { } member
                    || member.DescendantsAndSelf().OfType<IInvocationOperation>().FirstOrDefault(i => i.Syntax == syntax) is not { } call)
                {
                    continue;
                }

                found.Add((call, member));
            }
        }

        return found;
    }

    /// <summary>A call of <paramref name="target"/> runs <paramref name="function"/>: the same method, one it overrides, or an interface method it implements.</summary>
    private static bool Reaches(IMethodSymbol target, IMethodSymbol function)
    {
        for (var current = function; current is not null; current = current.OverriddenMethod?.OriginalDefinition)
        {
            if (SymbolEqualityComparer.Default.Equals(current, target))
            {
                return true;
            }
        }

        return target.ContainingType?.TypeKind == TypeKind.Interface
            && function.ContainingType?.FindImplementationForInterfaceMember(target) is IMethodSymbol implementation
            && SymbolEqualityComparer.Default.Equals(implementation.OriginalDefinition, function);
    }

    /// <summary>
    /// A lambda passed straight to a method of the compilation (<c>Receive(ws, async (result, buffer) =&gt; ..)</c>): the
    /// invocations of that delegate parameter in the method's body (the lambda's parameters are the delegate's).
    /// </summary>
    private static List<(IInvocationOperation, IOperation)> LambdaInvocations(WebSocketSymbols symbols, IAnonymousFunctionOperation lambda)
    {
        var found = new List<(IInvocationOperation, IOperation)>();
        var value = (IOperation)lambda;
        while (value.Parent is IDelegateCreationOperation or IConversionOperation)
        {
            value = value.Parent;
        }

        if (value.Parent is not IArgumentOperation { Parameter: { } delegateParameter } argument
            || argument.Parent is not IInvocationOperation { TargetMethod: var method }
            || method.DeclaringSyntaxReferences.FirstOrDefault() is not { } reference
            || symbols.Summaries.SemanticModelFor(reference.SyntaxTree) is not { } model
            || model.GetOperation(MethodSummaries.RootOf(reference.GetSyntax())) is not { } member)
        {
            return found;
        }

        var parameter = delegateParameter.OriginalDefinition;
        foreach (var operation in member.Descendants())
        {
            if (operation is IInvocationOperation { TargetMethod.MethodKind: MethodKind.DelegateInvoke, Instance: { } instance } call
                && instance.WithoutConversions() is IParameterReferenceOperation reference2
                && SymbolEqualityComparer.Default.Equals(reference2.Parameter.OriginalDefinition, parameter))
            {
                found.Add((call, member));
            }
        }

        return found;
    }

    private static bool MentionsEndOfMessage(SyntaxNode member)
        => member.DescendantNodes().Any(n => n is IdentifierNameSyntax { Identifier.ValueText: "EndOfMessage" });
}
