using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using WsAnalyzers.Flow;
using WsAnalyzers.Model;
using Xunit;

namespace WsAnalyzers.Tests.Flow;

/// <summary>
/// The per-tree call index that lets a body be skipped from syntax (<c>SocketBlocks</c>): which bodies call a name a
/// socket call can have.
/// </summary>
public class TreeCallsTests
{
    private const string Source = """
        class C
        {
            void Before() { System.Console.WriteLine(1); }
            async System.Threading.Tasks.Task Receive(System.Net.WebSockets.WebSocket ws) { await ws.ReceiveAsync(new byte[1], default); }
            void Between() { var s = new System.IO.MemoryStream(); s.Flush(); }
            void Disposes(System.IDisposable d) { d?.Dispose(); }
            void After() { System.Console.WriteLine(2); }
        }
        """;

    [Theory]
    [InlineData("Before", false)]
    [InlineData("Receive", true)]
    [InlineData("Between", false)]
    [InlineData("Disposes", true)]
    [InlineData("After", false)]
    public void A_body_is_kept_only_when_it_calls_a_socket_call_name(string method, bool expected)
    {
        var tree = CSharpSyntaxTree.ParseText(Source);
        var body = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.ValueText == method);
        Assert.Equal(expected, TreeCalls.AnyCallWithin(tree, body.Span, WebSocketSymbols.SocketCallNames));
    }
}
