namespace NetSpec.Runtime.Tests.Networks;

/// <summary>The table a generated constructor creates its parameters from (columns: name, shape, kind, group, lr×, decay).</summary>
public sealed class ParameterTableTests
{
    [Fact]
    public void Rows_become_parameters_in_order()
    {
        using Device device = Device.Create("cpu");
        const string table = """
            backbone.conv1.weight    8,3,3,3  Weight   backbone  1     yes
            backbone.bn1.num_batches_tracked  -  Counter  backbone  1  no
            head.cls.bias            5        Weight   head      10    no
            """;
        Parameter[] p = ParameterTable.Create(device.Accelerator, table);
        try
        {
            Assert.Equal(new[] { "backbone.conv1.weight", "backbone.bn1.num_batches_tracked", "head.cls.bias" }, p.Select(q => q.Name));
            Assert.Equal(new[] { 8, 3, 3, 3 }, p[0].Shape);
            Assert.Empty(p[1].Shape);
            Assert.Equal(ParameterKind.Counter, p[1].Kind);
            Assert.Equal(("head", 10f, false), (p[2].Group, p[2].LrMult, p[2].WeightDecay));
            Assert.True(p[0].WeightDecay);
        }
        finally
        {
            foreach (Parameter q in p)
                q.Dispose();
        }
    }

    [Theory]
    [InlineData("a.weight 3 Weight g 1")] // a column missing
    [InlineData("a.weight 3 Heavy g 1 yes")] // no such kind
    [InlineData("a.weight 3 Weight g fast yes")] // lr× not a number
    [InlineData("a.weight 3 Weight g 1 maybe")] // decay not yes/no
    public void A_malformed_row_is_a_format_error_naming_it(string row)
    {
        using Device device = Device.Create("cpu");
        var e = Assert.Throws<FormatException>(() => ParameterTable.Create(device.Accelerator, row));
        Assert.Contains($"row 1 '{row}'", e.Message, StringComparison.Ordinal);
    }
}
