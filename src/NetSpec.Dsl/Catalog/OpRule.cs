using System.Collections.Generic;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Catalog;

/// <summary>
/// Everything the compiler knows about one op kind, in one class (one file per op in Catalog/Ops, registered in
/// <see cref="OpCatalog"/>): what it accepts (<see cref="Spec"/>), its output shape, its parameters, its FLOPs, which
/// inputs get a gradient and what its backward reads, the buffers it keeps beside its output, its description in
/// generated comments, and the runtime calls of its forward, backward and initialisation. The stages (shapes,
/// autodiff, planning, emission) ask the rule; none of them switches on an op's name.
/// </summary>
public abstract class OpRule
{
    protected OpRule(OpSpec spec) => Spec = spec;

    /// <summary>Inputs, attributes, parameter and buffer names, whether it is a loss, its one-line doc.</summary>
    public OpSpec Spec { get; }

    public string Name => Spec.Name;

    /// <summary>The output shape from the input shapes and attributes, or null after reporting NS0012/NS0014 through <paramref name="x"/>.</summary>
    public abstract EquatableArray<Dim>? Shape(ShapeContext x);

    /// <summary>
    /// Forward FLOPs at concrete sizes (convention on <see cref="Shapes.FlopRules"/>). Use checked arithmetic (a checked
    /// context does not reach into a called method): an overflow is reported as NS0028, never wrapped.
    /// </summary>
    public abstract long Flops(OpNode node, IReadOnlyList<long[]> inputs, long[] output, long outElements);

    /// <summary>The parameters and buffers it owns, with PyTorch shapes; none by default.</summary>
    public virtual void Parameters(ParamList list)
    {
    }

    /// <summary>Whether a gradient flows into input <paramref name="slot"/> (not into a size reference or a loss's labels).</summary>
    public virtual bool Differentiable(int slot) => true;

    /// <summary>The forward tensors its backward reads: input slots and whether the output.</summary>
    public abstract SavedTensors Saved { get; }

    /// <summary>Buffers it keeps beside its output for backward (BN statistics, argmax, masks); none by default.</summary>
    public virtual IEnumerable<AuxBuffer> Auxiliary(TypedNode node)
    {
        yield break;
    }

    /// <summary>Whether its runtime call takes its inputs as one list (an array the generated Prepare fills).</summary>
    public virtual bool TakesInputList => false;

    /// <summary>A short description for the comment above its generated call.</summary>
    public virtual string Describe(TypedNode node, IReadOnlyList<string> inputs) => $"{node.Op}({string.Join(", ", inputs)})";

    /// <summary>Its forward: the runtime call(s) writing the output.</summary>
    public abstract void EmitForward(IForwardSite s);

    /// <summary>Its backward: the runtime call(s) writing the input and parameter gradients.</summary>
    public abstract void EmitBackward(IBackwardSite s);

    /// <summary>Initialises its parameters (called only for nodes with parameters).</summary>
    public virtual void EmitInitialize(IInitSite s)
    {
    }
}
