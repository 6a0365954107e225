namespace WsAnalyzers.Tests.Rules;

/// <summary>
/// Code to append to a test's source so that something in the compilation disposes a socket. WS1003 reports a socket
/// handed only to the compilation's own code when nothing in reach ever releases one (<c>NothingReleasesTests</c>);
/// the tests that are about other reasons to stay silent add this so that reason is the one tested.
/// </summary>
internal static class Elsewhere
{
    public const string ReleasesSockets = """


        static class SocketCleanup
        {
            public static void Release(System.Net.WebSockets.WebSocket socket) => socket.Dispose();
        }
        """;
}
