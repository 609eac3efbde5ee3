using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Planning;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Generator.Emit;

/// <summary>INetwork's surface: identity, sizes, buffer fields (views into the arena), outputs and losses.</summary>
internal static class MembersEmitter
{
    public static void Emit(CodeWriter w, EmitContext c)
    {
        ExpandedSpec spec = c.Spec;
        InputDecl image = spec.Inputs.First(i => i.Kind == InputKind.Image);
        int ignore = spec.Inputs.FirstOrDefault(i => i.Kind == InputKind.Label)?.IgnoreLabel ?? 255;
        w.Line($"private readonly Parameter[] _parameters;")
         .Line("private MemoryBuffer1D<float, Stride1D.Dense>? _arena;")
         .Line("private bool _training;")
         .Line()
         .Line($"public string SpecName => {CSharpText.Literal(spec.Name)};")
         .Line()
         .Line($"public int NumClasses => {spec.NumClasses};")
         .Line()
         .Line($"public int IgnoreLabel => {ignore};")
         .Line()
         .Line("public Device Device { get; }")
         .Line()
         .Line("public IReadOnlyList<Parameter> Parameters => _parameters;")
         .Line()
         .Line($"public IReadOnlyList<string> OutputNames {{ get; }} = new[] {{ {string.Join(", ", spec.Outputs.Select(o => CSharpText.Literal(o.Name)))} }};")
         .Line()
         .Line("public int BatchSize { get; private set; }")
         .Line()
         .Line("public int Height { get; private set; }")
         .Line()
         .Line("public int Width { get; private set; }")
         .Line()
         .Line("public ulong StepSeed { get; set; }")
         .Line()
         .Line("public long PlannedPeakBytes { get; private set; }")
         .Line()
         .Line($"public Tensor Image => {c.Field(image.Name)};")
         .Line()
         .Line("public LabelMap Labels => _labels;")
         .Line();
        EmitBufferFields(w, c);
        EmitOutput(w, c);
        EmitReadLosses(w, c);
    }

    /// <summary>One field per planned buffer (both plans), named after its tensor, its shape as a comment.</summary>
    private static void EmitBufferFields(CodeWriter w, EmitContext c)
    {
        w.Line("// Views into the arena (set by Prepare). Shapes: N batch, H×W input size.");
        if (!c.Spec.Inputs.Any(i => i.Kind == InputKind.Label))
            w.Line("private readonly LabelMap _labels = default; // this spec has no label input");
        var seen = new HashSet<string>();
        foreach (PlannedBuffer b in c.Network.TrainingPlan.Buffers.Concat(c.Network.InferencePlan.Buffers))
        {
            if (!seen.Add(b.Name))
                continue;
            (string type, string name) = Declaration(b, c);
            w.Line($"private {type} {name}; // {CSharpText.Comment(Describe(b) + Shape.Format(b.Elements))}");
        }

        w.Line();
    }

    public static (string Type, string Name) Declaration(PlannedBuffer b, EmitContext c) => b.Kind switch
    {
        BufferKind.Labels => ("LabelMap", "_labels"),
        BufferKind.Activation when b.Elements.Count == 4 => ("Tensor", c.Field(b.Tensor)),
        BufferKind.Activation => ("ArrayView<float>", c.Field(b.Tensor)),
        BufferKind.Gradient => ("Tensor", Names.Gradient(b.Tensor)),
        BufferKind.Argmax => ("ArrayView<int>", Names.Field(b.Name)),
        _ => ("ArrayView<float>", Names.Field(b.Name)),
    };

    private static string Describe(PlannedBuffer b) => b.Kind switch
    {
        BufferKind.Activation => "",
        BufferKind.Gradient => "gradient ",
        BufferKind.Labels => "labels ",
        BufferKind.Mean => "batch mean ",
        BufferKind.InvStd => "batch 1/std ",
        BufferKind.Argmax => "argmax ",
        BufferKind.Mask => "dropout mask ",
        _ => "",
    };

    private static void EmitOutput(CodeWriter w, EmitContext c)
    {
        string known = string.Join(", ", c.Spec.Outputs.Select(o => o.Name));
        string fields = string.Join(", ", c.Spec.Outputs.Select(o => $"Tensor {Names.Pascal(o.Name)}"));
        w.Line("/// <summary>The outputs of the last Forward, typed: " + CSharpText.DocComment(string.Join("; ", c.Spec.Outputs.Select(o => $"{Names.Pascal(o.Name)} {Shape.Format(c.Tensor(o.Tensor).Shape)}"))) + ".</summary>");
        w.Line($"public readonly record struct OutputTensors({fields});");
        w.Line();
        w.Line($"public OutputTensors Outputs => new({string.Join(", ", c.Spec.Outputs.Select(o => c.Field(o.Tensor)))});");
        w.Line();
        w.Line("/// <summary>An output of the last Forward: " + CSharpText.DocComment(known) + ".</summary>");
        using (w.Initializer("public Tensor Output(string name) => name switch"))
        {
            foreach (OutputDecl o in c.Spec.Outputs)
                w.Line($"{CSharpText.Literal(o.Name)} => {c.Field(o.Tensor)}, // {CSharpText.Comment(Shape.Format(c.Tensor(o.Tensor).Shape))}");
            w.Line($"_ => throw new ArgumentException($\"unknown output '{{name}}' of {CSharpText.Interpolated(c.Spec.Name)}; outputs: {CSharpText.Interpolated(known)}\", nameof(name)),");
        }

        w.Line();
    }

    private static void EmitReadLosses(CodeWriter w, EmitContext c)
    {
        using (w.Block("public LossValues ReadLosses()"))
        {
            w.Line("if (_arena is null || !_training)")
             .Line("    throw new InvalidOperationException(\"ReadLosses needs Prepare(..., training: true) and a training Forward\");")
             .Line("var terms = new Dictionary<string, float>();");
            var total = new List<string>();
            foreach (LossDecl loss in c.Spec.Losses)
            {
                string field = c.Field(c.Node(loss.Node).Node.Output);
                w.Line($"terms[{CSharpText.Literal(loss.Name)}] = DeviceData.Download({field})[0];");
                total.Add($"{Names.Float(loss.Weight)} * terms[{CSharpText.Literal(loss.Name)}]");
            }

            w.Line($"return new LossValues({(total.Count == 0 ? "0f" : string.Join(" + ", total))}, terms);");
        }

        w.Line();
    }
}
