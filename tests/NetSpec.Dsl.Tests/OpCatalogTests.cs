using NetSpec.Dsl.Catalog;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Tests;

/// <summary>
/// Every op kind in the catalogue has every rule: registered once, a shape for a valid node, the parameters its spec
/// names, FLOPs, what backward saves, a description and runtime calls for forward, backward and (with parameters)
/// initialisation. A new op without a sample here fails <see cref="EveryOpHasASample"/>; one with a missing rule
/// fails here, not in a user's build.
/// </summary>
public sealed class OpCatalogTests
{
    /// <summary>A small valid use of each op: nodes before it build its inputs from image (N,3,H,W) and labels (N,H,W).</summary>
    private static readonly Dictionary<string, Action<MiddleSpecBuilder>> Samples = new()
    {
        ["conv2d"] = b => b.Op("op", "conv2d", new[] { "image" }, ("out_channels", 4), ("kernel", 3), ("padding", 1)),
        ["batchnorm"] = b => b.Bn("op", "image"),
        ["relu"] = b => b.Relu("op", "image"),
        ["leaky_relu"] = b => b.Op("op", "leaky_relu", new[] { "image" }, ("slope", 0.2)),
        ["sigmoid"] = b => b.Op("op", "sigmoid", new[] { "image" }),
        ["maxpool"] = b => b.Op("op", "maxpool", new[] { "image" }, ("kernel", 2)),
        ["avgpool"] = b => b.Op("op", "avgpool", new[] { "image" }, ("kernel", 2)),
        ["global_avg_pool"] = b => b.Op("op", "global_avg_pool", new[] { "image" }),
        ["linear"] = b => b.Op("op", "linear", new[] { b.Op("gap", "global_avg_pool", new[] { "image" }) }, ("out_features", 7)),
        ["resize"] = b => b.Op("op", "resize", new[] { "image" }, ("size", new[] { 16, 8 })),
        ["concat"] = b => b.Op("op", "concat", new[] { "image", b.Relu("r", "image") }),
        ["add"] = b => b.Op("op", "add", new[] { "image", b.Relu("r", "image") }),
        ["mul"] = b => b.Op("op", "mul", new[] { "image", b.Relu("r", "image") }),
        ["dropout"] = b => b.Op("op", "dropout", new[] { "image" }, ("p", 0.25)),
        ["softmax_cross_entropy"] = b => b.Op("op", "softmax_cross_entropy", new[] { "image", "labels" }),
        ["bce_with_logits"] = b => b.Op("op", "bce_with_logits", new[] { b.Op("gap", "global_avg_pool", new[] { "image" }), "labels" }),
    };

    public static TheoryData<string> Ops() => new(OpCatalog.Rules.Select(r => r.Name));

