using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using WsAnalyzers.Model;
using WsAnalyzers.Rules;
using WsAnalyzers.Tests.Verifiers;
using Xunit;

namespace WsAnalyzers.Tests.Flow;

/// <summary>
/// Finding the callers of a method (<c>MethodSummaries.CallSites</c>) asked directly: which same-named calls are bound
/// to check them, and when the answer is marked incomplete because too many calls could not be told apart from syntax.
/// </summary>
public class CallSitesTests
{
    private const string Ticker = """
        public class Ticker
        {
            private readonly ClientWebSocket _ws = new();

            public async Task ListenAsync(CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var r = await _ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (r.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }

                    Console.WriteLine(r.Count);
                }
            }

            // A close a caller could call after ListenAsync returns: whether one does is the callers' question.
            public Task StopAsync() => _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);

            private void Log(string text) => Console.WriteLine(text);
        }
        """;

    /// <summary>A file that calls a ListenAsync of another type and never names Ticker; <paramref name="n"/> keeps the types apart.</summary>
    private static string Unrelated(int n) => $$"""
        public class Radio{{n}}
        {
            public Task ListenAsync(CancellationToken ct) => Task.CompletedTask;

            public Task Tune(CancellationToken ct) => new Radio{{n}}().ListenAsync(ct);

            private void Log(string text) => Console.WriteLine(text + "{{n}}");

            public void Say() => Log("on");
        }
        """;

    private const string Caller = """
        public static class Runner
        {
            public static async Task Run(CancellationToken ct)
            {
                var ticker = new Ticker();
                await ticker.ListenAsync(ct);
            }
        }
        """;

    private static async Task<(WebSocketSymbols Symbols, CSharpCompilation Compilation)> CompileAsync(params string[] files)
    {
        var references = await Targets.Net10.ResolveAsync(LanguageNames.CSharp, CancellationToken.None);
        var trees = files.Select((text, i) => CSharpSyntaxTree.ParseText(Targets.Usings + text, new CSharpParseOptions(LanguageVersion.Latest), $"/src/File{i}.cs"));
        var compilation = CSharpCompilation.Create("CallSites", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return (WebSocketSymbols.Get(compilation)!, compilation);
    }

    private static IMethodSymbol Method(Compilation compilation, string type, string name)
        => compilation.GetTypeByMetadataName(type)!.GetMembers(name).OfType<IMethodSymbol>().Single();

    [Fact]
    public async Task Finds_the_call_in_a_file_that_names_the_type()
    {
        var (symbols, compilation) = await CompileAsync(Ticker, Caller);
        var listen = Method(compilation, "Ticker", "ListenAsync");
        var site = Assert.Single(symbols.Summaries.CallSites(listen));
        Assert.Equal("Run", site.Body.Graphs[0].Owner.Name);
        Assert.True(symbols.Summaries.AllCallSitesKnown(listen));
    }

    [Fact]
    public async Task Binds_a_few_same_named_calls_elsewhere_and_keeps_the_answer_complete()
    {
        var (symbols, compilation) = await CompileAsync([Ticker, Caller, .. Enumerable.Range(0, 4).Select(Unrelated)]);
        var listen = Method(compilation, "Ticker", "ListenAsync");
        Assert.Single(symbols.Summaries.CallSites(listen));
        Assert.True(symbols.Summaries.AllCallSitesKnown(listen));
    }

    [Fact]
    public async Task Many_same_named_calls_in_files_that_never_name_the_type_leave_the_answer_incomplete()
    {
        var (symbols, compilation) = await CompileAsync([Ticker, Caller, .. Enumerable.Range(0, 6).Select(Unrelated)]);
        var listen = Method(compilation, "Ticker", "ListenAsync");
        Assert.Single(symbols.Summaries.CallSites(listen));
        Assert.False(symbols.Summaries.AllCallSitesKnown(listen));
    }

    /// <summary>
    /// A public static loop its own class calls by simple name (taking one argument, as the unrelated ListenAsync calls
    /// do): the file that declares the class counts as naming it.
    /// </summary>
    private const string SelfCalling = """
        public static class Server
        {
            public static async Task ListenAsync(WebSocket ws)
            {
                var buffer = new byte[1024];
                var r = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                Console.WriteLine(r.Count);
            }

            public static async Task Serve(Uri uri, CancellationToken ct)
            {
                using var ws = new ClientWebSocket();
                await ws.ConnectAsync(uri, ct);
                await ListenAsync(ws);
            }
        }
        """;

    [Fact]
    public async Task Finds_a_call_by_simple_name_in_the_declaring_file_among_many_same_named_calls()
    {
        var (symbols, compilation) = await CompileAsync([SelfCalling, .. Enumerable.Range(0, 6).Select(Unrelated)]);
        var listen = Method(compilation, "Server", "ListenAsync");
        var site = Assert.Single(symbols.Summaries.CallSites(listen));
        Assert.Equal("Serve", site.Body.Graphs[0].Owner.Name);

        // The six other ListenAsync calls were too many to bind: found, the caller is; complete, the answer is not.
        Assert.False(symbols.Summaries.AllCallSitesKnown(listen));
    }

    [Fact]
    public async Task A_private_method_is_only_looked_for_in_its_own_type()
    {
        var (symbols, compilation) = await CompileAsync([Ticker, .. Enumerable.Range(0, 6).Select(Unrelated)]);
        var log = Method(compilation, "Ticker", "Log");
        Assert.Empty(symbols.Summaries.CallSites(log));
        Assert.True(symbols.Summaries.AllCallSitesKnown(log));
        var radioLog = Method(compilation, "Radio0", "Log");
        Assert.Single(symbols.Summaries.CallSites(radioLog));
    }

    /// <summary>
    /// The rule's consequence: a loop of a type that creates its socket, with no caller in sight, is WS1002; when calls too
    /// many to bind may hide its caller, it is left alone rather than reported on a guess.
    /// </summary>
    [Theory]
    [InlineData(0, 1)]
    [InlineData(4, 1)]
    [InlineData(6, 0)]
    public async Task A_loop_without_a_caller_in_sight_is_reported_only_when_every_call_was_checked(int unrelated, int expected)
    {
        var (_, compilation) = await CompileAsync([Ticker, .. Enumerable.Range(0, unrelated).Select(Unrelated)]);
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new CloseNotAcknowledgedAnalyzer());
        var diagnostics = await compilation.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync();
        Assert.Equal(expected, diagnostics.Count(d => d.Id == "WS1002"));
    }

    /// <summary>Without the StopAsync no code can answer the socket at all: the callers, in sight or not, do not matter.</summary>
    [Fact]
    public async Task A_loop_whose_socket_nothing_can_answer_is_reported_whatever_its_callers()
    {
        var ticker = Ticker.Replace("public Task StopAsync() => _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);", "");
        var (_, compilation) = await CompileAsync([ticker, .. Enumerable.Range(0, 6).Select(Unrelated)]);
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new CloseNotAcknowledgedAnalyzer());
        var diagnostics = await compilation.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync();
        Assert.Equal(1, diagnostics.Count(d => d.Id == "WS1002"));
    }
}
