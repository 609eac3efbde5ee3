using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NetSpec.Dsl.Shapes;
using NetSpec.Runtime;

namespace NetSpec.Onnx.Tests.Support;

/// <summary>
/// One network run twice on the same image: NetSpec's eval forward on the CPU device (host code) and the exported
/// model in ONNX Runtime. Weights are the network's initialisation with batch norm given non-trivial statistics
/// (γ, β, running mean and variance drawn at random), so that folding and BatchNormalization really compute.
/// </summary>
public static class Parity
{
    /// <summary>Kaiming init from the seed, then γ ~ U(0.5, 1.5), β ~ U(−0.3, 0.3), μ ~ U(−0.3, 0.3), σ² ~ U(0.5, 2) for every batch norm.</summary>
    public static void RandomWeights(INetwork net, TypedGraph graph, int seed)
    {
        net.InitializeParameters((ulong)seed);
        var random = new Random(seed);
        var batchNorms = graph.Nodes.Where(n => n.Op == "batchnorm").Select(n => n.Name).ToHashSet();
        foreach (Parameter p in net.Parameters)
        {
            string node = p.Name[..p.Name.LastIndexOf('.')], role = p.Name[(p.Name.LastIndexOf('.') + 1)..];
            if (!batchNorms.Contains(node))
                continue;
            (float lo, float hi) = role switch
            {
                "weight" => (0.5f, 1.5f),
                "bias" or "running_mean" => (-0.3f, 0.3f),
                "running_var" => (0.5f, 2f),
                _ => (float.NaN, float.NaN),
            };
            if (float.IsNaN(lo))
                continue;
            float[] values = new float[p.Length];
            for (int i = 0; i < values.Length; i++)
                values[i] = lo + ((hi - lo) * random.NextSingle());
            DeviceData.Upload<float>(p.Value.View, values);
        }

        net.Device.Synchronize();
    }

    public static float[] Image(int batch, int height, int width, int seed)
    {
        var random = new Random(seed);
        float[] image = new float[batch * 3 * height * width];
        for (int i = 0; i < image.Length; i++)
            image[i] = (4 * random.NextSingle()) - 2;
        return image;
    }

    /// <summary>NetSpec's eval forward: every output named in <paramref name="outputs"/>.</summary>
    public static Dictionary<string, float[]> NetSpec(INetwork net, float[] image, int batch, int height, int width, IEnumerable<string> outputs)
    {
        net.Prepare(batch, height, width, training: false);
        DeviceData.Upload<float>(net.Image.View.SubView(0, image.Length), image);
        net.Forward(training: false);
        net.Device.Synchronize();
        return outputs.ToDictionary(o => o, o =>
        {
            NetSpec.Runtime.Tensor t = net.Output(o);
            return DeviceData.Download(t.View.SubView(0, t.Length));
        });
    }

    /// <summary>The exported model in ONNX Runtime (all graph optimisations unless <paramref name="optimise"/> is false).</summary>
    public static Dictionary<string, float[]> Ort(byte[] model, float[] image, int batch, int height, int width, bool optimise = true)
    {
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = optimise ? GraphOptimizationLevel.ORT_ENABLE_ALL : GraphOptimizationLevel.ORT_DISABLE_ALL,
        };
        using var session = new InferenceSession(model, options);
        var input = new DenseTensor<float>(image, [batch, 3, height, width]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("image", input)]);
        return results.ToDictionary(r => r.Name, r => r.AsEnumerable<float>().ToArray());
    }

    /// <summary>Max |a − b| and max |a| over one output.</summary>
    public static (double MaxDiff, double MaxAbs) Compare(float[] reference, float[] other)
    {
        Assert.Equal(reference.Length, other.Length);
        double diff = 0, max = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            Assert.True(float.IsFinite(reference[i]) && float.IsFinite(other[i]), $"non-finite value at {i}: {reference[i]} vs {other[i]}");
            diff = Math.Max(diff, Math.Abs((double)reference[i] - other[i]));
            max = Math.Max(max, Math.Abs(reference[i]));
        }

        return (diff, max);
    }
}
