using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Shapes;

/// <summary>What a parameter tensor is, as the runtime's ParameterKind sees it.</summary>
public enum ParamKind
{
    Weight,
    Buffer,
    Counter,
}

/// <summary>How a parameter is initialised (torchvision / PyTorch defaults).</summary>
public enum ParamInit
{
    /// <summary>Kaiming normal, fan_out, ReLU gain: std = sqrt(2 / (K·R·S)).</summary>
    KaimingNormalFanOut,

    /// <summary>PyTorch Linear/Conv default: uniform(±1/sqrt(fan_in)) (weight: kaiming_uniform a=√5 gives the same bound).</summary>
    UniformFanIn,
    Ones,
    Zeros,
}

/// <summary>
/// One parameter or buffer, named as in a PyTorch state_dict (<c>backbone.layer1.0.conv1.weight</c>),
/// with its PyTorch shape. <see cref="FanIn"/> is used by <see cref="ParamInit.UniformFanIn"/>.
/// </summary>
public sealed record ParamInfo(
    string Name,
    string Node,
    string Role,
    EquatableArray<int> Shape,
    ParamKind Kind,
    ParamInit Init,
    int FanIn,
    string Group,
    double LrMult,
    bool WeightDecay)
{
    public long Length
    {
        get
        {
            long n = 1;
            foreach (int d in Shape)
                n = checked(n * d);
            return n;
        }
    }
}
