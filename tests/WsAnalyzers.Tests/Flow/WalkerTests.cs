using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using WsAnalyzers.Flow;
using WsAnalyzers.Model;
using WsAnalyzers.Tests.Verifiers;
using Xunit;

namespace WsAnalyzers.Tests.Flow;

/// <summary>
/// The close walk (<c>CloseWalker</c>, with the evaluator that decides conditions on the Close path), the summaries of
/// sockets kept in collections, and the handed-piece verdict, asked directly rather than through a rule's diagnostics.
/// </summary>
public class WalkerTests
{
    private static async Task<(WebSocketSymbols Symbols, CSharpCompilation Compilation)> CompileAsync(string text)
    {
        var references = await Targets.Net10.ResolveAsync(LanguageNames.CSharp, CancellationToken.None);
        var tree = CSharpSyntaxTree.ParseText(Targets.Usings + "using System.Collections.Generic;\nusing System.Collections.Concurrent;\n" + text,
            new CSharpParseOptions(LanguageVersion.Latest), "/src/File.cs");
        var compilation = CSharpCompilation.Create("Walker", new[] { tree }, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return (WebSocketSymbols.Get(compilation)!, compilation);
    }

    /// <summary>The walk from the single receive of method <paramref name="name"/>.</summary>
    private static async Task<WalkResult> WalkAsync(string text, string name = "Run")
    {
        var (symbols, compilation) = await CompileAsync(text);
        var tree = compilation.SyntaxTrees.Single();
        var method = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.ValueText == name);
        var body = BodyAnalysis.ForSyntax(symbols, method);
        Assert.NotNull(body);
        return Assert.Single(body!.Walks).Walk;
    }

    private static string Loop(string onClose, string members = "") => $$"""
        class Server
        {
            private readonly List<WebSocket> _sockets = new();
            {{members}}

            async Task Run(WebSocket ws, CancellationToken ct)
            {
                var buffer = new byte[1024];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                var text = Encoding.UTF8.GetString(buffer, 0, result.Count);
                {{onClose}}
            }
        }
        """;

    [Fact]
    public async Task A_return_leaves_the_close_unanswered()
    {
        var walk = await WalkAsync(Loop("return;"));
        Assert.False(walk.Acknowledged);
        Assert.False(walk.Escapes);
        Assert.Contains(walk.Unacknowledged, e => e.Kind == ExitKind.Return);
    }

    [Fact]
    public async Task A_close_output_acknowledges()
    {
        var walk = await WalkAsync(Loop("await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);"));
        Assert.True(walk.Acknowledged);
        Assert.Empty(walk.Unacknowledged);
    }

    [Fact]
    public async Task The_evaluator_decides_a_test_of_the_close_payload()
    {
        // The Close's payload decodes to "", so only the branch that answers is walked.
        var walk = await WalkAsync(Loop("""
            if (string.IsNullOrEmpty(text))
                    {
                        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                        return;
                    }

                    Console.WriteLine(text);
            """));
        Assert.True(walk.Acknowledged);
        Assert.Empty(walk.Unacknowledged);
    }

    [Fact]
    public async Task The_evaluator_decides_a_state_test_in_close_received()
    {
        // In CloseReceived the socket is not Open: the guarded close is skipped and recorded as a guard.
        var walk = await WalkAsync(Loop("""
            if (ws.State == WebSocketState.Open)
                    {
                        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                    }
            """));
        Assert.False(walk.Acknowledged);
        Assert.Contains(walk.Unacknowledged, e => e.Kind == ExitKind.Return);
        Assert.NotEmpty(walk.OpenGuards);
    }

    [Fact]
    public async Task A_library_list_neither_answers_nor_takes_the_socket()
    {
        var walk = await WalkAsync(Loop("_sockets.Remove(ws);\n        _sockets.Add(ws);\n        return;"));
        Assert.False(walk.Escapes);
        Assert.Contains(walk.Unacknowledged, e => e.Kind == ExitKind.Return);
    }

    [Fact]
    public async Task A_list_whose_type_closes_a_socket_it_picks_from_it_takes_the_socket()
    {
        var walk = await WalkAsync(Loop("_sockets.Add(ws);\n        return;", """
            public async Task Close(int hash)
                {
                    foreach (var socket in _sockets)
                    {
                        if (socket.GetHashCode() == hash)
                        {
                            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                        }
                    }
                }
            """));
        Assert.True(walk.Escapes);
    }

    [Fact]
    public async Task A_list_whose_type_only_closes_them_all_at_shutdown_does_not_take_the_socket()
    {
        var walk = await WalkAsync(Loop("_sockets.Add(ws);\n        return;", """
            public async Task CloseAll()
                {
                    foreach (var socket in _sockets)
                    {
                        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    }
                }
            """));
        Assert.False(walk.Escapes);
        Assert.Contains(walk.Unacknowledged, e => e.Kind == ExitKind.Return);
    }

    [Fact]
    public async Task A_handler_given_the_close_result_takes_the_path()
    {
        // (With `OnClose?.Invoke(result)` the path where no handler is attached goes on: that return is unanswered.)
        var walk = await WalkAsync(Loop("_onClose(result);", "private readonly Action<WebSocketReceiveResult> _onClose = _ => { };"));
        Assert.True(walk.Escapes);
        Assert.Empty(walk.Unacknowledged);
    }

