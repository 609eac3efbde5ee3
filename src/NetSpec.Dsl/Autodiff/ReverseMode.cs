using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Scheduling;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Autodiff;

/// <summary>
/// Reverse-mode differentiation at build time. A tensor needs a gradient when it depends on a weight
/// and a loss depends on it; steps are visited in reverse, and where a tensor fans out the first
/// backward step to reach it writes its gradient and the later ones add (accumulate).
/// </summary>
public static class ReverseMode
{
    public static BackwardPlan Differentiate(TypedGraph graph, EquatableArray<ForwardStep> steps)
    {
        var lossWeights = graph.Spec.Losses.GroupBy(l => l.Node).ToDictionary(g => g.Key, g => g.Sum(l => l.Weight));
        var dependsOnWeights = new HashSet<string>();
        foreach (ForwardStep step in steps)
        {
            bool hasWeights = step.Nodes.Any(n => graph.Node(n).Params.Any(p => p.Kind == ParamKind.Weight));
            if (hasWeights || step.Inputs.Where((t, slot) => BackwardNeeds.Differentiable(step, graph, slot) && dependsOnWeights.Contains(t)).Any())
                dependsOnWeights.Add(step.Output);
        }

        var reachesLoss = new HashSet<string>();
        var contributing = new List<ForwardStep>();
        foreach (ForwardStep step in steps.Reverse())
        {
            bool isLoss = lossWeights.ContainsKey(step.Head);
            if (!isLoss && !reachesLoss.Contains(step.Output))
                continue;
            if (!dependsOnWeights.Contains(step.Output))
                continue;
            contributing.Add(step);
            for (int slot = 0; slot < step.Inputs.Count; slot++)
                if (BackwardNeeds.Differentiable(step, graph, slot))
                    reachesLoss.Add(step.Inputs[slot]);
        }

        var written = new HashSet<string>();
        var backward = new List<BackwardStep>();
        foreach (ForwardStep step in contributing)
        {
            var targets = new List<GradTarget>();
            for (int slot = 0; slot < step.Inputs.Count; slot++)
            {
                string input = step.Inputs[slot];
                if (!BackwardNeeds.Differentiable(step, graph, slot) || !dependsOnWeights.Contains(input))
                    continue;
                targets.Add(new GradTarget(slot, input, Accumulate: !written.Add(input)));
            }

            bool isLoss = lossWeights.TryGetValue(step.Head, out double weight);
            backward.Add(new BackwardStep(steps.Count + backward.Count, step, isLoss, isLoss ? weight : 0, targets.ToEquatableArray()));
        }

        return new BackwardPlan(backward.ToEquatableArray(), written.OrderBy(t => t, System.StringComparer.Ordinal).ToEquatableArray());
    }
}
