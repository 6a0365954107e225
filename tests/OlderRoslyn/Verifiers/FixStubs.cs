// The code fixes are not built for the older Roslyn flavours (Microsoft.CodeAnalysis.CSharp.Workspaces is not served at
// 4.3.1; docs/unity.md says why the roslyn4.3 folder carries the analyzers only). The shared rule tests name the fix
// types in their Verify<TAnalyzer, TCodeFix> aliases; these empty types stand in for them, and Verify checks the
// analyzer's diagnostics on the fix test's source.
namespace WsAnalyzers.CodeFixes;

public sealed class HandleCloseMessageFix { }
public sealed class AcknowledgeCloseFix { }
public sealed class AddUsingFix { }
public sealed class AdmitCloseReceivedFix { }
public sealed class SliceByReceivedCountFix { }
public sealed class InvalidCloseArgumentsFix { }
public sealed class AwaitDiscardedTaskFix { }
public sealed class AwaitSendFix { }
public sealed class DisposeReplacedSocketFix { }
public sealed class AssembleMessageFix { }
public sealed class CloseBeforeDisposeFix { }
