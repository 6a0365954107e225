using System.Linq;
using Microsoft.CodeAnalysis;

namespace WsAnalyzers.Model;

/// <summary>The types a received buffer travels as, and the consumers that read bytes as one whole message.</summary>
internal sealed class BufferTypes
{
    private readonly INamedTypeSymbol?[] _views;
    private readonly INamedTypeSymbol? _encoding;
    private readonly INamedTypeSymbol? _jsonSerializer;
    private readonly INamedTypeSymbol? _jsonDocument;
    private readonly INamedTypeSymbol? _jsonNode;
    private readonly INamedTypeSymbol? _jsonReader;

    public BufferTypes(Compilation compilation)
    {
        _views = new[] { "System.ArraySegment`1", "System.Memory`1", "System.ReadOnlyMemory`1", "System.Span`1", "System.ReadOnlySpan`1" }
            .Select(compilation.GetTypeByMetadataName).ToArray();
        _encoding = compilation.GetTypeByMetadataName("System.Text.Encoding");
        _jsonSerializer = compilation.GetTypeByMetadataName("System.Text.Json.JsonSerializer");
        _jsonDocument = compilation.GetTypeByMetadataName("System.Text.Json.JsonDocument");
        _jsonNode = compilation.GetTypeByMetadataName("System.Text.Json.Nodes.JsonNode");
        _jsonReader = compilation.GetTypeByMetadataName("System.Text.Json.Utf8JsonReader");
    }

    public bool IsByteArray(ITypeSymbol? type) => type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte };

    /// <summary>ArraySegment, Memory, ReadOnlyMemory, Span or ReadOnlySpan of byte.</summary>
    public bool IsView(ITypeSymbol? type)
        => type is INamedTypeSymbol { TypeArguments.Length: 1 } named
           && named.TypeArguments[0].SpecialType == SpecialType.System_Byte
           && _views.Any(v => SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, v));

    /// <summary><c>Encoding.GetString</c> on any encoding.</summary>
    public bool IsGetString(IMethodSymbol method)
    {
        if (method.Name != "GetString")
        {
            return false;
        }

        for (var t = method.ContainingType; t is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t, _encoding))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>JsonSerializer.Deserialize*</c>, <c>JsonDocument.Parse</c>, <c>JsonNode.Parse</c>.</summary>
    public bool IsJsonEntryPoint(IMethodSymbol method)
        => (method.Name.StartsWith("Deserialize", System.StringComparison.Ordinal) && SymbolEqualityComparer.Default.Equals(method.ContainingType, _jsonSerializer))
           || (method.Name == "Parse" && (SymbolEqualityComparer.Default.Equals(method.ContainingType, _jsonDocument) || SymbolEqualityComparer.Default.Equals(method.ContainingType, _jsonNode)));

    /// <summary>Anything that reads bytes as one complete message: GetString, JSON, and any serializer's Deserialize* or ParseFrom (MessagePack, protobuf).</summary>
    public bool IsMessageDecoder(IMethodSymbol method)
        => IsGetString(method) || IsJsonEntryPoint(method)
           || method.Name.StartsWith("Deserialize", System.StringComparison.Ordinal) || method.Name == "ParseFrom";

    public bool IsJsonReader(ITypeSymbol? type) => SymbolEqualityComparer.Default.Equals(type, _jsonReader);
}
