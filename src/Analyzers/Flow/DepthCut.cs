using System;

namespace WsAnalyzers.Flow;

/// <summary>
/// Counts, per thread, the answers the interprocedural analysis gave up on because of its depth limit or a recursion.
/// A summary computed while the count stayed the same does not depend on how deep it was asked, and is cached for every
/// depth; one computed with a cut is cached for its depth only, so that a shallower question, which can see further,
/// computes its own rather than reusing an answer cut short (which would make results depend on the order in which
/// bodies happen to be analysed).
/// </summary>
internal static class DepthCut
{
    [ThreadStatic]
    private static int s_count;

    public static int Count => s_count;

    /// <summary>Records a cut and returns the answer given in its place.</summary>
    public static T Cut<T>(T answer)
    {
        s_count++;
        return answer;
    }
}
