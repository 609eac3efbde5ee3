using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NetSpec.Runtime.Distributed;
using NetSpec.Samples.SANet.Cli;

namespace NetSpec.Samples.SANet.Training;

/// <summary>
/// Checks that every rank resolved the same run: rank 0 broadcasts a hash of each setting, every rank compares, and a
/// per-setting count of the ranks that differ is all-reduced, so rank 0 can name what differs (a rank with another
/// spec file or --batch would otherwise train a different model, or meet the others in collectives of other lengths).
/// </summary>
public static class SameSettings
{
    /// <summary>Throws on every rank when some rank differs (a <see cref="RankAgreement"/> step: rank 0 reports).</summary>
    public static void Check(ICommunicator comm, TrainOptions options)
    {
        (string Name, string Value)[] settings = Describe(options);
        byte[] mine = new byte[settings.Length * 8];
        for (int i = 0; i < settings.Length; i++)
            SHA256.HashData(Encoding.UTF8.GetBytes(settings[i].Value)).AsSpan(0, 8).CopyTo(mine.AsSpan(i * 8));
        byte[] rank0 = (byte[])mine.Clone();
        comm.Broadcast(rank0, root: 0);
        var differing = new double[settings.Length];
        for (int i = 0; i < settings.Length; i++)
            differing[i] = mine.AsSpan(i * 8, 8).SequenceEqual(rank0.AsSpan(i * 8, 8)) ? 0 : 1;
        comm.AllReduceSum(differing);
        string[] differences = settings.Select((s, i) => differing[i] == 0 ? null
            : string.Create(CultureInfo.InvariantCulture, $"{s.Name} differs on {differing[i]:F0} of {comm.Size} ranks (rank 0: {Short(s.Value)})")).OfType<string>().ToArray();
        if (differences.Length > 0)
            throw new UsageException($"the ranks of this run were started with different settings: {string.Join("; ", differences)}; start every rank with the same command");
    }

    /// <summary>Each setting that decides the run, by the option that sets it. The work dir's path may differ between machines (the shared-work-dir check covers it).</summary>
    public static (string Name, string Value)[] Describe(TrainOptions o) =>
    [
        ("the spec", $"{o.SpecName} {o.SpecClass} {SpecText(o.SpecOrigin)}"),
        ("--batch", o.Batch.ToString(CultureInfo.InvariantCulture)),
        ("--crop", o.Augment.Crop.ToString(CultureInfo.InvariantCulture)),
        ("--iters/--epochs", $"{o.MaxIterations} {o.IterationsGiven}"),
        ("--lr", o.BaseLr.ToString("R", CultureInfo.InvariantCulture)),
        ("--seed", o.Seed.ToString(CultureInfo.InvariantCulture)),
        ("the data", $"{o.DatasetName} {o.Train.Description} {o.Train.Count} {o.Val.Description} {o.Val.Count}"),
        ("--set (recipe)", string.Create(CultureInfo.InvariantCulture, $"{o.Momentum:R} {o.WeightDecay:R} {o.Power:R} {o.Augment.ScaleMin:R} {o.Augment.ScaleMax:R} {o.Augment.Flip} {o.CheckpointEvery} {o.StopAfter}")),
        ("--resume/--force", $"{o.Resume} {o.Force}"),
        ("--pretrained", o.Pretrained ?? ""),
        ("--val-every/--log-every", $"{o.ValEvery} {o.LogEvery}"),
    ];

    // a spec file's text (two ranks may name the same path on machines with different files); else the built-in name
    private static string SpecText(string origin)
    {
        try
        {
            return File.Exists(origin) ? File.ReadAllText(origin) : origin;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return origin;
        }
    }

    private static string Short(string value) => value.Length <= 40 ? value : $"{value[..37]}...";
}
