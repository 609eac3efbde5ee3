using NetSpec.Generator.Emit;

namespace NetSpec.Generator.Tests;

public class PipelineTests
{
    [Theory]
    [InlineData("specs/sanet-r50.yaml", true)]
    [InlineData("/repo/specs/variants/voc.yml", true)]
    [InlineData(@"C:\repo\specs\fcn.yaml", true)]
    [InlineData("config/settings.yaml", false)]
    [InlineData("specs/readme.md", false)]
    [InlineData("specs.yaml", false)]
    public void Specs_are_yaml_files_under_a_specs_folder(string path, bool expected) =>
        Assert.Equal(expected, SpecPipeline.IsSpec(path));

    [Theory]
    [InlineData("backbone.layer1.0.conv1", "backbone_layer1_0_conv1")]
    [InlineData("0.conv", "_0_conv")]
    [InlineData("out", "@out")]
    [InlineData("head.sa-1", "head_sa_1")]
    public void Field_names_keep_the_spec_words_and_stay_legal(string spec, string field) =>
        Assert.Equal(field, Names.Field(spec));

    [Fact]
    public void Stage_method_names_are_pascal_case_and_unique()
    {
        var stages = Stages.Group(new[] { "backbone.stem.0", "backbone.stem.1", "head.sa1.x", "backbone.stem.2" }, s => s);
        Assert.Equal(new[] { "BackboneStem", "HeadSa1", "BackboneStem2" }, stages.Select(s => s.Method));
        Assert.Equal(2, stages[0].Steps.Count);
    }
}
