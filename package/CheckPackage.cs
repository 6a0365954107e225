// Opens a built WsAnalyzers nupkg and checks the layout an analyzer package needs:
// one folder per Roslyn floor (analyzers/dotnet/roslynX.Y/cs), each DLL built against no newer Microsoft.CodeAnalysis
// than its folder names, the code fixes in roslyn4.8 only, nothing loose in analyzers/dotnet/cs (every SDK would load it
// next to the chosen folder), no lib/, no dependencies, developmentDependency, README, license, tags, repository.
// Usage: dotnet run --file package/CheckPackage.cs -- artifacts/WsAnalyzers.<version>.nupkg
using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

var path = args.Length == 1 ? args[0] : throw new ArgumentException("usage: CheckPackage <nupkg>");
using var zip = ZipFile.OpenRead(path);
var entries = zip.Entries.Select(e => e.FullName).ToList();
var problems = new List<string>();
void Expect(bool ok, string what) { if (!ok) problems.Add(what); }

// The layout docs/unity.md and the README describe: folder => the DLLs it must hold.
var layout = new Dictionary<string, string[]>
{
    ["roslyn4.8"] = new[] { "WsAnalyzers.dll", "WsAnalyzers.CodeFixes.dll" },
    ["roslyn4.3"] = new[] { "WsAnalyzers.dll" },
    ["roslyn3.7"] = new[] { "WsAnalyzers.dll" },
};
var analyzerFiles = entries.Where(e => e.StartsWith("analyzers/", StringComparison.Ordinal)).ToList();
var expectedFiles = layout.SelectMany(f => f.Value.Select(dll => $"analyzers/dotnet/{f.Key}/cs/{dll}")).ToList();
foreach (var file in expectedFiles)
{
    Expect(analyzerFiles.Contains(file), file + " is missing");
}

foreach (var file in analyzerFiles.Except(expectedFiles))
{
    Expect(false, "unexpected file under analyzers/: " + file);
}

foreach (var (folder, dlls) in layout)
{
    var floor = Version.Parse(folder.Substring("roslyn".Length));
    foreach (var dll in dlls)
    {
        var entry = zip.GetEntry($"analyzers/dotnet/{folder}/cs/{dll}");
        if (entry is null)
        {
            continue;
        }

        using var copy = new MemoryStream();
        using (var source = entry.Open())
        {
            source.CopyTo(copy);
        }

        copy.Position = 0;
        using var pe = new PEReader(copy);
        var reader = pe.GetMetadataReader();
        var roslyn = reader.AssemblyReferences.Select(reader.GetAssemblyReference)
            .Where(r => reader.GetString(r.Name) == "Microsoft.CodeAnalysis").Select(r => r.Version).SingleOrDefault();
        Expect(roslyn is not null, $"{folder}/{dll} does not reference Microsoft.CodeAnalysis");
        Expect(roslyn is null || (roslyn.Major, roslyn.Minor) == (floor.Major, floor.Minor),
            $"{folder}/{dll} is built against Microsoft.CodeAnalysis {roslyn}, not {floor}: hosts of that folder's version would not load it");
        Console.WriteLine($"  {folder}/cs/{dll}: Microsoft.CodeAnalysis {roslyn}");
    }
}

Expect(!entries.Any(e => e.StartsWith("lib/", StringComparison.Ordinal)), "the package has a lib/ folder");
Expect(entries.Contains("README.md"), "README.md is missing");

var nuspecEntry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
using var stream = nuspecEntry.Open();
var nuspec = XDocument.Load(stream);
XNamespace ns = nuspec.Root!.Name.Namespace;
var metadata = nuspec.Root.Element(ns + "metadata")!;
string? Value(string name) => metadata.Element(ns + name)?.Value;
Expect(Value("id") == "WsAnalyzers", "id is not WsAnalyzers");
Expect(Value("developmentDependency") == "true", "developmentDependency is not true");
Expect(metadata.Element(ns + "dependencies") is null || !metadata.Element(ns + "dependencies")!.Descendants().Any(d => d.Name.LocalName == "dependency"), "the package has dependencies");
Expect(metadata.Element(ns + "license")?.Attribute("type")?.Value == "expression", "no license expression");
Expect(!string.IsNullOrWhiteSpace(Value("tags")), "no tags");
Expect(Value("readme") == "README.md", "no package README");
Expect(metadata.Element(ns + "repository")?.Attribute("url")?.Value is { Length: > 0 }, "no repository URL");

if (problems.Count > 0)
{
    foreach (var problem in problems)
    {
        Console.Error.WriteLine("package: " + problem);
    }

    return 1;
}

Console.WriteLine($"package ok: {Path.GetFileName(path)} ({entries.Count} entries, analyzers/dotnet/{string.Join(", ", layout.Keys)}, no lib/, no dependencies, developmentDependency)");
return 0;
