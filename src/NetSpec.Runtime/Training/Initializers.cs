namespace NetSpec.Runtime.Training;

/// <summary>
/// PyTorch/torchvision initialisation, deterministic per (seed, parameter name):
/// conv weights Kaiming normal with fan_out (std = √(2 / (K·R·S))), BN weight 1 and bias 0,
/// linear (and conv bias) as PyTorch's default: U(−1/√fan_in, 1/√fan_in).
/// </summary>
public static class Initializers
{
    // w (K, C/g, R, S): fan_out = K·R·S, as torch.nn.init.kaiming_normal_(mode='fan_out', nonlinearity='relu')
    public static void KaimingNormalFanOut(Parameter w, ulong seed)
    {
        RequireRank(w, 4);
        long fanOut = (long)w.Shape[0] * w.Shape[2] * w.Shape[3];
        double std = Math.Sqrt(2.0 / fanOut);
        var random = new SeededRandom(seed, w.Name);
        Fill(w, i => (float)(std * random.Normal(i)));
    }

    public static void Constant(Parameter p, float value) => Fill(p, _ => value);

    /// <summary>U(−1/√fanIn, 1/√fanIn): nn.Linear's weight (kaiming_uniform with a = √5) and the bias of Linear and Conv2d.</summary>
    public static void UniformFanIn(Parameter p, long fanIn, ulong seed)
    {
        if (fanIn <= 0)
            throw new ArgumentException($"fan_in of {p.Name} must be positive, got {fanIn}");
        double bound = 1.0 / Math.Sqrt(fanIn);
        var random = new SeededRandom(seed, p.Name);
        Fill(p, i => (float)(((2.0 * random.Uniform(i)) - 1.0) * bound));
    }

    // w (K, C), b (K) or null
    public static void LinearDefault(Parameter weight, Parameter? bias, ulong seed)
    {
        RequireRank(weight, 2);
        UniformFanIn(weight, weight.Shape[1], seed);
        if (bias is not null)
            UniformFanIn(bias, weight.Shape[1], seed);
    }

    // a conv's bias as PyTorch leaves it: fan_in = (C/g)·R·S of its weight
    public static void ConvBiasDefault(Parameter bias, Parameter weight, ulong seed)
    {
        RequireRank(weight, 4);
        UniformFanIn(bias, (long)weight.Shape[1] * weight.Shape[2] * weight.Shape[3], seed);
    }

    // BN: weight 1, bias 0, running mean 0, running var 1, counter 0
    public static void BatchNorm(Parameter weight, Parameter bias, Parameter? runningMean, Parameter? runningVar, Parameter? counter)
    {
        Constant(weight, 1f);
        Constant(bias, 0f);
        if (runningMean is not null)
            Constant(runningMean, 0f);
        if (runningVar is not null)
            Constant(runningVar, 1f);
        if (counter is not null)
            Constant(counter, 0f);
    }

    /// <summary>Floats a parameter is filled with at a time: the most an initialisation holds on the host, whatever the parameter's size.</summary>
    public const int ChunkFloats = 1 << 20;

    // element i of p = value(i), uploaded a chunk at a time (the random streams are indexed by element, so chunks change no value)
    private static void Fill(Parameter p, Func<long, float> value)
    {
        float[] chunk = new float[(int)Math.Min(p.Length, ChunkFloats)];
        for (long at = 0; at < p.Length; at += chunk.Length)
        {
            int length = (int)Math.Min(chunk.Length, p.Length - at);
            for (int i = 0; i < length; i++)
                chunk[i] = value(at + i);
            DeviceData.Upload(p.Value.View.SubView(at, length), chunk.AsSpan(0, length));
        }
    }

    private static void RequireRank(Parameter p, int rank)
    {
        if (p.Shape.Length != rank)
            throw new ArgumentException($"{p.Name} has shape ({string.Join(",", p.Shape)}); expected rank {rank}");
    }
}
