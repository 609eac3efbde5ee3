using System.Text.Json;
using NetSpec.Runtime;
using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Checkpoints;
using NetSpec.Samples.SANet.Networks;
using NetSpec.Samples.SANet.Training;
using NetSpec.SANet.Tests.Doubles;

namespace NetSpec.SANet.Tests.Checkpoints;

/// <summary>
/// --pretrained from the files people have: PyTorch zip checkpoints and safetensors (F32, F16, BF16) in the
/// torchvision, PyTorch-Encoding and mmcv ResNetV1c layouts, written by PyTorch (Fixtures/Pretrained/README.md).
/// </summary>
public class PretrainedTests
{
    private static string Fixture(string name) => RepoFiles.Path("tests/NetSpec.SANet.Tests/Fixtures/Pretrained/" + name);

    private sealed record Reference(long[] Shape, double First, double Last, double Sum);

    private static Dictionary<string, Reference> References(string layout) =>
        JsonSerializer.Deserialize<Dictionary<string, Reference>>(File.ReadAllText(Fixture(layout + "-reference.json")),
            new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;

    /// <summary>float → bfloat16 → float, rounding to nearest even as PyTorch's .to(torch.bfloat16) does (finite values).</summary>
    private static float ToBf16(float x)
    {
        uint bits = BitConverter.SingleToUInt32Bits(x);
        bits += 0x7FFFu + ((bits >> 16) & 1);
        return BitConverter.UInt32BitsToSingle(bits & 0xFFFF0000u);
    }

    private static float Round(SafeDType dtype, float x) => dtype switch
    {
        SafeDType.F16 => (float)(Half)x,
        SafeDType.BF16 => ToBf16(x),
        _ => x,
    };

    [Theory]
    [InlineData("torchvision-f32.pth", "torchvision")]
    [InlineData("torchvision-bf16.safetensors", "torchvision")]
    [InlineData("encoding-f32.pth", "encoding")]
    [InlineData("encoding-f16.pth", "encoding")]
    [InlineData("encoding-wrapped.pth", "encoding")]
    [InlineData("encoding-f32.safetensors", "encoding")]
    [InlineData("encoding-f16.safetensors", "encoding")]
    [InlineData("encoding-bf16.safetensors", "encoding")]
    [InlineData("v1c-f32.pth", "v1c")]
    [InlineData("v1c-bf16.safetensors", "v1c")]
    [InlineData("torchvision-module.pth", "torchvision-module")]
    [InlineData("v1c-mmseg.pth", "v1c-mmseg")]
    [InlineData("hf-f32.safetensors", "hf")]
    public void FixtureTensorsReadAsPyTorchWroteThem(string file, string layout)
    {
        var tensors = PretrainedBackbone.ReadTensors(Fixture(file));
        var references = References(layout);
        Assert.Equal(references.Keys, tensors.Select(t => t.Name)); // all of them, in the file's order
        foreach (SafeTensorEntry t in tensors)
        {
            Reference r = references[t.Name];
            Assert.Equal(r.Shape, t.Shape);
            float[] values = t.ToFloats();
            Assert.Equal(Round(t.DType, (float)r.First), values[0]);
            Assert.Equal(Round(t.DType, (float)r.Last), values[^1]);
            if (t.DType is SafeDType.F32 or SafeDType.I64)
            {
                // Both sums add the same float32 values in float64, in different orders: each is within
                // (n - 1) * 2^-53 * sum|x| of the exact sum (the standard bound for recursive summation).
                double bound = 2 * values.Length * Math.Pow(2, -53) * values.Sum(v => Math.Abs((double)v));
                Assert.InRange(values.Sum(v => (double)v) - r.Sum, -bound, bound);
            }
        }
    }

    [Theory]
    [InlineData("encoding-f16.pth")]
    [InlineData("encoding-f16.safetensors")]
    [InlineData("encoding-bf16.safetensors")]
    public void HalfFilesHoldTheFloat32ValuesRounded(string file)
    {
        var full = PretrainedBackbone.ReadTensors(Fixture("encoding-f32.pth")).ToDictionary(t => t.Name);
        foreach (SafeTensorEntry t in PretrainedBackbone.ReadTensors(Fixture(file)))
        {
            float[] expected = full[t.Name].ToFloats().Select(v => Round(t.DType, v)).ToArray();
            Assert.Equal(expected, t.ToFloats());
        }
    }

    [Theory]
    [InlineData("torchvision-f32.pth", "sanet-tiny-standard", "torchvision ResNet", "")]
    [InlineData("torchvision-bf16.safetensors", "sanet-tiny-standard", "torchvision ResNet", "")]
    [InlineData("torchvision-module.pth", "sanet-tiny-standard", "torchvision ResNet", "module.")]
    [InlineData("hf-f32.safetensors", "sanet-tiny-standard", "Hugging Face ResNet", "resnet.")]
    [InlineData("encoding-f32.pth", "sanet-tiny", "PyTorch-Encoding ResNet-S", "")]
    [InlineData("encoding-f16.pth", "sanet-tiny", "PyTorch-Encoding ResNet-S", "")]
    [InlineData("encoding-wrapped.pth", "sanet-tiny", "PyTorch-Encoding ResNet-S", "")]
    [InlineData("encoding-bf16.safetensors", "sanet-tiny", "PyTorch-Encoding ResNet-S", "")]
    [InlineData("v1c-f32.pth", "sanet-tiny", "mmcv ResNetV1c", "")]
    [InlineData("v1c-bf16.safetensors", "sanet-tiny", "mmcv ResNetV1c", "")]
    [InlineData("v1c-mmseg.pth", "sanet-tiny", "mmcv ResNetV1c", "backbone.")]
    public void NarrowFixturesLoadTensorForTensor(string file, string spec, string layout, string prefix)
    {
        using Device device = Device.Create("cpu");
        INetwork network = NetworkRegistry.Create(spec, null, spec, device);
        var tensors = PretrainedBackbone.ReadTensors(Fixture(file));
        PretrainedReport report = PretrainedBackbone.Load(network, Fixture(file));

        Assert.Equal(layout, report.Layout);
        Assert.Equal(prefix, report.Prefix);
        // what is not ResNet: ImageNet's classifier, or an mmseg segmentor's heads beside its backbone
        string[] unexpected = prefix switch
        {
            "backbone." => ["decode_head.conv_seg.weight", "decode_head.conv_seg.bias", "auxiliary_head.conv_seg.weight", "auxiliary_head.conv_seg.bias"],
            "resnet." => ["classifier.1.weight", "classifier.1.bias"],
            _ => [prefix + "fc.weight", prefix + "fc.bias"],
        };
        Assert.Equal(unexpected, report.Unexpected);
        Assert.Equal(tensors.Count - unexpected.Length, report.Loaded);
        // the fixtures hold the stem and layer1: everything else of the backbone is missing, by name
        var backbone = network.Parameters.Where(p => p.Name.StartsWith("backbone.", StringComparison.Ordinal)).ToList();
        Assert.Equal(backbone.Where(p => !p.Name.StartsWith("backbone.stem.", StringComparison.Ordinal) && !p.Name.StartsWith("backbone.layer1.", StringComparison.Ordinal)
            && !p.Name.StartsWith("backbone.conv1.", StringComparison.Ordinal) && !p.Name.StartsWith("backbone.bn1.", StringComparison.Ordinal)).Select(p => p.Name), report.Missing);
        Assert.Equal(backbone.Count, report.Loaded + report.Missing.Count);

        AssertLoaded(network, tensors, TheirName(layout, prefix), unexpected.Length);
    }

    /// <summary>The file's name of our parameter (without backbone.), spelled out here independently of PretrainedLayout.</summary>
    internal static Func<string, string> TheirName(string layout, string prefix) => layout switch
    {
        "PyTorch-Encoding ResNet-S" => name => prefix + name.Replace("stem.0.", "conv1.0.").Replace("stem.1.", "conv1.1.").Replace("stem.3.", "conv1.3.")
            .Replace("stem.4.", "conv1.4.").Replace("stem.6.", "conv1.6.").Replace("stem.7.", "bn1."),
        "Hugging Face ResNet" => name => prefix + HuggingFaceName(name),
        _ => name => prefix + name,
    };

    /// <summary>
    /// transformers' ResNet names (models/resnet/modeling_resnet.py): conv1/bn1 → embedder.embedder.convolution/normalization;
    /// layerI.J.convK/bnK → encoder.stages.(I-1).layers.J.layer.(K-1).convolution/normalization; downsample.0/1 → shortcut.
    /// </summary>
    private static string HuggingFaceName(string ours)
    {
        var stem = System.Text.RegularExpressions.Regex.Match(ours, @"^(conv1|bn1)\.(.+)$");
        if (stem.Success)
            return $"embedder.embedder.{(stem.Groups[1].Value == "conv1" ? "convolution" : "normalization")}.{stem.Groups[2].Value}";
        var m = System.Text.RegularExpressions.Regex.Match(ours, @"^layer(\d)\.(\d+)\.(?:(conv|bn)(\d)|downsample\.(\d))\.(.+)$");
        Assert.True(m.Success, ours);
        string block = $"encoder.stages.{int.Parse(m.Groups[1].Value) - 1}.layers.{m.Groups[2].Value}.";
        string part = m.Groups[3].Success
            ? $"layer.{int.Parse(m.Groups[4].Value) - 1}.{(m.Groups[3].Value == "conv" ? "convolution" : "normalization")}"
            : $"shortcut.{(m.Groups[5].Value == "0" ? "convolution" : "normalization")}";
        return block + part + "." + m.Groups[6].Value;
    }

    /// <summary>
    /// Every backbone parameter the file names holds the file's tensor, value for value, and every file tensor but
    /// the <paramref name="leftOver"/> unexpected ones was compared (so none went to a wrong or no parameter).
    /// </summary>
    internal static void AssertLoaded(INetwork network, List<SafeTensorEntry> tensors, Func<string, string> theirs, int leftOver)
    {
        var file = tensors.ToDictionary(t => t.Name);
        int compared = 0;
        foreach (SafeTensorEntry ours in StateDict.Save(network).Where(t => t.Name.StartsWith("backbone.", StringComparison.Ordinal)))
        {
            if (!file.TryGetValue(theirs(ours.Name["backbone.".Length..]), out SafeTensorEntry? t))
                continue;
            Assert.Equal(t.Shape, ours.Shape);
            Assert.True(t.ToFloats().AsSpan().SequenceEqual(ours.ToFloats()), $"{ours.Name} differs from the file's {t.Name}");
            compared++;
        }

        Assert.Equal(tensors.Count - leftOver, compared);
    }

    /// <summary>
    /// Full-size: PyTorch's ResNet-50 names and shapes of each layout (Fixtures/Pretrained/*-resnet50-shapes.json),
    /// filled with distinct values here, written as F16 safetensors and loaded into sanet-r50 and its variants:
    /// every backbone parameter is filled, only fc is left over, and every value arrives.
    /// </summary>
    [Theory]
    [InlineData("encoding", "sanet-r50")]
    [InlineData("v1c", "sanet-r50-v1c")]
    [InlineData("torchvision", "sanet-r50-standard")]
    public void FullSizeLayoutsFillTheWholeBackbone(string layout, string spec)
    {
        using var dir = new TempDir();
        var shapes = JsonSerializer.Deserialize<Dictionary<string, long[]>>(File.ReadAllText(Fixture(layout + "-resnet50-shapes.json")))!;
        var entries = shapes.Select((kv, i) =>
        {
            long n = kv.Value.Aggregate(1L, (a, b) => a * b);
            bool counter = kv.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal);
            byte[] data = new byte[n * (counter ? 8 : 2)];
            for (long j = 0; j < n; j++)
            {
                if (counter)
                    BitConverter.TryWriteBytes(data.AsSpan((int)(8 * j)), (long)i);
                else
                    BitConverter.TryWriteBytes(data.AsSpan((int)(2 * j)), (Half)((i + (j % 97)) * 0.125f)); // exact in F16
            }

            return new SafeTensorEntry(kv.Key, counter ? SafeDType.I64 : SafeDType.F16, kv.Value, data);
        }).ToList();
        SafeTensorsFile.Write(dir["resnet50.safetensors"], entries);

        using Device device = Device.Create("cpu");
        INetwork network = NetworkRegistry.Create(spec, null, spec, device);
        PretrainedReport report = PretrainedBackbone.Load(network, dir["resnet50.safetensors"]);
        Assert.Empty(report.Missing);
        Assert.Equal(["fc.weight", "fc.bias"], report.Unexpected);
        Assert.Equal(network.Parameters.Count(p => p.Name.StartsWith("backbone.", StringComparison.Ordinal)), report.Loaded);
        AssertLoaded(network, entries, TheirName(report.Layout, ""), 2);
    }

