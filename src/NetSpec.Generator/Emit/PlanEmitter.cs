using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetSpec.Dsl.Autodiff;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Planning;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Generator.Emit;

/// <summary>
/// Prepare: checks sizes, computes every buffer's length from N, H, W, places the buffers with the build-time
/// order and lifetimes (ArenaPlanner, first fit), allocates the arena once and binds every field to its slice.
/// </summary>
internal static class PlanEmitter
{
    public static void Emit(CodeWriter w, EmitContext c)
    {
        w.Line("// Memory plan: buffer lifetimes over the schedule (forward steps, then backward steps) and placement order, decided at build time.");
        EmitTables(w, "Inference", c.Network.InferencePlan, c);
        EmitTables(w, "Training", c.Network.TrainingPlan, c);
        EmitConcatArrays(w, c);
        EmitPrepare(w, c);
        EmitBind(w, "Inference", c.Network.InferencePlan, c, training: false);
        EmitBind(w, "Training", c.Network.TrainingPlan, c, training: true);
    }

    private static void EmitTables(CodeWriter w, string plan, MemoryPlan p, EmitContext c)
    {
        long peak = p.PeakBytes(c.Defaults), sum = p.SumBytes(c.Defaults);
        w.Line(string.Format(CultureInfo.InvariantCulture,
            "// {0} plan: {1} buffers; planned peak {2:N0} bytes at the default size {3}×3×{4}×{5} ({6:N0} bytes without reuse).",
            plan, p.Buffers.Count, peak, c.Defaults["N"], c.Defaults["H"], c.Defaults["W"], sum));
        w.Line($"private static readonly int[] {plan}First = {{ {string.Join(", ", p.Buffers.Select(b => b.First))} }};");
        w.Line($"private static readonly int[] {plan}Last = {{ {string.Join(", ", p.Buffers.Select(b => b.Last))} }};");
        w.Line($"private static readonly int[] {plan}Order = {{ {string.Join(", ", p.Order)} }};");
        w.Line();
    }

    /// <summary>Concat takes lists: build them in Prepare, never in Forward/Backward.</summary>
    private static void EmitConcatArrays(CodeWriter w, EmitContext c)
    {
        foreach (ForwardStep s in ConcatSteps(c))
        {
            string f = Names.Field(s.Head).TrimStart('@');
            w.Line($"private Tensor[] {f}_inputs = new Tensor[{s.Inputs.Count}];");
            w.Line($"private Tensor[] {f}_inputGrads = new Tensor[{s.Inputs.Count}];");
            BackwardStep? back = c.Network.Backward.Steps.FirstOrDefault(b => b.Forward.Head == s.Head);
            var flags = Enumerable.Range(0, s.Inputs.Count).Select(i => Names.Bool(back?.InputGrads.FirstOrDefault(g => g.Slot == i)?.Accumulate ?? false));
            w.Line($"private static readonly bool[] {f}_accumulate = {{ {string.Join(", ", flags)} }};");
        }

        w.Line();
    }

    public static IEnumerable<ForwardStep> ConcatSteps(EmitContext c) =>
        c.Network.Forward.Where(s => s.Kind == StepKind.Op && c.Node(s.Head).Op == "concat");

    private static void EmitPrepare(CodeWriter w, EmitContext c)
    {
        using (w.Block("public void Prepare(int batch, int height, int width, bool training)"))
        {
            w.Line("if (_arena is not null && batch == BatchSize && height == Height && width == Width && training == _training)")
             .Line("    return;")
             .Line("if (batch < 1 || height < 1 || width < 1)")
             .Line($"    throw new ArgumentOutOfRangeException(nameof(batch), $\"{c.Spec.Name}: sizes must be positive, got {{batch}}×3×{{height}}×{{width}}\");")
             .Line("int N = batch, H = height, W = width;");
            EmitDims(w, c);
            var checks = c.DimLocals.Select(d => $"{d.Name} < 1").ToList();
            if (checks.Count > 0)
            {
                w.Line($"if ({string.Join(" || ", checks)})")
                 .Line($"    throw new ArgumentException($\"{c.Spec.Name}: input {{height}}×{{width}} is too small: a feature map would have no pixels\");");
            }

            w.Line("if (training)")
             .Line("    BindTraining(N, H, W);")
             .Line("else")
             .Line("    BindInference(N, H, W);")
             .Line("(BatchSize, Height, Width, _training) = (batch, height, width, training);");
        }

        w.Line();
    }

    public static void EmitDims(CodeWriter w, EmitContext c)
    {
        foreach ((string name, Dim d) in c.DimLocals)
            w.Line($"int {name} = {d.ToCSharp(s => s)}; // {d}");
    }

    private static void EmitBind(CodeWriter w, string plan, MemoryPlan p, EmitContext c, bool training)
    {
        using (w.Block($"private void Bind{plan}(int N, int H, int W)"))
        {
            EmitDims(w, c);
            using (w.Initializer("long[] lengths ="))
                foreach (PlannedBuffer b in p.Buffers)
                    w.Line($"{Length(b.Elements, c)}, // {b.Name}");
            w.Line($"long[] offsets = ArenaPlanner.Place(lengths, {plan}First, {plan}Last, {plan}Order, out long slots);")
             .Line("_arena?.Dispose();")
             .Line("_arena = Device.Accelerator.Allocate1D<float>(Math.Max(1, slots));")
             .Line("PlannedPeakBytes = 4 * slots;")
             .Line("ArrayView<float> arena = _arena.View;");
            if (!training)
                foreach (string gradient in c.Network.Backward.GradTensors)
                    w.Line($"this.{Names.Gradient(gradient)} = default;");
            for (int i = 0; i < p.Buffers.Count; i++)
                w.Line($"this.{MembersEmitter.Declaration(p.Buffers[i], c).Name} = {View(p.Buffers[i], i, c)};");
            foreach (ForwardStep s in ConcatSteps(c))
            {
                string f = Names.Field(s.Head).TrimStart('@');
                for (int i = 0; i < s.Inputs.Count; i++)
                {
                    w.Line($"{f}_inputs[{i}] = {c.Field(s.Inputs[i])};");
                    bool hasGrad = training && c.Network.Backward.GradTensors.Contains(s.Inputs[i]);
                    w.Line($"{f}_inputGrads[{i}] = {(hasGrad ? Names.Gradient(s.Inputs[i]) : "default")};");
                }
            }
        }

        w.Line();
    }

    private static string Length(EquatableArray<Dim> elements, EmitContext c) =>
        elements.Count == 0 ? "1L" : "(long)" + string.Join(" * ", elements.Select(c.Dim));

    private static string View(PlannedBuffer b, int index, EmitContext c)
    {
        string slice = $"arena.SubView(offsets[{index}], lengths[{index}])";
        EquatableArray<Dim> e = b.Elements;
        return b.Kind switch
        {
            BufferKind.Labels => $"new LabelMap({slice}.Cast<int>(), {c.Dim(e[0])}, {c.Dim(e[1])}, {c.Dim(e[2])})",
            BufferKind.Argmax => $"{slice}.Cast<int>()",
            BufferKind.Activation or BufferKind.Gradient when e.Count == 4 =>
                $"new Tensor({slice}, {c.Dim(e[0])}, {c.Dim(e[1])}, {c.Dim(e[2])}, {c.Dim(e[3])})",
            _ => slice,
        };
    }
}
