using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace WsAnalyzers.Model;

/// <summary>What a WebSocket member call does, as far as the lifecycle rules care.</summary>
internal enum SocketCall
{
    None,
    Receive,
    Send,
    Close,
    CloseOutput,
    Dispose,
    Abort,
    Accept,
}

/// <summary>
/// The well-known WebSocket symbols of one compilation, looked up once and shared by every rule.
/// <see cref="Get"/> returns null when the compilation does not reference System.Net.WebSockets.WebSocket, or when
/// none of its source files spells a word a rule needs (<see cref="SourceWords"/>), and rules then register nothing.
/// </summary>
internal sealed class WebSocketSymbols
{
    private static readonly ConditionalWeakTable<Compilation, StrongBox<WebSocketSymbols?>> Cache = new();

    private WebSocketSymbols(Compilation compilation, INamedTypeSymbol webSocket)
    {
        Compilation = compilation;
        WebSocket = webSocket;
        ClientWebSocket = compilation.GetTypeByMetadataName("System.Net.WebSockets.ClientWebSocket");
        ReceiveResult = compilation.GetTypeByMetadataName("System.Net.WebSockets.WebSocketReceiveResult");
        ValueReceiveResult = compilation.GetTypeByMetadataName("System.Net.WebSockets.ValueWebSocketReceiveResult");
        MessageType = compilation.GetTypeByMetadataName("System.Net.WebSockets.WebSocketMessageType");
        State = compilation.GetTypeByMetadataName("System.Net.WebSockets.WebSocketState");
        CloseStatus = compilation.GetTypeByMetadataName("System.Net.WebSockets.WebSocketCloseStatus");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        WebSocketManager = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Http.WebSocketManager");
        HttpContext = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Http.HttpContext");
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
    }

    public Compilation Compilation { get; }
    public INamedTypeSymbol WebSocket { get; }
    public INamedTypeSymbol? ClientWebSocket { get; }
    public INamedTypeSymbol? ReceiveResult { get; }
    public INamedTypeSymbol? ValueReceiveResult { get; }
    public INamedTypeSymbol? MessageType { get; }
    public INamedTypeSymbol? State { get; }
    public INamedTypeSymbol? CloseStatus { get; }
    public INamedTypeSymbol? CancellationToken { get; }
    public INamedTypeSymbol? WebSocketManager { get; }
    public INamedTypeSymbol? HttpContext { get; }
    public INamedTypeSymbol? Task { get; }
    public INamedTypeSymbol? ValueTask { get; }

    /// <summary>Per-body analyses, shared by every rule that asks within this compilation.</summary>
    internal ConditionalWeakTable<SyntaxNode, Flow.BodyAnalysis> Bodies { get; } = new();

    /// <summary>Interprocedural summaries of methods, computed on demand once per compilation.</summary>
    internal Flow.MethodSummaries Summaries => _summaries ??= new Flow.MethodSummaries(this);
    private Flow.MethodSummaries? _summaries;

    /// <summary>Whether anything in reach could ever release a socket (<see cref="Flow.ReleaseSites"/>); asked once per compilation.</summary>
    internal bool MayReleaseSockets => (_mayRelease ??= new StrongBox<bool>(Flow.ReleaseSites.MayReleaseSockets(this))).Value;
    private StrongBox<bool>? _mayRelease;

    /// <summary>Whether anything in reach could ever close a socket (<see cref="Flow.ReleaseSites.MayCloseSockets"/>); asked once per compilation.</summary>
    internal bool MayCloseSockets => (_mayClose ??= new StrongBox<bool>(Flow.ReleaseSites.MayCloseSockets(this))).Value;
    private StrongBox<bool>? _mayClose;

    /// <summary>Methods the user names as close helpers in .editorconfig; read on first use, once per compilation.</summary>
    internal CloseHelpers CloseHelpers
    {
        get
        {
            var options = _options;
            return options is null ? CloseHelpers.None : _closeHelpers ??= CloseHelpers.From(Compilation, options);
        }
    }

    private Microsoft.CodeAnalysis.Diagnostics.AnalyzerOptions? _options;
    private CloseHelpers? _closeHelpers;

    /// <summary>Keeps the options every rule of this compilation shares (they are the same for all of its analyzers).</summary>
    internal WebSocketSymbols WithOptions(Microsoft.CodeAnalysis.Diagnostics.AnalyzerOptions options)
    {
        _options ??= options;
        return this;
    }

    public static WebSocketSymbols? Get(Compilation compilation)
        => Cache.GetValue(compilation, static c =>
        {
            var ws = c.GetTypeByMetadataName("System.Net.WebSockets.WebSocket");
            return new StrongBox<WebSocketSymbols?>(ws is null || !SourceWords.AnyIn(c) ? null : new WebSocketSymbols(c, ws));
        }).Value;

