using NetSpec.Runtime;
using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Networks;
using NetSpec.Samples.SANet.Training;
using NetSpec.SANet.Tests.Doubles;

namespace NetSpec.SANet.Tests.Checkpoints;

/// <summary>
/// Full-size ResNet-50s written by PyTorch at test time (Fixtures/Pretrained/make_full_size.py: 100 MB each, too large
/// to commit), one per layout, loaded into sanet-r50 and its stem variants: every backbone parameter is filled, only
/// the classifier or the segmentor's heads are left over, and every tensor arrives value for value.
/// </summary>
public sealed class FullSizePretrainedTests : IClassFixture<FullSizePretrainedTests.Files>
{
    private readonly Files files;

    public FullSizePretrainedTests(Files files) => this.files = files;

    /// <summary>The script's four files in a temporary folder, written once for the class and removed after it.</summary>
    public sealed class Files : IDisposable
    {
        private readonly TempDir dir = new();
        private readonly Lazy<string> written;

        public Files() => written = new(() =>
        {
            string script = RepoFiles.Path("tests/NetSpec.SANet.Tests/Fixtures/Pretrained/make_full_size.py");
            var (code, output) = Torch.RunScript(script, dir.Path);
            Assert.True(code == 0, $"make_full_size.py exited {code}: {output}");
            return dir.Path;
        });

        public string this[string name] => Path.Combine(written.Value, name);

        public void Dispose() => dir.Dispose();
    }

    [TorchTheory]
    [InlineData("encoding.pth", "sanet-r50", "PyTorch-Encoding ResNet-S", "", new[] { "fc.weight", "fc.bias" })]
    [InlineData("v1c-mmseg.pth", "sanet-r50-v1c", "mmcv ResNetV1c", "backbone.", new[] { "decode_head.conv_seg.weight", "decode_head.conv_seg.bias" })]
    [InlineData("torchvision-module.pth", "sanet-r50-standard", "torchvision ResNet", "module.", new[] { "module.fc.weight", "module.fc.bias" })]
    [InlineData("hf.safetensors", "sanet-r50-standard", "Hugging Face ResNet", "resnet.", new[] { "classifier.1.weight", "classifier.1.bias" })]
    public void EveryTensorOfAFullSizeFileArrives(string file, string spec, string layout, string prefix, string[] unexpected)
    {
        string path = files[file];
        List<SafeTensorEntry> tensors = PretrainedBackbone.ReadTensors(path);
        using Device device = Device.Create("cpu");
        INetwork network = NetworkRegistry.Create(spec, null, spec, device);
        PretrainedReport report = PretrainedBackbone.Load(network, path);

        Assert.Equal((layout, prefix), (report.Layout, report.Prefix));
        Assert.Empty(report.Missing);
        Assert.Equal(unexpected, report.Unexpected);
        int backbone = network.Parameters.Count(p => p.Name.StartsWith("backbone.", StringComparison.Ordinal));
        Assert.Equal(backbone, report.Loaded);
        Assert.Equal(tensors.Count - unexpected.Length, backbone);
        PretrainedTests.AssertLoaded(network, tensors, PretrainedTests.TheirName(layout, report.Prefix), unexpected.Length);
    }
}
