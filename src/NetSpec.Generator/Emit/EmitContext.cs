using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Planning;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Generator.Emit;

/// <summary>Lookups the emitters share: tensors, their fields, dim locals, parameters by node and role.</summary>
internal sealed class EmitContext
{
    public EmitContext(CompiledNetwork network)
    {
        Network = network;
        Graph = network.Graph;
        Spec = network.Graph.Spec;
        Defaults = Graph.DefaultSizes;
        foreach (TensorInfo t in Graph.Tensors)
            foreach (Dim d in t.Shape)
                NameDim(d);
        foreach (PlannedBuffer b in network.TrainingPlan.Buffers.Concat(network.InferencePlan.Buffers))
            foreach (Dim d in b.Elements)
                NameDim(d);
    }

    public CompiledNetwork Network { get; }

    public TypedGraph Graph { get; }

    public ExpandedSpec Spec { get; }

    public IReadOnlyDictionary<string, int> Defaults { get; }

    /// <summary>Locals for the dims other than constants and N, H, W, in order of first use.</summary>
    public List<(string Name, Dim Dim)> DimLocals { get; } = new();

    private readonly Dictionary<Dim, string> dimNames = new();

    public string Dim(Dim d) => d.IsConst ? d.ToCSharp(s => s) : dimNames[d];

    public TypedNode Node(string name) => Graph.Node(name);

    public TensorInfo Tensor(string name) => Graph.Tensor(name);

    /// <summary>The field holding a forward tensor (rank 4: Tensor, rank 3: the LabelMap, scalar: a 1-slot view).</summary>
    public string Field(string tensor) => Tensor(tensor).Role == TensorRole.Label ? "_labels" : Names.Field(tensor);

    public string Param(string node, string role) => Names.Field($"{node}.{role}");

    public bool HasParam(string node, string role) => Node(node).Params.Any(p => p.Role == role);

    /// <summary>A parameter's value view, or <c>default</c> when the op has none (bias: false).</summary>
    public string ParamView(string node, string role) => HasParam(node, role) ? $"{Param(node, role)}.Value.View" : "default";

    public string GradView(string node, string role) => HasParam(node, role) ? $"{Param(node, role)}.Grad!.View" : "default";

    private void NameDim(Dim d)
    {
        if (d.IsConst || dimNames.ContainsKey(d))
            return;
        if (d.Offset == 0 && d.Divisor == 1)
        {
            dimNames[d] = d.Symbol!;
            return;
        }

        string name = d.Divisor == 1
            ? $"{d.Symbol}{(d.Offset > 0 ? "p" : "m")}{System.Math.Abs(d.Offset)}"
            : d.Offset == 0 ? $"{d.Symbol}f{d.Divisor}"
            : d.Offset == d.Divisor - 1 ? $"{d.Symbol}c{d.Divisor}"
            : $"{d.Symbol}_{DimLocals.Count}";
        dimNames[d] = name;
        DimLocals.Add((name, d));
    }
}
