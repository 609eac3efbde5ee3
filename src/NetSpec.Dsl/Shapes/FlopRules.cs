using System.Collections.Generic;
using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Shapes;

/// <summary>
/// Forward FLOPs of one op at concrete sizes. Convention: a multiply-accumulate is 2 FLOPs
/// (conv, linear), a bias add 1 per output; BN apply 2 per element (scale, shift); ReLU, sigmoid,
/// dropout, add, mul 1 per element; pools one per window element; global pool one per input element;
/// bilinear resize 8 per output (4 weighted taps), nearest 0; concat 0; losses not counted.
/// </summary>
public static class FlopRules
{
    /// <summary>Checked arithmetic: an OverflowException rather than a wrapped count (SizeLimits reports it as NS0028).</summary>
    public static long Forward(OpNode node, IReadOnlyList<long[]> inputs, long[] output) => checked(Count(node, inputs, output));

    private static long Count(OpNode node, IReadOnlyList<long[]> inputs, long[] output)
    {
        long outElements = 1;
        foreach (long d in output)
            outElements *= d;
        switch (node.Op)
        {
            case "conv2d":
                ConvGeometry g = NodeAttrs.Conv(node);
                long macs = outElements * (inputs[0][1] / g.Groups) * g.KernelH * g.KernelW;
                return 2 * macs + (NodeAttrs.Bool(node, "bias", true) ? outElements : 0);
            case "linear":
                return 2 * outElements * inputs[0][1] + (NodeAttrs.Bool(node, "bias", true) ? outElements : 0);
            case "batchnorm":
                return 2 * outElements;
            case "relu" or "sigmoid" or "dropout" or "add" or "mul":
                return outElements;
            case "maxpool" or "avgpool":
                ConvGeometry p = NodeAttrs.Pool(node);
                return outElements * p.KernelH * p.KernelW;
            case "global_avg_pool":
                return inputs[0][0] * inputs[0][1] * inputs[0][2] * inputs[0][3];
            case "resize":
                return NodeAttrs.Raw(node, "mode") == "nearest" ? 0 : 8 * outElements;
            default:
                return 0;
        }
    }
}
