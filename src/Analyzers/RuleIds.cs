namespace WsAnalyzers;

/// <summary>Diagnostic IDs. They are a contract with users (they appear in .editorconfig files): never renumber.</summary>
public static class RuleIds
{
    public const string ReceiveLoopIgnoresClose = "WS1001";
    public const string CloseNotAcknowledged = "WS1002";
    public const string SocketNotDisposed = "WS1003";
    public const string CloseGuardedByOpen = "WS1004";
    public const string FragmentsTreatedAsMessages = "WS1005";
    public const string ReceivedCountIgnored = "WS1006";
    public const string InvalidCloseArguments = "WS1007";
    public const string RequestEndsBeforeSocket = "WS1008";
    public const string SendNotAwaited = "WS1009";
    public const string DisposedWhileOpen = "WS1010";
}