    /// <summary>docs/spec-language.md's op table has a row per op naming each of its attributes, and no row for an op that is not in the catalogue.</summary>
    [Fact]
    public void EveryOpIsInTheDocumentedOpTable()
    {
        string[] rows = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "spec-language.md"))
            .SkipWhile(l => l != "### Ops").Skip(1).TakeWhile(l => !l.StartsWith('#')).Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToArray();
        Assert.Equal(OpCatalog.Rules.Select(r => r.Name).Order(), rows.Select(l => l.Split('`')[1]).Order());
        foreach (OpRule rule in OpCatalog.Rules)
        {
            string row = rows.Single(l => l.StartsWith($"| `{rule.Name}` |", StringComparison.Ordinal));
            Assert.All(rule.Spec.Attrs, a => Assert.Contains($"`{a.Name}", row));
        }
    }

    [Fact]
    public void EveryOpHasASample() =>
        Assert.Empty(OpCatalog.Rules.Select(r => r.Name).Except(Samples.Keys));

    [Fact]
    public void EveryRuleClassIsRegisteredOnce()
    {
        Type[] ruleTypes = typeof(OpRule).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(OpRule)) && !t.IsAbstract).ToArray();
        Assert.Equal(ruleTypes.OrderBy(t => t.Name), OpCatalog.Rules.Select(r => r.GetType()).OrderBy(t => t.Name));
        Assert.Equal(OpCatalog.Rules.Count, OpCatalog.Rules.Select(r => r.Name).Distinct().Count());
        Assert.All(OpCatalog.Rules, r => Assert.Same(r.Spec, OpCatalog.Find(r.Name)));
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void EveryOpHasEveryRule(string op)
    {
        OpRule rule = OpCatalog.Rule(op);
        var b = new MiddleSpecBuilder();
        Samples[op](b);
        CompileResult result = SpecCompiler.Compile(b.Build(32, 32));
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == Severity.Error);
        TypedGraph graph = result.Network!.Graph;
        TypedNode node = graph.Node("op");

        // shape and parameters: the roles the rule creates are the ones its spec names (defaults: conv and linear with bias)
        Assert.Equal(rule.Spec.Parameters.Concat(rule.Spec.Buffers).OrderBy(r => r), node.Params.Select(p => p.Role).OrderBy(r => r));

        // FLOPs at concrete sizes: non-negative, and positive for every op that computes (concat copies, losses are not counted)
        var inputs = node.Node.Inputs.Select(i => Shape.Eval(graph.Tensor(i).Shape, graph.DefaultSizes)).ToList();
        long flops = FlopRules.Forward(node.Node, inputs, Shape.Eval(node.Output, graph.DefaultSizes));
        Assert.True(op is "concat" || rule.Spec.IsLoss ? flops == 0 : flops > 0, $"{op}: {flops} FLOPs");

        // backward: saved slots exist, the first input takes gradient; auxiliary buffers have distinct names
        Assert.All(rule.Saved.Inputs, slot => Assert.InRange(slot, 0, node.Node.Inputs.Count - 1));
        Assert.True(rule.Differentiable(0));
        var aux = rule.Auxiliary(node).ToList();
        Assert.Equal(aux.Count, aux.Select(a => a.Suffix).Distinct().Count());

        // emission: a description, a forward and a backward call, initialisation exactly when it owns parameters
        Assert.False(string.IsNullOrWhiteSpace(rule.Describe(node, node.Node.Inputs)));
        var forward = new RecordingSite(node);
        rule.EmitForward(forward);
        Assert.NotEmpty(forward.Lines);
        var backward = new RecordingSite(node);
        rule.EmitBackward(backward);
        Assert.NotEmpty(backward.Lines);
        var init = new RecordingSite(node);
        rule.EmitInitialize(init);
        Assert.Equal(node.Params.Count > 0, init.Lines.Count > 0);

        // every auxiliary buffer the rule declares is used by its emitted calls
        Assert.All(aux, a => Assert.Contains(forward.Lines, l => l.Contains($"<aux {a.Suffix}>")));

        // what backward reads is exactly what the rule says it saves: Planning keeps those tensors alive until the
        // backward step, so a read of an unsaved one would see a buffer already reused, and an unread one wastes memory
        string back = string.Join("\n", backward.Lines);
        var readInputs = Enumerable.Range(0, node.Node.Inputs.Count).Where(i => back.Contains($"<x{i}>")).ToArray();
        Assert.Equal(rule.Saved.Inputs.OrderBy(i => i), readInputs);
        Assert.Equal(rule.Saved.Output, back.Contains("<y>"));
    }

    /// <summary>
    /// Every op declares its ONNX form (src/NetSpec.Onnx asks only the rule) or the reason it has none. A form, written
    /// for the op's sample node, writes the node's output (or passes input 0 through), only ONNX op types it declares,
    /// and only parameters the node has; a declared affine gives one value per channel, and an absorber names roles the
    /// op owns. (That every exportable op runs in ONNX Runtime: tests/NetSpec.Onnx.Tests, OnnxFormTests.)
    /// </summary>
    [Theory]
    [MemberData(nameof(Ops))]
    public void EveryOpHasAnOnnxFormOrSaysWhyNot(string op)
    {
        OnnxForm form = OpCatalog.Rule(op).Onnx;
        Assert.NotNull(form);
        if (!form.IsExportable)
        {
            Assert.False(string.IsNullOrWhiteSpace(form.NotExportable), $"{op}: not exportable without a reason");
            return;
        }

        Assert.Null(form.NotExportable);
        var b = new MiddleSpecBuilder();
        Samples[op](b);
        TypedGraph graph = SpecCompiler.Compile(b.Build(32, 32)).Network!.Graph;
        TypedNode node = graph.Node("op");
        var site = new OnnxRecordingSite(node, Shape.Eval(node.Output, graph.DefaultSizes));
        form.Write(site);
        Assert.True(site.Aliased || site.Nodes.LastOrDefault().Output == "<y>", $"{op}: writes neither its output nor an alias");
        Assert.All(site.Nodes, n => Assert.Contains(n.OpType, form.OpTypes));
        Assert.All(site.Params, role => Assert.Contains(role, node.Params.Select(p => p.Role)));
        if (form.Affine is not null)
        {
            long channels = Shape.Eval(node.Output, graph.DefaultSizes)[1];
            ChannelAffine affine = form.Affine(node, role => Enumerable.Repeat(1f, node.Params.Single(p => p.Role == role).Shape.Aggregate(1, (x, y) => x * y)).ToArray());
            Assert.All(new[] { affine.Center, affine.Scale, affine.Shift }, v => Assert.Equal(channels, v.Length));
        }

        if (form.Absorbs is not null)
            Assert.Equal(new[] { form.Absorbs.Weight, form.Absorbs.Bias }, OpCatalog.Rule(op).Spec.Parameters);
    }

    /// <summary>Records what a rule emits, with placeholders for every name the generator would fill in.</summary>
    private sealed class RecordingSite(TypedNode node) : IForwardSite, IBackwardSite, IInitSite
    {
        public List<string> Lines { get; } = new();

        public TypedNode Node => node;

        public string Device => "<device>";

        public string Output => "<y>";

        public string StepMember => "<step>";

        public ulong Salt => 42;

        public string OutputGrad => "<dy>";

        public double LossWeight => 1;

        public string Input(int slot) => $"<x{slot}>";

        public string Value(string role) => $"<{role}>";

        public string Aux(string suffix) => $"<aux {suffix}>";

        public string Float(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

        public string Bool(bool value) => value ? "true" : "false";

        public bool HasInputGrad(int slot) => true;

        public string InputGrad(int slot) => $"<dx{slot}>";

        public string Accumulate(int slot) => "false";

        public string Grad(string role) => $"<d {role}>";

        public string Param(string role) => $"<field {role}>";

        public bool HasParam(string role) => node.Params.Any(p => p.Role == role);

        public void Line(string code) => Lines.Add(code);
    }

    /// <summary>Records the ONNX nodes, parameters and alias a form writes, with placeholders for the exporter's names.</summary>
    private sealed class OnnxRecordingSite(TypedNode node, long[] outputShape) : IOnnxSite
    {
        public List<(string OpType, string Output)> Nodes { get; } = new();

        public List<string> Params { get; } = new();

        public bool Aliased { get; private set; }

        public TypedNode Node => node;

        public IReadOnlyList<string> Inputs => node.Node.Inputs.Select((_, i) => Input(i)).ToList();

        public string Output => "<y>";

        public long[] OutputShape => outputShape;

        public bool DynamicBatch => true;

        public string Input(int slot) => $"<x{slot}>";

        public bool HasParam(string role) => node.Params.Any(p => p.Role == role);

        public string Param(string role)
        {
            Params.Add(role);
            return $"<{role}>";
        }

        public string Int64s(string suffix, params long[] values) => $"<int64 {suffix}>";

        public void Write(string opType, IEnumerable<string> inputs, params OnnxAttribute[] attributes) => Nodes.Add((opType, Output));

        public string Inner(string opType, string suffix, IEnumerable<string> inputs, params OnnxAttribute[] attributes)
        {
            Nodes.Add((opType, $"<{suffix}>"));
            return $"<{suffix}>";
        }

        public void Alias() => Aliased = true;
    }
}
