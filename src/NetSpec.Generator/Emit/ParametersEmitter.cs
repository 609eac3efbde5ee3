using System;
using System.Linq;
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
            w.Line($"/// <summary><c>{p.Name}</c> ({string.Join(",", p.Shape)}): {p.Group}, lr×{p.LrMult:G}, {decay}.</summary>")
             .Line($"private readonly Parameter {c.Param(p.Node, p.Role)};")
             .Line();
        }

        using (w.Block($"public {c.Spec.ClassName}(Device device)"))
        {
            w.Line("Device = device ?? throw new ArgumentNullException(nameof(device));")
             .Line("Accelerator a = device.Accelerator;");
            foreach (ParamInfo p in c.Graph.Params)
            {
                string shape = p.Shape.Count == 0 ? "Array.Empty<int>()" : $"new[] {{ {string.Join(", ", p.Shape)} }}";
                w.Line($"{c.Param(p.Node, p.Role)} = new Parameter(a, {Names.Literal(p.Name)}, {shape}, ParameterKind.{p.Kind}, {Names.Literal(p.Group)}, {Names.Float(p.LrMult)}, {Names.Bool(p.WeightDecay)});");
            }

            using (w.Initializer("_parameters = new[]"))
                foreach (ParamInfo p in c.Graph.Params)
                    w.Line($"{c.Param(p.Node, p.Role)},");
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

    /// <summary>Conv: Kaiming normal fan_out (torchvision); BN weight 1, bias 0; linear and conv bias: PyTorch's uniform ±1/√fan_in.</summary>
    private static void EmitInitialize(CodeWriter w, EmitContext c)
    {
        w.Line("/// <summary>Kaiming normal (fan_out) for conv weights as torchvision, BN weight 1 bias 0, linear and biases as PyTorch's default; deterministic in <paramref name=\"seed\"/>.</summary>");
        using (w.Block("public void InitializeParameters(ulong seed)"))
        {
            foreach (ParamInfo p in c.Graph.Params)
            {
                string field = c.Param(p.Node, p.Role);
                string salt = $"0x{Names.Salt(p.Name):X16}UL";
                switch (p.Init)
                {
                    case ParamInit.KaimingNormalFanOut:
                        int fanOut = p.Shape[0] * p.Shape.Skip(2).Aggregate(1, (a, b) => a * b);
                        w.Line($"ParameterInit.KaimingNormalFanOut({field}, fanOut: {fanOut}, seed ^ {salt});");
                        break;
                    case ParamInit.UniformFanIn:
                        w.Line($"ParameterInit.Uniform({field}, bound: {Names.Float(1.0 / Math.Sqrt(Math.Max(1, p.FanIn)))}, seed ^ {salt});");
                        break;
                    case ParamInit.Ones:
                        w.Line($"ParameterInit.Fill({field}, 1f);");
                        break;
                    default:
                        w.Line($"ParameterInit.Fill({field}, 0f);");
                        break;
                }
            }
        }

        w.Line();
    }
}
