using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace WsAnalyzers.Flow;

/// <summary>
/// Which words a syntax tree's text may hold, as a Bloom filter of its identifier-shaped runs (letters, digits, `_`),
/// made in one pass over the characters and kept as long as the tree lives. "No" is certain, "yes" may be wrong, so
/// it stands in front of the syntax walks of <see cref="TreeCalls"/>: a tree that cannot name a method is never
/// walked for its calls. A command-line build then walks only the trees that mention what is asked, and an editor's
/// next compilation rescans only the edited document. 1 KiB per tree.
/// </summary>
internal static class TreeWords
{
    private const int Bits = 8192;

    private static readonly ConditionalWeakTable<SyntaxTree, Entry> Entries = new();

    /// <summary>Whether the tree spells one of <see cref="Model.SourceWords.Words"/>, even inside a longer word.</summary>
    public static bool SpellsSocketWord(SyntaxTree tree) => Entries.GetValue(tree, Build).SocketWords;

    private static readonly string[] ReleaseWordList = { "Dispose", "Abort", "CreateFromStream", "CreateClientWebSocket" };

    /// <summary>Whether the tree spells Dispose, Abort or a socket factory's name (anywhere, even inside a longer word); asked only of trees that spell no socket word.</summary>
    public static bool SpellsReleaseWord(SyntaxTree tree) => Entries.GetValue(tree, Build).ReleaseWords(tree);

    /// <summary>Whether <paramref name="tree"/> may spell <paramref name="word"/> as a whole identifier-shaped word.</summary>
    public static bool MayContain(SyntaxTree tree, string word)
    {
        var filter = Entries.GetValue(tree, Build).Filter(tree);
        var hash = 2166136261u;
        foreach (var c in word)
        {
            hash = Step(hash, c);
        }

        return Has(filter, hash);
    }

    /// <summary>Whether <paramref name="tree"/> may spell any of <paramref name="words"/>.</summary>
    public static bool MayContainAny(SyntaxTree tree, string[] words)
    {
        foreach (var word in words)
        {
            if (MayContain(tree, word))
            {
                return true;
            }
        }

        return false;
    }

    private static Entry Build(SyntaxTree tree)
        => new(Model.SourceWords.Mentions(tree.GetText(AnalysisCancellation.Token).ToString()));

    private static ulong[] BuildFilter(SyntaxTree tree)
    {
        var filter = new ulong[Bits / 64];
        var text = tree.GetText(AnalysisCancellation.Token).ToString();
        var hash = 2166136261u;
        var inWord = false;
        foreach (var c in text)
        {
            if (c < 128 ? IsAsciiWordChar(c) : char.IsLetterOrDigit(c))
            {
                hash = inWord ? Step(hash, c) : Step(2166136261u, c);
                inWord = true;
            }
            else if (inWord)
            {
                Set(filter, hash);
                inWord = false;
            }
        }

        if (inWord)
        {
            Set(filter, hash);
        }

        return filter;
    }

    private static bool IsAsciiWordChar(char c)
        => (uint)((c | 0x20) - 'a') <= 'z' - 'a' || (uint)(c - '0') <= 9 || c == '_';

    /// <summary>The gate's answer at once (the compilation gate asks it of every tree); the filter when first asked.</summary>
    private sealed class Entry
    {
        private ulong[]? _filter;

        private int _releaseWords; // 0 not yet asked, 1 no, 2 yes

        public Entry(bool socketWords) => SocketWords = socketWords;

        public bool SocketWords { get; }

        public bool ReleaseWords(SyntaxTree tree)
        {
            if (_releaseWords == 0)
            {
                var text = tree.GetText(AnalysisCancellation.Token).ToString();
                _releaseWords = System.Array.Exists(ReleaseWordList, w => text.IndexOf(w, System.StringComparison.Ordinal) >= 0) ? 2 : 1;
            }

            return _releaseWords == 2;
        }

        public ulong[] Filter(SyntaxTree tree) => _filter ??= BuildFilter(tree);
    }

    /// <summary>FNV-1a over UTF-16 code units.</summary>
    private static uint Step(uint hash, char c) => (hash ^ c) * 16777619u;

    private static void Set(ulong[] filter, uint hash)
    {
        var (first, second) = Positions(hash);
        filter[first >> 6] |= 1UL << (first & 63);
        filter[second >> 6] |= 1UL << (second & 63);
    }

    private static bool Has(ulong[] filter, uint hash)
    {
        var (first, second) = Positions(hash);
        return (filter[first >> 6] & (1UL << (first & 63))) != 0 && (filter[second >> 6] & (1UL << (second & 63))) != 0;
    }

    private static (int, int) Positions(uint hash)
    {
        var mixed = (hash ^ (hash >> 15)) * 2246822519u;
        return ((int)(hash % Bits), (int)((mixed ^ (mixed >> 13)) % Bits));
    }
}
