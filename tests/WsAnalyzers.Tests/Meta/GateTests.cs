using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using WsAnalyzers.Model;
using WsAnalyzers.Tests.Verifiers;
using Xunit;

namespace WsAnalyzers.Tests.Meta;

/// <summary>
/// The compilation gate: a project that references System.Net.WebSockets (every net10.0 project does) but whose
/// sources never spell a word a rule needs gets nothing registered beyond compilation start; one word anywhere opens
/// it, and a socket that only arrives through `var` from another assembly is still analysed.
/// </summary>
public class GateTests
{
    private const string Plain = """
        using System.IO;
        using System.Net.Http;
        using System.Threading.Tasks;
        class C
        {
            async Task<int> M(HttpClient client)
            {
                using var stream = new MemoryStream();
                await stream.WriteAsync(new byte[] { 1 });
                var text = await client.GetStringAsync("http://localhost/");
                return text.Length;
            }
        }
        """;

    [Fact]
    public async Task WebSocket_free_code_registers_nothing_beyond_compilation_start()
    {
        var counts = await RegisteredActionsAsync(Plain);
        Assert.All(counts, c => Assert.Equal(0, c.Actions));
        Assert.All(counts, c => Assert.Equal(1, c.Starts));
    }

    public static TheoryData<string> Words() => new(SourceWords.Words);

    [Theory]
    [MemberData(nameof(Words))]
    public async Task One_word_in_any_file_opens_the_gate(string word)
    {
        var counts = await RegisteredActionsAsync(Plain, "// " + word + "\nclass D { }\n");
        Assert.All(counts, c => Assert.True(c.Actions > 0, $"{c.Analyzer} registered nothing although a file says {word}"));
    }

    [Fact]
    public async Task A_socket_from_another_assembly_used_through_var_is_still_analysed()
    {
        // The library is the only place that spells WebSocket; the program only says ReceiveAsync.
        var library = await EmitAsync("""
            namespace Lib
            {
                public static class Sockets
                {
                    public static System.Threading.Tasks.Task<System.Net.WebSockets.ClientWebSocket> OpenAsync()
                        => System.Threading.Tasks.Task.FromResult(new System.Net.WebSockets.ClientWebSocket());
                }
            }
            """);
        var document = (await Harness.DocumentAsync("""
            using System;
            using System.Threading.Tasks;
            class Reader
            {
                static async Task Read()
                {
                    var ws = await Lib.Sockets.OpenAsync();
                    var buffer = new byte[1024];
                    while (true)
                    {
                        var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), default);
                        Console.WriteLine(result.Count);
                    }
                }
            }
            """, isProgram: false)).Project.AddMetadataReference(library).Documents.Single(d => d.Name == Harness.FileName);
        var analysis = await Harness.AnalyzeAsync(document, includeCompiler: false);
        Assert.Empty(analysis.Exceptions);
        Assert.Contains(analysis.Ws, d => d.Id == "WS1001");
    }

    private const string SocketBase = """
        using System.Net.WebSockets;
        public abstract class FeedBase
        {
            protected ClientWebSocket? _ws = new ClientWebSocket();
        }
        """;

    /// <summary>A file that spells no socket word: its types get no body actions unless they may touch a socket.</summary>
    private const string Ordinary = """
        public sealed class Numbers
        {
            public int Twice(int x) => x * 2;
        }

        public sealed class Feed : FeedBase
        {
            public void Stop() => _ws = null;
        }

        public sealed class Cleaner : System.IDisposable
        {
            private readonly System.IO.Stream _stream = new System.IO.MemoryStream();
            public void Dispose() => _stream.Dispose();
        }
        """;

