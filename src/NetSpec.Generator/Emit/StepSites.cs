using System.Linq;
using NetSpec.Dsl.Autodiff;
using NetSpec.Dsl.Catalog;
using NetSpec.Dsl.Scheduling;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Generator.Emit;

/// <summary>A forward step as an op rule sees it: tensors by slot, parameters by role, lines into the writer.</summary>
internal class StepSite(CodeWriter w, EmitContext c, ForwardStep step) : IForwardSite
{
    protected EmitContext C => c;

    protected ForwardStep Step => step;

    public TypedNode Node { get; } = c.Node(step.Head);

    public string Device => "Device";

    public string Input(int slot) => c.Field(step.Inputs[slot]);

    public string Output => c.Field(step.Output);

    public string Value(string role) => c.ParamView(step.Head, role);

    public string Aux(string suffix) => Names.Field($"{step.Head}.{suffix}");

    public string StepMember => Names.Field(step.Head).TrimStart('@');

    public ulong Salt => Names.Salt(step.Head);

    public string Float(double value) => Names.Float(value);

    public string Bool(bool value) => Names.Bool(value);

    public void Line(string code) => w.Line(code);
}

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

/// <summary>A node's parameter initialisation as its rule sees it.</summary>
internal sealed class InitSite(CodeWriter w, EmitContext c, TypedNode node) : IInitSite
{
    public string Param(string role) => c.Param(node.Name, role);

    public bool HasParam(string role) => c.HasParam(node.Name, role);

    public void Line(string code) => w.Line(code);
}
