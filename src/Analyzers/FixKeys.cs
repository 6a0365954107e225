using System.Collections.Immutable;

namespace WsAnalyzers;

/// <summary>
/// Keys of the properties the close rules (WS1001, WS1002, WS1004) attach to a diagnostic for their fixes: written by
/// the analysis (<c>Flow/BodyAnalysis</c>), read by <c>src/CodeFixes</c>. One definition, so the two sides cannot drift.
/// The other rules keep theirs next to the analyzer that writes them (<c>SocketNotDisposedAnalyzer.DisposeOldProperty</c>, ...).
/// </summary>
internal static class FixKeys
{
    /// <summary>The receive's socket as written (`_ws`, `context.Socket`); absent when it is not a simple reference.</summary>
    public const string Socket = "Socket";

    /// <summary>The local holding the receive result, when there is one.</summary>
    public const string Result = "Result";

    /// <summary>"true" when the receive returns a ValueWebSocketReceiveResult (the Memory overload).</summary>
    public const string ValueResult = "ValueResult";

    /// <summary>The CancellationToken passed to the receive, when it is a variable a fix can pass on.</summary>
    public const string Token = "Token";

    /// <summary>WS1002: which branch of the reported condition is the peer's Close ("true" or "false").</summary>
    public const string CloseWhen = "CloseWhen";

    /// <summary>WS1002: the socket's name, for the message.</summary>
    public const string SocketName = "SocketName";

    /// <summary>WS1001: "true" when the loop receives through a helper that drops the Close (no fix: the helper must tell it apart).</summary>
    public const string ThroughHelper = "ThroughHelper";

    public static string? Get(ImmutableDictionary<string, string?> properties, string key)
        => properties.TryGetValue(key, out var value) ? value : null;

    public static bool IsTrue(ImmutableDictionary<string, string?> properties, string key)
        => properties.TryGetValue(key, out var value) && value == "true";
}