    [Fact]
    public void V1cWeightsIntoTheDefaultStemStopOnTheShapeNamingTheTensor()
    {
        using Device device = Device.Create("cpu");
        INetwork network = NetworkRegistry.Create("sanet-r50", null, "sanet-r50", device);
        var e = Assert.Throws<CheckpointException>(() => PretrainedBackbone.Load(network, Fixture("v1c-f32.pth")));
        const string expected = "tensor 'stem.0.weight' has shape [16,3,3,3] but sanet-r50's 'backbone.stem.0.weight' is [64,3,3,3]";
        Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), e.Message);
    }

    [Theory]
    [InlineData("noncontiguous.pth", "tensor 'weight' is not contiguous (size [4,3], stride [1,4])")]
    [InlineData("module.pth", "data.pkl calls torch._utils._rebuild_parameter, which is not part of a state_dict of tensors; refused")]
    [InlineData("legacy.pth", "legacy (pre-1.6) format")]
    public void RefusedFilesSayWhy(string file, string expected)
    {
        var e = Assert.Throws<CheckpointException>(() => PretrainedBackbone.ReadTensors(Fixture(file)));
        Assert.StartsWith(Fixture(file) + ": ", e.Message);
        Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), e.Message);
    }

    /// <summary>A data.pkl that would run os.system('ls'): GLOBAL os system, ('ls',), REDUCE. It is refused by name, unrun.</summary>
    [Fact]
    public void PickledCallsOtherThanTensorsAreRefusedByName()
    {
        using var dir = new TempDir();
        string path = dir["evil.pth"];
        byte[] pickle = [0x80, 0x02, (byte)'c', .. "os\nsystem\n"u8, (byte)'X', 2, 0, 0, 0, (byte)'l', (byte)'s', 0x85, (byte)'R', (byte)'.'];
        using (var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create))
        {
            using Stream entry = zip.CreateEntry("evil/data.pkl", System.IO.Compression.CompressionLevel.NoCompression).Open();
            entry.Write(pickle);
        }

        var e = Assert.Throws<CheckpointException>(() => PretrainedBackbone.ReadTensors(path));
        Assert.Equal($"{path}: data.pkl calls os.system, which is not part of a state_dict of tensors; refused (pickled code is never run)", e.Message);
    }

    /// <summary>Copies a fixture and replaces one zip entry's bytes (or removes it with null).</summary>
    private static string Tampered(TempDir dir, string fixture, Func<string, bool> which, Func<byte[], byte[]?> change)
    {
        string path = dir[fixture];
        File.Copy(Fixture(fixture), path);
        using var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Update);
        var entry = zip.Entries.Single(e => which(e.FullName));
        byte[] data;
        using (var stream = entry.Open())
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            data = copy.ToArray();
        }

        string name = entry.FullName;
        entry.Delete();
        if (change(data) is byte[] changed)
        {
            using Stream replaced = zip.CreateEntry(name, System.IO.Compression.CompressionLevel.NoCompression).Open();
            replaced.Write(changed);
        }

        return path;
    }

    [Fact]
    public void AStorageShorterThanItsTensorsIsRefused()
    {
        using var dir = new TempDir();
        string path = Tampered(dir, "torchvision-f32.pth", n => n.EndsWith("/data/0", StringComparison.Ordinal), d => d[..^4]);
        var e = Assert.Throws<CheckpointException>(() => PretrainedBackbone.ReadTensors(path));
        Assert.Equal($"{path}: storage '0' holds 9404 bytes, not the 2352 × 4 its tensors declare", e.Message); // conv1: 16×3×7×7
    }

    [Fact]
    public void AMissingStorageIsRefused()
    {
        using var dir = new TempDir();
        string path = Tampered(dir, "torchvision-f32.pth", n => n.EndsWith("/data/0", StringComparison.Ordinal), _ => null);
        var e = Assert.Throws<CheckpointException>(() => PretrainedBackbone.ReadTensors(path));
        Assert.Equal($"{path}: tensor 'conv1.weight' refers to storage '0', which the zip lacks", e.Message);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(100)]
    [InlineData(1000)]
    public void ATruncatedOrScrambledPickleIsOneError(int keep)
    {
        using var dir = new TempDir();
        string path = Tampered(dir, "encoding-f32.pth", n => n.EndsWith("/data.pkl", StringComparison.Ordinal),
            d => [.. d[..Math.Min(keep, d.Length)], .. d[..Math.Min(keep, d.Length)]]);
        var e = Assert.Throws<CheckpointException>(() => PretrainedBackbone.ReadTensors(path));
        Assert.StartsWith($"{path}: data.pkl", e.Message);
    }

    [Fact]
    public void ATruncatedZipIsOneError()
    {
        using var dir = new TempDir();
        string path = dir["cut.pth"];
        byte[] whole = File.ReadAllBytes(Fixture("v1c-f32.pth"));
        File.WriteAllBytes(path, whole[..(whole.Length / 2)]);
        var e = Assert.Throws<CheckpointException>(() => PretrainedBackbone.ReadTensors(path));
        Assert.StartsWith($"{path}: ", e.Message);
    }
}
