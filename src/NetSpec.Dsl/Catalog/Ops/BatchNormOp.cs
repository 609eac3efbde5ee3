using System;
using System.Collections.Generic;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Planning;
using NetSpec.Dsl.Scheduling;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Catalog.Ops;

/// <summary>batchnorm's attributes: ε added to the variance, and the running statistics' momentum.</summary>
public sealed record BatchNormAttributes(double Eps, double Momentum) : OpAttributes;

/// <summary>
/// batchnorm: (N, C, H, W) → same; weight and bias (C), running statistics (C) and a batch counter. Keeps the batch
/// mean and inverse standard deviation (C) for backward. The fused batchnorm + relu and batchnorm + add + relu steps call
/// the same runtime op with <c>relu: true</c> (and the residual).
/// </summary>
public sealed class BatchNormOp() : OpRule<BatchNormAttributes>(new OpSpec("batchnorm", 1, 1, new AttrSpec[]
{
    Eps, Momentum,
}, new[] { "weight", "bias" }, new[] { "running_mean", "running_var", "num_batches_tracked" }, false,
    "Batch norm over N,H,W per channel; batch statistics in training, running statistics in eval."))
{
    private static readonly FloatAttr Eps = new("eps", 1e-5, 0, 1);
    private static readonly FloatAttr Momentum = new("momentum", 0.1, 0, 1);

    protected override BatchNormAttributes ReadAttributes(AttrReader a) => new(a.Get(Eps), a.Get(Momentum));

    public override EquatableArray<Dim>? Shape(ShapeContext x) => x.Rank(0, 4) ? x.X[0] : null;

    /// <summary>2 per element (scale, shift).</summary>
    public override long Flops(OpNode node, IReadOnlyList<long[]> inputs, long[] output, long outElements) => checked(2 * outElements);

    public override void Parameters(ParamList p)
    {
        int channels = p.Channels;
        p.Add("weight", new[] { channels }, ParamKind.Weight, ParamInit.Ones);
        p.Add("bias", new[] { channels }, ParamKind.Weight, ParamInit.Zeros);
        p.Add("running_mean", new[] { channels }, ParamKind.Buffer, ParamInit.Zeros);
        p.Add("running_var", new[] { channels }, ParamKind.Buffer, ParamInit.Ones);
        p.Add("num_batches_tracked", new int[0], ParamKind.Counter, ParamInit.Zeros);
    }

    /// <summary>x̂ from x and the saved statistics; the output only for a fused ReLU's mask (that step saves it itself).</summary>
    public override SavedTensors Saved => SavedTensors.OfInputs(0);

    public override IEnumerable<AuxBuffer> Auxiliary(TypedNode node)
    {
        EquatableArray<Dim> channels = Shapes.Shape.Of(node.Output[1]);
        yield return new AuxBuffer("mean", BufferKind.Mean, channels);
        yield return new AuxBuffer("inv_std", BufferKind.InvStd, channels);
    }

    /// <summary>A relu after it: one fused apply (<see cref="StepKind.BatchNormRelu"/>), the pre-ReLU tensor never stored.</summary>
    public override StepKind? Absorbs(OpRule next) => next is ReluOp ? StepKind.BatchNormRelu : null;

    /// <summary>BatchNormalization with the running statistics; in eval a per-channel affine, folded into a conv before it.</summary>
    public override OnnxForm Onnx { get; } = OnnxForm.Written(WriteOnnx, "BatchNormalization").WithAffine(EvalAffine);

    public override void EmitForward(IForwardSite s) => EmitForward(s, relu: false);

    /// <summary>
    /// Statistics (batch in training, running in eval) and the normalisation in one call; <paramref name="relu"/> for the
    /// fused steps, <paramref name="residual"/> (a field) for batchnorm + add + relu.
    /// </summary>
    public static void EmitForward(IStepSite s, bool relu, string residual = "default")
    {
        TypedNode bn = s.Node;
        BatchNormAttributes a = Of(bn);
        string momentum = s.Float(a.Momentum);
        string eps = s.Float(a.Eps);
        s.Line($"BatchNorm.Forward({s.Device}, {s.Input(0)}, {residual}, {s.Aux("mean")}, {s.Aux("inv_std")}, {s.Value("running_mean")}, {s.Value("running_var")}, {s.Value("num_batches_tracked")}, {s.Value("weight")}, {s.Value("bias")}, {s.Output}, momentum: {momentum}, eps: {eps}, training, relu: {s.Bool(relu)});");
    }

    // the output is not saved (its buffer may hold another tensor by now): no ReLU, so backward never reads it
    public override void EmitBackward(IBackwardSite s) => EmitBackward(s, relu: false);

    /// <summary>The backward through the apply and the statistics; with <paramref name="relu"/> it reads the output for the mask.</summary>
    public static void EmitBackward(IBackwardSite s, bool relu) =>
        s.Line($"BatchNorm.Backward({s.Device}, {s.Input(0)}, {(relu ? s.Output : "default")}, {s.OutputGrad}, {s.Aux("mean")}, {s.Aux("inv_std")}, {s.Value("weight")}, {s.InputGrad(0)}, {s.Grad("weight")}, {s.Grad("bias")}, relu: {s.Bool(relu)}, accumulate: {s.Accumulate(0)});");

    /// <summary>batchnorm + add + relu: the BN's backward with the ReLU's mask, the residual's gradient (dy masked) from the same pass.</summary>
    public static void EmitBackwardWithResidual(IBackwardSite s) =>
        s.Line($"BatchNorm.Backward({s.Device}, {s.Input(0)}, {s.Output}, {s.OutputGrad}, {s.Aux("mean")}, {s.Aux("inv_std")}, {s.Value("weight")}, {s.InputGrad(0)}, {s.Grad("weight")}, {s.Grad("bias")}, {s.InputGrad(1)}, relu: true, accumulate: {s.Accumulate(0)}, accumulateResidual: {s.Accumulate(1)});");

    public override void EmitInitialize(IInitSite s)
    {
        string Optional(string role) => s.HasParam(role) ? s.Param(role) : "null";
        s.Line($"Initializers.BatchNorm({s.Param("weight")}, {s.Param("bias")}, {Optional("running_mean")}, {Optional("running_var")}, {Optional("num_batches_tracked")});");
    }

    // y = (x − running_mean) / sqrt(running_var + eps) · weight + bias, per channel
    private static void WriteOnnx(IOnnxSite s) =>
        s.Write(
            "BatchNormalization",
            new[] { s.Input(0), s.Param("weight"), s.Param("bias"), s.Param("running_mean"), s.Param("running_var") },
            OnnxAttribute.Float("epsilon", (float)Of(s.Node).Eps));

    /// <summary>
    /// Eval-mode batch norm as y = (x − μ)·s + β with s = γ / √(σ² + ε), in double; ε as the runtime uses it, a float
    /// (generated code passes eps as a float literal).
    /// </summary>
    private static ChannelAffine EvalAffine(TypedNode node, Func<string, float[]> values)
    {
        float[] gamma = values("weight"), beta = values("bias"), mean = values("running_mean"), variance = values("running_var");
        double eps = (float)Of(node).Eps;
        var center = new double[gamma.Length];
        var scale = new double[gamma.Length];
        var shift = new double[gamma.Length];
        for (int c = 0; c < gamma.Length; c++)
        {
            center[c] = mean[c];
            scale[c] = gamma[c] / Math.Sqrt(variance[c] + eps);
            shift[c] = beta[c];
        }

        return new ChannelAffine(center, scale, shift);
    }
}
