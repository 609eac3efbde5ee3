using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Checkpoints;

namespace NetSpec.Samples.SANet.Records;

/// <summary>
/// <c>run.jsonl</c>: one JSON object a line, appended and flushed line by line (a kill loses at most the line being
/// written). Every line has <c>type</c> (<c>train</c> or <c>val</c>) and <c>iteration</c>; the fields of each are in
/// <see cref="RunLogLines"/>. A resumed run first drops the lines of iterations after the state it resumes from
/// (<see cref="KeepUpTo"/>), so the file reads as one run: no iteration twice, none missing.
/// </summary>
public sealed class RunLog(string path)
{
    public const string FileName = "run.jsonl";

    public string Path { get; } = path;

    /// <summary>Appends one line and flushes it to disk.</summary>
    public void Append(JsonObject line)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(line.ToJsonString(RunLogLines.JsonOptions) + "\n");
        try
        {
            using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"{Path}: cannot append ({e.Message})");
        }
    }

    /// <summary>
    /// Keeps the lines of iterations up to <paramref name="iteration"/> and drops the rest: those a killed run logged
    /// after its last checkpoint, and a last line cut short by the kill. The kept part replaces the file atomically
    /// (<see cref="AtomicFile"/>): a kill during it leaves the old file. Returns the number of lines dropped.
    /// A line that is not a record of this sample stops the run (naming the line) rather than being thrown away.
    /// </summary>
    public int KeepUpTo(long iteration)
    {
        if (!File.Exists(Path))
            return 0;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"{Path}: cannot read ({e.Message})");
        }

        int keep = 0, dropped = 0, lineNumber = 0;
        for (int start = 0; start < bytes.Length;)
        {
            lineNumber++;
            int end = Array.IndexOf(bytes, (byte)'\n', start);
            if (end < 0)
            {
                dropped++; // the last line, cut short by a kill
                break;
            }

            long at = IterationOf(bytes.AsSpan(start, end - start), lineNumber);
            if (at > iteration)
                dropped++;
            else if (dropped > 0)
                throw new CheckpointException($"{Path}:{lineNumber}: iteration {at} comes after a line of a later iteration; the file is not one run's record");
            else
                keep = end + 1;
            start = end + 1;
        }

        if (dropped > 0)
            AtomicFile.Write(Path, s => s.Write(bytes, 0, keep), FaultPoints.Reached);
        return dropped;
    }

    private long IterationOf(ReadOnlySpan<byte> line, int lineNumber)
    {
        try
        {
            using var document = JsonDocument.Parse(line.ToArray());
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("iteration", out JsonElement it) && it.TryGetInt64(out long iteration))
            {
                return iteration;
            }
        }
        catch (JsonException)
        {
        }

        throw new CheckpointException(string.Create(CultureInfo.InvariantCulture,
            $"{Path}:{lineNumber}: not a record of this sample (a JSON object with an integer 'iteration'); move {FileName} away to resume"));
    }
}
