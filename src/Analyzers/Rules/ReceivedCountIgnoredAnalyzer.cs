using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using WsAnalyzers.Flow;
using WsAnalyzers.Model;

namespace WsAnalyzers.Rules;

/// <summary>
/// The buffer ReceiveAsync filled is used whole afterwards — decoded, copied, parsed or echoed — instead of its first
/// Count bytes (WS1006). Only buffers received into whole and never reassigned in the body are followed.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ReceivedCountIgnoredAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the received count in scope at the use (<c>result.Count</c>); absent when there is none.</summary>
    public const string CountProperty = "Count";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.WS1006ReceivedCountIgnored);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = WebSocketSymbols.Get(start.Compilation);
            if (symbols is null)
            {
                return;
            }

            var buffers = new BufferTypes(start.Compilation);
            start.RegisterOperationBlockAction(c =>
            {
                foreach (var block in c.OperationBlocks)
                {
                    Analyze(symbols, buffers, block, c);
                }
            });
        });
    }

    private sealed class Receive
    {
        public Receive(IInvocationOperation call, HashSet<ISymbol> buffers, ILocalSymbol? result)
        {
            Call = call;
            Buffers = buffers;
            Result = result;
        }

        public IInvocationOperation Call { get; }
        public HashSet<ISymbol> Buffers { get; }
        public ILocalSymbol? Result { get; }
    }

    private static void Analyze(WebSocketSymbols symbols, BufferTypes buffers, IOperation block, OperationBlockAnalysisContext context)
    {
        List<IOperation>? all = null;
        List<Receive>? receives = null;
        foreach (var operation in block.DescendantsAndSelf())
        {
            (all ??= new()).Add(operation);
            if (operation is IInvocationOperation { Arguments.Length: > 0 } call && symbols.Classify(call) == SocketCall.Receive)
            {
                (receives ??= new()).Add(new Receive(call, new HashSet<ISymbol>(SymbolEqualityComparer.Default), TaskUse.AwaitedInto(call)));
            }
        }

        if (receives is null || all is null)
        {
            return;
        }

        var written = WrittenSymbols(all);
        foreach (var receive in receives)
        {
            AddReceivedBuffers(buffers, receive.Call.Arguments[0].Value, all, receive.Buffers);
            receive.Buffers.ExceptWith(written);
        }

        foreach (var operation in all)
        {
            if (FindWholeUse(symbols, buffers, operation) is not { } use
                || WholeBuffer(buffers, use.Buffer) is not { } buffer)
            {
                continue;
            }

            var receive = receives.LastOrDefault(r => r.Buffers.Contains(buffer)
                && r.Call.Syntax.Span.End <= use.Buffer.Syntax.SpanStart
                && Function(r.Call) == Function(use.Buffer));
            if (receive is null || IsTrimmedOfNul(operation))
            {
                continue;
            }

            var properties = ImmutableDictionary<string, string?>.Empty;
            if (receive.Result is { } result
                && use.Buffer.SemanticModel?.LookupSymbols(use.Buffer.Syntax.SpanStart, name: result.Name).Contains(result, SymbolEqualityComparer.Default) == true)
            {
                properties = properties.Add(CountProperty, result.Name + ".Count");
            }

            context.ReportDiagnostic(Diagnostic.Create(Descriptors.WS1006ReceivedCountIgnored, use.Report.Syntax.GetLocation(), properties, buffer.Name));
        }
    }

    /// <summary>The buffers a receive argument fills whole: the array and the segment or memory over it.</summary>
    private static void AddReceivedBuffers(BufferTypes buffers, IOperation argument, List<IOperation> all, HashSet<ISymbol> into)
    {
        if (WholeBuffer(buffers, argument) is not { } buffer)
        {
            return;
        }

        into.Add(buffer);
        if (buffer is ILocalSymbol local && buffers.IsView(local.Type))
        {
            var declarator = all.OfType<IVariableDeclaratorOperation>().FirstOrDefault(d => SymbolEqualityComparer.Default.Equals(d.Symbol, local));
            if (declarator?.Initializer?.Value is { } initializer && WholeBuffer(buffers, initializer) is { } array && buffers.IsByteArray(TypeOf(array)))
            {
                into.Add(array);
            }
        }
    }

    /// <summary>The variable whose whole contents an expression denotes: <c>buffer</c>, <c>segment</c>, <c>segment.Array</c>, <c>memory.Span</c>, <c>new ArraySegment&lt;byte&gt;(buffer)</c>, <c>buffer.AsMemory()</c>.</summary>
    private static ISymbol? WholeBuffer(BufferTypes buffers, IOperation operation)
    {
        var value = operation.WithoutConversions();
        ISymbol? symbol = value switch
        {
            IPropertyReferenceOperation { Property.Name: "Array" or "Span", Instance: { } instance } when buffers.IsView(instance.Type) => Variable(instance),
            IObjectCreationOperation { Arguments.Length: 1 } creation when buffers.IsView(creation.Type) => Variable(creation.Arguments[0].Value),
            IInvocationOperation { TargetMethod: { Name: "AsMemory" or "AsSpan", IsExtensionMethod: true }, Arguments.Length: 1 } call => Variable(call.Arguments[0].Value),
            _ => Variable(value),
        };
        return symbol is not null && (buffers.IsByteArray(TypeOf(symbol)) || buffers.IsView(TypeOf(symbol))) ? symbol : null;
    }

    private static ISymbol? Variable(IOperation? operation)
        => operation.ReferencedSymbol() is { } symbol && symbol.Kind is SymbolKind.Local or SymbolKind.Parameter or SymbolKind.Field ? symbol : null;

    private static ITypeSymbol? TypeOf(ISymbol symbol) => symbol switch
    {
        ILocalSymbol local => local.Type,
        IParameterSymbol parameter => parameter.Type,
        IFieldSymbol field => field.Type,
        _ => null,
    };

    /// <summary>A use that consumes a buffer as a message: decode, copy, parse or send it.</summary>
    private static (IOperation Buffer, IOperation Report)? FindWholeUse(WebSocketSymbols symbols, BufferTypes buffers, IOperation operation)
    {
        switch (operation)
        {
            case IInvocationOperation call when call.TargetMethod.Name == "GetString" && buffers.IsEncoding(call.TargetMethod.ContainingType):
                if (call.Arguments.Length == 1)
                {
                    return (call.Arguments[0].Value, call.Arguments[0].Value);
                }

                // GetString(buffer, 0, buffer.Length): the whole buffer spelled out.
                if (call.Arguments.Length == 3
                    && call.Arguments[1].Value.ConstantValue is { HasValue: true, Value: 0 }
                    && call.Arguments[2].Value.WithoutConversions() is IPropertyReferenceOperation { Property.Name: "Length", Instance: { } lengthOf }
                    && Variable(lengthOf) is { } measured
                    && SymbolEqualityComparer.Default.Equals(measured, Variable(call.Arguments[0].Value)))
                {
                    return (call.Arguments[0].Value, call.Arguments[2].Value);
                }

                return null;
            case IInvocationOperation { TargetMethod.Name: "ToArray" } call when call.Receiver() is { } receiver:
                return (receiver, receiver);
            case IInvocationOperation { Arguments.Length: > 0 } call when buffers.IsJsonEntryPoint(call.TargetMethod) || symbols.Classify(call) == SocketCall.Send:
                return (call.Arguments[0].Value, call.Arguments[0].Value);
            case IObjectCreationOperation { Arguments.Length: > 0 } creation when buffers.IsJsonReader(creation.Type):
                return (creation.Arguments[0].Value, creation.Arguments[0].Value);
            default:
                return null;
        }
    }

    /// <summary>Variables written after their declaration (assigned, or passed by ref/out): their contents at a use are unknown.</summary>
    private static HashSet<ISymbol> WrittenSymbols(List<IOperation> all)
    {
        var written = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var operation in all)
        {
            var target = operation switch
            {
                IAssignmentOperation assignment => assignment.Target,
                IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument => argument.Value,
                _ => null,
            };
            if (Variable(target) is { } symbol)
            {
                written.Add(symbol);
            }
        }

        return written;
    }

    /// <summary><c>GetString(buffer).TrimEnd('\0')</c>: the author handles the unused tail themselves.</summary>
    private static bool IsTrimmedOfNul(IOperation use)
    {
        var value = use;
        while (value.Parent is IConversionOperation { IsImplicit: true })
        {
            value = value.Parent;
        }

        return value.Parent is IInvocationOperation { TargetMethod.Name: "TrimEnd" or "Trim" or "Replace" or "Split" } trim
            && trim.Instance == value
            && trim.Arguments.SelectMany(a => a.DescendantsAndSelf()).Any(a => a.ConstantValue is { HasValue: true, Value: '\0' or "\0" });
    }

    private static IOperation? Function(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return current;
            }
        }

        return null;
    }

    /// <summary>The types a received buffer travels as, and the consumers that read one as a whole message.</summary>
    private sealed class BufferTypes
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

        public bool IsView(ITypeSymbol? type)
            => type is INamedTypeSymbol { TypeArguments.Length: 1 } named
               && named.TypeArguments[0].SpecialType == SpecialType.System_Byte
               && _views.Any(v => SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, v));

        public bool IsEncoding(ITypeSymbol? type)
        {
            for (var t = type; t is not null; t = t.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(t, _encoding))
                {
                    return true;
                }
            }

            return false;
        }

        public bool IsJsonEntryPoint(IMethodSymbol method)
            => (method.Name.StartsWith("Deserialize", System.StringComparison.Ordinal) && SymbolEqualityComparer.Default.Equals(method.ContainingType, _jsonSerializer))
               || (method.Name == "Parse" && (SymbolEqualityComparer.Default.Equals(method.ContainingType, _jsonDocument) || SymbolEqualityComparer.Default.Equals(method.ContainingType, _jsonNode)));

        public bool IsJsonReader(ITypeSymbol? type) => SymbolEqualityComparer.Default.Equals(type, _jsonReader);
    }
}
