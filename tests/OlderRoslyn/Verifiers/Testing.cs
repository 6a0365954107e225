// The few types of Microsoft.CodeAnalysis.Testing that the shared rule tests name, re-made without Workspaces.
// Microsoft.CodeAnalysis.Testing needs Microsoft.CodeAnalysis.Workspaces, which the registry here does not serve at the
// older Roslyn versions these tests load (4.3.1), so the older-Roslyn test projects compile the rule tests of
// tests/WsAnalyzers.Tests against these and run them on the plain compiler API (Runner.cs).
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using WsAnalyzers.Tests.Verifiers;

namespace Microsoft.CodeAnalysis.Testing
{
    public sealed record PackageIdentity(string Id, string Version);

    /// <summary>Reference assemblies taken from the NuGet packages folder restore filled (PackageDownload).</summary>
    public sealed class ReferenceAssemblies
    {
        private readonly ImmutableArray<PackageIdentity> packages;

        public ReferenceAssemblies(string targetFramework, PackageIdentity referenceAssemblyPackage, string referenceAssemblyPath)
            : this(targetFramework, ImmutableArray.Create(referenceAssemblyPackage))
        {
            _ = referenceAssemblyPath;
        }

        private ReferenceAssemblies(string targetFramework, ImmutableArray<PackageIdentity> packages)
        {
            TargetFramework = targetFramework;
            this.packages = packages;
        }

        public string TargetFramework { get; }

        public ReferenceAssemblies AddPackages(ImmutableArray<PackageIdentity> more) => new(TargetFramework, packages.AddRange(more));

        /// <summary>The ref/&lt;tfm&gt; DLLs of every package; fails when a package is not in the packages folder.</summary>
        public ImmutableArray<MetadataReference> Resolve()
        {
            var references = ImmutableArray.CreateBuilder<MetadataReference>();
            foreach (var package in packages)
            {
                var folder = Path.Combine(Runner.PackagesFolder, package.Id.ToLowerInvariant(), package.Version, "ref", TargetFramework);
                if (!Directory.Exists(folder))
                {
                    throw new InvalidOperationException($"reference assemblies not restored: {folder} (PackageDownload in the test project)");
                }

                foreach (var dll in Directory.GetFiles(folder, "*.dll").OrderBy(f => f, StringComparer.Ordinal))
                {
                    references.Add(MetadataReference.CreateFromFile(dll));
                }
            }

            return references.ToImmutable();
        }

        public static class Net
        {
            public static ReferenceAssemblies Net80 { get; } = new("net8.0", new PackageIdentity("Microsoft.NETCore.App.Ref", "8.0.0"), Path.Combine("ref", "net8.0"));
        }
    }

    /// <summary>An expected diagnostic placed by a <c>{|#n:...|}</c> marker, optionally with its message.</summary>
    public readonly struct DiagnosticResult
    {
        public DiagnosticResult(DiagnosticDescriptor descriptor)
            : this(descriptor.Id, null, null, descriptor.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
        }

        private DiagnosticResult(string id, int? markupKey, string? message, string? format)
        {
            Id = id;
            MarkupKey = markupKey;
            Message = message;
            Format = format;
        }

        public string Id { get; }

        public int? MarkupKey { get; }

        public string? Message { get; }

        private string? Format { get; }

        public DiagnosticResult WithLocation(int markupKey) => new(Id, markupKey, Message, Format);

        public DiagnosticResult WithMessage(string message) => new(Id, MarkupKey, message, Format);

        /// <summary>The message the descriptor's format gives with these arguments (checked like <see cref="WithMessage"/>).</summary>
        public DiagnosticResult WithArguments(params object[] arguments)
            => new(Id, MarkupKey, Format is null ? Message : string.Format(System.Globalization.CultureInfo.InvariantCulture, Format, arguments), Format);
    }

    public sealed class DefaultVerifier
    {
    }
}

namespace Microsoft.CodeAnalysis.CSharp.Testing
{
    using Microsoft.CodeAnalysis.Testing;

    /// <summary>A fix test reduced to what this flavour can check: the analyzer's diagnostics on <see cref="TestCode"/>.</summary>
    public sealed class CSharpCodeFixTest<TAnalyzer, TCodeFix, TVerifier>
        where TAnalyzer : Diagnostics.DiagnosticAnalyzer, new()
    {
        public string TestCode { get; set; } = "";

        public string FixedCode { get; set; } = "";

        public ReferenceAssemblies? ReferenceAssemblies { get; set; }

        public Task RunAsync() => Runner.VerifyAsync(
            new[] { new TAnalyzer() }, new[] { ("Test0.cs", TestCode) }, ReferenceAssemblies ?? Targets.Net10, LanguageVersionChoice.Latest, null, Array.Empty<DiagnosticResult>());
    }
}
