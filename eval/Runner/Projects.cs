using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace WsAnalyzers.Eval;

internal sealed class Settings
{
    public List<string> Manifests { get; } = [];
    public string Mirror { get; set; } = Environment.GetEnvironmentVariable("WSEVAL_MIRROR") is { Length: > 0 } m ? m : "/work/.mirror";
    public string Cache { get; set; } = Path.Combine(Path.GetTempPath(), "wseval-trees");
    public bool Restore { get; set; }
    public int RestoreTimeoutSeconds { get; set; } = 300;
    public bool Fresh { get; set; }
    public string? Output { get; set; }
    public bool Verbose { get; set; }
    public bool CheckOnly { get; set; }
    public string? Export { get; set; }
}

/// <summary>Runs a process with a time limit; returns (exit code or -1 on timeout, combined output).</summary>
internal static class Proc
{
    public static (int Code, string Output) Run(string file, IEnumerable<string> args, string? cwd = null, int timeoutSeconds = 600,
        IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        if (cwd != null)
        {
            psi.WorkingDirectory = cwd;
        }

        if (env != null)
        {
            foreach (var (k, v) in env)
            {
                psi.Environment[k] = v;
            }
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            try
            {
                p.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }

            return (-1, "timed out");
        }

        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}

/// <summary>Extracts a commit's tree from the mirror store.</summary>
internal static partial class Trees
{
    public static string FindGitDir(string mirror, string repo, string commit)
    {
        var root = Path.Combine(mirror, repo.Replace('/', '+'));
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"{repo}: no {root}; fetch it first (see eval/README.md)");
        }

        var candidates = new List<string> { root };
        candidates.AddRange(Directory.GetDirectories(root));
        candidates.AddRange(Directory.GetDirectories(root).SelectMany(Directory.GetDirectories));
        foreach (var c in candidates)
        {
            if (Proc.Run("git", ["-C", c, "cat-file", "-e", commit + "^{commit}"], timeoutSeconds: 60).Code == 0)
            {
                return c;
            }
        }

        throw new InvalidOperationException($"{repo}: commit {commit} not found in any git dir under {root}");
    }

    public static string Extract(Settings s, string repo, string commit)
    {
        var dir = Path.Combine(s.Cache, $"{repo.Replace('/', '+')}@{commit[..Math.Min(12, commit.Length)]}");
        var done = Path.Combine(dir, ".wseval-extracted");
        if (File.Exists(done) && !s.Fresh)
        {
            return dir;
        }

        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        Directory.CreateDirectory(dir);
        var git = FindGitDir(s.Mirror, repo, commit);
        var tar = Path.Combine(s.Cache, $"{Path.GetFileName(dir)}.tar");
        var (code, output) = Proc.Run("git", ["-C", git, "archive", "--format=tar", "-o", tar, commit], timeoutSeconds: 900);
        if (code != 0)
        {
            // Snapshots lack files of 4 MiB and more (images, generated specs): copy the sources and build files one by one.
            ExtractSources(git, commit, dir);
            File.WriteAllText(done, commit);
            return dir;
        }

        if (code != 0)
        {
            throw new InvalidOperationException($"git archive {repo}@{commit}: {output}");
        }

        (code, output) = Proc.Run("tar", ["-xf", tar, "-C", dir], timeoutSeconds: 900);
        File.Delete(tar);
        if (code != 0)
        {
            throw new InvalidOperationException($"tar {repo}@{commit}: {output}");
        }

        File.WriteAllText(done, commit);
        return dir;
    }
}

internal static partial class Trees
{
    private static readonly string[] SourceExtensions = [".cs", ".csproj", ".props", ".targets"];

    /// <summary>Every source and build file of a commit, read from the object store; blobs the snapshot lacks are skipped.</summary>
    public static void ExtractSources(string git, string commit, string dir)
    {
        var (code, listing) = Proc.Run("git", ["-C", git, "ls-tree", "-r", "--name-only", commit], timeoutSeconds: 300);
        if (code != 0)
        {
            throw new InvalidOperationException($"git ls-tree {commit}: {listing}");
        }

        foreach (var path in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!SourceExtensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var (ok, text) = Proc.Run("git", ["-C", git, "show", $"{commit}:{path}"], timeoutSeconds: 60);
            if (ok != 0)
            {
                continue;
            }

            var target = Path.Combine(dir, path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, text);
        }
    }
}

