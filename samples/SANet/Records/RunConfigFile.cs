using System.Text;
using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Checkpoints;
using NetSpec.Samples.SANet.Data;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace NetSpec.Samples.SANet.Records;

/// <summary>Reads and writes <c>config.yaml</c> (snake_case keys); writes are atomic (<see cref="AtomicFile"/>).</summary>
public static class RunConfigFile
{
    public const string FileName = "config.yaml";

    /// <summary>A config of a few KB; a file much larger than that is not one.</summary>
    private const long MaxBytes = 1 << 20;

    /// <summary>
    /// Strings that YAML would read as something else (null, ~, true, yes, 1e5, 0x10) are quoted, so that the file reads
    /// back as written here and in other YAML readers (a command-line argument can be any of them).
    /// </summary>
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .WithQuotingNecessaryStrings()
        .Build();

    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    public static string ToYaml(RunConfig config) =>
        "# Written by `SANet train` when the run started; each `train --resume` appends to resumes (samples/SANet/README.md).\n"
        + Serializer.Serialize(config);

    public static void Write(string path, RunConfig config)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(ToYaml(config));
        AtomicFile.Write(path, s => s.Write(bytes), FaultPoints.Reached); // the kill test's points inside the save
    }

    /// <summary>Reads a config written by <see cref="Write"/>; anything else is refused naming the file (and line).</summary>
    public static RunConfig Read(string path)
    {
        string text = Encoding.UTF8.GetString(UntrustedFile.ReadAll(path, MaxBytes, problem => new CheckpointException($"{path}: {problem}")));
        try
        {
            return Deserializer.Deserialize<RunConfig>(text) ?? throw new CheckpointException($"{path}: is empty; not a {FileName} written by this sample");
        }
        catch (YamlException e)
        {
            throw new CheckpointException($"{path}:{e.Start.Line}: not a {FileName} written by this sample ({(e.InnerException ?? e).Message})");
        }
    }
}
