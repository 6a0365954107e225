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

    public static bool AnyIn(Compilation compilation)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (In(tree))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether one tree spells one of <see cref="Words"/> (as part of any word: `ClientWebSocket` spells `WebSocket`).
    /// Per tree (kept with <see cref="Flow.TreeWords"/>), so that an edit in the IDE rescans only the trees it changed.</summary>
    public static bool In(SyntaxTree tree) => Flow.TreeWords.SpellsSocketWord(tree);

    /// <summary>Whether <paramref name="text"/> holds one of <see cref="Words"/>: two ordinal scans ("WebSocket", then each "Async" and what precedes it) instead of one per word.</summary>
    internal static bool Mentions(string text)
    {
        if (text.IndexOf("WebSocket", StringComparison.Ordinal) >= 0)
        {
            return true;
        }

        for (var at = text.IndexOf("Async", StringComparison.Ordinal); at >= 0; at = text.IndexOf("Async", at + 5, StringComparison.Ordinal))
        {
            if (EndsAt(text, at, "Receive") || EndsAt(text, at, "Send") || EndsAt(text, at, "Close") || EndsAt(text, at, "CloseOutput"))
            {
                return true;
            }
        }

        return false;
    }

    private static bool EndsAt(string text, int at, string word)
        => at >= word.Length && string.CompareOrdinal(text, at - word.Length, word, 0, word.Length) == 0;
}
