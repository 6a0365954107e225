namespace WsAnalyzers.Eval;

/// <summary>The rule groups scored, and which diagnostic IDs satisfy each.</summary>
internal static class Groups
{
    public static readonly string[] All = ["WS1001", "WS1002", "WS1003", "WS1005", "WS1006", "WS1009", "WS1010"];

    /// <summary>What a manifest labels when its preamble does not say (audit 5).</summary>
    public static readonly string[] Default = ["WS1001", "WS1002", "WS1003", "WS1010"];

    public static string? Of(string diagnosticId) => diagnosticId switch
    {
        "WS1002" or "WS1004" => "WS1002",
        _ when All.Contains(diagnosticId) => diagnosticId,
        _ => null,
    };
}

internal sealed record Span(string Path, string Method, int Start, int End)
{
    public bool Contains(string path, int line) => path == Path && line >= Start && line <= End;

    public override string ToString() => $"{Method}@{Start}-{End}";
}

/// <summary>One labelled method: a row of a manifest (.tsv).</summary>
internal sealed class Row
{
    public required string Manifest { get; init; }
    public required string Id { get; init; }
    public required string Repo { get; init; }
    public required string Commit { get; init; }
    public required string Project { get; init; }
    public required string Path { get; init; }
    public required string Type { get; init; }
    public required Span Method { get; init; }
    public required HashSet<string> Expected { get; init; }
    public required List<Span> Also { get; init; }
    public required string Reason { get; init; }

    /// <summary>The groups this row's manifest labels: a report of another group is neither a hit nor a false alarm.</summary>
    public required HashSet<string> Labelled { get; init; }

    public string Key => $"{Repo}@{Commit}:{Project}";

    /// <summary>Reported groups, filled in by the runner.</summary>
    public HashSet<string> Reported { get; } = [];

    /// <summary>Every WS diagnostic attributed to the row (for the report).</summary>
    public List<string> Diagnostics { get; } = [];

    public static List<Row> Load(string file)
    {
        var rows = new List<Row>();
        var lines = File.ReadAllLines(file);
        if (lines.Length == 0)
        {
            return rows;
        }

        // Leading '#' lines are a free-text preamble (provenance, how the labels were made).
        var first = 0;
        while (first < lines.Length && (lines[first].StartsWith('#') || lines[first].Length == 0))
        {
            first++;
        }

        if (first == lines.Length)
        {
            return rows;
        }

        // "expected = subset of WS1001,WS1002,..." in the preamble names the groups the manifest labels.
        var labelled = new HashSet<string>(Groups.Default);
        foreach (var comment in lines.Take(first))
        {
            var m = System.Text.RegularExpressions.Regex.Match(comment, @"expected = subset of ((?:WS\d{4},?)+)");
            if (m.Success)
            {
                labelled = [.. m.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(g => Groups.Of(g) ?? g)];
            }
        }

        var header = lines[first].Split('\t');
        int Col(string name)
        {
            var i = Array.IndexOf(header, name);
            return i >= 0 ? i : throw new FormatException($"{file}: no column '{name}' in the header");
        }

        int id = Col("id"), repo = Col("repo"), commit = Col("commit"), project = Col("project"), path = Col("path"),
            type = Col("type"), method = Col("method"), start = Col("start_line"), end = Col("end_line"),
            expected = Col("expected"), also = Col("also"), reason = Col("reason");
        for (var n = first + 1; n < lines.Length; n++)
        {
            var line = lines[n];
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var f = line.Split('\t');
            if (f.Length < header.Length)
            {
                throw new FormatException($"{file}:{n + 1}: {f.Length} fields, the header has {header.Length}");
            }

            var p = Norm(f[path]);
            var row = new Row
            {
                Manifest = System.IO.Path.GetFileName(file),
                Id = f[id],
                Repo = f[repo],
                Commit = f[commit],
                Project = Norm(f[project]),
                Path = p,
                Type = f[type],
                Method = new Span(p, f[method], int.Parse(f[start]), int.Parse(f[end])),
                Expected = ParseExpected(f[expected], labelled, file, n + 1),
                Also = ParseAlso(f[also], p, file, n + 1),
                Reason = f[reason],
                Labelled = labelled,
            };
            if (row.Method.Start > row.Method.End)
            {
                throw new FormatException($"{file}:{n + 1}: start_line after end_line");
            }

            rows.Add(row);
        }

        return rows;
    }

    private static string Norm(string path) => path.Trim().Replace('\\', '/').TrimStart('/');

    private static HashSet<string> ParseExpected(string s, HashSet<string> labelled, string file, int line)
    {
        var set = new HashSet<string>();
        if (s.Trim() is "-" or "")
        {
            return set;
        }

        foreach (var part in s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!labelled.Contains(part))
            {
                throw new FormatException($"{file}:{line}: expected ID '{part}' is not one this manifest labels ({string.Join(",", labelled)})");
            }

            set.Add(part);
        }

        return set;
    }

    /// <summary><c>method@start-end</c> (same file) or <c>path/to/File.cs::method@start-end</c>, separated by ';' or ','.</summary>
    private static List<Span> ParseAlso(string s, string path, string file, int line)
    {
        var list = new List<Span>();
        if (s.Trim() is "-" or "")
        {
            return list;
        }

        foreach (var part in s.Split([';', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var p = path;
            var rest = part;
            var sep = part.IndexOf("::", StringComparison.Ordinal);
            if (sep >= 0)
            {
                p = Norm(part[..sep]);
                rest = part[(sep + 2)..];
            }

            var at = rest.LastIndexOf('@');
            var dash = at < 0 ? -1 : rest.IndexOf('-', at);
            if (at < 0 || dash < 0 || !int.TryParse(rest[(at + 1)..dash], out var a) || !int.TryParse(rest[(dash + 1)..], out var b))
            {
                throw new FormatException($"{file}:{line}: 'also' entry '{part}' is not method@start-end");
            }

            list.Add(new Span(p, rest[..at], a, b));
        }

        return list;
    }
}
