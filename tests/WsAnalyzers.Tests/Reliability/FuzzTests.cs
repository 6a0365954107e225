using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using WsAnalyzers.Tests.Verifiers;
using Xunit;
using Xunit.Abstractions;

namespace WsAnalyzers.Tests.Reliability;

/// <summary>
/// Half-typed code must never crash an analyzer or a fix. Every corpus input (<see cref="Corpus"/>) is cut at token
/// boundaries (evenly spread and random cut points) and mutated (random tokens deleted or duplicated); every variant
/// is analysed by every analyzer, and every code action offered for a WS diagnostic is computed and applied; the
/// applied text, parsed again, must have no more parse errors than the variant.
/// A failure names the seed and the smallest text (tokens deleted while it still fails) that reproduces it.
/// WSANALYZERS_FUZZ_SCALE=10 makes a ten times larger run; WSANALYZERS_FUZZ_SEED picks another seed.
/// </summary>
public class FuzzTests
{
    private readonly ITestOutputHelper output;

    public FuzzTests(ITestOutputHelper output) => this.output = output;

    public static TheoryData<string> Groups() => new(Corpus.Groups);

    /// <summary>Evenly spread prefix cuts, random prefix cuts and token mutants per input, times the scale.</summary>
    public static int EvenCuts => 3 * Harness.Scale;

    public static int RandomCuts => 1 * Harness.Scale;

    public static int Mutants => 3 * Harness.Scale;

    [Fact]
    public void Corpus_holds_the_rule_tests_valid_code_and_samples()
    {
        Assert.True(Corpus.All.Count(i => i.Group.StartsWith("Rules/", StringComparison.Ordinal)) > 150, "fewer rule-test sources than expected: is the extraction broken?");
        Assert.Contains(Corpus.All, i => i.Group.StartsWith("ValidCode/", StringComparison.Ordinal));
        var samplePrograms = Directory.GetFiles(Repository.PathOf("samples"), "Program.cs", SearchOption.AllDirectories).Length;
        Assert.True(samplePrograms >= 2, "the samples are missing");
        Assert.Equal(samplePrograms, Corpus.All.Count(i => i.Group.StartsWith("samples/", StringComparison.Ordinal)));
        Assert.DoesNotContain(Corpus.All, i => i.Text.Contains("{|WS", StringComparison.Ordinal) || i.Text.Contains("[|", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Groups))]
    public async Task Analyzers_and_fixes_never_throw_on_half_typed_code(string group)
    {
        var inputs = Corpus.All.Where(i => i.Group == group).ToList();
        var variants = inputs.SelectMany(i => Variants(i, Harness.Seed)).ToList();
        var failures = new ConcurrentBag<(Variant Variant, string Failure)>();
        var withWs = 0;
        var actions = 0;
        await Parallel.ForEachAsync(variants, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (variant, _) =>
        {
            var result = await CheckAsync(variant.Text, variant.Input.IsProgram);
            if (result.WsDiagnostics > 0)
            {
                Interlocked.Increment(ref withWs);
            }

            Interlocked.Add(ref actions, result.Actions);
            if (result.Failure is not null)
            {
                failures.Add((variant, result.Failure));
            }
        });

        output.WriteLine($"{group}: {inputs.Count} inputs, {variants.Count} variants (seed {Harness.Seed}, scale {Harness.Scale}), {withWs} with WS diagnostics, {actions} code actions applied, {failures.Count} failures");
        if (failures.IsEmpty)
        {
            return;
        }

        var first = failures.OrderBy(f => f.Variant.Text.Length).First();
        var smallest = await ShrinkAsync(first.Variant.Text, first.Variant.Input.IsProgram);
        var again = await CheckAsync(smallest, first.Variant.Input.IsProgram);
        Assert.Fail($"""
            {failures.Count} of {variants.Count} variants failed (WSANALYZERS_FUZZ_SEED={Harness.Seed}, WSANALYZERS_FUZZ_SCALE={Harness.Scale}).
            First: {first.Variant.Input.Name}, {first.Variant.Kind}
            {first.Failure}
            Smallest input that still fails:
            ----
            {smallest}
            ----
            {again.Failure}
            """);
    }

    public sealed record Variant(CorpusInput Input, string Kind, string Text);

    public sealed record Result(string? Failure, int WsDiagnostics, int Actions);

