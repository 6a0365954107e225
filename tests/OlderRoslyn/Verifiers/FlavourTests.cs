using System.Reflection;
using Microsoft.CodeAnalysis;
using WsAnalyzers.Rules;
using Xunit;

namespace WsAnalyzers.Tests.Verifiers;

/// <summary>The flavour really runs where it claims to, and its verifier fails when the diagnostics differ.</summary>
public class FlavourTests
{
    private static readonly Version Flavour = Version.Parse(typeof(FlavourTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "FlavourRoslynVersion").Value!);

    private const string IgnoresClose = """
        class Client
        {
            async Task Run(WebSocket socket)
            {
                var buffer = new byte[16];
                while (true)
                {
                    var result = await MARK;
                    Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }
            }
        }
        """;

    [Fact]
    public void Tests_run_on_the_flavours_compiler()
    {
        Assert.Equal((Flavour.Major, Flavour.Minor), (Runner.CompilerVersion.Major, Runner.CompilerVersion.Minor));
    }

    [Fact]
    public void Analyzers_under_test_are_built_against_the_flavours_roslyn()
    {
        var referenced = typeof(Descriptors).Assembly.GetReferencedAssemblies().Single(a => a.Name == "Microsoft.CodeAnalysis").Version!;
        Assert.Equal((Flavour.Major, Flavour.Minor), (referenced.Major, referenced.Minor));
    }

    [Fact]
    public Task Verifier_passes_when_the_marker_matches()
        => Verify<ReceiveLoopIgnoresCloseAnalyzer>.DiagnosticsAsync(IgnoresClose.Replace("MARK", "{|WS1001:socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None)|}"));

    [Fact]
    public async Task Verifier_fails_on_a_diagnostic_nobody_marked()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Verify<ReceiveLoopIgnoresCloseAnalyzer>.SilentAsync(
            IgnoresClose.Replace("MARK", "socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None)")));
        Assert.Contains("WS1001", error.Message);
    }

    [Fact]
    public async Task Verifier_fails_on_a_marker_without_a_diagnostic()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => Verify<ReceiveLoopIgnoresCloseAnalyzer>.DiagnosticsAsync(
            "class C { void M() { {|WS1001:System.Console.WriteLine()|}; } }"));
    }

    [Fact]
    public async Task Verifier_fails_on_a_compiler_error()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Verify<ReceiveLoopIgnoresCloseAnalyzer>.SilentAsync("class C { void M() { Missing(); } }"));
        Assert.Contains("CS0103", error.Message);
    }

    [Fact]
    public void Block_namespace_keeps_every_offset()
    {
        const string text = "namespace N.M;\nclass C { }\n";
        var block = Runner.BlockNamespace(text);
        Assert.Equal("namespace N.M{\nclass C { }\n\n}\n", block);
        Assert.Equal(text.IndexOf("class", StringComparison.Ordinal), block.IndexOf("class", StringComparison.Ordinal));
        Assert.Equal("namespace N { }", Runner.BlockNamespace("namespace N { }"));
    }
}
