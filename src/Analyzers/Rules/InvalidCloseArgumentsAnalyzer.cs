using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using WsAnalyzers.Model;

namespace WsAnalyzers.Rules;

/// <summary>A CloseAsync/CloseOutputAsync whose constant status or description the runtime or the peer rejects (WS1007).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InvalidCloseArgumentsAnalyzer : SocketCallAnalyzer
{
    /// <summary>Diagnostic property: which problem was found (<see cref="EmptyStatus"/>, <see cref="InvalidStatus"/>, <see cref="LongDescription"/>).</summary>
    public const string KindProperty = "Kind";
    public const string EmptyStatus = "EmptyStatus";
    public const string InvalidStatus = "InvalidStatus";
    public const string LongDescription = "LongDescription";

    /// <summary>The longest description the runtime accepts, in UTF-8 bytes (a close payload is at most 125 bytes, 2 of them the code).</summary>
    public const int MaxDescriptionBytes = 123;

    private const int EmptyCode = 1005;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.WS1007InvalidCloseArguments);

    private protected override void Analyze(WebSocketSymbols symbols, IInvocationOperation invocation, SocketCall kind, OperationAnalysisContext context)
    {
        if (kind is not (SocketCall.Close or SocketCall.CloseOutput) || symbols.CloseStatus is null)
        {
            return;
        }

        IArgumentOperation? status = null;
        IArgumentOperation? description = null;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is null || argument.ArgumentKind != ArgumentKind.Explicit)
            {
                continue;
            }

            if (SymbolEqualityComparer.Default.Equals(argument.Parameter.Type, symbols.CloseStatus))
            {
                status = argument;
            }
            else if (argument.Parameter.Type.SpecialType == SpecialType.System_String)
            {
                description = argument;
            }
        }

        var descriptionText = description?.Value.ConstantValue is { HasValue: true, Value: string text } ? text : null;
        if (status?.Value.ConstantValue is { HasValue: true, Value: int code })
        {
            var message = code switch
            {
                EmptyCode when !string.IsNullOrEmpty(descriptionText) =>
                    "WebSocketCloseStatus.Empty with a description throws ArgumentException, and Empty (1005) is illegal on the wire: send NormalClosure",
                EmptyCode => "WebSocketCloseStatus.Empty (1005) is illegal on the wire and the peer fails the connection: send NormalClosure",
                (>= 0 and <= 999) or 1006 or 1015 => $"Close status {code} throws ArgumentException: send 1000-1003, 1007-1014 or 3000-4999",
                (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999) => null,
                _ => $"Close status {code} is illegal on the wire and the peer fails the connection: send 1000-1003, 1007-1014 or 3000-4999",
            };
            if (message is not null)
            {
                Report(context, status.Value, code == EmptyCode ? EmptyStatus : InvalidStatus, message);
            }
        }

        if (descriptionText is not null)
        {
            var bytes = Encoding.UTF8.GetByteCount(descriptionText);
            if (bytes > MaxDescriptionBytes)
            {
                Report(context, description!.Value, LongDescription,
                    $"This close description is {bytes} UTF-8 bytes: CloseAsync and CloseOutputAsync throw ArgumentException above {MaxDescriptionBytes}");
            }
        }
    }

    private static void Report(OperationAnalysisContext context, IOperation at, string kind, string message)
        => context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.WS1007InvalidCloseArguments,
            at.Syntax.GetLocation(),
            ImmutableDictionary<string, string?>.Empty.Add(KindProperty, kind),
            message));

    /// <summary>The longest prefix of <paramref name="text"/> that fits the limit without splitting a surrogate pair.</summary>
    public static string TruncateToUtf8Bytes(string text, int maxBytes)
    {
        var bytes = 0;
        var i = 0;
        while (i < text.Length)
        {
            var width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(text.Substring(i, width));
            if (bytes + size > maxBytes)
            {
                break;
            }

            bytes += size;
            i += width;
        }

        return text.Substring(0, i);
    }
}