    /// <summary>The input's prefixes and mutants; the same seed gives the same variants.</summary>
    public static IEnumerable<Variant> Variants(CorpusInput input, int seed)
    {
        var random = new Random(seed ^ Harness.StableHash(input.Name));
        var text = input.Text;
        var tokens = Tokens(text);
        if (tokens.Count == 0)
        {
            yield break;
        }

        var cuts = new SortedSet<int>();
        for (var k = 1; k <= EvenCuts; k++)
        {
            cuts.Add((int)((long)k * tokens.Count / (EvenCuts + 1)));
        }

        for (var k = 0; k < RandomCuts; k++)
        {
            cuts.Add(random.Next(tokens.Count));
        }

        foreach (var cut in cuts)
        {
            yield return new Variant(input, $"prefix through token {cut} of {tokens.Count}", text[..tokens[cut].End]);
        }

        for (var m = 0; m < Mutants; m++)
        {
            var edits = Enumerable.Range(0, random.Next(1, 4))
                .Select(_ => (Token: tokens[random.Next(tokens.Count)], Duplicate: random.Next(2) == 0))
                .DistinctBy(e => e.Token.Start)
                .OrderByDescending(e => e.Token.Start)
                .ToList();
            var mutant = text;
            foreach (var (token, duplicate) in edits)
            {
                mutant = duplicate
                    ? mutant.Insert(token.End, " " + text[token.Start..token.End])
                    : mutant.Remove(token.Start, token.Length);
            }

            yield return new Variant(input, "mutant: " + string.Join(", ", edits.Select(e => $"{(e.Duplicate ? "duplicated" : "deleted")} '{text[e.Token.Start..e.Token.End]}' at {e.Token.Start}")), mutant);
        }
    }

    private static List<Microsoft.CodeAnalysis.Text.TextSpan> Tokens(string text)
        => CSharpSyntaxTree.ParseText(text).GetRoot().DescendantTokens()
            .Where(t => !t.IsKind(SyntaxKind.EndOfFileToken) && t.Span.Length > 0)
            .Select(t => t.Span)
            .ToList();

    /// <summary>Analyses the text with every analyzer, then computes and applies every code action offered for its WS diagnostics.</summary>
    public static async Task<Result> CheckAsync(string text, bool isProgram)
    {
        var document = await Harness.DocumentAsync(text, isProgram);
        Harness.Analysis analysis;
        try
        {
            analysis = await Harness.AnalyzeAsync(document, includeCompiler: false);
        }
        catch (Exception e)
        {
            return new Result("analysis threw " + e, 0, 0);
        }

        if (!analysis.Exceptions.IsEmpty)
        {
            return new Result("analyzer exception: " + string.Join(Environment.NewLine, analysis.Exceptions), 0, 0);
        }

        var ws = analysis.Ws.ToList();
        var applied = 0;
        foreach (var diagnostic in ws)
        {
            try
            {
                foreach (var (fix, action) in await Harness.ActionsAsync(document, diagnostic))
                {
                    try
                    {
                        var fixedDocument = await Harness.ApplyAsync(document, action);
                        applied++;
                        if (fixedDocument is not null && SyntaxErrors((await fixedDocument.GetTextAsync()).ToString()) > SyntaxErrors(text))
                        {
                            return new Result($"{fix.GetType().Name} '{action.Title}' adds a syntax error fixing {Harness.Describe(diagnostic)}:{Environment.NewLine}{await fixedDocument.GetTextAsync()}", ws.Count, applied);
                        }
                    }
                    catch (Exception e)
                    {
                        return new Result($"{fix.GetType().Name} '{action.Title}' threw applying its fix for {Harness.Describe(diagnostic)}: {e}", ws.Count, applied);
                    }
                }
            }
            catch (Exception e)
            {
                return new Result($"a fix threw registering for {Harness.Describe(diagnostic)}: {e}", ws.Count, applied);
            }
        }

        return new Result(null, ws.Count, applied);
    }

    /// <summary>Parse errors of the text parsed afresh (a fix must not make half-typed code worse).</summary>
    private static int SyntaxErrors(string text)
        => CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Latest)).GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>Deletes runs of tokens (halving the run length down to single tokens) while the text still fails.</summary>
    public static async Task<string> ShrinkAsync(string text, bool isProgram, int budget = 400)
    {
        for (var chunk = Math.Max(1, Tokens(text).Count / 2); chunk >= 1; chunk /= 2)
        {
            var progress = true;
            while (progress && budget > 0)
            {
                progress = false;
                var tokens = Tokens(text);
                for (var start = tokens.Count - chunk; start >= 0 && budget > 0; start -= chunk)
                {
                    var from = tokens[start].Start;
                    var to = tokens[Math.Min(tokens.Count - 1, start + chunk - 1)].End;
                    var candidate = text.Remove(from, to - from);
                    budget--;
                    if ((await CheckAsync(candidate, isProgram)).Failure is not null)
                    {
                        text = candidate;
                        progress = true;
                        break;
                    }
                }
            }

            if (chunk == 1)
            {
                break;
            }
        }

        return text;
    }
}
