using System.Linq;
using NetSpec.Dsl.Autodiff;
using NetSpec.Dsl.Catalog;

namespace NetSpec.Generator.Emit;

/// <summary>A backward step as an op rule sees it: adds the gradients (written or accumulated) and the loss weight.</summary>
internal sealed class BackwardSite(CodeWriter w, EmitContext c, BackwardStep b) : StepSite(w, c, b.Forward), IBackwardSite
{
    public string OutputGrad => Names.Gradient(Step.Output);

    public bool HasInputGrad(int slot) => Target(slot) is not null;

    public string InputGrad(int slot) => Target(slot) is GradTarget t ? Names.Gradient(t.Tensor) : "default";

    public string Accumulate(int slot) => Names.Bool(Target(slot)?.Accumulate ?? false);

    public string Grad(string role) => C.GradView(Step.Head, role);

    public double LossWeight => b.LossWeight;

    private GradTarget? Target(int slot) => b.InputGrads.FirstOrDefault(g => g.Slot == slot);
}