/// <summary>What a project compiled to, with what went wrong on the way.</summary>
internal sealed class Built
{
    public required CSharpCompilation Compilation { get; init; }
    public required string Root { get; init; }
    public List<string> Notes { get; } = [];
    public int Files { get; set; }
    public int PackageReferences { get; set; }
    public int ProjectReferences { get; set; }
}

/// <summary>Builds a CSharpCompilation from a .csproj without MSBuild: its folder's .cs files, net10.0 + ASP.NET Core
/// reference assemblies, optionally restored package DLLs, and referenced projects compiled the same way.</summary>
internal sealed class ProjectBuilder(Settings settings, ImmutableArray<MetadataReference> framework)
{
    private readonly Dictionary<string, Built> _done = new(StringComparer.Ordinal);
    private List<MetadataReference> _packages = [];
    private readonly HashSet<string> _frameworkNames = framework
        .Select(r => Path.GetFileNameWithoutExtension(r.Display ?? ""))
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static readonly string[] Symbols = BuildSymbols();

    private static string[] BuildSymbols()
    {
        var s = new List<string> { "NET", "NETCOREAPP", "NET10_0", "RELEASE", "TRACE" };
        s.AddRange(Enumerable.Range(5, 6).Select(v => $"NET{v}_0_OR_GREATER"));
        s.AddRange(["NETCOREAPP1_0_OR_GREATER", "NETCOREAPP1_1_OR_GREATER", "NETCOREAPP2_0_OR_GREATER", "NETCOREAPP2_1_OR_GREATER",
            "NETCOREAPP2_2_OR_GREATER", "NETCOREAPP3_0_OR_GREATER", "NETCOREAPP3_1_OR_GREATER", "NETSTANDARD2_1_OR_GREATER",
            "NETSTANDARD2_0_OR_GREATER", "NETSTANDARD1_0_OR_GREATER"]);
        return s.ToArray();
    }

