using System.Reflection;
using NetSpec.Runtime.Gemm;
using NetSpec.Runtime.Training;

namespace NetSpec.Runtime.Ops;

/// <summary>
/// Every kernel method of the runtime, so that tests can compile each one for PTX and OpenCL without a
/// device. A test reflects over the assembly and fails when a kernel is missing here.
/// </summary>
internal static class KernelRegistry
{
    public static IReadOnlyList<KernelEntry> All { get; } =
    [
        Auto(typeof(Activation), nameof(Activation.ReluForwardKernel)),
        Auto(typeof(Activation), nameof(Activation.ReluBackwardKernel)),
        Auto(typeof(Activation), nameof(Activation.LeakyReluForwardKernel)),
        Auto(typeof(Activation), nameof(Activation.LeakyReluBackwardKernel)),
        Auto(typeof(Activation), nameof(Activation.SigmoidForwardKernel)),
        Auto(typeof(Activation), nameof(Activation.SigmoidBackwardKernel)),
        Auto(typeof(AttentionGate), nameof(AttentionGate.ForwardKernel)),
        Auto(typeof(AttentionGate), nameof(AttentionGate.BackwardKernel)),
        Auto(typeof(BatchNorm), nameof(BatchNorm.StatisticsPartialKernel)),
        Grouped(typeof(BatchNorm), nameof(BatchNorm.StatisticsFinishKernel)),
        Auto(typeof(BatchNorm), nameof(BatchNorm.BackwardPartialKernel)),
        Grouped(typeof(BatchNorm), nameof(BatchNorm.SliceStatisticsKernel)),
        Grouped(typeof(BatchNorm), nameof(BatchNorm.SliceApplyKernel)),
        Grouped(typeof(BatchNorm), nameof(BatchNorm.SliceGradientSumsKernel)),
        Grouped(typeof(BatchNorm), nameof(BatchNorm.SliceGradientApplyKernel)),
        Grouped(typeof(BatchNorm), nameof(BatchNorm.BackwardParamsKernel)),
        Auto(typeof(BatchNorm), nameof(BatchNorm.BackwardInputKernel)),
        Auto(typeof(Bias), nameof(Bias.AddKernel)),
        Grouped(typeof(Bias), nameof(Bias.GradientKernel)),
        Auto(typeof(Concat), nameof(Concat.SliceCopyKernel)),
        Auto(typeof(Dropout), nameof(Dropout.ForwardKernel)),
        Auto(typeof(Dropout), nameof(Dropout.BackwardKernel)),
        Auto(typeof(Elementwise), nameof(Elementwise.BinaryKernel)),
        Auto(typeof(Elementwise), nameof(Elementwise.MulBackwardAKernel)),
        Auto(typeof(Elementwise), nameof(Elementwise.ReduceToBKernel)),
        Auto(typeof(Elementwise), nameof(Elementwise.CopyKernel)),
        Auto(typeof(Elementwise), nameof(Elementwise.ScaleKernel)),
        Auto(typeof(Elementwise), nameof(Elementwise.FillKernel)),
        Auto(typeof(Conv2d), nameof(Conv2d.SumImagesKernel)),
        Auto(typeof(Im2Col), nameof(Im2Col.UnfoldKernel)),
        Auto(typeof(Im2Col), nameof(Im2Col.FoldKernel)),
        Auto(typeof(Im2Col), nameof(Im2Col.FoldUnitStrideKernel)),
        Auto(typeof(Losses), nameof(Losses.CrossEntropyPartialKernel)),
        Grouped(typeof(Losses), nameof(Losses.CrossEntropyFinishKernel)),
        Grouped(typeof(Losses), nameof(Losses.CountFinishKernel)),
        Auto(typeof(Losses), nameof(Losses.CrossEntropyBackwardKernel)),
        Auto(typeof(Losses), nameof(Losses.PresenceKernel)),
        Auto(typeof(Losses), nameof(Losses.InvalidLabelKernel)),
        Auto(typeof(Losses), nameof(Losses.BceForwardKernel)),
        Auto(typeof(Losses), nameof(Losses.BceBackwardKernel)),
        Auto(typeof(Pooling), nameof(Pooling.MaxForwardKernel)),
        Auto(typeof(Pooling), nameof(Pooling.MaxBackwardKernel)),
        Auto(typeof(Pooling), nameof(Pooling.AvgForwardKernel)),
        Auto(typeof(Pooling), nameof(Pooling.AvgBackwardKernel)),
        Auto(typeof(Pooling), nameof(Pooling.GlobalAvgForwardKernel)),
        Auto(typeof(Pooling), nameof(Pooling.GlobalAvgBackwardKernel)),
        Auto(typeof(Resize), nameof(Resize.BilinearForwardKernel)),
        Auto(typeof(Resize), nameof(Resize.BilinearBackwardKernel)),
        Auto(typeof(Resize), nameof(Resize.NearestForwardKernel)),
        Auto(typeof(Resize), nameof(Resize.NearestBackwardKernel)),
        Auto(typeof(Sgd), nameof(Sgd.StepKernel)),
        Grouped(typeof(TiledGemm), nameof(TiledGemm.TiledKernel)),
    ];

    private static KernelEntry Auto(Type type, string name) => new(Find(type, name), ExplicitlyGrouped: false);

    private static KernelEntry Grouped(Type type, string name) => new(Find(type, name), ExplicitlyGrouped: true);

    private static MethodInfo Find(Type type, string name) =>
        type.GetMethod(name, BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
        ?? throw new InvalidOperationException($"kernel {type.Name}.{name} not found");
}

/// <summary>A kernel method; auto-grouped kernels take an Index1D first, explicitly grouped ones use Grid/Group.</summary>
internal sealed record KernelEntry(MethodInfo Method, bool ExplicitlyGrouped)
{
    public override string ToString() => $"{Method.DeclaringType!.Name}.{Method.Name}";
}
