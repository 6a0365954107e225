using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using WsAnalyzers.Tests.Verifiers;
using Xunit;
using Xunit.Abstractions;

namespace WsAnalyzers.Tests.Reliability;

/// <summary>
/// Fix-all round trips over every fix test's source and the samples. For each WS ID the code reports and a fix
/// offers to fix, fix-all in document scope is applied to the original code; then:
/// <list type="bullet">
/// <item>no compiler error or warning ID occurs more often than before (no new errors, no new warnings);</item>
/// <item>the fixed ID: at most (before − offered) diagnostics remain, where offered counts the diagnostics some
/// fix registered an action for; no other WS ID occurs more often than before (except the known cascades listed
/// in <see cref="KnownCascades"/>, each intended and shown by a test);</item>
/// <item>a second fix-all pass for the ID changes nothing (idempotent);</item>
/// <item>every comment survives (the multiset of comment trivia texts is contained in the fixed code's) and the
/// number of blank lines does not drop.</item>
/// </list>
/// </summary>
public class FixRoundTripTests
{
    private readonly ITestOutputHelper output;

    public FixRoundTripTests(ITestOutputHelper output) => this.output = output;

    /// <summary>The fix tests' sources and the samples; with WSANALYZERS_FUZZ_SCALE of 2 or more, every corpus input too.</summary>
    private static IReadOnlyList<CorpusInput> Inputs { get; } = Harness.Scale >= 2
        ? Corpus.FixCases.Concat(Corpus.All).GroupBy(i => i.Text).Select(g => g.First()).ToList()
        : Corpus.FixCases;

    public static TheoryData<string> Cases() => new(Inputs.Select(c => c.Name));

    [Fact]
    public void Every_fix_test_is_a_case()
        => Assert.True(Corpus.FixCases.Count(c => c.Group.StartsWith("Rules/", StringComparison.Ordinal)) >= 40, "fewer fix-test sources than expected: is the extraction broken?");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Fix_all_compiles_removes_the_diagnostic_is_idempotent_and_keeps_comments(string name)
    {
        var input = Inputs.Single(c => c.Name == name);
        var document = await Harness.DocumentAsync(input.Text, input.IsProgram);
        var before = await Harness.AnalyzeAsync(document);
        Assert.Empty(before.Exceptions);
        var ids = before.Ws.Select(d => d.Id).Distinct().Where(id => AllAnalyzers.Fixes.Any(f => f.FixableDiagnosticIds.Contains(id))).OrderBy(id => id, StringComparer.Ordinal).ToList();
        var problems = new List<string>();
        var changedAny = false;
        foreach (var id in ids)
        {
            var (fixedDocument, offered) = await Harness.FixAllAsync(document, id);
            var original = (await document.GetTextAsync()).ToString();
            var fixedText = (await fixedDocument.GetTextAsync()).ToString();
            output.WriteLine($"{id}: {before.Ws.Count(d => d.Id == id)} reported, {offered} offered a fix, text {(fixedText == original ? "unchanged" : "changed")}");
            if (fixedText == original)
            {
                continue;
            }

            changedAny = true;

            // Judge the text, parsed again, as a build after `dotnet format` would: a tree edited in memory can hold
            // missing tokens that carry no parse error.
            fixedDocument = await Harness.DocumentAsync(fixedText, input.IsProgram);
            var after = await Harness.AnalyzeAsync(fixedDocument);
            problems.AddRange(after.Exceptions.Select(e => $"{id}: analyzer exception on the fixed code: {e}"));

            // Compiler errors and warnings, WS IDs: none may occur more often than before.
            foreach (var group in after.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != id).GroupBy(d => d.Id))
            {
                var was = before.Diagnostics.Count(d => d.Id == group.Key);
                if (group.Count() > was && KnownCascades.Contains((id, group.Key)))
                {
                    output.WriteLine($"known cascade (see {nameof(Awaiting_discarded_work_hands_the_socket_back_to_WS1003)}, {nameof(Disposing_an_open_socket_hands_it_to_WS1010)}): {id} fix-all adds {group.Key}");
                }
                else if (group.Count() > was)
                {
                    problems.Add($"{id}: fix-all adds {group.Key} ({was} -> {group.Count()}): {string.Join("; ", group.Select(Harness.Describe))}");
                }
            }

            var remaining = after.Ws.Count(d => d.Id == id);
            var expectedAtMost = before.Ws.Count(d => d.Id == id) - offered;
            if (remaining > expectedAtMost)
            {
                problems.Add($"{id}: {remaining} remain after fix-all, expected at most {expectedAtMost}: {string.Join("; ", after.Ws.Where(d => d.Id == id).Select(Harness.Describe))}");
            }

            var (secondPass, _) = await Harness.FixAllAsync(fixedDocument, id);
            var secondText = (await secondPass.GetTextAsync()).ToString();
            if (secondText != fixedText)
            {
                problems.Add($"{id}: a second fix-all pass changes the code again:{Environment.NewLine}{secondText}");
            }

            var lostComments = Comments(original).ToList();
            foreach (var comment in Comments(fixedText))
            {
                lostComments.Remove(comment);
            }

            if (lostComments.Count > 0)
            {
                problems.Add($"{id}: fix-all drops comments: {string.Join(" | ", lostComments)}");
            }

            if (BlankLines(fixedText) < BlankLines(original))
            {
                problems.Add($"{id}: fix-all drops blank lines ({BlankLines(original)} -> {BlankLines(fixedText)})");
            }

            if (problems.Count > 0)
            {
                output.WriteLine("Fixed code:" + Environment.NewLine + fixedText);
            }
        }

