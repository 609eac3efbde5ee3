using System.Globalization;
using NetSpec.Dsl.Catalog;
using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Tests;

/// <summary>
/// Builds ExpandedSpecs by hand for the middle's tests (what the front end produces from YAML).
/// Node i sits at line i + 10, column 5; its attribute j at line i + 10, column 20 + 10·j.
/// </summary>
public sealed class MiddleSpecBuilder(string name = "test-net", int numClasses = 5, string path = "specs/test-net.yaml")
{
    private readonly List<OpNode> nodes = new();
    private readonly List<OutputDecl> outputs = new();
    private readonly List<LossDecl> losses = new();

    public string Path => path;

    public string Group { get; set; } = "backbone";

    public int NumClasses => numClasses;

    public static SourceLocation LocationOfNode(int index, string path = "specs/test-net.yaml") => new(path, index + 10, 5, 4);

    public static SourceLocation LocationOfAttr(int node, int attr, string path = "specs/test-net.yaml") => new(path, node + 10, 20 + 10 * attr, 2);

    /// <summary>Adds a node; returns its output tensor name (the node name).</summary>
    public string Op(string nodeName, string op, string[] inputs, params (string Key, object Value)[] attrs)
    {
        int index = nodes.Count;
        var list = attrs.Select((a, j) => new Attr(a.Key, Canonical(a.Value), LocationOfAttr(index, j, path))).ToEquatableArray();
        bool trainOnly = op is "softmax_cross_entropy" or "bce_with_logits";
        nodes.Add(new OpNode(nodeName, op, inputs.ToEquatableArray(), nodeName, list, OpCatalog.Rule(op).Bind(list), trainOnly, Group, LocationOfNode(index, path)));
        return nodeName;
    }

    public string Conv(string n, string x, int outChannels, int kernel, int stride = 1, int padding = 0, int dilation = 1, bool bias = false, int groups = 1) =>
        Op(n, "conv2d", new[] { x }, ("out_channels", outChannels), ("kernel", kernel), ("stride", stride), ("padding", padding), ("dilation", dilation), ("groups", groups), ("bias", bias));

    public string Bn(string n, string x) => Op(n, "batchnorm", new[] { x });

    public string Relu(string n, string x) => Op(n, "relu", new[] { x });

    /// <summary>conv (no bias) → BN → ReLU; returns the ReLU's output.</summary>
    public string ConvBnRelu(string n, string x, int outChannels, int kernel, int stride = 1, int padding = 0, int dilation = 1) =>
        Relu($"{n}.relu", Bn($"{n}.bn", Conv($"{n}.conv", x, outChannels, kernel, stride, padding, dilation)));

    public void Output(string outputName, string tensor) => outputs.Add(new OutputDecl(outputName, tensor, new SourceLocation(path, 2, 3, outputName.Length)));

    public void Loss(string lossName, string node, double weight) => losses.Add(new LossDecl(lossName, node, weight, new SourceLocation(path, 3, 3, lossName.Length)));

    public ExpandedSpec Build(int defaultH = 480, int defaultW = 480) => new(
        name,
        string.Concat(name.Split('-').Select(p => char.ToUpperInvariant(p[0]) + p[1..])),
        path,
        numClasses,
        new[]
        {
            new InputDecl("image", InputKind.Image, new[] { "N", "3", "H", "W" }.ToEquatableArray(), 255, new SourceLocation(path, 1, 3, 5)),
            new InputDecl("labels", InputKind.Label, new[] { "N", "H", "W" }.ToEquatableArray(), 255, new SourceLocation(path, 1, 20, 6)),
        }.ToEquatableArray(),
        nodes.ToEquatableArray(),
        outputs.ToEquatableArray(),
        losses.ToEquatableArray(),
        new[]
        {
            new ParamGroupDecl("backbone", 1.0, true, new SourceLocation(path, 4, 3, 8)),
            new ParamGroupDecl("head", 10.0, true, new SourceLocation(path, 5, 3, 4)),
        }.ToEquatableArray(),
        new[] { new SizeDefault("N", 1), new SizeDefault("H", defaultH), new SizeDefault("W", defaultW) }.ToEquatableArray());

    private static string Canonical(object value) => value switch
    {
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        int[] pair => string.Join(",", pair),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };
}
