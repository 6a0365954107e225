using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using WsAnalyzers.Tests.Verifiers;
using Xunit;

namespace WsAnalyzers.Tests.Reliability;

/// <summary>
/// A project that references another project of the solution as a compilation (as an IDE does for project references):
/// the other project's methods are source symbols whose syntax is not part of the analysed compilation. Asking for a
/// semantic model of such a tree throws; the analysis must treat them as code out of sight.
/// </summary>
public class ProjectReferenceTests
{
    private const string Library = """
        public static class Pumps
        {
            public static async Task Pump(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                while (true)
                {
                    var r = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (r.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }
                }
            }

            public static void Keep(WebSocket ws) => Registry.Sockets.Add(ws);

            public static Task Stop(WebSocket ws) => ws.State == WebSocketState.Open
                ? ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None)
                : Task.CompletedTask;
        }

        public static class Registry
        {
            public static readonly System.Collections.Generic.List<WebSocket> Sockets = new();
        }

        public class Connection
        {
            public ClientWebSocket Socket { get; } = new();

            public bool IsOpen => Socket.State == WebSocketState.Open;

            public Task SendAsync(string text) => Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        """;

    private const string App = """
        public class Client : IDisposable
        {
            private readonly ClientWebSocket _ws = new();
            private readonly Connection _connection = new();

            public async Task RunAsync(Uri uri, CancellationToken ct)
            {
                await _ws.ConnectAsync(uri, ct);
                await Pumps.Pump(_ws, ct);
                var buffer = new byte[1024];
                var r = await _ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    await Pumps.Stop(_ws);
                    return;
                }

                while (_connection.IsOpen)
                {
                    var m = await _connection.Socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                    if (m.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }
                }
            }

            public async Task Accept(System.Net.HttpListenerContext context)
            {
                var ws = (await context.AcceptWebSocketAsync(null)).WebSocket;
                Pumps.Keep(ws);
                _ = _connection.SendAsync("hello");
            }

            public void Dispose() => _ws.Dispose();

            // Wholly in this project: WS1002 (the peer's close is never answered).
            public static async Task Echo(System.Net.HttpListenerContext context)
            {
                using var ws = (await context.AcceptWebSocketAsync(null)).WebSocket;
                var buffer = new byte[1024];
                while (true)
                {
                    var r = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                    if (r.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }
                }
            }
        }
        """;

    [Fact]
    public async Task Analysers_do_not_throw_on_methods_of_a_referenced_project()
    {
        var references = await Targets.Net10.ResolveAsync(LanguageNames.CSharp, CancellationToken.None);
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary);
        var library = CSharpCompilation.Create("Library", [CSharpSyntaxTree.ParseText(Targets.Usings + Library, parse, "/lib/Library.cs")], references, options);
        Assert.Empty(library.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var app = CSharpCompilation.Create("App", [CSharpSyntaxTree.ParseText(Targets.Usings + App, parse, "/app/App.cs")],
            references.Add(library.ToMetadataReference()), options);
        Assert.Empty(app.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var exceptions = new ConcurrentQueue<string>();
        var withAnalyzers = app.WithAnalyzers(AllAnalyzers.Analyzers, new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            (exception, analyzer, _) => exceptions.Enqueue($"{analyzer.GetType().Name}: {exception.GetType().Name}: {exception.Message}"),
            concurrentAnalysis: false, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: false));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        Assert.Empty(exceptions);
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        Assert.Contains(diagnostics, d => d.Id == "WS1002");
    }
}
