using System.Text.Json;
using NetSpec.Runtime.Weights;

namespace NetSpec.Runtime.Tests.Weights;

/// <summary>The library's weights API (<see cref="NetworkWeights"/>) on a parameters-only network.</summary>
public sealed class NetworkWeightsTests : IDisposable
{
    private readonly Device device = Device.Create("cpu");
    private readonly TempDir dir = new();

    private ParamNet Net(string spec = "net", bool extra = false, int biasLength = 3) => new(device, spec,
    [
        ("body.conv.weight", [2, 3, 1, 1], ParameterKind.Weight),
        ("body.bn.running_mean", [2], ParameterKind.Buffer),
        ("body.bn.num_batches_tracked", [], ParameterKind.Counter),
        ("head.bias", [biasLength], ParameterKind.Weight),
        .. extra ? new[] { ("head.extra", new[] { 4 }, ParameterKind.Weight) } : [],
    ]);

    [Fact]
    public void RoundTripRestoresEveryParameterAndTheMetadata()
    {
        string path = dir["w.safetensors"];
        using ParamNet saved = Net(), loaded = Net();
        saved.InitializeParameters(1);
        loaded.InitializeParameters(2);
        var meta = new CheckpointMetadata(ClassNames: ["background", "disc", "ring"], TrainingCrop: 96,
            Extra: new Dictionary<string, string> { ["iteration"] = "42" });
        NetworkWeights.Save(saved, path, meta);

        LoadReport report = NetworkWeights.Load(loaded, path);
        Assert.True(report.IsExact);
        Assert.Equal(saved.Parameters.Select(p => p.Name), report.Loaded);
        foreach (Parameter p in saved.Parameters)
            Assert.Equal(saved.Values(p.Name), loaded.Values(p.Name));
        Assert.Equal("net", report.Metadata.SpecName);
        Assert.Equal(NetworkWeights.LayoutHash(saved), report.Metadata.LayoutHash);
        Assert.Equal(["background", "disc", "ring"], report.Metadata.ClassNames);
        Assert.Equal(96, report.Metadata.TrainingCrop);
        Assert.Equal("42", report.Metadata.Extra!["iteration"]);
        Assert.Equal(report.Metadata.ClassNames, NetworkWeights.ReadMetadata(path).ClassNames);

        // The counter is stored as PyTorch stores num_batches_tracked: I64, shape [].
        var (tensors, _) = SafeTensorsFile.Read(path);
        SafeTensorEntry counter = tensors.Single(t => t.Name == "body.bn.num_batches_tracked");
        Assert.Equal(SafeDType.I64, counter.DType);
        Assert.Empty(counter.Shape);
    }

    [Fact]
    public void LayoutHashDiffersWhenANameOrShapeDoes()
    {
        using ParamNet a = Net(), b = Net(), c = Net(biasLength: 4), d = Net(extra: true);
        Assert.Equal(NetworkWeights.LayoutHash(a), NetworkWeights.LayoutHash(b));
        Assert.NotEqual(NetworkWeights.LayoutHash(a), NetworkWeights.LayoutHash(c));
        Assert.NotEqual(NetworkWeights.LayoutHash(a), NetworkWeights.LayoutHash(d));
    }

    [Fact]
    public void SaveRefusesToReplaceAFileUnlessAsked()
    {
        string path = dir["w.safetensors"];
        File.WriteAllText(path, "keep me");
        using ParamNet net = Net();
        var e = Assert.Throws<CheckpointException>(() => NetworkWeights.Save(net, path));
        Assert.StartsWith($"{path}: exists already", e.Message);
        Assert.Equal("keep me", File.ReadAllText(path));
        NetworkWeights.Save(net, path, overwrite: true);
        Assert.True(NetworkWeights.Load(net, path).IsExact);
    }

    /// <summary>A checkpoint of another layout: one line listing what is missing, unexpected and mis-shaped, by name; nothing loaded.</summary>
    [Fact]
    public void StrictLoadNamesMissingUnexpectedAndMisShapedTensorsInOneLineAndLoadsNothing()
    {
        string path = dir["other.safetensors"];
        using ParamNet other = new(device, "other-spec",
        [
            ("body.conv.weight", [2, 3, 1, 1], ParameterKind.Weight),
            ("body.bn.running_mean", [5], ParameterKind.Buffer),
            ("head.bias", [3], ParameterKind.Weight),
            ("aux.weight", [1], ParameterKind.Weight),
        ]);
        other.InitializeParameters(7);
        NetworkWeights.Save(other, path);
        using ParamNet net = Net();
        net.InitializeParameters(1);
        float[] before = net.Values("body.conv.weight");

        var e = Assert.Throws<CheckpointException>(() => NetworkWeights.Load(net, path));
        Assert.Equal(
            $"{path}: does not match spec net (it was saved from other-spec): loaded 2, missing 1 (body.bn.num_batches_tracked), unexpected 1 (aux.weight), " +
            "mis-shaped 1 (tensor 'body.bn.running_mean' has shape [5] but the network's 'body.bn.running_mean' is [2])",
            e.Message);
        Assert.Equal(before, net.Values("body.conv.weight")); // a failed strict load changes nothing
    }

