using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using WsAnalyzers.Tests.Verifiers;
using Xunit;

namespace WsAnalyzers.Tests.Meta;

/// <summary>Holds the descriptor catalog, the docs, release tracking, README and analyzers together.</summary>
public class CatalogTests
{
    public static TheoryData<string> Ids() => new(Descriptors.All.Select(d => d.Id));

    private static DiagnosticDescriptor Descriptor(string id) => Descriptors.All.Single(d => d.Id == id);

    [Fact]
    public void Ids_are_unique_and_come_from_RuleIds()
    {
        var ids = Descriptors.All.Select(d => d.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var contract = typeof(RuleIds).GetFields().Select(f => (string)f.GetValue(null)!).ToHashSet();
        Assert.All(ids, id => Assert.Contains(id, contract));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Has_a_docs_page_whose_title_matches(string id)
    {
        var page = Repository.PathOf("docs", "rules", id + ".md");
        Assert.True(File.Exists(page), $"docs/rules/{id}.md is missing");
        var firstLine = File.ReadLines(page).First();
        Assert.Equal($"# {id}: {Descriptor(id).Title}", firstLine);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Help_link_names_a_real_page_under_docs_rules(string id)
    {
        // <RepositoryUrl>/blob/main/<path>: the path must be docs/rules/<ID>.md and exist in this repository.
        var link = Descriptor(id).HelpLinkUri;
        var prefix = RepositoryInfo.Url + "/blob/main/";
        Assert.StartsWith(prefix, link, StringComparison.Ordinal);
        var path = link.Substring(prefix.Length);
        Assert.Equal($"docs/rules/{id}.md", path);
        Assert.True(File.Exists(Repository.PathOf(path.Split('/'))), $"{id}'s help link names {path}, which does not exist");
    }

    [Fact]
    public void Help_link_base_comes_from_the_RepositoryUrl_property()
    {
        // One place sets the repository's address: the RepositoryUrl property in Directory.Build.props (also the
        // package's project URL). The analyzer gets it as a constant generated at build time.
        var props = XDocument.Load(Repository.PathOf("Directory.Build.props"));
        var urls = props.Descendants("RepositoryUrl").Select(e => e.Value.Trim()).ToList();
        Assert.Single(urls);
        Assert.Equal(RepositoryInfo.Url, urls[0].TrimEnd('/'));
        Assert.StartsWith(RepositoryInfo.Url + "/", Descriptors.HelpLinkBase, StringComparison.Ordinal);
        var packageProject = XDocument.Load(Repository.PathOf("package", "WsAnalyzers.Package.csproj"));
        Assert.Equal("$(RepositoryUrl)", packageProject.Descendants("PackageProjectUrl").Single().Value.Trim());
    }

    [Fact]
    public void Package_readme_links_the_rules_at_the_repository_url()
    {
        var links = Regex.Matches(File.ReadAllText(Repository.PathOf("package", "README.md")), @"https://\S+").Select(m => m.Value).ToList();
        Assert.NotEmpty(links);
        Assert.All(links, link => Assert.StartsWith(RepositoryInfo.Url + "/", link, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Has_a_release_tracking_line_with_its_category_and_severity(string id)
    {
        var descriptor = Descriptor(id);
        var lines = File.ReadAllLines(Repository.PathOf("src", "Analyzers", "AnalyzerReleases.Unshipped.md"))
            .Concat(File.ReadAllLines(Repository.PathOf("src", "Analyzers", "AnalyzerReleases.Shipped.md")));
        var line = lines.SingleOrDefault(l => l.StartsWith(id + " ", StringComparison.Ordinal));
        Assert.True(line is not null, $"{id} has no release tracking line");
        var cells = line!.Split('|').Select(c => c.Trim()).ToArray();
        Assert.Equal(descriptor.Category, cells[1]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), cells[2]);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Package_readme_lists_the_rule(string id)
    {
        var readme = File.ReadAllLines(Repository.PathOf("package", "README.md"));
        Assert.True(readme.Count(l => l.StartsWith($"| {id} |", StringComparison.Ordinal)) == 1, $"package/README.md has no single table row for {id}");
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Readme_rule_table_matches_the_descriptor(string id)
    {
        var descriptor = Descriptor(id);
        var hasFix = AllAnalyzers.Fixes.Any(f => f.FixableDiagnosticIds.Contains(id));
        var readme = File.ReadAllLines(Repository.PathOf("README.md"));
        var row = readme.SingleOrDefault(l => l.StartsWith($"| [{id}]", StringComparison.Ordinal));
        Assert.True(row is not null, $"README has no rule-table row for {id}");
        var cells = row!.Split('|').Select(c => c.Trim()).ToArray();
        Assert.Equal($"[{id}](docs/rules/{id}.md)", cells[1]);
        Assert.Equal(descriptor.Title.ToString(), cells[2]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), cells[3]);
        Assert.Equal(hasFix ? "yes" : "no", cells[4]);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Is_reported_by_exactly_one_analyzer(string id)
        => Assert.Single(AllAnalyzers.Analyzers, a => a.SupportedDiagnostics.Any(d => d.Id == id));

    [Fact]
    public void Every_analyzer_reports_only_catalog_descriptors()
    {
        foreach (var analyzer in AllAnalyzers.Analyzers)
        {
            Assert.All(analyzer.SupportedDiagnostics, d => Assert.Same(Descriptor(d.Id), d));
        }
    }

    [Fact]
    public void Every_fix_has_a_fix_all_provider_and_fixes_a_catalog_id()
    {
        foreach (var fix in AllAnalyzers.Fixes)
        {
            Assert.NotNull(fix.GetFixAllProvider());
            Assert.All(fix.FixableDiagnosticIds, id => Assert.Contains(id, Descriptors.All.Select(d => d.Id)));
        }
    }

    [Fact]
    public void Every_docs_page_belongs_to_a_descriptor()
    {
        var pages = Directory.GetFiles(Repository.PathOf("docs", "rules"), "WS*.md").Select(Path.GetFileNameWithoutExtension);
        Assert.All(pages, page => Assert.Contains(page, Descriptors.All.Select(d => d.Id)));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Docs_page_has_the_common_sections(string id)
    {
        var headings = File.ReadAllLines(Repository.PathOf("docs", "rules", id + ".md")).Where(l => l.StartsWith("## ", StringComparison.Ordinal)).ToList();
        foreach (var required in new[] { "## Why", "## Options and suppression" })
        {
            Assert.True(headings.Contains(required), $"docs/rules/{id}.md has no '{required}' section");
        }

        Assert.True(headings.Any(h => h.StartsWith("## Flagged", StringComparison.Ordinal)), $"docs/rules/{id}.md has no '## Flagged' section");
        Assert.True(headings.Any(h => h.StartsWith("## Fixed", StringComparison.Ordinal)), $"docs/rules/{id}.md has no '## Fixed' section");
        Assert.Equal("## Options and suppression", headings.Last());
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Docs_page_has_a_flagged_and_a_fixed_example(string id)
    {
        var text = File.ReadAllText(Repository.PathOf("docs", "rules", id + ".md"));
        Assert.True(Regex.Matches(text, "```csharp").Count >= 2, $"docs/rules/{id}.md needs a flagged and a clean C# example");
    }
}
