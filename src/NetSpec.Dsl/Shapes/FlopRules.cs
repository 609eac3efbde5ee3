using System.Collections.Generic;
using NetSpec.Dsl.Catalog;
using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Shapes;

/// <summary>
/// Forward FLOPs of one op at concrete sizes, from its rule (<see cref="OpRule.Flops"/>). Convention: a multiply-accumulate
/// is 2 FLOPs (conv, linear), a bias add 1 per output; BN apply 2 per element (scale, shift); ReLU, sigmoid, dropout,
/// add, mul 1 per element; pools one per window element; global pool one per input element; bilinear resize 8 per
/// output (4 weighted taps), nearest 0; concat 0; losses not counted.
/// </summary>
public static class FlopRules
{
    /// <summary>Checked arithmetic here and in every rule: an OverflowException rather than a wrapped count (SizeLimits reports it as NS0028).</summary>
    public static long Forward(OpNode node, IReadOnlyList<long[]> inputs, long[] output)
    {
        checked
        {
            long outElements = 1;
            foreach (long d in output)
                outElements *= d;
            return OpCatalog.Rule(node.Op).Flops(node, inputs, output, outElements);
        }
    }
}
