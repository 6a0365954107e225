using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using WsAnalyzers.Flow;

namespace WsAnalyzers.Rules;

/// <summary>A close guarded by State == Open that the close path skips (WS1004).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CloseGuardedByOpenAnalyzer : SocketBodyAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.WS1004CloseGuardedByOpen);

    private protected override bool ClosesToo => true;

    private protected override ImmutableArray<Finding> Select(BodyAnalysis body) => body.OpenGuards;
}
