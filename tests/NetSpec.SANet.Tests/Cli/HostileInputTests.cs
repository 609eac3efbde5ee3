using System.Diagnostics;
using NetSpec.Samples.SANet.Checkpoints;
using NetSpec.SANet.Tests.Data;
using NetSpec.SANet.Tests.Doubles;

namespace NetSpec.SANet.Tests.Cli;

/// <summary>Trains sanet-tiny (the generated network) for one iteration once: the checkpoint the eval/predict rows load.</summary>
public sealed class HostileFixture : IDisposable
{
    private readonly TempDir dir = new();

    public HostileFixture()
    {
        var (code, output, error) = CliRunner.Run("train", "--iters", "1", "--batch", "2", "--crop", "32", "--val-every", "100",
            "--set", "val-limit=1", "--work-dir", dir["work"], "--device", "cpu");
        Assert.True(code == 0, error + output);
    }

    public string Checkpoint => dir["work/last.safetensors"];

    public string Folder => dir.Path;

    public void Dispose() => dir.Dispose();
}

/// <summary>
/// Hostile inputs, one per row: the files a row names are made by its setup in a fresh folder ({dir}); the CLI runs
/// in-process and must exit 2 with one line on stderr holding the expected fragment (an option or file name and
/// what is wrong), no stack trace, and leave every file and folder as it was. Add a row for each new one found.
/// </summary>
public class HostileInputTests(HostileFixture fixture) : IClassFixture<HostileFixture>
{
    private const string Train = "train --device cpu --iters 1 --batch 1 --work-dir {dir}/work";
    private const string Eval = "eval --device cpu --checkpoint {ckpt}";
    private const string Predict = "predict --device cpu --checkpoint {ckpt} --input {dir}/in --out {dir}/out";
    private const string Folder = "baseline --data {dir}/data --dataset folder --classes 6";

