using System.Globalization;
using System.Text.RegularExpressions;
using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Checkpoints;
using NetSpec.SANet.Tests.Doubles;

namespace NetSpec.SANet.Tests.Cli;

public class PretrainedCliTests
{
    private static string TorchvisionFile(TempDir dir)
    {
        string path = dir["resnet.safetensors"];
        float[] conv1 = Enumerable.Range(0, 64 * 3 * 7 * 7).Select(i => i * 0.001f).ToArray();
        SafeTensorsFile.Write(path,
        [
            SafeTensorEntry.FromFloats("conv1.weight", [64, 3, 7, 7], conv1),
            SafeTensorEntry.FromFloats("bn1.running_mean", [64], Enumerable.Repeat(0.5f, 64).ToArray()),
            SafeTensorEntry.FromFloats("fc.weight", [10, 2048], new float[10 * 2048]),
        ]);
        return path;
    }

    [Fact]
    public void TorchvisionKeysLoadIntoTheBackboneAndMismatchesAreReported()
    {
        using var dir = new TempDir();
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.StandardStem);
        var (code, output, error) = CliRunner.Run("train", "--spec", spec, "--pretrained", TorchvisionFile(dir), "--iters", "1", "--batch", "1",
            "--crop", "16", "--val-every", "100", "--lr", "0", "--work-dir", dir["work"], "--device", "cpu");
        Assert.True(code == 0, error);
        Assert.Contains("missing 1 (backbone.bn1.weight)", output);
        Assert.Contains("unexpected 1 (fc.weight)", output);

