namespace NetSpec.Samples.SANet.Networks;

/// <summary>
/// Reads a spec's name from specs/*.yaml (its top-level <c>name:</c>, else the file stem) and finds the
/// default spec folder. The spec itself was compiled at build time; only its name is needed here.
/// </summary>
public static class SpecFile
{
    public const string DefaultSpec = "sanet-tiny";

    public static string NameOf(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: spec file not found");
        foreach (string line in File.ReadLines(path))
        {
            if (!line.StartsWith("name:", StringComparison.Ordinal))
                continue;
            string value = line["name:".Length..].Split('#')[0].Trim().Trim('"', '\'');
            if (value.Length > 0)
                return value;
        }

        return Path.GetFileNameWithoutExtension(path);
    }
}
