using Microsoft.ML.OnnxRuntime;
using NetSpec.Networks;
using NetSpec.Onnx.Tests.Support;
using NetSpec.Runtime;
using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Checkpoints;
using NetSpec.Samples.SANet.Cli;
using NetSpec.Samples.SANet.Networks;

namespace NetSpec.Onnx.Tests;

/// <summary>
/// <c>SANet export</c> end to end, in-process: a sanet-tiny checkpoint written as train writes it becomes a model
/// that ONNX Runtime runs; bad outputs and checkpoints exit 2 with one line and leave every file as it was.
/// </summary>
public sealed class ExportCliTests : IDisposable
{
    private readonly TempDir dir = new();

    public ExportCliTests()
    {
        using var device = Device.Create("cpu");
        using var tiny = new SanetTiny(device);
        tiny.InitializeParameters(4);
        SafeTensorsFile.Write(dir["tiny.safetensors"], StateDict.Save(tiny), new Dictionary<string, string> { ["spec"] = "sanet-tiny" });
        using var fcn = new FcnTiny(device);
        fcn.InitializeParameters(4);
        SafeTensorsFile.Write(dir["fcn.safetensors"], StateDict.Save(fcn), new Dictionary<string, string> { ["spec"] = "fcn-tiny" });
    }

    [Fact]
    public void A_checkpoint_becomes_a_model_onnx_runtime_runs()
    {
        var (code, output, error) = Run("export", "--checkpoint", dir["tiny.safetensors"], "--onnx", dir["tiny.onnx"], "--size", "64x80", "--dynamic-batch");
        Assert.True(code == 0, error);
        Assert.Contains("sanet-tiny → ", output);
        Assert.Contains("input image N×3×64×80, outputs mask, dense, cat", output);
        using var session = new InferenceSession(dir["tiny.onnx"]);
        Assert.Equal(["mask", "dense", "cat"], session.OutputMetadata.Keys);
        Assert.Equal([-1, 3, 64, 80], session.InputMetadata["image"].Dimensions);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void Random_weights_export_from_a_spec_and_a_seed()
    {
        var (code, output, error) = Run("export", "--spec", SpecGraphs.RepoSpec("fcn-tiny"), "--init-seed", "3", "--onnx", dir["fcn.onnx"], "--no-fold");
        Assert.True(code == 0, error);
        Assert.Contains("input image 1×3×96×96, outputs mask", output);
        Assert.Contains("batch norm kept", output);
    }

    [Fact]
    public void A_folder_is_refused()
    {
        Directory.CreateDirectory(dir["out"]);
        Refused($"--onnx {dir["out"]}: is a folder; give a file name", "--checkpoint", dir["tiny.safetensors"], "--onnx", dir["out"], "--force");
    }

    [Fact]
    public void An_existing_file_is_kept_without_force_and_replaced_with_it()
    {
        File.WriteAllText(dir["m.onnx"], "keep me");
        Refused($"--onnx {dir["m.onnx"]}: exists already; pass --force to replace it", "--checkpoint", dir["tiny.safetensors"], "--onnx", dir["m.onnx"]);
        Assert.Equal("keep me", File.ReadAllText(dir["m.onnx"]));
        Assert.Equal(0, Run("export", "--checkpoint", dir["tiny.safetensors"], "--onnx", dir["m.onnx"], "--force").Code);
        Assert.True(new FileInfo(dir["m.onnx"]).Length > 1_000_000);
    }

    [Fact]
    public void A_symbolic_link_is_never_written_through()
    {
        File.WriteAllText(dir["target.txt"], "not a model");
        File.CreateSymbolicLink(dir["link.onnx"], dir["target.txt"]);
        Refused($"--onnx {dir["link.onnx"]}: exists already (a symbolic link); pass --force to replace it", "--checkpoint", dir["tiny.safetensors"], "--onnx", dir["link.onnx"]);
        Assert.NotNull(new FileInfo(dir["link.onnx"]).LinkTarget);

        Assert.Equal(0, Run("export", "--checkpoint", dir["tiny.safetensors"], "--onnx", dir["link.onnx"], "--force").Code);
        Assert.Null(new FileInfo(dir["link.onnx"]).LinkTarget); // the link itself replaced by the model
        Assert.Equal("not a model", File.ReadAllText(dir["target.txt"]));
    }

    [Fact]
    public void A_checkpoint_of_another_spec_is_refused_by_name()
    {
        Refused($"{dir["fcn.safetensors"]}: does not match spec sanet-tiny ({SpecGraphs.RepoSpec("sanet-tiny")}): missing ",
            "--checkpoint", dir["fcn.safetensors"], "--spec", SpecGraphs.RepoSpec("sanet-tiny"), "--onnx", dir["x.onnx"]);
        Assert.False(File.Exists(dir["x.onnx"]));
    }

    [Theory]
    [InlineData("--size 0", "--size 0: each side must be in 1..8192")]
    [InlineData("--size 96x", "--size 96x: give H or HxW")]
    [InlineData("--size 4", "at 4×4 node '")]
    [InlineData("--init-seed 1", "export needs --onnx FILE and one of --checkpoint FILE or --init-seed SEED")]
    public void Bad_options_are_named(string option, string expected)
    {
        string[] extra = option.Split(' ');
        Refused(expected, ["--checkpoint", dir["tiny.safetensors"], "--onnx", dir["o.onnx"], .. extra]);
        Assert.False(File.Exists(dir["o.onnx"]));
    }

    [Fact]
    public void A_missing_folder_is_named()
    {
        string path = Path.Combine(dir["nowhere"], "m.onnx");
        Refused($"--onnx {path}: folder {dir["nowhere"]} does not exist", "--checkpoint", dir["tiny.safetensors"], "--onnx", path);
    }

    public void Dispose() => dir.Dispose();

    private static void Refused(string expected, params string[] args)
    {
        var (code, output, error) = Run(["export", .. args]);
        Assert.True(code == 2, $"exit {code}: {output} {error}");
        Assert.Contains(expected, error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    private static (int Code, string Out, string Error) Run(params string[] args)
    {
        TextWriter oldOut = Console.Out, oldError = Console.Error;
        var output = new StringWriter();
        var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            return (SanetCli.Run(args), output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }
}
