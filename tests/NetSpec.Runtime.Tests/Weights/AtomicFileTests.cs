using NetSpec.Runtime.Weights;

namespace NetSpec.Runtime.Tests.Weights;

public class AtomicFileTests
{
    [Fact]
    public void FailedWriteLeavesTheOldFileAndNoTemporary()
    {
        using var dir = new TempDir();
        string path = dir["last.safetensors"];
        File.WriteAllText(path, "old");

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write(new byte[1000]);
            throw new InvalidOperationException("disk full");
        }));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void IoFailureIsACheckpointErrorNamingTheFile()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["file"], "a file, not a folder");
        string path = dir["file/last.safetensors"];
        var e = Assert.Throws<CheckpointException>(() => AtomicFile.WriteAllBytes(path, [1]));
        Assert.StartsWith($"{path}: cannot write (", e.Message);
        Assert.Equal([dir["file"]], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void SuccessfulWriteReplacesTheFile()
    {
        using var dir = new TempDir();
        string path = dir["sub/x.bin"];
        AtomicFile.WriteAllBytes(path, [1, 2, 3]);
        AtomicFile.WriteAllBytes(path, [4]);
        Assert.Equal([4], File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(dir["sub"]));
    }
}