    public bool IsWebSocket(ITypeSymbol? type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t, WebSocket))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsReceiveResult(ITypeSymbol? type)
        => type is not null && (SymbolEqualityComparer.Default.Equals(type, ReceiveResult) || SymbolEqualityComparer.Default.Equals(type, ValueReceiveResult));

    /// <summary>
    /// A receive into the buffer given as the call's first argument: <c>WebSocket.ReceiveAsync</c>, or a method of another
    /// type with the same contract (a project's socket wrapper or handler interface: it takes a byte array, segment or
    /// memory first and returns a receive result, or a task of one). A wrapper declared in source that loops is left
    /// out: it may put the pieces of a message together itself.
    /// </summary>
    public bool ReceivesInto(Microsoft.CodeAnalysis.Operations.IInvocationOperation invocation)
    {
        var kind = Classify(invocation.TargetMethod);
        if (kind != SocketCall.None)
        {
            return kind == SocketCall.Receive;
        }

        var method = invocation.TargetMethod;
        if (invocation.Arguments.Length == 0 || method.Parameters.Length == 0 || method.IsStatic && !method.IsExtensionMethod
            || !Buffers.IsByteArray(method.Parameters[0].Type) && !Buffers.IsView(method.Parameters[0].Type)
            || !IsReceiveResult(method.ReturnType is INamedTypeSymbol { TypeArguments.Length: 1, Name: "Task" or "ValueTask" } task ? task.TypeArguments[0] : method.ReturnType))
        {
            return false;
        }

        return _receiveWrappers.GetOrAdd(method.OriginalDefinition, static m =>
        {
            foreach (var reference in m.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax().DescendantNodes().Any(n => n is Microsoft.CodeAnalysis.CSharp.Syntax.WhileStatementSyntax
                    or Microsoft.CodeAnalysis.CSharp.Syntax.DoStatementSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.ForStatementSyntax
                    or Microsoft.CodeAnalysis.CSharp.Syntax.ForEachStatementSyntax))
                {
                    return false;
                }
            }

            return true;
        });
    }

    /// <summary>What the callers of a function with a receive result and a buffer parameter hand it (<see cref="HandedPiece"/>), once per function.</summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<IMethodSymbol, HandedPieceVerdict> HandedPieces { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>Whether a method given only received bytes in this parameter decodes them as one message (WS1005), once per parameter.</summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<IParameterSymbol, bool> DecodingHandlers { get; } = new(SymbolEqualityComparer.Default);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<IMethodSymbol, bool> _receiveWrappers = new(SymbolEqualityComparer.Default);

    /// <summary>Classifies a call, counting IDisposable.Dispose (as a using statement calls it) made on a socket.</summary>
    public SocketCall Classify(Microsoft.CodeAnalysis.Operations.IInvocationOperation invocation)
    {
        var kind = Classify(invocation.TargetMethod);
        if (kind == SocketCall.None && invocation.TargetMethod.Name is "Dispose" or "DisposeAsync" && IsWebSocket(invocation.Instance?.Type))
        {
            return SocketCall.Dispose;
        }

        if (kind == SocketCall.None && invocation.TargetMethod.Name is "Dispose" or "DisposeAsync"
            && invocation.Instance is Microsoft.CodeAnalysis.Operations.IConversionOperation conversion && IsWebSocket(conversion.Operand.Type))
        {
            return SocketCall.Dispose;
        }

        return kind;
    }

    /// <summary>The names <see cref="Classify(IMethodSymbol)"/> can return a kind for: a call named otherwise is never a socket call.</summary>
    internal static readonly string[] SocketCallNames = { "ReceiveAsync", "SendAsync", "CloseAsync", "CloseOutputAsync", "Dispose", "DisposeAsync", "Abort", "AcceptWebSocketAsync" };

    /// <summary>Classifies a call by name first (cheap), then by the declaring type.</summary>
    public SocketCall Classify(IMethodSymbol method)
    {
        var kind = method.Name switch
        {
            "ReceiveAsync" => SocketCall.Receive,
            "SendAsync" => SocketCall.Send,
            "CloseAsync" => SocketCall.Close,
            "CloseOutputAsync" => SocketCall.CloseOutput,
            "Dispose" => SocketCall.Dispose,
            "Abort" => SocketCall.Abort,
            "AcceptWebSocketAsync" => SocketCall.Accept,
            _ => SocketCall.None,
        };
        if (kind == SocketCall.None)
        {
            return kind;
        }

        if (kind == SocketCall.Accept)
        {
            return WebSocketManager is not null && SymbolEqualityComparer.Default.Equals(method.ContainingType, WebSocketManager) ? kind : SocketCall.None;
        }

        return IsWebSocket(method.ContainingType) ? kind : SocketCall.None;
    }

    /// <summary>What methods of this compilation do with a socket they are given (dispose, keep, neither), cached.</summary>
    internal Flow.OwnershipSummaries Ownership => _ownership ??= new Flow.OwnershipSummaries(this);
    private Flow.OwnershipSummaries? _ownership;

    /// <summary>Methods of this compilation whose task is a send's (WS1009), cached.</summary>
    internal Flow.SendWrappers SendWrappers => _sendWrappers ??= new Flow.SendWrappers(this);
    private Flow.SendWrappers? _sendWrappers;

    /// <summary>Buffer and message-consumer types, shared by the rules about received data.</summary>
    internal BufferTypes Buffers => _buffers ??= new BufferTypes(Compilation);
    private BufferTypes? _buffers;

    /// <summary>Receives and received buffers per operation block, built once and shared by WS1005 and WS1006.</summary>
    internal ConditionalWeakTable<SyntaxNode, StrongBox<BodyReceives?>> Receives { get; } = new();
}