    [Fact]
    public void NonStrictLoadFillsWhatFitsAndReportsTheRest()
    {
        string path = dir["partial.safetensors"];
        using ParamNet source = Net(biasLength: 4);
        source.InitializeParameters(3);
        NetworkWeights.Save(source, path);
        using ParamNet net = Net(extra: true);
        net.InitializeParameters(1);
        float[] biasBefore = net.Values("head.bias");

        LoadReport report = NetworkWeights.Load(net, path, strict: false);
        Assert.False(report.IsExact);
        Assert.Equal(["body.conv.weight", "body.bn.running_mean", "body.bn.num_batches_tracked"], report.Loaded);
        Assert.Equal(["head.extra"], report.Missing); // head.bias is in the file, mis-shaped
        Assert.Empty(report.Unexpected);
        ShapeMismatch m = Assert.Single(report.Mismatched);
        Assert.Equal("head.bias", m.Name);
        Assert.Equal([4L], m.FileShape);
        Assert.Equal([3], m.NetworkShape);
        Assert.Equal(source.Values("body.conv.weight"), net.Values("body.conv.weight"));
        Assert.Equal(source.Values("body.bn.num_batches_tracked"), net.Values("body.bn.num_batches_tracked"));
        Assert.Equal(biasBefore, net.Values("head.bias")); // mis-shaped: left as it was
        Assert.Equal("loaded 3, missing 1 (head.extra), mis-shaped 1 (tensor 'head.bias' has shape [4] but the network's 'head.bias' is [3])", report.Describe());
    }

    [Fact]
    public void LongListsNameTheFirstTenAndCountTheRest()
    {
        string path = dir["many.safetensors"];
        var many = Enumerable.Range(0, 13).Select(i => ($"p{i:D2}", new[] { 1 }, ParameterKind.Weight)).ToArray();
        using ParamNet source = new(device, "many", many);
        NetworkWeights.Save(source, path);
        using ParamNet net = Net();
        var e = Assert.Throws<CheckpointException>(() => NetworkWeights.Load(net, path));
        Assert.Contains("unexpected 13 (p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, … 3 more)", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("class_names", "background", "'class_names' is not a JSON array of strings")]
    [InlineData("class_names", "[1,2]", "'class_names' is not a JSON array of strings")]
    [InlineData("class_names", "[\"a\",null]", "'class_names' is not a JSON array of strings")]
    [InlineData("crop", "-3", "'crop' is '-3', not a positive integer")]
    [InlineData("crop", "96px", "'crop' is '96px', not a positive integer")]
    public void MalformedMetadataIsAnErrorNamingFileAndField(string key, string value, string expected)
    {
        string path = dir["meta.safetensors"];
        SafeTensorsFile.Write(path, [], new Dictionary<string, string> { [key] = value });
        var e = Assert.Throws<CheckpointException>(() => NetworkWeights.ReadMetadata(path));
        Assert.Equal($"{path}: metadata {expected}", e.Message);
    }

    [Fact]
    public void MetadataKeepsUnknownKeysAndSetsTheFormat()
    {
        var map = new CheckpointMetadata("s", "h", ["a"], 64, new Dictionary<string, string> { ["miou"] = "0.5" }).ToDictionary();
        Assert.Equal("pt", map["format"]);
        Assert.Equal("[\"a\"]", map["class_names"]);
        CheckpointMetadata back = CheckpointMetadata.FromDictionary(map, "x");
        Assert.Equal(("s", "h", 64, "0.5"), (back.SpecName, back.LayoutHash, back.TrainingCrop, back.Extra!["miou"]));
        Assert.Equal(JsonSerializer.Serialize(new[] { "a" }), JsonSerializer.Serialize(back.ClassNames));
    }

    public void Dispose()
    {
        dir.Dispose();
        device.Dispose();
    }
}
