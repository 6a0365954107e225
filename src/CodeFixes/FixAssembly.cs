namespace WsAnalyzers.CodeFixes;

/// <summary>Marks the code-fix assembly (tests find every fix through it).</summary>
public static class FixAssembly
{
}
