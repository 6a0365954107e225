using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using WsAnalyzers.Flow;

namespace WsAnalyzers.Rules;

/// <summary>A received Close that some path never answers with CloseOutputAsync or CloseAsync (WS1002).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CloseNotAcknowledgedAnalyzer : SocketBodyAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.WS1002CloseNotAcknowledged);

    private protected override ImmutableArray<Finding> Select(BodyAnalysis body) => body.Unacknowledged;
}
