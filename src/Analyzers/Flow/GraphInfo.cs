using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace WsAnalyzers.Flow;

/// <summary>A control flow graph with each block's operations flattened in evaluation order, built once per graph.</summary>
internal sealed class GraphInfo
{
    private readonly Dictionary<CaptureId, IOperation> _captures = new();
    private readonly HashSet<CaptureId> _ambiguous = new();

    public GraphInfo(ControlFlowGraph graph, ISymbol owner)
    {
        Graph = graph;
        Owner = owner;
        Operations = new List<IOperation>[graph.Blocks.Length];
        for (var i = 0; i < graph.Blocks.Length; i++)
        {
            AnalysisCancellation.ThrowIfCancellationRequested();
            var block = graph.Blocks[i];
            var list = new List<IOperation>();
            foreach (var operation in block.Operations)
            {
                OperationFacts.AddPostOrder(operation, list);
                if (operation is IFlowCaptureOperation capture)
                {
                    // A capture assigned in several branches (a switch expression's arms) has no single value.
                    if (_captures.ContainsKey(capture.Id))
                    {
                        _ambiguous.Add(capture.Id);
                    }

                    _captures[capture.Id] = capture.Value;
                }
            }

            if (block.BranchValue is { } branch)
            {
                OperationFacts.AddPostOrder(branch, list);
            }

            Operations[i] = list;
        }
    }

    public ControlFlowGraph Graph { get; }

    /// <summary>The method, local function or lambda this graph belongs to.</summary>
    public ISymbol Owner { get; }

    /// <summary>Per block ordinal, its operations and branch value in evaluation order.</summary>
    public List<IOperation>[] Operations { get; }

    public bool TryGetCapture(IFlowCaptureReferenceOperation reference, out IOperation value)
    {
        if (_ambiguous.Contains(reference.Id))
        {
            value = null!;
            return false;
        }

        return _captures.TryGetValue(reference.Id, out value!);
    }

    public IOperation Resolve(IOperation operation)
    {
        operation = operation.WithoutConversions()!;
        while (operation is IFlowCaptureReferenceOperation reference && TryGetCapture(reference, out var value))
        {
            operation = value.WithoutConversions()!;
        }

        return operation;
    }

    /// <summary>Whether <paramref name="from"/> can reach <paramref name="to"/> through one or more edges.</summary>
    public bool CanReach(BasicBlock from, BasicBlock to)
    {
        var seen = new HashSet<int>();
        var stack = new Stack<BasicBlock>();
        Push(from);
        while (stack.Count > 0)
        {
            var block = stack.Pop();
            if (block.Ordinal == to.Ordinal)
            {
                return true;
            }

            Push(block);
        }

        return false;

        void Push(BasicBlock block)
        {
            foreach (var next in new[] { block.FallThroughSuccessor?.Destination, block.ConditionalSuccessor?.Destination })
            {
                if (next is not null && seen.Add(next.Ordinal))
                {
                    stack.Push(next);
                }
            }
        }
    }
}
