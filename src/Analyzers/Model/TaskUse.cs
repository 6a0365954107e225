using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace WsAnalyzers.Model;

/// <summary>Following the task a socket call returns to where it is consumed.</summary>
internal static class TaskUse
{
    /// <summary>The operation whose value is the call's task: through <c>ws?.Call()</c>, implicit conversions and <c>.ConfigureAwait(..)</c>.</summary>
    public static IOperation TaskOf(IOperation call)
    {
        var task = call;
        while (true)
        {
            switch (task.Parent)
            {
                case IConditionalAccessOperation access when access.WhenNotNull == task:
                case IConversionOperation { IsImplicit: true }:
                case IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure when configure.Instance == task:
                    task = task.Parent;
                    continue;
                default:
                    return task;
            }
        }
    }

    /// <summary>The local an awaited call's result is stored in (<c>var r = await ..</c> or <c>r = await ..</c>), if any.</summary>
    public static ILocalSymbol? AwaitedInto(IOperation call)
    {
        if (TaskOf(call).Parent is not IAwaitOperation awaited)
        {
            return null;
        }

        IOperation value = awaited;
        while (value.Parent is IConversionOperation { IsImplicit: true })
        {
            value = value.Parent;
        }

        return value.Parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment when assignment.Value == value => local.Local,
            _ => null,
        };
    }
}
