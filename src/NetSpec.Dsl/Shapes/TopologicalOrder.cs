using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Model;
using static NetSpec.Dsl.Shapes.MiddleDiagnostics;

namespace NetSpec.Dsl.Shapes;

/// <summary>Kahn's algorithm, spec order first among ready nodes; reports NS0011 naming a cycle.</summary>
public static class TopologicalOrder
{
    public static List<OpNode>? Sort(ExpandedSpec spec, List<SpecDiagnostic> diagnostics)
    {
        var producer = new Dictionary<string, OpNode>();
        foreach (InputDecl input in spec.Inputs)
            producer[input.Name] = null!;
        bool ok = true;
        foreach (OpNode node in spec.Nodes)
        {
            if (producer.ContainsKey(node.Output))
            {
                diagnostics.Add(Error(InvalidConfiguration, $"Invalid configuration of '{node.Name}': tensor '{node.Output}' is produced twice", node.Location));
                ok = false;
                continue;
            }

            producer[node.Output] = node;
        }

        foreach (OpNode node in spec.Nodes)
            foreach (string input in node.Inputs.Where(i => !producer.ContainsKey(i)))
            {
                diagnostics.Add(Error(InvalidConfiguration, $"Invalid configuration of '{node.Name}': input '{input}' is not a tensor of this spec", node.Location));
                ok = false;
            }

        if (!ok)
            return null;

        var order = new List<OpNode>();
        var done = new HashSet<string>(spec.Inputs.Select(i => i.Name));
        var pending = spec.Nodes.ToList();
        bool progress = true;
        while (pending.Count > 0 && progress)
        {
            progress = false;
            for (int i = 0; i < pending.Count; i++)
            {
                OpNode node = pending[i];
                if (!node.Inputs.All(done.Contains))
                    continue;
                order.Add(node);
                done.Add(node.Output);
                pending.RemoveAt(i);
                progress = true;
                break; // restart from the earliest pending node: keeps spec order where possible
            }
        }

        if (pending.Count == 0)
            return order;

        List<string> cycle = FindCycle(pending, producer);
        OpNode at = pending.First(n => cycle.Contains(n.Name));
        diagnostics.Add(Error(Cycle, $"Graph cycle: {string.Join(" -> ", cycle)}", at.Location));
        return null;
    }

    private static List<string> FindCycle(List<OpNode> pending, Dictionary<string, OpNode> producer)
    {
        var inPending = new HashSet<OpNode>(pending);
        OpNode current = pending[0];
        var path = new List<OpNode>();
        while (!path.Contains(current))
        {
            path.Add(current);
            current = current.Inputs.Select(i => producer[i]).First(p => p is not null && inPending.Contains(p));
        }

        List<string> cycle = path.Skip(path.IndexOf(current)).Select(n => n.Name).ToList();
        cycle.Add(current.Name);
        return cycle;
    }
}
