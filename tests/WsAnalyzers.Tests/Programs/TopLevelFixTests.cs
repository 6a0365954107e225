using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using WsAnalyzers.CodeFixes;
using WsAnalyzers.Rules;
using WsAnalyzers.Tests.Verifiers;
using Xunit;

namespace WsAnalyzers.Tests.Programs;

/// <summary>
/// Fixes in a program of top-level statements (samples/ChatClient is one), compiled as an executable. Kept out of
/// Rules/ because the older-Roslyn verifiers compile only library code.
/// </summary>
public class TopLevelFixTests
{
    [Fact]
    public Task Handles_the_close_of_a_top_level_receive_loop_with_break() => FixAsync<ReceiveLoopIgnoresCloseAnalyzer, HandleCloseMessageFix>("""
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri("ws://localhost:5000/echo"), CancellationToken.None);
        var buffer = new byte[1024];
        while (true)
        {
            var result = await {|WS1001:socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None)|};
            Console.WriteLine(result.Count);
        }
        """, """
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri("ws://localhost:5000/echo"), CancellationToken.None);
        var buffer = new byte[1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (socket.State == WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, CancellationToken.None);
                }

                break;
            }

            Console.WriteLine(result.Count);
        }
        """);

    [Fact]
    public Task Offers_no_break_or_return_when_a_top_level_statement_returns_an_exit_code() => FixAsync<ReceiveLoopIgnoresCloseAnalyzer, HandleCloseMessageFix>("""
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri("ws://localhost:5000/echo"), CancellationToken.None);
        if (args.Length > 0)
        {
            return 1;
        }

        var buffer = new byte[1024];
        while (true)
        {
            var result = await {|WS1001:socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None)|};
            Console.WriteLine(result.Count);
        }
        """, null);

    [Fact]
    public Task Assembles_the_message_in_a_top_level_receive_loop() => FixAsync<FragmentsTreatedAsMessagesAnalyzer, AssembleMessageFix>("""
        using var socket = new ClientWebSocket();
        var buffer = new byte[1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
            Console.WriteLine({|WS1005:Encoding.UTF8.GetString(buffer, 0, result.Count)|});
        }
        """, """
        using var socket = new ClientWebSocket();
        var buffer = new byte[1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
            var count = result.Count;
            while (!result.EndOfMessage)
            {
                if (count == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, count, buffer.Length - count), CancellationToken.None);
                count += result.Count;
            }

            Console.WriteLine(Encoding.UTF8.GetString(buffer, 0, count));
        }
        """);

    /// <summary>Applies the fix (one at a time and fix-all); a null <paramref name="fixedSource"/> means no fix may be offered.</summary>
    private static async Task FixAsync<TAnalyzer, TFix>(string source, string? fixedSource)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TFix, DefaultVerifier>
        {
            TestCode = Targets.Usings + source,
            FixedCode = Targets.Usings + (fixedSource ?? source),
            ReferenceAssemblies = Targets.Net10,
        };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.FixedState.OutputKind = OutputKind.ConsoleApplication;
        await test.RunAsync();
    }
}