        var saved = SafeTensorsFile.Read(dir["work/last.safetensors"]).Tensors.ToDictionary(t => t.Name);
        Assert.Equal(0.001f * 100, saved["backbone.conv1.weight"].ToFloats()[100], 6);
        Assert.All(saved["backbone.bn1.running_mean"].ToFloats(), v => Assert.Equal(0.5f, v));
    }

    /// <summary>A file whose keys match no backbone parameter used to train from random weights after one line.</summary>
    [Fact]
    public void PretrainedFileMatchingNoKeyIsAnError()
    {
        using var dir = new TempDir();
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.StandardStem);
        string path = dir["other.safetensors"];
        SafeTensorsFile.Write(path,
        [
            SafeTensorEntry.FromFloats("encoder.weight", [64, 3, 7, 7], new float[64 * 3 * 7 * 7]),
            SafeTensorEntry.FromFloats("fc.weight", [10, 2], new float[20]),
        ]);
        var (code, output, error) = CliRunner.Run("train", "--spec", spec, "--pretrained", path, "--iters", "1", "--batch", "1",
            "--crop", "16", "--val-every", "100", "--work-dir", dir["work"], "--device", "cpu");
        Assert.Equal(2, code);
        Assert.Equal($"error: {path}: none of its 2 tensors matches a backbone parameter of {TestNetworks.StandardStem} (expected ResNet names such as conv1.0.weight, stem.0.weight, embedder.embedder.convolution.weight, conv1.weight, bare or under a prefix such as module. or backbone.; found encoder.weight, fc.weight)", error.Trim());
        Assert.DoesNotContain("iter ", output);
        Assert.False(Directory.Exists(dir["work"]), "the refused start left the work dir it created (with its lock file)");
    }

    /// <summary>
    /// --force with a --pretrained file that cannot be used: the refusal comes before the old run is deleted (it deleted
    /// last, best and the state first, then failed on the file).
    /// </summary>
    [Fact]
    public void ForceWithAnUnusablePretrainedFileKeepsTheRunItWouldReplace()
    {
        using var dir = new TempDir();
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.StandardStem);
        string[] train = ["train", "--spec", spec, "--iters", "1", "--batch", "1", "--crop", "16", "--val-every", "100", "--work-dir", dir["work"], "--device", "cpu"];
        var first = CliRunner.Run(train);
        Assert.True(first.Code == 0, first.Error);
        var before = Directory.GetFiles(dir["work"]).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

        string broken = dir["broken.safetensors"];
        File.WriteAllBytes(broken, [1, 2, 3]);
        var (code, output, error) = CliRunner.Run([.. train, "--force", "--pretrained", broken]);
        Assert.Equal(2, code);
        Assert.Contains(broken, error);
        Assert.DoesNotContain("--force: a fresh run replaces", output);
        var after = Directory.GetFiles(dir["work"]).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (name, bytes) in before)
            Assert.True(bytes.AsSpan().SequenceEqual(after[name]), $"{name} changed");
    }

    [Fact]
    public void DeepStemSpecRefusesTorchvisionWeights()
    {
        using var dir = new TempDir();
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        var (code, _, error) = CliRunner.Run("train", "--spec", spec, "--pretrained", TorchvisionFile(dir), "--iters", "1",
            "--work-dir", dir["work"], "--device", "cpu");
        Assert.Equal(2, code);
        Assert.Contains("stem: standard", error);
        Assert.Contains("resnet.safetensors", error);
    }

    /// <summary>
    /// A PyTorch-written .pth (Fixtures/Pretrained) through the real CLI into sanet-tiny: the report line names the
    /// layout, the count loaded and the keys by name, and the saved weights hold the file's values (lr 0: SGD moves nothing).
    /// </summary>
    [Fact]
    public void PyTorchCheckpointLoadsThroughTrain()
    {
        using var dir = new TempDir();
        string file = RepoFiles.Path("tests/NetSpec.SANet.Tests/Fixtures/Pretrained/encoding-f32.pth");
        var (code, output, error) = CliRunner.RunProcess("train", "--pretrained", file, "--iters", "1", "--batch", "1", "--crop", "32",
            "--val-every", "100", "--lr", "0", "--work-dir", dir["work"], "--device", "cpu");
        Assert.True(code == 0, error + output);
        // more than ten missing keys are counted per module (the fixture holds the stem and layer1); two are named
        Assert.Matches(@"pretrained .*encoding-f32\.pth \(PyTorch-Encoding ResNet-S\): loaded 36; missing \d+ by module: backbone\.layer2\.\* \(\d+\), .* \(--verbose names each\); unexpected 2 \(fc\.weight, fc\.bias\)", output);

        var saved = SafeTensorsFile.Read(dir["work/last.safetensors"]).Tensors.ToDictionary(t => t.Name);
        var loaded = Samples.SANet.Training.PretrainedBackbone.ReadTensors(file).ToDictionary(t => t.Name);
        Assert.Equal(loaded["conv1.6.weight"].ToFloats(), saved["backbone.stem.6.weight"].ToFloats());
        Assert.Equal(loaded["bn1.weight"].ToFloats(), saved["backbone.stem.7.weight"].ToFloats());
        Assert.Equal(loaded["layer1.0.conv3.weight"].ToFloats(), saved["backbone.layer1.0.conv3.weight"].ToFloats());
    }

    /// <summary>
    /// An mmseg segmentor's checkpoint (Fixtures/Pretrained/v1c-mmseg.pth: the backbone under backbone., heads beside it)
    /// through the real CLI: the line names the layout and the prefix, and the heads are unexpected by name; the 72
    /// missing keys are counted per module, or with --verbose named.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PrefixedCheckpointSaysWhichPrefixItFound(bool verbose)
    {
        using var dir = new TempDir();
        string file = RepoFiles.Path("tests/NetSpec.SANet.Tests/Fixtures/Pretrained/v1c-mmseg.pth");
        string[] args = ["train", "--pretrained", file, "--iters", "1", "--batch", "1", "--crop", "32",
            "--val-every", "100", "--set", "val-limit=1", "--lr", "0", "--work-dir", dir["work"], "--device", "cpu"];
        var (code, output, error) = CliRunner.RunProcess(verbose ? [.. args, "--verbose"] : args);
        Assert.True(code == 0, error + output);
        const string unexpected = @"unexpected 4 \(decode_head\.conv_seg\.weight, decode_head\.conv_seg\.bias, auxiliary_head\.conv_seg\.weight, auxiliary_head\.conv_seg\.bias\)";
        if (verbose)
        {
            Assert.Matches(@"pretrained .*v1c-mmseg\.pth \(mmcv ResNetV1c under 'backbone\.'\): loaded 36; missing 72 \(backbone\.layer2\.0\.conv1\.weight, .*\); " + unexpected + @"(\r?\n|$)", output);
        }
        else
        {
            Match line = Regex.Match(output, @"pretrained .*v1c-mmseg\.pth \(mmcv ResNetV1c under 'backbone\.'\): loaded 36; missing 72 by module: "
                + @"backbone\.layer2\.\* \((\d+)\), backbone\.layer3\.\* \((\d+)\), backbone\.layer4\.\* \((\d+)\) \(--verbose names each\); " + unexpected + @"(\r?\n|$)");
            Assert.True(line.Success, output);
            Assert.Equal(72, Enumerable.Range(1, 3).Sum(g => int.Parse(line.Groups[g].Value, CultureInfo.InvariantCulture)));
        }

        var saved = SafeTensorsFile.Read(dir["work/last.safetensors"]).Tensors.ToDictionary(t => t.Name);
        var loaded = Samples.SANet.Training.PretrainedBackbone.ReadTensors(file).ToDictionary(t => t.Name);
        Assert.Equal(loaded["backbone.stem.0.weight"].ToFloats(), saved["backbone.stem.0.weight"].ToFloats());
        Assert.Equal(loaded["backbone.layer1.0.bn3.weight"].ToFloats(), saved["backbone.layer1.0.bn3.weight"].ToFloats());
    }
}
