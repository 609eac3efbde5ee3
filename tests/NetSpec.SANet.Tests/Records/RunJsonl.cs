using System.Text.Json.Nodes;

namespace NetSpec.SANet.Tests.Records;

/// <summary>Reads a work dir's run.jsonl for the tests; <see cref="Stable"/> leaves out what differs between equal runs.</summary>
public static class RunJsonl
{
    /// <summary>Fields that depend on the clock or the process, not on the run's arithmetic.</summary>
    private static readonly string[] Volatile = ["time", "seconds_per_iteration", "seconds", "managed_heap_bytes", "working_set_bytes"];

    public static List<JsonObject> Lines(string workDir)
    {
        string text = File.ReadAllText(Path.Combine(workDir, "run.jsonl"));
        Assert.EndsWith("\n", text);
        return text.TrimEnd('\n').Split('\n').Select(l => (JsonObject)JsonNode.Parse(l)!).ToList();
    }

    /// <summary>Each line without its volatile fields, as text: equal runs give equal lists.</summary>
    public static List<string> Stable(string workDir) => Lines(workDir).Select(line =>
    {
        foreach (string key in Volatile)
            line.Remove(key);
        return line.ToJsonString();
    }).ToList();

    public static List<long> Iterations(string workDir, string type) =>
        Lines(workDir).Where(l => (string)l["type"]! == type).Select(l => (long)l["iteration"]!).ToList();
}
