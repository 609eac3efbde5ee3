using System.Text;
using System.Text.Json;
using NetSpec.Samples.SANet.Data;

namespace NetSpec.Samples.SANet.Records;

/// <summary>
/// The series <c>SANet plot</c> draws, read from a work dir's <c>run.jsonl</c>: each loss term and the total, the lr,
/// and val mIoU and pixAcc, against iteration. Lines of other types are skipped (a later version may add some);
/// a line that is not a record names its line number. A last line without its newline that does not parse is a line
/// cut short by a kill, and is skipped with a note.
/// </summary>
public sealed class RunCurves
{
    /// <summary>A run of a million iterations logged at each is about 300 MB; nothing larger is read.</summary>
    private const long MaxBytes = 1L << 30;

    public SortedDictionary<string, List<(double X, double Y)>> Losses { get; } = new(StringComparer.Ordinal);

    public List<(double X, double Y)> Lr { get; } = [];

    public List<(double X, double Y)> MeanIou { get; } = [];

    public List<(double X, double Y)> PixelAccuracy { get; } = [];

    /// <summary>Set when the last line was cut short (and skipped).</summary>
    public string? Note { get; private set; }

    public static RunCurves Read(string workDir)
    {
        if (File.Exists(workDir))
            throw new DataException($"{workDir}: is a file; give a train --work-dir folder");
        if (!Directory.Exists(workDir))
            throw new DataException($"{workDir}: folder not found");
        string path = Path.Combine(workDir, RunLog.FileName);
        if (!File.Exists(path))
            throw new DataException($"{workDir}: no {RunLog.FileName} (train writes it into its --work-dir)");
        string text = Encoding.UTF8.GetString(UntrustedFile.ReadAll(path, MaxBytes, problem => new DataException($"{path}: {problem}")));
        var curves = new RunCurves();
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            bool last = i == lines.Length - 1;
            if (last && lines[i].Length == 0)
                break;
            try
            {
                curves.Add(lines[i], path, i + 1);
            }
            catch (DataException) when (last)
            {
                curves.Note = $"{path}:{i + 1}: the last line is cut short (a run killed while writing it?); skipped";
            }
        }

        if (curves.Lr.Count == 0 && curves.MeanIou.Count == 0)
            throw new DataException($"{path}: holds no train or val line yet");
        return curves;
    }

    private void Add(string line, string path, int number)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(line);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new DataException($"{path}:{number}: not valid JSON ({e.Message})");
        }

        if (root.ValueKind != JsonValueKind.Object)
            throw new DataException($"{path}:{number}: not a JSON object");
        string? type = root.TryGetProperty("type", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type is null)
            throw new DataException($"{path}:{number}: no 'type' (train or val)");
        if (type is not ("train" or "val"))
            return;
        if (!root.TryGetProperty("iteration", out JsonElement it) || !it.TryGetInt64(out long iteration) || iteration < 0)
            throw new DataException($"{path}:{number}: no 'iteration' (a whole number >= 0)");
        if (type == "train")
        {
            Lr.Add((iteration, Number(root, "lr", path, number) ?? double.NaN));
            if (!root.TryGetProperty("loss", out JsonElement loss) || loss.ValueKind != JsonValueKind.Object)
                throw new DataException($"{path}:{number}: no 'loss' object (a number per loss term)");
            foreach (JsonProperty term in loss.EnumerateObject())
                Point(term.Name, iteration, Number(loss, term.Name, path, number));
            Point("total", iteration, Number(root, "total", path, number));
        }
        else
        {
            if (Number(root, "mIoU", path, number) is { } miou)
                MeanIou.Add((iteration, miou * 100));
            if (Number(root, "pixAcc", path, number) is { } acc)
                PixelAccuracy.Add((iteration, acc * 100));
        }
    }

    private void Point(string series, long iteration, double? value)
    {
        if (!Losses.TryGetValue(series, out var points))
            Losses[series] = points = [];
        if (value is { } v)
            points.Add((iteration, v));
    }

    /// <summary>A number, or null where the run wrote null (a non-finite value); a missing key or other type is an error.</summary>
    private static double? Number(JsonElement owner, string key, string path, int number)
    {
        if (!owner.TryGetProperty(key, out JsonElement value))
            throw new DataException($"{path}:{number}: no '{key}'");
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.Null => null,
            _ => throw new DataException($"{path}:{number}: '{key}' is not a number"),
        };
    }
}
