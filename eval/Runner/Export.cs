using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace WsAnalyzers.Eval;

/// <summary>
/// --export DIR: writes each audited project's compilation (source texts, reference paths, options, referenced
/// projects) as one JSON file, for the benchmark's real-code rows (bench, <c>--real-projects DIR</c>). The files hold
/// third-party code: they go under /tmp, never into the repository.
/// </summary>
internal static class Export
{
    public static void Write(CSharpCompilation compilation, string dir, string label, int index)
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, $"{index:D3}.json");
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream);
        WriteCompilation(json, compilation, label, 0);
    }

    private static void WriteCompilation(Utf8JsonWriter json, CSharpCompilation c, string label, int depth)
    {
        json.WriteStartObject();
        json.WriteString("label", label);
        json.WriteString("name", c.AssemblyName);
        json.WriteString("outputKind", c.Options.OutputKind.ToString());
        json.WriteString("nullable", c.Options.NullableContextOptions.ToString());
        var parse = c.SyntaxTrees.FirstOrDefault()?.Options as CSharpParseOptions;
        json.WriteStartArray("symbols");
        foreach (var symbol in parse?.PreprocessorSymbolNames ?? [])
        {
            json.WriteStringValue(symbol);
        }

        json.WriteEndArray();
        json.WriteStartArray("trees");
        foreach (var tree in c.SyntaxTrees)
        {
            json.WriteStartObject();
            json.WriteString("path", tree.FilePath);
            json.WriteString("text", tree.GetText().ToString());
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("refs");
        foreach (var r in c.References.OfType<PortableExecutableReference>())
        {
            if (r.FilePath is { } file)
            {
                json.WriteStringValue(file);
            }
        }

        json.WriteEndArray();
        json.WriteStartArray("projects");
        foreach (var r in c.References.OfType<CompilationReference>())
        {
            if (r.Compilation is CSharpCompilation child && depth < 6)
            {
                WriteCompilation(json, child, child.AssemblyName ?? "", depth + 1);
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
