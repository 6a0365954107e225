using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using WsAnalyzers.Flow;

namespace WsAnalyzers.Rules;

/// <summary>A receive loop whose Close result is treated as data or received past (WS1001).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ReceiveLoopIgnoresCloseAnalyzer : SocketBodyAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.WS1001ReceiveLoopIgnoresClose);

    private protected override bool ThroughReceiveHelpers => true;

    private protected override ImmutableArray<Finding> Select(BodyAnalysis body) => body.IgnoredClose;
}
