namespace NetSpec.Samples.SANet.Records;

/// <summary>
/// <c>config.yaml</c>: what a run was started with, written once when it starts (samples/SANet/README.md, "The work
/// dir"). A resume never rewrites these fields: it appends an entry to <see cref="Resumes"/>. Property names become
/// snake_case keys (<see cref="RunConfigFile"/>).
/// </summary>
public sealed class RunConfig
{
    public string NetspecVersion { get; set; } = "";

    /// <summary>UTC, ISO 8601.</summary>
    public string Started { get; set; } = "";

    public List<string> CommandLine { get; set; } = [];

    public SpecRecord Spec { get; set; } = new();

    public DatasetRecord Dataset { get; set; } = new();

    public string Device { get; set; } = "";

    public ulong Seed { get; set; }

    public RecipeRecord Recipe { get; set; } = new();

    public List<ResumeRecord> Resumes { get; set; } = [];
}

/// <summary>The spec: its name, the file it was read from, and the SHA-256 of that file's text.</summary>
public sealed class SpecRecord
{
    public string Name { get; set; } = "";

    public string File { get; set; } = "";

    public string Sha256 { get; set; } = "";

    public int Classes { get; set; }
}

public sealed class DatasetRecord
{
    /// <summary>builtin, voc, voc-aug, context or folder.</summary>
    public string Kind { get; set; } = "";

    /// <summary>The full path of --data; empty for the built-in data.</summary>
    public string Root { get; set; } = "";

    public SplitRecord Train { get; set; } = new();

    public SplitRecord Val { get; set; } = new();

    /// <summary>Where the names came from: built-in, a classes.txt, --class-names FILE, or numbered.</summary>
    public string ClassNamesFrom { get; set; } = "";

    public List<string> ClassNames { get; set; } = [];
}

public sealed class SplitRecord
{
    public string Description { get; set; } = "";

    public int Images { get; set; }
}

/// <summary>Every hyper-parameter the run used, after defaults (the run's first line says the same).</summary>
public sealed class RecipeRecord
{
    public long Iterations { get; set; }

    public int Batch { get; set; }

    public int Crop { get; set; }

    public double BaseLr { get; set; }

    /// <summary>base_lr × batch / 16, the backbone's lr at iteration 0; heads get their spec's lr multiplier.</summary>
    public double ScaledLr { get; set; }

    public string LrSchedule { get; set; } = "poly";

    public double Power { get; set; }

    public double Momentum { get; set; }

    public double WeightDecay { get; set; }

    public double ScaleMin { get; set; }

    public double ScaleMax { get; set; }

    public bool Flip { get; set; }

    public int ValEvery { get; set; }

    public int LogEvery { get; set; }

    public int CheckpointEvery { get; set; }

    /// <summary>0: none (--set stop-after).</summary>
    public long StopAfter { get; set; }

    public string Pretrained { get; set; } = "";
}

/// <summary>One <c>train --resume</c>: when, the command, where it resumed and the total it runs to.</summary>
public sealed class ResumeRecord
{
    public string Time { get; set; } = "";

    public List<string> CommandLine { get; set; } = [];

    public long FromIteration { get; set; }

    public long Iterations { get; set; }

    public string Device { get; set; } = "";

    public string NetspecVersion { get; set; } = "";
}