        if (input.Complete && input.Group.StartsWith("Rules/", StringComparison.Ordinal) && input.Name.Contains(" FixAsync ", StringComparison.Ordinal))
        {
            // A FixAsync test expects a change: its fix must also change the code here (unless a hole of its
            // interpolated source could not be filled when the corpus was read).
            Assert.True(changedAny, $"no fix-all changed {name} (IDs reported: {string.Join(", ", before.Ws.Select(d => d.Id).Distinct())})");
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>(fixed ID, ID that may appear after the fix) pairs that are intended; each has a test below.</summary>
    private static readonly HashSet<(string Fixed, string Appears)> KnownCascades = new() { ("WS1008", "WS1003"), ("WS1003", "WS1010") };

    /// <summary>
    /// Found by the whole-corpus round trip (WSANALYZERS_FUZZ_SCALE=2). Intended: while the handler discards a task
    /// that still uses the socket, WS1003 stays silent, because a `using` in the handler would dispose the socket
    /// under the running work (WS1008 is the diagnosis, and its fix comes first). Once the WS1008 fix awaits the
    /// work, the socket is the handler's alone again and WS1003 rightly reports that nothing disposes it.
    /// </summary>
    [Fact]
    public async Task Awaiting_discarded_work_hands_the_socket_back_to_WS1003()
    {
        const string source = Targets.Usings + """
            using Microsoft.AspNetCore.Http;

            class Handler
            {
                public async Task Handle(HttpContext context)
                {
                    var ws = await context.WebSockets.AcceptWebSocketAsync();
                    _ = Task.Run(async () =>
                    {
                        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, default);
                    });
                }
            }
            """ + Rules.Elsewhere.ReleasesSockets;
        var document = await Harness.DocumentAsync(source, isProgram: false);
        var before = await Harness.AnalyzeAsync(document, includeCompiler: false);
        Assert.Equal(new[] { "WS1008" }, before.Ws.Select(d => d.Id));
        var (fixedDocument, _) = await Harness.FixAllAsync(document, "WS1008");
        var after = await Harness.AnalyzeAsync(await Harness.DocumentAsync((await fixedDocument.GetTextAsync()).ToString(), isProgram: false), includeCompiler: false);
        Assert.Equal(new[] { "WS1003" }, after.Ws.Select(d => d.Id));
    }

    /// <summary>
    /// Intended: a socket nothing disposes is not "disposed while open", so WS1010 stays silent until WS1003's fix adds
    /// the `using`; then the end of that scope disposes a socket that may still be Open, and WS1010 asks for the close.
    /// </summary>
    [Fact]
    public async Task Disposing_an_open_socket_hands_it_to_WS1010()
    {
        const string source = Targets.Usings + """
            class Client
            {
                async Task Run(Uri uri, CancellationToken ct)
                {
                    var ws = new ClientWebSocket();
                    await ws.ConnectAsync(uri, ct);
                }
            }
            """;
        var document = await Harness.DocumentAsync(source, isProgram: false);
        var before = await Harness.AnalyzeAsync(document, includeCompiler: false);
        Assert.Equal(new[] { "WS1003" }, before.Ws.Select(d => d.Id));
        var (fixedDocument, _) = await Harness.FixAllAsync(document, "WS1003");
        var after = await Harness.AnalyzeAsync(await Harness.DocumentAsync((await fixedDocument.GetTextAsync()).ToString(), isProgram: false), includeCompiler: false);
        Assert.Equal(new[] { "WS1010" }, after.Ws.Select(d => d.Id));
    }

    private static IEnumerable<string> Comments(string text)
        => CSharpSyntaxTree.ParseText(text).GetRoot().DescendantTrivia(descendIntoTrivia: true)
            .Where(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia)
                || t.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) || t.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia))
            .Select(t => t.ToFullString().Trim());

    private static int BlankLines(string text) => text.Split('\n').Count(l => string.IsNullOrWhiteSpace(l));
}
