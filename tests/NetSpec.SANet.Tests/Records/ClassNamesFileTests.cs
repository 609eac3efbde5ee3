using NetSpec.Samples.SANet.Data;

namespace NetSpec.SANet.Tests.Records;

/// <summary>--class-names FILE and classes.txt: one name a line, checked, errors naming the file and line.</summary>
public class ClassNamesFileTests
{
    [Theory]
    [InlineData("a\nb\nc\n")]
    [InlineData("a\nb\nc")]
    [InlineData("a\r\nb\r\nc\r\n")]
    [InlineData("\uFEFFa\nb\nc\n")]
    [InlineData("  a \n\tb\nc  \n")]
    public void ReadsOneTrimmedNameALine(string text)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["names.txt"], text, new System.Text.UTF8Encoding(false));
        Assert.Equal(["a", "b", "c"], ClassNamesFile.Read(dir["names.txt"], 3, "spec x"));
        Assert.Equal(["a", "b", "c"], ClassNamesFile.Read(dir["names.txt"], null, "spec x"));
    }

    [Theory]
    [InlineData("a\nb\n", "{file}: 2 class name(s) for 3 classes (spec x)")]
    [InlineData("a\nb\nc\nd\n", "{file}: 4 class name(s) for 3 classes (spec x)")]
    [InlineData("a\n\nc\n", "{file}:2: empty class name")]
    [InlineData("a\nb\nc\n\n", "{file}:4: empty class name")]
    [InlineData("a\n   \nc\n", "{file}:2: empty class name")]
    [InlineData("a\nb\na\n", "{file}:3: class name 'a' is also on line 1; names must be unique")]
    [InlineData("a\nb \n b\n", "{file}:3: class name 'b' is also on line 2")]
    [InlineData("a\nb\u0007\nc\n", "{file}:2: class name holds a control character")]
    [InlineData("\n", "{file}:1: empty class name")]
    public void RefusesNamingTheFileAndLine(string text, string expected)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["names.txt"], text);
        var e = Assert.Throws<DataException>(() => ClassNamesFile.Read(dir["names.txt"], 3, "spec x"));
        Assert.StartsWith(expected.Replace("{file}", dir["names.txt"]), e.Message);
    }

    [Fact]
    public void RefusesALongNameAnEmptyFileAndAFolder()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["long.txt"], "a\n" + new string('x', 101) + "\nc\n");
        Assert.Equal($"{dir["long.txt"]}:2: class name of 101 characters, more than the 100 allowed",
            Assert.Throws<DataException>(() => ClassNamesFile.Read(dir["long.txt"], 3, "spec x")).Message);
        File.WriteAllText(dir["empty.txt"], "");
        Assert.StartsWith($"{dir["empty.txt"]}: is empty", Assert.Throws<DataException>(() => ClassNamesFile.Read(dir["empty.txt"], 3, "spec x")).Message);
        Assert.Equal($"{dir.Path}: is a folder, not a file", Assert.Throws<DataException>(() => ClassNamesFile.Read(dir.Path, 3, "spec x")).Message);
    }
}
