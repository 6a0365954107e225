// Opens a built WsAnalyzers nupkg and checks the layout an analyzer package needs:
// both DLLs under analyzers/dotnet/cs, no lib/, no dependencies, developmentDependency, README, license, tags, repository.
// Usage: dotnet run --file package/CheckPackage.cs -- artifacts/WsAnalyzers.<version>.nupkg
using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;

var path = args.Length == 1 ? args[0] : throw new ArgumentException("usage: CheckPackage <nupkg>");
using var zip = ZipFile.OpenRead(path);
var entries = zip.Entries.Select(e => e.FullName).ToList();
var problems = new List<string>();
void Expect(bool ok, string what) { if (!ok) problems.Add(what); }

Expect(entries.Contains("analyzers/dotnet/cs/WsAnalyzers.dll"), "analyzers/dotnet/cs/WsAnalyzers.dll is missing");
Expect(entries.Contains("analyzers/dotnet/cs/WsAnalyzers.CodeFixes.dll"), "analyzers/dotnet/cs/WsAnalyzers.CodeFixes.dll is missing");
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

Console.WriteLine($"package ok: {Path.GetFileName(path)} ({entries.Count} entries, analyzers/dotnet/cs, no lib/, no dependencies, developmentDependency)");
return 0;