    [Theory]
    // predict: outputs never replace inputs, never go through links, never clobber without --overwrite
    [InlineData("images", "predict --device cpu --checkpoint {ckpt} --input {dir}/in --out {dir}/in", "--out {dir}/in: is the --input folder")]
    [InlineData("images", "predict --device cpu --checkpoint {ckpt} --input {dir}/in --out {dir}/in/", "is the --input folder")]
    [InlineData("images+file-out", Predict, "--out {dir}/out: is a file; give a folder")]
    [InlineData("images+file-out", "predict --device cpu --checkpoint {ckpt} --input {dir}/in --out {dir}/out/sub", "--out {dir}/out/sub: cannot create this folder")]
    [InlineData("images+link-in-out", Predict, "{dir}/out/a.png: exists already; pass --overwrite")]
    [InlineData("images+existing-out", Predict, "{dir}/out/a_overlay.png: exists already; pass --overwrite")]
    [InlineData("images+out-is-link", Predict, "--out {dir}/out: is a symbolic link")]
    [InlineData("images+truncated", Predict, "{dir}/in/c.png: image is truncated or damaged")]
    [InlineData("images+huge", Predict, "{dir}/in/huge.png: image of 25000×25000 pixels")]
    [InlineData("images+fifo", Predict, "{dir}/in/fifo.png: is empty or not a regular file")]
    [InlineData("images", Predict + " --opacity nan", "--opacity NaN: must be a number in [0, 1]")]
    [InlineData("images", Predict + " --opacity 1.5", "--opacity 1.5")]
    [InlineData("images", Predict + " --window 0", "--window 0: must be in 1..8192")]
    [InlineData("images", Predict + " --window 8", "--window 8: sanet-tiny's ")]
    // label and image files: decoded exactly or refused, naming the file
    [InlineData("label-16bit", Folder, "{dir}/data/labels/a.png: 16-bit PNG")]
    [InlineData("label-2bit", Folder, "{dir}/data/labels/a.png: 2-bit PNG")]
    [InlineData("label-truncated", Folder, "{dir}/data/labels/a.png: label file is truncated or damaged")]
    [InlineData("label-palette-truncated", Folder, "{dir}/data/labels/a.png: cannot read this label file")]
    [InlineData("image-truncated", Folder, "{dir}/data/images/a.png: image is truncated or damaged")]
    [InlineData("label-fifo", Folder, "{dir}/data/labels/a.png: is empty or not a regular file")]
    [InlineData("label-palette-past-entries", Folder, "{dir}/data/labels/a.png: pixel 4 has palette index 5, past the file's 3 palette entries")]
    // a refused start writes nothing: not even the work dir and its lock file
    [InlineData("pretrained-broken", Train + " --pretrained {dir}/p.safetensors", "{dir}/p.safetensors")]
    // option ranges, named
    [InlineData("none", Train + " --crop 1", "--crop 1 --batch 1: sanet-tiny's head.sa1.pool would be 1×32×0×0, a feature map with no pixels")]
    [InlineData("none", Train + " --crop 7", "--crop 7 --batch 1: sanet-tiny's ")]
    [InlineData("none", Train + " --crop 9000", "--crop 9000: must be in 1..8192")]
    [InlineData("none", Train + " --crop 8192 --batch 1024", "--crop 8192 --batch 1024: sanet-tiny training at 1024×3×8192×8192 plans ")]
    [InlineData("none", Train + " --batch 0", "--batch 0: must be in 1..1024")]
    [InlineData("none", Train + " --epochs 0", "--epochs 0: must be in 1..")]
    [InlineData("none", Train + " --lr -1", "--lr -1: must be a number in [0, 1]")]
    [InlineData("none", Train + " --lr nan", "--lr NaN")]
    [InlineData("none", Train + " --set momentum=-0.5", "--set momentum -0.5: must be a number in [0, 1)")]
    [InlineData("none", Train + " --set momentum=1", "--set momentum 1")]
    [InlineData("none", Train + " --set power=-1", "--set power -1")]
    [InlineData("none", Train + " --set weight-decay=-1", "--set weight-decay -1")]
    [InlineData("none", Train + " --set scale-min=0", "--set scale-min 0: must be a number in (0, 3]")]
    [InlineData("none", Train + " --set scale-min=-1", "--set scale-min -1")]
    [InlineData("none", Train + " --set scale-max=NaN", "--set scale-max NaN")]
    [InlineData("none", Train + " --set scale-min=1.5 --set scale-max=1", "--set scale-min=1.5 is above scale-max=1")]
    [InlineData("none", Train + " --set scale-max=3.5", "--set scale-max 3.5: must be a number in (0, 3]")]
    [InlineData("none", Train + " --set scale-max=0.5", "--set scale-min=0.75 is above scale-max=0.5")]
    [InlineData("none", Train + " --set checkpoint-every=0", "--set checkpoint-every 0: must be in 1..2147483647")]
    [InlineData("none", Train + " --set checkpoint-every=4294967296", "--set checkpoint-every 4294967296")]
    [InlineData("none", Train + " --set val-limit=4294967296", "--set val-limit 4294967296: must be in 0..2147483647")]
    [InlineData("none", Train + " --set val-limit=99999999999999999999", "--set val-limit=99999999999999999999: not a valid whole number")]
    [InlineData("none", Train + " --set stop-after=-1", "--set stop-after -1")]
    [InlineData("none", Train + " --set flip=maybe", "--set flip=maybe: not a valid true/false")]
    [InlineData("none", Train + " --classes -1", "--classes -1: must be in 1..255")]
    // values Spectre.Console.Cli cannot convert or that are empty: named by option (Cli/ArgumentText.cs)
    [InlineData("none", Train + " --batch 1e3", "--batch 1e3: not a whole number")]
    [InlineData("none", Train + " --lr 0x10", "--lr 0x10: not a number")]
    [InlineData("none", Train + " --seed=-1", "--seed -1: not a whole number >= 0")]
    [InlineData("none", Train + " --crop ８", "--crop ８: not a whole number")]
    [InlineData("none", Train + " --work-dir=", "--work-dir: empty value")]
    [InlineData("none", "info --spec=", "--spec: empty value")]
    [InlineData("runjsonl+png", "plot {dir} --out=", "--out: empty value")]
    // an option without its value took Spectre's "__default_command" (train wrote into ./__default_command)
    [InlineData("none", "train --device cpu --iters 1 --work-dir --batch 1", "--work-dir: needs a value")]
    [InlineData("images", "predict --device cpu --checkpoint {ckpt} --input {dir}/in --out", "--out: needs a value")]
    [InlineData("none", Train + " --lr", "--lr: needs a value")]
    [InlineData("none", Train + " --set", "--set: needs a value")]
    [InlineData("none", Folder + " --classes 256", "--classes 256")]
    [InlineData("none", Eval + " --window 0", "--window 0: must be in 1..8192")]
    [InlineData("none", Eval + " --window -3", "--window -3")]
    [InlineData("none", Eval + " --window 8", "--window 8: sanet-tiny's ")]
    [InlineData("none", Eval + " --output foo", "--output foo: the network's outputs are mask, dense, cat")]
    [InlineData("none", "info --spec {dir}/none.yaml --size 2147483647", "--size 2147483647: must be in 1..8192")]
    [InlineData("none", "info --spec {dir}/none.yaml --batch 0", "--batch 0")]
    // networks that would not fit the device: refused before anything is allocated, naming the options and tensors
    [InlineData("none", Train + " --crop 16", "--crop 16 --batch 1: sanet-tiny's batch norm head.")]
    [InlineData("specs", "info --spec {dir}/sanet-tiny.yaml --size 7", "--size 7: sanet-tiny's ")]
    // sanet-tiny at width 2048 (issue 12's "huge specs"): layer4's 3×3 conv would have 2.4·10^9 weights, refused by name
    [InlineData("spec-width-2048", "info --spec {dir}/wide.yaml --size 32", "error NS0028: Parameter 'backbone.layer4.0.conv2.weight' (16384,16384,3,3) would have 16384×16384×3×3 elements, more than 2147483647")]
    [InlineData("none", Train + " --crop 8192 --batch 1024", "--crop 8192 --batch 1024: sanet-tiny training at 1024×3×8192×8192 plans")]
    // extends and --spec: regular files only, size-capped, where the build would look
    [InlineData("spec-extends-fifo", "info --spec {dir}/x.yaml", "{dir}/x.yaml: extends {dir}/fifo.yaml: is empty or not a regular file")]
    [InlineData("spec-extends-devzero", "info --spec {dir}/x.yaml", "{dir}/x.yaml: extends /dev/zero: not a .yaml/.yml spec file")]
    [InlineData("spec-extends-shadow", "info --spec {dir}/x.yaml", "extends /etc/shadow: not a .yaml/.yml spec file")]
    [InlineData("spec-extends-outside", "info --spec {dir}/inner/x.yaml", "{dir}/inner/x.yaml: extends {dir}/base.yaml: outside the spec's folder")]
    [InlineData("spec-extends-link", "info --spec {dir}/x.yaml", "links to /etc/passwd, not a .yaml/.yml spec file")]
    [InlineData("spec-extends-huge", "info --spec {dir}/x.yaml", "{dir}/x.yaml: extends {dir}/big.yaml: is 2,000,000 bytes, more than the 1,048,576 allowed")]
    [InlineData("spec-fifo", "info --spec {dir}/x.yaml", "{dir}/x.yaml: is empty or not a regular file")]
    // class names: one a line, as many as the spec's classes, non-empty and unique (samples/SANet/Data/ClassNamesFile.cs)
    [InlineData("names-duplicate", Train + " --class-names {dir}/names.txt", "{dir}/names.txt:3: class name 'sky' is also on line 1; names must be unique")]
    [InlineData("names-short", Train + " --class-names {dir}/names.txt", "{dir}/names.txt: 2 class name(s) for 6 classes (spec sanet-tiny)")]
    [InlineData("names-blank-line", Train + " --class-names {dir}/names.txt", "{dir}/names.txt:2: empty class name")]
    [InlineData("names-fifo", Train + " --class-names {dir}/names.txt", "{dir}/names.txt: is empty or not a regular file")]
    [InlineData("none", Train + " --class-names {dir}/missing.txt", "{dir}/missing.txt: not found")]
    [InlineData("names-short", Eval + " --class-names {dir}/names.txt", "{dir}/names.txt: 2 class name(s) for 6 classes (spec sanet-tiny)")]
    [InlineData("folder-classes-txt-short", Folder, "{dir}/data/classes.txt: 2 class name(s) for 6 classes (--classes 6)")]
    [InlineData("folder-classes-txt-duplicate", "baseline --data {dir}/data --dataset folder", "{dir}/data/classes.txt:2: class name 'a' is also on line 1")]
    // plot: a work dir with a readable run.jsonl; never over an existing PNG without --force
    [InlineData("none", "plot {dir}", "{dir}: no run.jsonl (train writes it into its --work-dir)")]
    [InlineData("none", "plot {dir}/missing", "{dir}/missing: folder not found")]
    [InlineData("runjsonl-not-json", "plot {dir}", "{dir}/run.jsonl:2: not valid JSON")]
    [InlineData("runjsonl-no-iteration", "plot {dir}", "{dir}/run.jsonl:1: no 'iteration' (a whole number >= 0)")]
    [InlineData("runjsonl-string-loss", "plot {dir}", "{dir}/run.jsonl:1: 'mask' is not a number")]
    [InlineData("runjsonl-empty", "plot {dir}", "{dir}/run.jsonl: is empty or not a regular file")]
    [InlineData("runjsonl+png", "plot {dir}", "{dir}/curves.png: exists already; pass --force to replace it")]
    [InlineData("runjsonl+png", "plot {dir} --out {dir}/curves.jpg", "--out {dir}/curves.jpg: give a .png file name")]
    [InlineData("runjsonl+png", "plot {dir} --width 10", "--width 10: must be in 200..8192")]
    [InlineData("runjsonl+png", "plot {dir} --out {dir}/none/c.png", "folder {dir}/none not found")]
    // train: one run at a time in a work dir (samples/SANet/Checkpoints/WorkDirLock.cs); this process holds it here
    [InlineData("work-locked", Train, "--work-dir {dir}/work: another train run (pid ")]
    [InlineData("work-locked", Train + " --force", "is writing there; wait for it to end, or choose another --work-dir")]
    // eval --json FILE: never over an existing file without --overwrite
    [InlineData("json-exists", Eval + " --json {dir}/r.json", "--json {dir}/r.json: exists already; pass --overwrite to replace it")]
    [InlineData("none", Eval + " --json {dir}", "--json {dir}: is a folder; give a file name")]
    public void IsOneLineNamingTheCulpritAndWritesNothing(string setup, string args, string expected)
    {
        using var dir = new TempDir();
        Setups[setup](dir);
        using WorkDirLock? _ = heldLock;
        heldLock = null;
        string Fill(string text) => text.Replace("{dir}", dir.Path).Replace("{ckpt}", fixture.Checkpoint);
        var before = Snapshot(dir.Path, fixture.Folder);

        var (code, output, error) = CliRunner.Run(Fill(args).Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.True(code == 2, $"exit {code}\n{error}{output}");
        Assert.Contains(Fill(expected), error);
        Assert.StartsWith("error: ", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", error);
        Assert.Equal(before, Snapshot(dir.Path, fixture.Folder));
    }

    /// <summary>An empty last argument (a script's unset variable), which the space-split rows above cannot give.</summary>
    [Theory]
    [InlineData("info --spec", "--spec '': empty value")]
    [InlineData("train --device cpu --work-dir", "--work-dir '': empty value")]
    [InlineData("train --device cpu --class-names", "--class-names '': empty value")]
    [InlineData("plot", "argument 2 is empty")]
    public void EmptyValueIsOneLineNamingTheOption(string args, string expected)
    {
        var (code, output, error) = CliRunner.Run([.. args.Split(' '), ""]);

        Assert.True(code == 2, $"exit {code}\n{error}{output}");
        Assert.Equal("error: " + expected, error.Trim());
    }

    /// <summary>The lock a "work-locked" setup takes, as a running train would; the row releases it when done.</summary>
    private static WorkDirLock? heldLock;

    private static readonly Dictionary<string, Action<TempDir>> Setups = new()
    {
        ["none"] = _ => { },
        ["work-locked"] = d => heldLock = WorkDirLock.Acquire(d["work"]),
        ["images"] = Images,
        ["images+file-out"] = d => { Images(d); File.WriteAllText(d["out"], "not a folder"); },
        ["images+link-in-out"] = d =>
        {
            Images(d);
            File.WriteAllText(d["victim.txt"], "must survive");
            Directory.CreateDirectory(d["out"]);
            File.CreateSymbolicLink(d["out/a.png"], d["victim.txt"]);
        },
        ["images+existing-out"] = d => { Images(d); Directory.CreateDirectory(d["out"]); File.WriteAllText(d["out/a_overlay.png"], "earlier"); },
        ["images+out-is-link"] = d => { Images(d); Directory.CreateDirectory(d["elsewhere"]); Directory.CreateSymbolicLink(d["out"], d["elsewhere"]); },
        ["images+truncated"] = d => { Images(d); TestImages.Png(d["in/c.png"], 40, 40, 9); Truncate(d["in/c.png"], 60); },
        ["images+huge"] = d => { Images(d); TestImages.GreyPng(d["in/huge.png"], 25000, 25000, 1, new byte[3125 * 25000]); },
        ["images+fifo"] = d => { Images(d); MakeFifo(d["in/fifo.png"]); },
        ["label-16bit"] = d =>
        {
            TestImages.Png(d["data/images/a.png"], 4, 2, 50);
            // class ids 0..5 as 16-bit big-endian samples: SkiaSharp's 8-bit decode would read them all as 0
            TestImages.GreyPng(d["data/labels/a.png"], 4, 2, 16, [0, 0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 1, 0, 2]);
        },
        ["label-2bit"] = d =>
        {
            TestImages.Png(d["data/images/a.png"], 4, 2, 50);
            TestImages.GreyPng(d["data/labels/a.png"], 4, 2, 2, [0b00_01_10_11, 0b11_10_01_00]); // ids 0..3, scaled to 0, 85, 170, 255 by an 8-bit decode
        },
        ["label-truncated"] = d =>
        {
            // an 8-bit grey PNG cut inside its pixel data: SkiaSharp hands back the rows it has and zeros (background)
            TestImages.Png(d["data/images/a.png"], 40, 40, 50);
            TestImages.GreyPng(d["data/labels/a.png"], 40, 40, 8, Enumerable.Range(0, 1600).Select(i => (byte)(i % 6)).ToArray());
            Truncate(d["data/labels/a.png"], 60);
        },
        ["label-palette-truncated"] = d =>
        {
            TestImages.Png(d["data/images/a.png"], 40, 40, 50);
            TestImages.VocLabel(d["data/labels/a.png"], 40, 40, Enumerable.Range(0, 1600).Select(i => (byte)(i % 6)).ToArray());
            Truncate(d["data/labels/a.png"], 60);
        },
        ["image-truncated"] = d =>
        {
            TestImages.Png(d["data/images/a.png"], 40, 40, 50);
            Truncate(d["data/images/a.png"], 100);
            TestImages.GreyLabel(d["data/labels/a.png"], 40, 40, new byte[1600]);
        },
        ["label-palette-past-entries"] = d =>
        {
            TestImages.Png(d["data/images/a.png"], 4, 2, 50);
            Directory.CreateDirectory(d["data/labels"]);
            File.WriteAllBytes(d["data/labels/a.png"], NetSpec.Samples.SANet.Imaging.IndexedPng.Encode(4, 2, [0, 1, 2, 1, 5, 2, 2, 0], [0, 0, 0, 200, 10, 10, 10, 200, 10]));
        },
        ["pretrained-broken"] = d => File.WriteAllBytes(d["p.safetensors"], [1, 2, 3]),
        ["label-fifo"] = d => { TestImages.Png(d["data/images/a.png"], 4, 2, 50); Directory.CreateDirectory(d["data/labels"]); MakeFifo(d["data/labels/a.png"]); },
        ["spec-extends-fifo"] = d => { Spec(d, "fifo.yaml"); MakeFifo(d["fifo.yaml"]); },
        ["spec-extends-devzero"] = d => Spec(d, "/dev/zero"),
        ["spec-extends-shadow"] = d => Spec(d, "../../../../../../../../etc/shadow"),
        ["spec-extends-outside"] = d =>
        {
            File.WriteAllText(d["base.yaml"], "classes: 6\n");
            Directory.CreateDirectory(d["inner"]);
            File.WriteAllText(d["inner/x.yaml"], "extends: ../base.yaml\n");
        },
        ["spec-extends-link"] = d => { Spec(d, "base.yaml"); File.CreateSymbolicLink(d["base.yaml"], "/etc/passwd"); },
        ["spec-extends-huge"] = d => { Spec(d, "big.yaml"); File.WriteAllText(d["big.yaml"], "#" + new string('x', 1_999_998) + "\n"); },
        ["spec-fifo"] = d => MakeFifo(d["x.yaml"]),
        ["specs"] = d => TestNetworks.SpecFile(d.Path, TestNetworks.Six),
        ["spec-width-2048"] = d =>
        {
            TestNetworks.SpecFile(d.Path, TestNetworks.Six);
            File.WriteAllText(d["wide.yaml"], "extends: sanet-tiny.yaml\nname: wide\nparams:\n  width: 2048\n");
        },
        ["names-duplicate"] = d => File.WriteAllText(d["names.txt"], "sky\nsea\nsky\nsand\nrock\ncrab\n"),
        ["names-short"] = d => File.WriteAllText(d["names.txt"], "sky\nsea\n"),
        ["names-blank-line"] = d => File.WriteAllText(d["names.txt"], "sky\n\nsand\nrock\nshell\ncrab\n"),
        ["names-fifo"] = d => MakeFifo(d["names.txt"]),
        ["folder-classes-txt-short"] = d => { FolderData(d); File.WriteAllText(d["data/classes.txt"], "a\nb\n"); },
        ["folder-classes-txt-duplicate"] = d => { FolderData(d); File.WriteAllText(d["data/classes.txt"], "a\na\n"); },
        ["runjsonl-not-json"] = d => File.WriteAllText(d["run.jsonl"], TrainLine + "\n{oops\n" + TrainLine + "\n"),
        ["runjsonl-no-iteration"] = d => File.WriteAllText(d["run.jsonl"], "{\"type\":\"train\",\"lr\":0.1}\n"),
        ["runjsonl-string-loss"] = d => File.WriteAllText(d["run.jsonl"], TrainLine.Replace("0.5", "\"0.5\"") + "\n"),
        ["runjsonl-empty"] = d => File.WriteAllText(d["run.jsonl"], ""),
        ["runjsonl+png"] = d => { File.WriteAllText(d["run.jsonl"], TrainLine + "\n"); File.WriteAllText(d["curves.png"], "an earlier plot"); },
        ["json-exists"] = d => File.WriteAllText(d["r.json"], "{}"),
    };

    private const string TrainLine = "{\"type\":\"train\",\"iteration\":1,\"lr\":0.1,\"loss\":{\"mask\":0.5},\"total\":0.5}";

    /// <summary>A folder dataset of one image with labels 0..5.</summary>
    private static void FolderData(TempDir d)
    {
        TestImages.Png(d["data/images/a.png"], 4, 2, 50);
        TestImages.GreyLabel(d["data/labels/a.png"], 4, 2, [0, 1, 2, 3, 4, 5, 0, 1]);
    }

    /// <summary>Two inputs whose default output names collide (a.png and a.jpg would both give a.png).</summary>
    private static void Images(TempDir d)
    {
        TestImages.Png(d["in/a.png"], 20, 16, 10);
        TestImages.Jpeg(d["in/b.jpg"], 20, 16, (x, y) => ((byte)x, (byte)y, 40));
    }

    private static void Spec(TempDir d, string parent) => File.WriteAllText(d["x.yaml"], $"extends: {parent}\nclasses: 6\n");

    private static void Truncate(string path, int bytes) => File.WriteAllBytes(path, File.ReadAllBytes(path)[..bytes]);

    private static void MakeFifo(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    /// <summary>Every entry under the folders: path, kind and (for files) length and write time.</summary>
    private static List<string> Snapshot(params string[] folders) =>
        folders.SelectMany(f => new DirectoryInfo(f).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
            .Select(e => $"{e.FullName} {(e is DirectoryInfo ? "dir" : e.LinkTarget is not null ? "link" : $"{((FileInfo)e).Length} {e.LastWriteTimeUtc.Ticks}")}")
            .Order(StringComparer.Ordinal).ToList();
}
