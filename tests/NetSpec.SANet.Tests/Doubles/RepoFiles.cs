namespace NetSpec.SANet.Tests.Doubles;

/// <summary>Finds files of the repository (specs) from the test assembly's folder.</summary>
public static class RepoFiles
{
    public static string Root()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(d.FullName, "specs", "sanet-tiny.yaml")))
                return d.FullName;
        }

        throw new DirectoryNotFoundException("specs/sanet-tiny.yaml not found above the test assembly");
    }

    public static string Path(string relative) => System.IO.Path.Combine(Root(), relative);
}
