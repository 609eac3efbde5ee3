using System;
using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Scheduling;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Catalog;

/// <summary>
/// Everything the compiler knows about one op kind, in one class (one file per op in Catalog/Ops, registered in
/// <see cref="OpCatalog"/>): what it accepts (<see cref="Spec"/>), its output shape, its parameters, its FLOPs, which
/// inputs get a gradient and what its backward reads, the buffers it keeps beside its output, its description in
/// generated comments, the runtime calls of its forward, backward and initialisation, and its ONNX form. The stages (shapes,
/// autodiff, planning, emission) ask the rule; none of them switches on an op's name.
/// </summary>
public abstract class OpRule
{
    protected OpRule(OpSpec spec) => Spec = spec;

    /// <summary>Inputs, attributes, parameter and buffer names, whether it is a loss, its one-line doc.</summary>
    public OpSpec Spec { get; }

    public string Name => Spec.Name;

    /// <summary>
    /// The typed attributes of a node from its checked attributes as written (canonical text), defaults filled in from
    /// the declarations in <see cref="Spec"/>. A key the op does not declare is a compiler bug (the front end reports
    /// NS0004), as is text the front end could not have written.
    /// </summary>
    public OpAttributes Bind(EquatableArray<Attr> written)
    {
        foreach (Attr a in written)
            if (!Spec.Attrs.Any(s => s.Name == a.Key))
                throw new InvalidOperationException($"{Name} has no attribute '{a.Key}' (the front end reports NS0004)");
        return Read(new AttrReader(Name, written));
    }

    /// <summary>Reads the op's typed record; ops without attributes keep this default.</summary>
    protected virtual OpAttributes Read(AttrReader attrs) => NoAttributes.Instance;

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

    /// <summary>
    /// The fused step this op heads when <paramref name="next"/> is the only reader of its output (in the same mode), or
    /// null for none. The scheduler (Scheduling/Fusion.cs) asks it and checks what else a fusion needs (a gate's shapes).
    /// </summary>
    public virtual StepKind? Absorbs(OpRule next) => null;

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

    /// <summary>
    /// Its form in an exported ONNX model (eval mode): the nodes it writes, or <see cref="OnnxForm.None"/> with the reason
    /// it has none. Every op declares one (src/NetSpec.Onnx asks only this; no exporter file names an op).
    /// </summary>
    public abstract OnnxForm Onnx { get; }
}

/// <summary>A rule whose op has attributes: its typed record <typeparamref name="TAttributes"/>, declared beside the rule.</summary>
public abstract class OpRule<TAttributes>(OpSpec spec) : OpRule(spec)
    where TAttributes : OpAttributes
{
    /// <summary>The node's typed attributes.</summary>
    public static TAttributes Of(OpNode node) => node.AttributesAs<TAttributes>();

    public static TAttributes Of(TypedNode node) => node.Node.AttributesAs<TAttributes>();

    protected sealed override OpAttributes Read(AttrReader attrs) => ReadAttributes(attrs);

    /// <summary>Builds the record from the declared attributes (<see cref="AttrReader.Get{T}"/>).</summary>
    protected abstract TAttributes ReadAttributes(AttrReader attrs);
}
