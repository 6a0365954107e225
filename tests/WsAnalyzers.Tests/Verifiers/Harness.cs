using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace WsAnalyzers.Tests.Verifiers;

/// <summary>
/// Runs every analyzer and every code fix on arbitrary text outside the test framework, collecting analyzer
/// exceptions instead of failing on them: what the reliability tests (fuzzing, fix round-trips, determinism) need.
/// </summary>
public static class Harness
{
    public const string FileName = "Input.cs";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>WSANALYZERS_FUZZ_SCALE (default 1) multiplies the number of fuzz variants per input.</summary>
    public static int Scale { get; } = int.TryParse(Environment.GetEnvironmentVariable("WSANALYZERS_FUZZ_SCALE"), out var s) && s > 0 ? s : 1;

    /// <summary>WSANALYZERS_FUZZ_SEED (default 8, the issue number) seeds every random choice.</summary>
    public static int Seed { get; } = int.TryParse(Environment.GetEnvironmentVariable("WSANALYZERS_FUZZ_SEED"), out var s) ? s : 8;

    private static readonly Lazy<Task<ImmutableArray<MetadataReference>>> References = new(async () =>
        await Targets.Net10.ResolveAsync(LanguageNames.CSharp, CancellationToken.None));

    private static readonly ConcurrentDictionary<bool, Task<Project>> BaseProjects = new();

    /// <summary>An empty project with the .NET 10 and ASP.NET Core references; a program (top-level statements, nullable, the samples' implicit usings) or a library.</summary>
    public static Task<Project> BaseProjectAsync(bool isProgram) => BaseProjects.GetOrAdd(isProgram, async program =>
    {
        var references = await References.Value;
        var workspace = new AdhocWorkspace();
        var options = new CSharpCompilationOptions(program ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: program ? NullableContextOptions.Enable : NullableContextOptions.Disable);
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(), VersionStamp.Default, program ? "Program" : "Library", program ? "Program" : "Library", LanguageNames.CSharp,
            compilationOptions: options,
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            metadataReferences: references));
        if (program)
        {
            project = project.AddDocument("Program.GlobalUsings.g.cs", Corpus.SampleImplicitUsings).Project;
        }

        return project;
    });

    public static async Task<Document> DocumentAsync(string text, bool isProgram, string name = FileName)
        => (await BaseProjectAsync(isProgram)).AddDocument(name, SourceText.From(text), filePath: "/src/" + name);

    public sealed record Analysis(ImmutableArray<Diagnostic> Diagnostics, ImmutableArray<string> Exceptions)
    {
        public IEnumerable<Diagnostic> Ws => Diagnostics.Where(d => d.Id.StartsWith("WS", StringComparison.Ordinal));
    }

    /// <summary>Every analyzer on the document's compilation; compiler diagnostics included when asked.</summary>
    public static async Task<Analysis> AnalyzeAsync(Document document, bool concurrent = false, bool includeCompiler = true, IEnumerable<DiagnosticAnalyzer>? analyzers = null)
    {
        using var cancel = new CancellationTokenSource(Timeout);
        var compilation = (await document.Project.GetCompilationAsync(cancel.Token))!;
        var exceptions = new ConcurrentQueue<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            (exception, analyzer, _) => exceptions.Enqueue($"{analyzer.GetType().Name}: {exception}"),
            concurrentAnalysis: concurrent,
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: false);
        var withAnalyzers = compilation.WithAnalyzers((analyzers ?? AllAnalyzers.Analyzers).ToImmutableArray(), options);
        ImmutableArray<Diagnostic> diagnostics;
        try
        {
            diagnostics = includeCompiler
                ? await withAnalyzers.GetAllDiagnosticsAsync(cancel.Token)
                : await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return new Analysis(ImmutableArray<Diagnostic>.Empty, ImmutableArray.Create($"analysis did not finish within {Timeout.TotalSeconds}s"));
        }

        foreach (var ad0001 in diagnostics.Where(d => d.Id == "AD0001"))
        {
            exceptions.Enqueue(ad0001.GetMessage());
        }

        return new Analysis(diagnostics, exceptions.Distinct().ToImmutableArray());
    }

    /// <summary>The code actions each fix registers for one diagnostic.</summary>
    public static async Task<List<(CodeFixProvider Fix, CodeAction Action)>> ActionsAsync(Document document, Diagnostic diagnostic)
    {
        var actions = new List<(CodeFixProvider, CodeAction)>();
        foreach (var fix in AllAnalyzers.Fixes.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
        {
            var context = new CodeFixContext(document, diagnostic, (action, _) => Collect(actions, fix, action), CancellationToken.None);
            await fix.RegisterCodeFixesAsync(context);
        }

        return actions;
    }

    // CodeAction.NestedCodeActions is internal in Roslyn 4.8; the package's fixes register flat actions.
    private static void Collect(List<(CodeFixProvider, CodeAction)> actions, CodeFixProvider fix, CodeAction action) => actions.Add((fix, action));

    /// <summary>The document as a code action leaves it (null when the action changes no document of this project).</summary>
    public static async Task<Document?> ApplyAsync(Document document, CodeAction action)
    {
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        var solution = operations.OfType<ApplyChangesOperation>().SingleOrDefault()?.ChangedSolution;
        return solution?.GetDocument(document.Id);
    }

    /// <summary>
    /// Fix-all in document scope for one diagnostic ID, with the equivalence key of the first action offered.
    /// Returns the fixed document (the same one when no fix is offered) and how many of the ID's diagnostics were offered a fix.
    /// </summary>
    public static async Task<(Document Fixed, int Offered)> FixAllAsync(Document document, string id)
    {
        var diagnostics = (await AnalyzeAsync(document, includeCompiler: false)).Ws.Where(d => d.Id == id).ToImmutableArray();
        var offered = new List<(CodeFixProvider Fix, CodeAction Action)>();
        foreach (var diagnostic in diagnostics)
        {
            if ((await ActionsAsync(document, diagnostic)).FirstOrDefault() is { Action: not null } first)
            {
                offered.Add(first);
            }
        }

        if (offered.Count == 0 || offered[0].Fix.GetFixAllProvider() is not { } provider)
        {
            return (document, offered.Count);
        }

        var (fix, action) = offered[0];
        var context = new FixAllContext(document, fix, FixAllScope.Document, action.EquivalenceKey, new[] { id },
            new FixedDiagnostics(diagnostics), CancellationToken.None);
        var fixAll = await provider.GetFixAsync(context);
        return (fixAll is null ? document : await ApplyAsync(document, fixAll) ?? document, offered.Count);
    }

    private sealed class FixedDiagnostics : FixAllContext.DiagnosticProvider
    {
        private readonly ImmutableArray<Diagnostic> diagnostics;

        public FixedDiagnostics(ImmutableArray<Diagnostic> diagnostics) => this.diagnostics = diagnostics;

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(Array.Empty<Diagnostic>());
    }

    /// <summary>A stable hash (FNV-1a) so seeds do not depend on the runtime's randomised string hashing.</summary>
    public static int StableHash(string text)
    {
        unchecked
        {
            var hash = 2166136261;
            foreach (var c in text)
            {
                hash = (hash ^ c) * 16777619;
            }

            return (int)hash;
        }
    }

    public static string Describe(Diagnostic d) => $"{d.Id} {d.Location.GetLineSpan().StartLinePosition} {d.GetMessage()}";
}
