using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Autodiff;
using NetSpec.Dsl.Catalog;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Scheduling;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Planning;

/// <summary>
/// Every buffer of a schedule with its live range. Forward steps are 0..F−1 and backward steps F..F+B−1.
/// Graph inputs, spec outputs and losses live to the end (read after Forward/Backward); an activation dies
/// at its last forward reader or at the last backward step that needs it saved; a gradient lives from its
/// first write to the backward step of its producer.
/// </summary>
public static class Liveness
{
    public static EquatableArray<PlannedBuffer> Buffers(TypedGraph graph, EquatableArray<ForwardStep> steps, BackwardPlan? backward)
    {
        bool training = backward is not null;
        var forward = steps.Where(s => training || !s.TrainOnly).ToList();
        int end = forward.Count + (backward?.Steps.Count ?? 0) - 1;
        var position = new Dictionary<int, int>();
        for (int i = 0; i < forward.Count; i++)
            position[forward[i].Index] = i;
        var backwardAt = new Dictionary<string, int>();
        if (backward is not null)
            for (int i = 0; i < backward.Steps.Count; i++)
                backwardAt[backward.Steps[i].Forward.Output] = forward.Count + i;

        var last = new Dictionary<string, int>();
        void Touch(string tensor, int at) => last[tensor] = last.TryGetValue(tensor, out int l) ? System.Math.Max(l, at) : at;
        foreach (ForwardStep step in forward)
        {
            Touch(step.Output, position[step.Index]);
            foreach (string input in step.Inputs)
                Touch(input, position[step.Index]);
        }

        if (backward is not null)
            foreach (BackwardStep b in backward.Steps)
                foreach (string saved in BackwardNeeds.SavedTensors(b.Forward, graph))
                    Touch(saved, backwardAt[b.Forward.Output]);

        var keep = new HashSet<string>(graph.Spec.Outputs.Select(o => o.Tensor));
        var buffers = new List<PlannedBuffer>();
        foreach (TensorInfo t in graph.Tensors.Where(t => t.Producer is null))
            buffers.Add(new PlannedBuffer(t.Name, t.Role == TensorRole.Label ? BufferKind.Labels : BufferKind.Activation, t.Name, t.Shape, 0, end));
        foreach (ForwardStep step in forward)
        {
            int at = position[step.Index];
            TensorInfo t = graph.Tensor(step.Output);
            bool lives = keep.Contains(t.Name) || t.Role == TensorRole.Loss;
            buffers.Add(new PlannedBuffer(t.Name, BufferKind.Activation, t.Name, t.Shape, at, lives ? end : last[t.Name]));
            int auxLast = backwardAt.TryGetValue(step.Output, out int b) ? b : at;
            foreach ((string suffix, BufferKind kind, EquatableArray<Dim> elements) in Auxiliary(step, graph))
                buffers.Add(new PlannedBuffer($"{step.Head}.{suffix}", kind, t.Name, elements, at, auxLast));
        }

        if (backward is not null)
            foreach (string tensor in backward.GradTensors)
            {
                int first = backward.Steps.First(s => s.InputGrads.Any(g => g.Tensor == tensor)).Index - steps.Count + forward.Count;
                int readAt = backwardAt.TryGetValue(tensor, out int r) ? r : first;
                buffers.Add(new PlannedBuffer($"d({tensor})", BufferKind.Gradient, tensor, graph.Tensor(tensor).Shape, first, System.Math.Max(first, readAt)));
            }

        return buffers.ToEquatableArray();
    }

    /// <summary>Aux buffers a step keeps beside its output: its head op's (<see cref="OpRule.Auxiliary"/>: BN mean/invStd, max-pool argmax, dropout mask).</summary>
    public static IEnumerable<(string Suffix, BufferKind Kind, EquatableArray<Dim> Elements)> Auxiliary(ForwardStep step, TypedGraph graph)
    {
        TypedNode head = graph.Node(step.Head);
        foreach (AuxBuffer aux in OpCatalog.Rule(head.Op).Auxiliary(head))
            yield return (aux.Suffix, aux.Kind, aux.Elements);
    }
}