    public Built Build(string root, string csproj, int depth = 0)
    {
        var full = Path.GetFullPath(Path.Combine(root, csproj));
        if (_done.TryGetValue(full, out var known))
        {
            return known;
        }

        var notes = new List<string>();
        XDocument doc;
        try
        {
            doc = XDocument.Load(full);
        }
        catch (Exception e) when (e is IOException or System.Xml.XmlException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{csproj}: {e.Message}");
        }

        var dir = Path.GetDirectoryName(full)!;
        var props = CollectProperties(root, dir, doc);
        var files = SourceFiles(root, dir, doc, notes);
        var parse = new CSharpParseOptions(LanguageVersion.Preview, DocumentationMode.None, SourceCodeKind.Regular,
            Symbols.Concat(Split(Prop(props, "DefineConstants"))).Distinct());
        var trees = new List<SyntaxTree>();
        foreach (var f in files)
        {
            var rel = Path.GetRelativePath(root, f).Replace('\\', '/');
            trees.Add(CSharpSyntaxTree.ParseText(SourceText.From(File.ReadAllText(f), System.Text.Encoding.UTF8), parse, rel));
        }

        var usings = GlobalUsings(doc, props, root, dir);
        if (usings.Count > 0)
        {
            trees.Add(CSharpSyntaxTree.ParseText(string.Concat(usings.Select(u => $"global using {u};\n")), parse, "wseval.GlobalUsings.g.cs"));
        }

        var references = new List<MetadataReference>(framework);
        if (settings.Restore && depth == 0)
        {
            _packages = RestoredPackages(full, notes).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
        }

        // The top project's restore lists the packages of the projects it references too.
        references.AddRange(_packages);
        var packages = _packages.Count;

        var projectRefs = 0;
        foreach (var pr in doc.Descendants().Where(e => e.Name.LocalName == "ProjectReference"))
        {
            var include = pr.Attribute("Include")?.Value;
            if (include is null || depth >= 6)
            {
                continue;
            }

            var target = Path.GetFullPath(Path.Combine(dir, include.Replace('\\', '/').Replace("$(MSBuildThisFileDirectory)", "")));
            if (!File.Exists(target) || !target.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
            {
                notes.Add($"project reference not found or not C#: {include}");
                continue;
            }

            try
            {
                var child = Build(root, Path.GetRelativePath(root, target), depth + 1);
                references.Add(child.Compilation.ToMetadataReference());
                projectRefs++;
            }
            catch (Exception e) when (e is InvalidOperationException or IOException)
            {
                notes.Add($"project reference {include}: {e.Message}");
            }
        }

        var nullable = Prop(props, "Nullable")?.ToLowerInvariant() switch
        {
            "enable" => NullableContextOptions.Enable,
            "warnings" => NullableContextOptions.Warnings,
            "annotations" => NullableContextOptions.Annotations,
            _ => NullableContextOptions.Disable,
        };
        var options = new CSharpCompilationOptions(OutputKindOf(props), nullableContextOptions: nullable, allowUnsafe: true,
            concurrentBuild: true);
        var name = Prop(props, "AssemblyName") ?? Path.GetFileNameWithoutExtension(full);
        var compilation = CSharpCompilation.Create(name, trees, references, options);
        var built = new Built { Compilation = compilation, Root = root, Files = files.Count, PackageReferences = packages, ProjectReferences = projectRefs };
        built.Notes.AddRange(notes);
        _done[full] = built;
        return built;
    }

    /// <summary>
    /// What a build makes of the project: <c>OutputType</c> Exe or WinExe is an application (so is a Web or Worker SDK
    /// project that does not say otherwise); anything else a library. The analyzers treat a library's public API as
    /// reachable by code out of sight, an application's not.
    /// </summary>
    private static OutputKind OutputKindOf(Dictionary<string, string> props)
        => Prop(props, "OutputType")?.ToLowerInvariant() switch
        {
            "exe" => OutputKind.ConsoleApplication,
            "winexe" => OutputKind.WindowsApplication,
            "library" => OutputKind.DynamicallyLinkedLibrary,
            _ => Prop(props, "wseval.Sdk") is { } sdk && (sdk.Contains("Web", StringComparison.OrdinalIgnoreCase) || sdk.Contains("Worker", StringComparison.OrdinalIgnoreCase))
                ? OutputKind.ConsoleApplication
                : OutputKind.DynamicallyLinkedLibrary,
        };

    private static IEnumerable<string> Split(string? s) =>
        (s ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(x => !x.Contains('$'));

    private static string? Prop(Dictionary<string, string> props, string name) => props.TryGetValue(name, out var v) ? v : null;

    /// <summary>Properties of the project and the Directory.Build.props files above it (last one wins; no conditions evaluated).</summary>
    private static Dictionary<string, string> CollectProperties(string root, string dir, XDocument doc)
    {
        var docs = new List<XDocument>();
        for (var d = dir; d != null && d.StartsWith(root, StringComparison.Ordinal); d = Path.GetDirectoryName(d))
        {
            var p = Path.Combine(d, "Directory.Build.props");
            if (File.Exists(p))
            {
                try
                {
                    docs.Insert(0, XDocument.Load(p));
                }
                catch (System.Xml.XmlException)
                {
                }
            }
        }

        docs.Add(doc);
        var props = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var d in docs)
        {
            foreach (var e in d.Descendants().Where(e => e.Parent?.Name.LocalName == "PropertyGroup"))
            {
                var v = e.Value.Trim();
                if (e.Name.LocalName == "DefineConstants" && props.TryGetValue("DefineConstants", out var before))
                {
                    v = v.Replace("$(DefineConstants)", before);
                }

                props[e.Name.LocalName] = v;
            }

            if (d.Root?.Attribute("Sdk")?.Value is { } sdk)
            {
                props["wseval.Sdk"] = sdk;
            }
        }

        return props;
    }

    private static List<string> GlobalUsings(XDocument doc, Dictionary<string, string> props, string root, string dir)
    {
        var list = new List<string>();
        if (Prop(props, "ImplicitUsings") is "enable" or "true")
        {
            list.AddRange(["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading",
                "System.Threading.Tasks"]);
            if (Prop(props, "wseval.Sdk") is { } sdk && sdk.Contains("Web", StringComparison.OrdinalIgnoreCase))
            {
                list.AddRange(["System.Net.Http.Json", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Http",
                    "Microsoft.AspNetCore.Routing", "Microsoft.Extensions.Configuration", "Microsoft.Extensions.DependencyInjection",
                    "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging"]);
            }
        }

        foreach (var u in doc.Descendants().Where(e => e.Name.LocalName == "Using"))
        {
            if (u.Attribute("Include")?.Value is { } inc && u.Attribute("Static") is null && u.Attribute("Alias") is null)
            {
                list.Add(inc);
            }

            if (u.Attribute("Remove")?.Value is { } rem)
            {
                list.Remove(rem);
            }
        }

        return list.Distinct().ToList();
    }

    /// <summary>SDK-style: every .cs under the project folder except bin/obj and folders of other projects, minus simple
    /// Compile Remove globs. Old-style (explicit Compile Include, no Sdk): those files.</summary>
    private static List<string> SourceFiles(string root, string dir, XDocument doc, List<string> notes)
    {
        var compile = doc.Descendants().Where(e => e.Name.LocalName == "Compile").ToList();
        var includes = compile.Select(e => e.Attribute("Include")?.Value).OfType<string>().ToList();
        var sdkStyle = doc.Root?.Attribute("Sdk") != null || doc.Descendants().Any(e => e.Name.LocalName == "Sdk");
        var files = new List<string>();
        if (!sdkStyle && includes.Count > 0)
        {
            foreach (var inc in includes)
            {
                files.AddRange(Glob(dir, inc));
            }

            return files.Where(f => f.EndsWith(".cs", StringComparison.OrdinalIgnoreCase)).Distinct().ToList();
        }

        var removes = compile.Select(e => e.Attribute("Remove")?.Value).OfType<string>()
            .SelectMany(r => r.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(r => !r.Contains('$')).Select(r => GlobRegex(dir, r)).ToList();
        Walk(dir, dir, files);
        var kept = files.Where(f => !removes.Any(r => r.IsMatch(f))).ToList();
        if (kept.Count != files.Count)
        {
            notes.Add($"Compile Remove dropped {files.Count - kept.Count} file(s)");
        }

        // Linked files outside the folder (Compile Include="..\Shared\X.cs").
        foreach (var inc in includes.Where(i => i.StartsWith("..", StringComparison.Ordinal) && !i.Contains('$')))
        {
            kept.AddRange(Glob(dir, inc).Where(f => f.StartsWith(root, StringComparison.Ordinal)));
        }

        return kept.Distinct().ToList();
    }

    private static void Walk(string top, string dir, List<string> files)
    {
        if (dir != top)
        {
            var name = Path.GetFileName(dir);
            if (name is "bin" or "obj" or "node_modules" or ".git" || Directory.EnumerateFiles(dir, "*.csproj").Any())
            {
                return;
            }
        }

        files.AddRange(Directory.EnumerateFiles(dir, "*.cs"));
        foreach (var d in Directory.EnumerateDirectories(dir))
        {
            Walk(top, d, files);
        }
    }

    private static IEnumerable<string> Glob(string dir, string pattern)
    {
        pattern = pattern.Replace('\\', '/');
        if (!pattern.Contains('*'))
        {
            var f = Path.GetFullPath(Path.Combine(dir, pattern));
            return File.Exists(f) ? [f] : [];
        }

        var regex = GlobRegex(dir, pattern);
        var baseDir = Path.GetFullPath(Path.Combine(dir, pattern[..pattern.IndexOf('*')].TrimEnd('/') is { Length: > 0 } b ? b : "."));
        if (!Directory.Exists(baseDir))
        {
            baseDir = Path.GetDirectoryName(baseDir) ?? dir;
        }

        return Directory.Exists(baseDir) ? Directory.EnumerateFiles(baseDir, "*", SearchOption.AllDirectories).Where(f => regex.IsMatch(f)) : [];
    }

    private static Regex GlobRegex(string dir, string pattern)
    {
        var full = Path.GetFullPath(Path.Combine(dir, pattern.Replace('\\', '/').Replace("**", "\u0001").Replace("*", "\u0002")
            .Replace("\u0001", "__DSTAR__").Replace("\u0002", "__STAR__")));
        var rx = Regex.Escape(full).Replace("__DSTAR__/", "(.*/)?").Replace("__DSTAR__", ".*").Replace("__STAR__", "[^/]*");
        return new Regex("^" + rx + "$", RegexOptions.IgnoreCase);
    }

    /// <summary>Optional: <c>dotnet restore</c> the project (time-limited) and return the compile DLLs of its packages.</summary>
    private List<string> RestoredPackages(string csproj, List<string> notes)
    {
        var dir = Path.GetDirectoryName(csproj)!;
        var assets = Path.Combine(dir, "obj", "project.assets.json");
        if (!File.Exists(assets))
        {
            var env = new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" };
            var (code, output) = Proc.Run("dotnet", ["restore", csproj, "-nologo", "-v", "q", "-p:NuGetAudit=false", "-m:1"], dir,
                settings.RestoreTimeoutSeconds, env);
            if (code != 0)
            {
                var first = output.Split('\n').FirstOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase))?.Trim() ?? output.Trim();
                notes.Add($"restore failed ({(code == -1 ? "timeout" : $"exit {code}")}): {Trunc(first, 200)}");
            }
        }

        if (!File.Exists(assets))
        {
            return [];
        }

        var result = new List<string>();
        using var json = JsonDocument.Parse(File.ReadAllText(assets));
        var rootEl = json.RootElement;
        var folders = rootEl.GetProperty("packageFolders").EnumerateObject().Select(p => p.Name).ToList();
        var targets = rootEl.GetProperty("targets").EnumerateObject().Select(p => p).ToList();
        var target = targets.OrderByDescending(t => Score(t.Name)).FirstOrDefault();
        if (target.Value.ValueKind != JsonValueKind.Object)
        {
            return result;
        }

        var libraries = rootEl.GetProperty("libraries");
        foreach (var lib in target.Value.EnumerateObject())
        {
            if (!lib.Value.TryGetProperty("type", out var type) || type.GetString() != "package" || !lib.Value.TryGetProperty("compile", out var compile))
            {
                continue;
            }

            var libPath = libraries.TryGetProperty(lib.Name, out var l) && l.TryGetProperty("path", out var p) ? p.GetString()! : lib.Name.ToLowerInvariant();
            foreach (var c in compile.EnumerateObject())
            {
                if (!c.Name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) || _frameworkNames.Contains(Path.GetFileNameWithoutExtension(c.Name)))
                {
                    continue;
                }

                var file = folders.Select(f => Path.Combine(f, libPath, c.Name)).FirstOrDefault(File.Exists);
                if (file != null)
                {
                    result.Add(file);
                }
            }
        }

        notes.Add($"restored target {target.Name}: {result.Count} package DLL(s)");
        return result;

        static int Score(string tfm)
        {
            var t = tfm.Split('/')[0];
            var m = Regex.Match(t, @"^net(\d+)\.(\d+)");
            if (m.Success)
            {
                return 1000 + int.Parse(m.Groups[1].Value) * 10 + int.Parse(m.Groups[2].Value);
            }

            return t.StartsWith("netstandard2.1", StringComparison.Ordinal) ? 500 : t.StartsWith("netstandard", StringComparison.Ordinal) ? 400
                : t.StartsWith("netcoreapp", StringComparison.Ordinal) ? 600 : 0;
        }
    }

    public static string Trunc(string s, int n) => s.Length <= n ? s : s[..n] + "…";
}
