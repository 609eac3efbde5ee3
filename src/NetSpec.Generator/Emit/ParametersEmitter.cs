using System;
using System.Globalization;
using System.Linq;
using NetSpec.Dsl.Catalog;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Generator.Emit;

/// <summary>Parameter fields (state_dict names, PyTorch shapes), the constructor creating them, their initialisation, Dispose.</summary>
internal static class ParametersEmitter
{
    public static void Emit(CodeWriter w, EmitContext c)
    {
        w.Line("// Parameters and buffers in state_dict order.");
        foreach (ParamInfo p in c.Graph.Params)
        {
            string decay = p.Kind != ParamKind.Weight ? p.Kind.ToString().ToLowerInvariant() : p.WeightDecay ? "weight decay" : "no weight decay";
            w.Line($"/// <summary><c>{CSharpText.DocComment(p.Name)}</c> ({string.Join(",", p.Shape)}): {CSharpText.DocComment(p.Group)}, lr×{p.LrMult:G}, {decay}.</summary>")
             .Line($"private readonly Parameter {c.Param(p.Node, p.Role)};")
             .Line();
        }

        EmitTable(w, c);
        using (w.Block($"public {c.Spec.ClassName}(Device device)"))
        {
            w.Line("Device = device ?? throw new ArgumentNullException(nameof(device));")
             .Line("_parameters = ParameterTable.Create(device.Accelerator, ParameterSpecs);");
            int i = 0;
            foreach (ParamInfo p in c.Graph.Params)
                w.Line($"{c.Param(p.Node, p.Role)} = _parameters[{i++}];");
        }

        w.Line();
        EmitInitialize(w, c);
        using (w.Block("public void Dispose()"))
        {
            w.Line("foreach (Parameter p in _parameters)")
             .Line("    p.Dispose();")
             .Line("_arena?.Dispose();")
             .Line("_arena = null;");
        }

        w.Line();
    }

    /// <summary>
    /// The parameters as a table the constructor reads (ParameterTable.Create): one row per parameter, columns aligned.
    /// A table compiles in a fraction of the time of one <c>new Parameter(...)</c> statement per parameter. Its cells never
    /// hold whitespace: parameter names are node names (segments of [A-Za-z0-9_], NamePattern) plus a role, and every
    /// parameter's group is a declared group with such a name (NS0022 otherwise).
    /// </summary>
    private static void EmitTable(CodeWriter w, EmitContext c)
    {
        var rows = c.Graph.Params.Select(p => new[]
        {
            p.Name,
            p.Shape.Count == 0 ? "-" : string.Join(",", p.Shape),
            p.Kind.ToString(),
            p.Group,
            ((float)p.LrMult).ToString("R", CultureInfo.InvariantCulture),
            p.WeightDecay ? "yes" : "no",
        }).ToList();
        int[] widths = Enumerable.Range(0, 6).Select(i => rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max()).ToArray();
        if (rows.Count == 0)
        {
            w.Line("// The spec has no parameters.")
             .Line("private const string ParameterSpecs = \"\";")
             .Line();
            return;
        }

        w.Line("// The constructor creates the parameters from this table, in state_dict order: name, shape (PyTorch order; - for a scalar),")
         .Line("// kind, group, learning-rate multiplier, weight decay.")
         .Line("private const string ParameterSpecs = \"\"\"");
        foreach (string[] r in rows)
            w.Line("    " + string.Join("  ", r.Select((cell, i) => i == r.Length - 1 ? cell : cell.PadRight(widths[i]))));
        w.Line("    \"\"\";")
         .Line();
    }

    /// <summary>Per node (its rule's EmitInitialize), with NetSpec.Runtime.Training.Initializers (deterministic per seed and parameter name).</summary>
    private static void EmitInitialize(CodeWriter w, EmitContext c)
    {
        w.Line("/// <summary>Kaiming normal (fan_out) for conv weights as torchvision, BN weight 1 bias 0, linear and biases as PyTorch's default; deterministic in <paramref name=\"seed\"/>.</summary>");
        using (w.Block("public void InitializeParameters(ulong seed)"))
        {
            foreach (TypedNode node in c.Graph.Nodes.Where(n => n.Params.Count > 0))
                OpCatalog.Rule(node.Op).EmitInitialize(new InitSite(w, c, node));
        }

        w.Line();
    }
}
