using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace WsAnalyzers;

/// <summary>The one catalog of diagnostics. Every descriptor is made by <see cref="Create"/>, so none can lack a help link.</summary>
public static class Descriptors
{
    /// <summary>Where the rule pages live: generated from the RepositoryUrl MSBuild property (Directory.Build.props).</summary>
    public const string HelpLinkBase = RepositoryInfo.Url + "/blob/main/docs/rules/";

    internal const string Reliability = "Reliability";
    internal const string Usage = "Usage";

    public static readonly DiagnosticDescriptor WS1001ReceiveLoopIgnoresClose = Create(
        RuleIds.ReceiveLoopIgnoresClose, Reliability, DiagnosticSeverity.Warning,
        "Receive loop never handles the Close message",
        "This receive loop never tells a Close message apart from data: the Close is treated as a message or the next receive throws",
        "When ReceiveAsync returns a Close message the socket is in CloseReceived: the loop must leave and acknowledge the close instead of treating the result as data or receiving again (which throws).");

    public static readonly DiagnosticDescriptor WS1002CloseNotAcknowledged = Create(
        RuleIds.CloseNotAcknowledged, Reliability, DiagnosticSeverity.Warning,
        "Peer's close is not acknowledged",
        "The peer's close is received here but '{0}' is never closed on this path: call CloseOutputAsync so the close handshake completes",
        "System.Net.WebSockets does not answer a received Close frame. Until CloseOutputAsync or CloseAsync is called the handshake is incomplete and the peer sees an abnormal closure (1006).");

    public static readonly DiagnosticDescriptor WS1003SocketNotDisposed = Create(
        RuleIds.SocketNotDisposed, Reliability, DiagnosticSeverity.Warning,
        "WebSocket is never disposed",
        "'{0}' {1}",
        "A WebSocket holds a network connection, buffers and timers until it is disposed. A socket this method creates or accepts must be disposed on every path (a using declaration, or Dispose in a finally block) unless it is returned, stored or handed to a new owner.");

    /// <summary>WS1003's message, after the socket's name, for a socket the method keeps in a local.</summary>
    public const string WS1003Local = "can leave this method without being disposed, and on that path it is not returned, stored or passed to another owner: add 'using' or dispose it in a finally block";

    /// <summary>WS1003's message for a socket the method stores (or hands to a constructor that stores it) in a private member its type never releases.</summary>
    public const string WS1003Kept = "is kept in a private field, property or collection that its type never disposes, aborts or hands on, and this method does not dispose it either: dispose it in that type's Dispose, or here once its work is done";

    /// <summary>WS1003's message for a socket a type keeps in a private field or property.</summary>
    public const string WS1003Field = "is kept by this type, but no member disposes, aborts or hands it on: dispose it in the type's Dispose";

    /// <summary>WS1003's message for a socket kept or handed on only within a compilation where nothing ever releases a socket.</summary>
    public const string WS1003NothingReleases = "is handed only to code of this project, and nothing in it (nor a library it uses) ever disposes or aborts a WebSocket it did not create right there: dispose it where its work ends, or in its owner's Dispose";

    /// <summary>WS1003's message for a socket a type keeps in a field or property, in a compilation where nothing ever releases a socket.</summary>
    public const string WS1003FieldNothingReleases = "is kept by this type, and nothing in this project (nor a library it uses) ever disposes or aborts a WebSocket it did not create right there: dispose it in the type's Dispose";

    /// <summary>WS1003's message for an assignment that drops the socket a field or property held.</summary>
    public const string WS1003Replaced = "may still hold the socket of an earlier call here, and that socket is dropped without being disposed: dispose or abort it first";

    public static readonly DiagnosticDescriptor WS1004CloseGuardedByOpen = Create(
        RuleIds.CloseGuardedByOpen, Reliability, DiagnosticSeverity.Warning,
        "Close skipped after the peer closed",
        "This close only runs when the state is Open, but it is reached after the peer closed (state CloseReceived): admit CloseReceived so the close is acknowledged",
        "After ReceiveAsync returns a Close message the state is CloseReceived, not Open, so a close guarded by 'State == WebSocketState.Open' is silently skipped and the handshake never completes.");

