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
