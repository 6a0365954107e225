using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Testing;

namespace WsAnalyzers.Tests.Verifiers;

/// <summary>Reference assemblies the tests compile against, resolved from the packages restore downloaded.</summary>
public static class Targets
{
    public static ReferenceAssemblies Net10 { get; } =
        new ReferenceAssemblies("net10.0", new PackageIdentity("Microsoft.NETCore.App.Ref", "10.0.12"), Path.Combine("ref", "net10.0"))
            .AddPackages(ImmutableArray.Create(new PackageIdentity("Microsoft.AspNetCore.App.Ref", "10.0.12")));

    public static ReferenceAssemblies Net8 { get; } =
        ReferenceAssemblies.Net.Net80.AddPackages(ImmutableArray.Create(new PackageIdentity("Microsoft.AspNetCore.App.Ref", "8.0.0")));

    /// <summary>Usings every test source may rely on, so examples read like real files.</summary>
    public const string Usings = """
        using System;
        using System.Net.WebSockets;
        using System.Text;
        using System.Threading;
        using System.Threading.Tasks;

        """;
}