    private const string Managed = """
        class Manager
        {
            private readonly ConcurrentDictionary<string, WebSocket> _sockets = new();

            public string Add(WebSocket socket)
            {
                var id = Guid.NewGuid().ToString();
                _sockets.TryAdd(id, socket);
                return id;
            }

            public async Task RemoveSocket(string id)
            {
                _sockets.TryRemove(id, out var socket);
                await socket!.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }

            public Task Remove(string id) => RemoveSocket(id);

            public void Forget(string id) => _sockets.TryRemove(id, out _);

            public async Task RemoveIfOpen(string id)
            {
                if (_sockets.TryRemove(id, out var socket) && socket.State == WebSocketState.Open)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }
            }

            public async Task RemoveUnlessClosed(string id)
            {
                _sockets.TryRemove(id, out var socket);
                if (socket!.State != WebSocketState.Open)
                {
                    return;
                }

                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }

            public async Task Own(WebSocket given) => await given.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }

        class Plain
        {
            public async Task Close(WebSocket given) => await given.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);

            public async Task Accepted(Microsoft.AspNetCore.Http.HttpContext context)
            {
                var ws = await context.WebSockets.AcceptWebSocketAsync();
                await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
        }
        """;

    [Fact]
    public async Task Summaries_tell_a_manager_that_closes_sockets_it_looks_up()
    {
        var (symbols, compilation) = await CompileAsync(Managed);
        var manager = compilation.GetTypeByMetadataName("Manager")!;
        var plain = compilation.GetTypeByMetadataName("Plain")!;
        IMethodSymbol Method(INamedTypeSymbol type, string name) => type.GetMembers(name).OfType<IMethodSymbol>().Single();
        var summaries = symbols.Summaries;

        Assert.True(summaries.KeepsSockets(manager));
        Assert.False(summaries.KeepsSockets(plain));
        Assert.True(summaries.MayCloseAnotherSocket(Method(manager, "RemoveSocket")));
        Assert.True(summaries.MayCloseAnotherSocket(Method(manager, "Remove")), "through a method of its type it calls");
        Assert.False(summaries.MayCloseAnotherSocket(Method(manager, "Forget")));
        Assert.False(summaries.MayCloseAnotherSocket(Method(manager, "RemoveIfOpen")), "its close runs only while Open");
        Assert.False(summaries.MayCloseAnotherSocket(Method(manager, "RemoveUnlessClosed")), "it returns unless Open");
        Assert.False(summaries.MayCloseAnotherSocket(Method(manager, "Own")), "it closes the socket it is given");
        Assert.False(summaries.MayCloseAnotherSocket(Method(plain, "Accepted")), "a type that keeps no sockets");
        Assert.True(summaries.ClosesKeptSockets(manager));
        Assert.False(summaries.ClosesKeptSockets(plain));
    }

    private const string Handed = """
        abstract class Handler
        {
            public abstract Task OnPiece(WebSocketReceiveResult result, byte[] buffer);
        }

        class Loop
        {
            private readonly Handler _handler;

            public Loop(Handler handler) => _handler = handler;

            public async Task Run(WebSocket ws)
            {
                var buffer = new byte[1024];
                var result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
                await _handler.OnPiece(result, buffer);
                Forward(result, buffer);
                Assembled(result, buffer.AsSpan(0, result.Count).ToArray());
                if (result.EndOfMessage)
                {
                    Checked(result, buffer);
                }
            }

            private void Forward(WebSocketReceiveResult result, byte[] buffer) => Inner(result, buffer);

            private void Inner(WebSocketReceiveResult result, byte[] buffer) { }

            private void Assembled(WebSocketReceiveResult result, byte[] message) { }

            private void Checked(WebSocketReceiveResult result, byte[] buffer) { }

            private void Uncalled(WebSocketReceiveResult result, byte[] buffer) { }
        }

        class Chat : Handler
        {
            public override Task OnPiece(WebSocketReceiveResult result, byte[] buffer) => Task.CompletedTask;
        }
        """;

    [Fact]
    public async Task Handed_pieces_are_told_from_callers_in_sight()
    {
        var (symbols, compilation) = await CompileAsync(Handed);
        HandedPiece? Of(string type, string name)
        {
            var method = compilation.GetTypeByMetadataName(type)!.GetMembers(name).OfType<IMethodSymbol>().Single();
            var syntax = method.DeclaringSyntaxReferences.Single().GetSyntax();
            var body = compilation.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax)!;
            return HandedPiece.Of(symbols, method, body);
        }

        Assert.NotNull(Of("Chat", "OnPiece"));
        Assert.NotNull(Of("Loop", "Forward"));
        Assert.NotNull(Of("Loop", "Inner"));
        Assert.Null(Of("Loop", "Assembled"));
        Assert.Null(Of("Loop", "Uncalled"));

        // Run reads EndOfMessage: every piece handed on from it may be assembled somewhere.
        Assert.True(Of("Loop", "Checked")!.CallersReadEndOfMessage);
        Assert.True(Of("Chat", "OnPiece")!.CallersReadEndOfMessage);
    }
}
