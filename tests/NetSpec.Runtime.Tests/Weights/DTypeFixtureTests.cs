using System.Text.Json;
using NetSpec.Runtime.Weights;

namespace NetSpec.Runtime.Tests.Weights;

/// <summary>
/// Fixtures/dtypes.safetensors holds one [2,3] tensor per dtype, written by numpy (Fixtures/make_dtypes.py); the
/// reference JSON holds numpy's float32 conversion of each. Loading must give those floats bit for bit: F16 and BF16
/// widen exactly, F64 and I64 round to nearest even as numpy's astype(float32) does.
/// </summary>
public sealed class DTypeFixtureTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Weights", "Fixtures", name);

    [Fact]
    public void EveryDTypeLoadsAsNumpyConvertsIt()
    {
        var reference = JsonSerializer.Deserialize<Dictionary<string, double[]>>(File.ReadAllText(Fixture("dtypes-reference.json")))!;
        string[] names = ["f32", "f16", "bf16", "f64", "i64"];
        using Device device = Device.Create("cpu");
        using var net = new ParamNet(device, "dtype-fixture", names.Select(n => (n, new[] { 2, 3 }, ParameterKind.Weight)).ToArray());

        LoadReport report = NetworkWeights.Load(net, Fixture("dtypes.safetensors"));
        Assert.Equal(names, report.Loaded);
        Assert.Equal("dtype-fixture", report.Metadata.SpecName);
        foreach (string name in names)
            Assert.Equal(reference[name].Select(v => (float)v), net.Values(name)); // each double is a float32 exactly

        using var reader = SafeTensorsReader.Open(Fixture("dtypes.safetensors"));
        Assert.Equal([SafeDType.F32, SafeDType.F16, SafeDType.BF16, SafeDType.F64, SafeDType.I64], reader.Tensors.Select(t => t.DType));
    }

    /// <summary>Each dtype written here, read back through the memory-mapped reader and through the whole-file reader alike.</summary>
    [Fact]
    public void MappedAndWholeFileReadersAgreeOnEveryDType()
    {
        using var dir = new TempDir();
        string copy = dir["d.safetensors"];
        File.Copy(Fixture("dtypes.safetensors"), copy);
        var (whole, _) = SafeTensorsFile.Read(copy);
        using var reader = SafeTensorsReader.Open(copy);
        foreach (SafeTensorEntry entry in whole)
            Assert.Equal(entry.ToFloats(), reader.ReadFloats(reader[entry.Name]));
    }
}
