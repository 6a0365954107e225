using System;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace WsAnalyzers.Model;

/// <summary>
/// The text gate in front of <see cref="WebSocketSymbols.Get"/>: every rule reports at, or because of, a call to a
/// socket member named in <see cref="Words"/> (ReceiveAsync, SendAsync, CloseAsync, CloseOutputAsync) or a socket the
/// code creates or accepts (`new ClientWebSocket`, `WebSocket.CreateFromStream`, `AcceptWebSocketAsync`, all of which
/// spell "WebSocket"). A compilation none of whose source files contains one of these words cannot get a diagnostic,
/// so the rules register nothing for it, as if WebSocket were not referenced. Every `net10.0` project references it;
/// this is what keeps WebSocket-free projects at the cost of an empty analyzer. A word in a comment or a string only
/// opens the gate (more work, never fewer results).
/// </summary>
internal static class SourceWords
{
    internal static readonly string[] Words = { "WebSocket", "ReceiveAsync", "SendAsync", "CloseAsync", "CloseOutputAsync" };

    /// <summary>Per tree, so that an edit in the IDE rescans only the trees it changed.</summary>
    private static readonly ConditionalWeakTable<SyntaxTree, StrongBox<bool>> Trees = new();

    public static bool AnyIn(Compilation compilation)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (Trees.GetValue(tree, static t => new StrongBox<bool>(Mentions(t.GetText().ToString()))).Value)
            {
                return true;
            }
        }

        return false;
    }

    internal static bool Mentions(string text)
    {
        foreach (var word in Words)
        {
            if (text.IndexOf(word, StringComparison.Ordinal) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}