    public static readonly DiagnosticDescriptor WS1005FragmentsTreatedAsMessages = Create(
        RuleIds.FragmentsTreatedAsMessages, Reliability, DiagnosticSeverity.Warning,
        "Message fragments treated as whole messages",
        "The data of one ReceiveAsync is decoded or dispatched here as a whole message, but EndOfMessage is never checked: a message longer than the buffer or sent in fragments arrives in pieces",
        "One ReceiveAsync result is one piece of a message: a message longer than the buffer, or one the sender or a proxy fragments, arrives over several receives. Accumulate the pieces until EndOfMessage is true (or reject partial messages) before decoding or parsing.");

    public static readonly DiagnosticDescriptor WS1006ReceivedCountIgnored = Create(
        RuleIds.ReceivedCountIgnored, Reliability, DiagnosticSeverity.Warning,
        "Received byte count ignored",
        "The whole of '{0}' is used after ReceiveAsync, but only its first Count bytes were received: slice it by the received count",
        "ReceiveAsync fills only the first result.Count bytes of the buffer; the rest is zeros or stale data from an earlier message. Decoding, copying or echoing the whole buffer yields trailing garbage, NUL characters or invalid JSON.");

    public static readonly DiagnosticDescriptor WS1007InvalidCloseArguments = Create(
        RuleIds.InvalidCloseArguments, Usage, DiagnosticSeverity.Warning,
        "Close status or description the runtime rejects",
        "{0}",
        "CloseAsync and CloseOutputAsync throw ArgumentException for status codes 0-999, 1006 and 1015, for a description over 123 UTF-8 bytes, and for WebSocketCloseStatus.Empty with a description; Empty (1005), 1004, 1016-2999 and 5000 and above pass the sender but are illegal on the wire and make the peer fail the connection.");

    public static readonly DiagnosticDescriptor WS1008RequestEndsBeforeSocket = Create(
        RuleIds.RequestEndsBeforeSocket, Reliability, DiagnosticSeverity.Warning,
        "Request ends before its WebSocket is done",
        "Work on '{0}' is not awaited before the handler returns: when the request ends ASP.NET Core tears the connection down under it",
        "When an ASP.NET Core middleware, endpoint or action returns, the request completes and the accepted WebSocket's connection is closed; work still using the socket then fails with ConnectionClosedPrematurely. Await the work, or await a TaskCompletionSource that the background owner completes when the socket closes.");

    public static readonly DiagnosticDescriptor WS1009SendNotAwaited = Create(
        RuleIds.SendNotAwaited, Reliability, DiagnosticSeverity.Warning,
        "SendAsync not awaited",
        "The task of {0} is discarded: await it so the next send cannot overlap and interleave with it",
        "Since .NET 6 overlapping SendAsync calls on one WebSocket no longer throw: they run concurrently, and a fragmented message interleaved with another send corrupts the stream. Await each send, or hand its task to a send queue that does.");

    public static readonly DiagnosticDescriptor WS1010DisposedWhileOpen = Create(
        RuleIds.DisposedWhileOpen, Reliability, DiagnosticSeverity.Warning,
        "WebSocket disposed while open",
        "'{0}' {1}",
        "Disposing a WebSocket (Dispose, the end of a using, the owning object's Dispose, or an ASP.NET Core request that ends) sends no Close frame: the peer's ReceiveAsync fails with ConnectionClosedPrematurely and a browser sees code 1006. Close an Open socket with CloseAsync, with a bounded wait, before it is disposed.");

    /// <summary>WS1010's message, after the socket's name, for a disposal.</summary>
    public const string WS1010Disposed = "may still be Open when it is disposed here, and no close was sent on that path: the peer sees the connection drop without a Close frame (1006); call CloseAsync first";

    /// <summary>WS1010's message for an accepted socket whose handler returns while it may be Open.</summary>
    public const string WS1010Returns = "may still be Open when this handler returns, and no close was sent on that path: the request ends, the connection drops without a Close frame (1006); call CloseAsync before returning";

    public static ImmutableArray<DiagnosticDescriptor> All { get; } = typeof(Descriptors)
        .GetFields()
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null))
        .OrderBy(d => d.Id)
        .ToImmutableArray();

    private static DiagnosticDescriptor Create(
        string id, string category, DiagnosticSeverity severity, string title, string message, string description,
        params string[] customTags)
    {
        var tags = new List<string>(customTags);
        return new DiagnosticDescriptor(
            id, title, message, category, severity, isEnabledByDefault: true, description,
            helpLinkUri: HelpLinkBase + id + ".md", customTags: tags.ToArray());
    }
}
