using WsAnalyzers.Tests.Verifiers;
using Xunit;

namespace WsAnalyzers.Tests.Meta;

/// <summary>Every analyzer stays silent on code it has no business with, and on the correct programs in tests/ValidCode.</summary>
public class SilenceTests
{
    public static TheoryData<string> ValidCodeFiles() => new(
        Directory.GetFiles(Repository.PathOf("tests", "ValidCode"), "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Repository.PathOf("tests", "ValidCode"), f))
            .OrderBy(f => f, StringComparer.Ordinal));

    [Fact]
    public Task Empty_file() => AllAnalyzers.VerifyAsync(new[] { ("Empty.cs", "") }, Targets.Net10);

    [Fact]
    public Task File_without_websockets() => AllAnalyzers.VerifyAsync(
        new[] { ("Plain.cs", "using System.IO; class C { void M() { using var s = new MemoryStream(); s.WriteByte(1); } }") },
        Targets.Net10);

    [Fact]
    public void ValidCode_is_not_empty() => Assert.NotEmpty(ValidCodeFiles());

    [Theory]
    [MemberData(nameof(ValidCodeFiles))]
    public async Task ValidCode_on_net10(string file)
        => await AllAnalyzers.VerifyAsync(new[] { (file, File.ReadAllText(Repository.PathOf("tests", "ValidCode", file))) }, Targets.Net10);

    [Theory]
    [MemberData(nameof(ValidCodeFiles))]
    public async Task ValidCode_on_net8(string file)
        => await AllAnalyzers.VerifyAsync(new[] { (file, File.ReadAllText(Repository.PathOf("tests", "ValidCode", file))) }, Targets.Net8);
}
