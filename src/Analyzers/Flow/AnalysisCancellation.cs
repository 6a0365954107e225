using System;
using System.Threading;

namespace WsAnalyzers.Flow;

/// <summary>
/// The cancellation token of the analyzer action running on this thread, so the shared flow analysis (computed lazily
/// and cached, on behalf of whichever rule asks first) can stop between blocks when the IDE cancels. A cancelled
/// computation leaves nothing cached and is redone by the next request.
/// </summary>
internal static class AnalysisCancellation
{
    [ThreadStatic]
    private static CancellationToken s_current;

    public static CancellationToken Token => s_current;

    public static void ThrowIfCancellationRequested() => s_current.ThrowIfCancellationRequested();

    public static Scope Enter(CancellationToken token)
    {
        var previous = s_current;
        s_current = token;
        return new Scope(previous);
    }

    internal readonly struct Scope : IDisposable
    {
        private readonly CancellationToken _previous;

        public Scope(CancellationToken previous) => _previous = previous;

        public void Dispose() => s_current = _previous;
    }
}
