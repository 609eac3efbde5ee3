using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetSpec.Dsl.Autodiff;
using NetSpec.Dsl.Catalog;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Planning;
using NetSpec.Dsl.Scheduling;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Generator.Emit;

/// <summary>
/// Prepare: checks sizes, computes the dims, and binds every buffer field to its slice of one arena. The buffers of
/// both plans are numbered once (the training plan's, then any only inference has); each plan's tables say when a
/// buffer is live (-1: not in that plan) and in which order buffers are placed (first fit: the runtime's ArenaBinder runs FirstFitPlacement). One Bind
/// method lists every buffer with its shape: Prepare runs it twice, to measure the lengths, then to bind the slices.
/// </summary>
internal static class PlanEmitter
{
    public static void Emit(CodeWriter w, EmitContext c)
    {
        List<PlannedBuffer> all = AllBuffers(c);
        w.Line("// Memory plan: buffer lifetimes over the schedule (forward steps, then backward steps) and placement order, decided at build time.")
         .Line($"// Tables are indexed by buffer (the numbers in Bind); -1: the buffer is not in that plan.");
        EmitTables(w, "Inference", c.Network.InferencePlan, all, c);
        EmitTables(w, "Training", c.Network.TrainingPlan, all, c);
        EmitConcatArrays(w, c);
        EmitPrepare(w, c, all.Count);
        EmitBind(w, all, c);
    }

    /// <summary>The training plan's buffers, then those only the inference plan has (none today): one number per buffer.</summary>
    private static List<PlannedBuffer> AllBuffers(EmitContext c)
    {
        var seen = new HashSet<string>();
        return c.Network.TrainingPlan.Buffers.Concat(c.Network.InferencePlan.Buffers).Where(b => seen.Add(b.Name)).ToList();
    }

    private static void EmitTables(CodeWriter w, string plan, MemoryPlan p, List<PlannedBuffer> all, EmitContext c)
    {
        long peak = p.PeakBytes(c.Defaults), sum = p.SumBytes(c.Defaults);
        w.Line(string.Format(CultureInfo.InvariantCulture,
            "// {0} plan: {1} of the {2} buffers; planned peak {3:N0} bytes at the default size {4}×3×{5}×{6} ({7:N0} bytes without reuse).",
            plan, p.Buffers.Count, all.Count, peak, c.Defaults["N"], c.Defaults["H"], c.Defaults["W"], sum));
        var byName = p.Buffers.ToDictionary(b => b.Name);
        var number = all.Select((b, i) => (b.Name, i)).ToDictionary(x => x.Name, x => x.i);
        w.Line($"private static readonly int[] {plan}First = {{ {string.Join(", ", all.Select(b => byName.TryGetValue(b.Name, out PlannedBuffer? q) ? q.First : -1))} }};");
        w.Line($"private static readonly int[] {plan}Last = {{ {string.Join(", ", all.Select(b => byName.TryGetValue(b.Name, out PlannedBuffer? q) ? q.Last : -1))} }};");
        w.Line($"private static readonly int[] {plan}Order = {{ {string.Join(", ", p.Order.Select(i => number[p.Buffers[i].Name]))} }};");
        w.Line();
    }

    /// <summary>Ops that take lists (concat, <see cref="OpRule.TakesInputList"/>): build them in Prepare, never in Forward/Backward.</summary>
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
        c.Network.Forward.Where(s => s.Kind == StepKind.Op && OpCatalog.Rule(c.Node(s.Head).Op).TakesInputList);

    private static void EmitPrepare(CodeWriter w, EmitContext c, int count)
    {
        using (w.Block("public void Prepare(int batch, int height, int width, bool training)"))
        {
            w.Line("if (_arena is not null && batch == BatchSize && height == Height && width == Width && training == _training)")
             .Line("    return;")
             .Line("if (batch < 1 || height < 1 || width < 1)")
             .Line($"    throw new ArgumentOutOfRangeException(nameof(batch), $\"{CSharpText.Interpolated(c.Spec.Name)}: sizes must be positive, got {{batch}}×3×{{height}}×{{width}}\");")
             .Line("int N = batch, H = height, W = width;");
            EmitDims(w, c);
            var checks = c.DimLocals.Select(d => $"{d.Name} < 1").ToList();
            if (checks.Count > 0)
            {
                w.Line($"if ({string.Join(" || ", checks)})")
                 .Line($"    throw new ArgumentException($\"{CSharpText.Interpolated(c.Spec.Name)}: input {{height}}×{{width}} is too small: a feature map would have no pixels\");");
            }

            w.Line($"var arena = new ArenaBinder({count});")
             .Line("Bind(arena, N, H, W); // measures every buffer")
             .Line("if (training)")
             .Line("    arena.Place(Device.Accelerator, ref _arena, TrainingFirst, TrainingLast, TrainingOrder);")
             .Line("else")
             .Line("    arena.Place(Device.Accelerator, ref _arena, InferenceFirst, InferenceLast, InferenceOrder);")
             .Line("Bind(arena, N, H, W); // binds every field to its slice (default where the plan has no such buffer)")
             .Line("PlannedPeakBytes = arena.PeakBytes;")
             .Line("(BatchSize, Height, Width, _training) = (batch, height, width, training);");
        }

        w.Line();
    }

    public static void EmitDims(CodeWriter w, EmitContext c)
    {
        foreach ((string name, Dim d) in c.DimLocals)
            w.Line($"int {name} = {d.ToCSharp(s => s)}; // {CSharpText.Comment(d.ToString())}");
    }

    private static void EmitBind(CodeWriter w, List<PlannedBuffer> all, EmitContext c)
    {
        w.Line("/// <summary>Every buffer, numbered as in the plan tables: measured on the first pass, bound to its arena slice on the second.</summary>");
        using (w.Block("private void Bind(ArenaBinder arena, int N, int H, int W)"))
        {
            EmitDims(w, c);
            for (int i = 0; i < all.Count; i++)
                w.Line($"this.{MembersEmitter.Declaration(all[i], c).Name} = {View(all[i], i, c)};");
            foreach (ForwardStep s in ConcatSteps(c))
            {
                string f = Names.Field(s.Head).TrimStart('@');
                for (int i = 0; i < s.Inputs.Count; i++)
                {
                    w.Line($"{f}_inputs[{i}] = {c.Field(s.Inputs[i])};");
                    bool hasGrad = c.Network.Backward.GradTensors.Contains(s.Inputs[i]);
                    w.Line($"{f}_inputGrads[{i}] = {(hasGrad ? Names.Gradient(s.Inputs[i]) : "default")};");
                }
            }
        }

        w.Line();
    }

    private static string Length(EquatableArray<Dim> elements, EmitContext c) =>
        elements.Count == 0 ? "1" : elements.Count == 1 ? c.Dim(elements[0]) : "(long)" + string.Join(" * ", elements.Select(c.Dim));

    private static string View(PlannedBuffer b, int index, EmitContext c)
    {
        EquatableArray<Dim> e = b.Elements;
        return b.Kind switch
        {
            BufferKind.Labels => $"arena.Labels({index}, {c.Dim(e[0])}, {c.Dim(e[1])}, {c.Dim(e[2])})",
            BufferKind.Argmax => $"arena.Ints({index}, {Length(e, c)})",
            BufferKind.Activation or BufferKind.Gradient when e.Count == 4 =>
                $"arena.Tensor({index}, {c.Dim(e[0])}, {c.Dim(e[1])}, {c.Dim(e[2])}, {c.Dim(e[3])})",
            _ => $"arena.View({index}, {Length(e, c)})",
        };
    }
}
