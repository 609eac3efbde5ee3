using System.Globalization;
using ILGPU.Runtime;

namespace NetSpec.Runtime;

/// <summary>
/// Creates a generated network's parameters from its table (the constructor's <c>ParameterSpecs</c>): one row per
/// parameter, cells separated by spaces: name, shape (comma-separated; - for a scalar), kind, group, learning-rate
/// multiplier, weight decay (yes/no). The generator writes the table; a malformed row is a FormatException naming it.
/// The parameters share one <see cref="ParameterArena"/>, so SGD updates them all in one launch.
/// </summary>
public static class ParameterTable
{
    public static Parameter[] Create(Accelerator accelerator, string table)
    {
        string[] rows = table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var specs = new ParameterSpec[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            string[] cell = rows[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (cell.Length != 6 || !Enum.TryParse(cell[2], out ParameterKind kind) || cell[5] is not ("yes" or "no")
                || !float.TryParse(cell[4], NumberStyles.Float, CultureInfo.InvariantCulture, out float lrMult))
                throw new FormatException($"parameter table row {i + 1} '{rows[i]}' is not: name shape kind group lr-mult yes|no");
            int[] shape = cell[1] == "-" ? Array.Empty<int>() : Array.ConvertAll(cell[1].Split(','), d => int.Parse(d, CultureInfo.InvariantCulture));
            specs[i] = new ParameterSpec(cell[0], shape, kind, cell[3], lrMult, cell[5] == "yes");
        }

        return ParameterArena.Create(accelerator, specs).Parameters.ToArray();
    }
}
