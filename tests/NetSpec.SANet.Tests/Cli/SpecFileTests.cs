using NetSpec.Samples.SANet.Networks;
using NetSpec.SANet.Tests.Doubles;

namespace NetSpec.SANet.Tests.Cli;

/// <summary>extends that the build accepts still resolve at run time (the refusals are in HostileInputTests).</summary>
public class SpecFileTests
{
    [Fact]
    public void ParentInAFolderNamedSpecsResolvesAsInTheBuild() =>
        Assert.Equal(21, SpecFile.Expand(RepoFiles.Path("samples/SANet/Specs/sanet-tiny-voc.yaml")).NumClasses); // extends ../../../specs/sanet-tiny.yaml

    [Fact]
    public void ParentInASubfolderOfTheSpecsFolderResolves()
    {
        using var dir = new TempDir();
        TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        Directory.CreateDirectory(dir["variants"]);
        File.Move(dir["sanet-tiny.yaml"], dir["variants/sanet-tiny.yaml"]);
        File.WriteAllText(dir["sanet-tiny.yaml"], "extends: variants/sanet-tiny.yaml\nclasses: 9\n");
        File.Copy(dir["sanet-r50.yaml"], dir["variants/sanet-r50.yaml"]);
        File.Copy(dir["segmentation-base.yaml"], dir["variants/segmentation-base.yaml"]);
        Assert.Equal(9, SpecFile.Expand(dir["sanet-tiny.yaml"]).NumClasses);
    }

    [Fact]
    public void ByteOrderMarkIsSkippedAsTheBuildSkipsIt()
    {
        using var dir = new TempDir();
        TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        File.WriteAllText(dir["x.yaml"], "extends: sanet-tiny.yaml\nclasses: 9\n", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        Assert.Equal(0xEF, File.ReadAllBytes(dir["x.yaml"])[0]);
        Assert.Equal(9, SpecFile.Expand(dir["x.yaml"]).NumClasses);
    }
}