    [Theory]
    [InlineData("Numbers", false, false)]
    [InlineData("Feed", false, true)]
    [InlineData("Cleaner", false, true)]
    [InlineData("FeedBase", true, true)]
    public async Task Types_of_files_without_socket_words_get_body_actions_only_when_they_may_touch_a_socket(string type, bool receiving, bool creating)
    {
        var project = (await Harness.BaseProjectAsync(isProgram: false)).AddDocument("Base.cs", SocketBase).Project.AddDocument("Ordinary.cs", Ordinary).Project;
        var compilation = (await project.GetCompilationAsync())!;
        var symbol = compilation.GetTypeByMetadataName(type)!;

        // The receive, send and close rules: only types whose files spell a socket word.
        Assert.Equal(receiving, WsAnalyzers.Rules.SocketBlocks.TypeMayMatter(symbol, createOrRelease: false));

        // The creation rules also take a type that inherits a socket member or calls Dispose/Abort by name.
        Assert.Equal(creating, WsAnalyzers.Rules.SocketBlocks.TypeMayMatter(symbol, createOrRelease: true));
    }

    [Theory]
    [InlineData("System.Console.WriteLine(1);", false)]
    [InlineData("var ws = new System.Net.WebSockets.ClientWebSocket();\nSystem.Console.WriteLine(ws.State);", true)]
    public async Task The_top_level_program_is_gated_by_the_file_of_its_statements(string statements, bool expected)
    {
        var document = await Harness.DocumentAsync(statements + "\n", isProgram: true);
        var compilation = (await document.Project.GetCompilationAsync())!;
        var program = compilation.GetEntryPoint(CancellationToken.None)!.ContainingType;
        Assert.Equal(expected, WsAnalyzers.Rules.SocketBlocks.TypeMayMatter(program, createOrRelease: false));
    }

    [Fact]
    public async Task A_socket_member_cleared_in_a_file_without_socket_words_is_still_reported()
    {
        // The inherited field is cleared in Ordinary.cs, which spells no socket word: WS1003 still sees it.
        var project = (await Harness.BaseProjectAsync(isProgram: false)).AddDocument("Base.cs", SocketBase).Project.AddDocument("Ordinary.cs", Ordinary).Project;
        var analysis = await Harness.AnalyzeAsync(project.Documents.Single(d => d.Name == "Ordinary.cs"), includeCompiler: false);
        Assert.Empty(analysis.Exceptions);
        Assert.Contains(analysis.Ws, d => d.Id == "WS1003" && d.Location.SourceTree!.FilePath.EndsWith("Ordinary.cs", StringComparison.Ordinal));
    }

    private static async Task<MetadataReference> EmitAsync(string source)
    {
        var project = await Harness.BaseProjectAsync(isProgram: false);
        var compilation = CSharpCompilation.Create("Lib", new[] { CSharpSyntaxTree.ParseText(source) }, project.MetadataReferences,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return MetadataReference.CreateFromImage(image.ToArray());
    }

    private static async Task<List<(string Analyzer, int Starts, int Actions)>> RegisteredActionsAsync(params string[] sources)
    {
        var project = await Harness.BaseProjectAsync(isProgram: false);
        for (var i = 0; i < sources.Length; i++)
        {
            project = project.AddDocument($"File{i}.cs", sources[i]).Project;
        }

        var compilation = (await project.GetCompilationAsync())!;
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.NotNull(compilation.GetTypeByMetadataName("System.Net.WebSockets.WebSocket"));
        var withAnalyzers = compilation.WithAnalyzers(AllAnalyzers.Analyzers, new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
        Assert.Empty(await withAnalyzers.GetAnalyzerDiagnosticsAsync());
        var counts = new List<(string, int, int)>();
        foreach (var analyzer in AllAnalyzers.Analyzers)
        {
            var t = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None);
            var actions = t.CompilationActionsCount + t.CompilationEndActionsCount + t.SyntaxTreeActionsCount + t.SemanticModelActionsCount
                + t.SymbolActionsCount + t.SymbolStartActionsCount + t.SymbolEndActionsCount + t.SyntaxNodeActionsCount
                + t.CodeBlockStartActionsCount + t.CodeBlockEndActionsCount + t.CodeBlockActionsCount + t.OperationActionsCount
                + t.OperationBlockStartActionsCount + t.OperationBlockEndActionsCount + t.OperationBlockActionsCount + t.AdditionalFileActionsCount;
            counts.Add((analyzer.GetType().Name, t.CompilationStartActionsCount, actions));
        }

        return counts;
    }
}
