using System.Collections.Generic;
using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Shapes;

/// <summary>The parameters and buffers an op owns, with PyTorch shapes and state_dict names (<c>node.weight</c>).</summary>
public static class ParamRules
{
    public static IReadOnlyList<ParamInfo> For(OpNode node, EquatableArray<Dim> input, ParamGroupDecl group)
    {
        var list = new List<ParamInfo>();
        void Add(string role, int[] shape, ParamKind kind, ParamInit init, int fanIn = 0) =>
            list.Add(new ParamInfo($"{node.Name}.{role}", node.Name, role, shape.ToEquatableArray(), kind, init, fanIn,
                group.Name, group.LrMult, kind == ParamKind.Weight && group.WeightDecay));

        int channels = input.Count > 1 && input[1].IsConst ? (int)input[1].Offset : 0;
        switch (node.Op)
        {
            case "conv2d":
                ConvGeometry g = NodeAttrs.Conv(node);
                int k = NodeAttrs.Int(node, "out_channels");
                int fanIn = channels / g.Groups * g.KernelH * g.KernelW;
                Add("weight", new[] { k, channels / g.Groups, g.KernelH, g.KernelW }, ParamKind.Weight, ParamInit.KaimingNormalFanOut, fanIn);
                if (NodeAttrs.Bool(node, "bias", true))
                    Add("bias", new[] { k }, ParamKind.Weight, ParamInit.UniformFanIn, fanIn);
                break;
            case "batchnorm":
                Add("weight", new[] { channels }, ParamKind.Weight, ParamInit.Ones);
                Add("bias", new[] { channels }, ParamKind.Weight, ParamInit.Zeros);
                Add("running_mean", new[] { channels }, ParamKind.Buffer, ParamInit.Zeros);
                Add("running_var", new[] { channels }, ParamKind.Buffer, ParamInit.Ones);
                Add("num_batches_tracked", new int[0], ParamKind.Counter, ParamInit.Zeros);
                break;
            case "linear":
                int outFeatures = NodeAttrs.Int(node, "out_features");
                Add("weight", new[] { outFeatures, channels }, ParamKind.Weight, ParamInit.UniformFanIn, channels);
                if (NodeAttrs.Bool(node, "bias", true))
                    Add("bias", new[] { outFeatures }, ParamKind.Weight, ParamInit.UniformFanIn, channels);
                break;
        }

        return list;
    }
}
