using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Planning;

namespace NetSpec.Generator.Emit;

/// <summary>
/// ILGPU kernels specialised for this spec, next to their launchers: softmax cross-entropy with K baked in as
/// a constant (the K-loop unrolls). Fused steps that need no specialisation (BN + ReLU, the SA gate) call the
/// runtime's fused ops, which have vectorised host code for the CPU. Kernels are grid-stride loops and are
/// loaded once through Device.Kernel.
/// </summary>
internal static class KernelEmitter
{
    public static void Emit(CodeWriter w, EmitContext c)
    {
        w.Line("// Kernels specialised for this spec. Grid-stride: thread i handles items i, i + threads, i + 2·threads, …");
        w.Line();
        foreach (int k in CrossEntropyClasses(c))
            w.Line(KernelTexts.SoftmaxCrossEntropy(c.Spec.ClassName, k));
    }

    /// <summary>The distinct class counts K of the softmax-CE losses (the logits' channels).</summary>
    public static IEnumerable<int> CrossEntropyClasses(EmitContext c) =>
        c.Network.Forward.Where(s => s.Kind == StepKind.Op && c.Node(s.Head).Op == "softmax_cross_entropy")
            .Select(s => (int)c.Tensor(s.Inputs[0]).Shape[1].Offset).Distinct().OrderBy(k => k);
}
