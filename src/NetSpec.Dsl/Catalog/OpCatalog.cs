using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Catalog.Ops;

namespace NetSpec.Dsl.Catalog;

/// <summary>
/// A primitive op: its tensor inputs (MinInputs..MaxInputs), its attributes, and the names of the
/// parameters (trainable) and buffers (saved, not trained) it owns, as PyTorch names them.
/// The rest of what the compiler knows about the op is its <see cref="OpRule"/>.
/// </summary>
public sealed record OpSpec(
    string Name,
    int MinInputs,
    int MaxInputs,
    AttrSpec[] Attrs,
    string[] Parameters,
    string[] Buffers,
    bool IsLoss,
    string Doc);

/// <summary>
/// The op catalogue of docs/sanet.md: one <see cref="OpRule"/> per op kind (Catalog/Ops, a file each). Adding an op is
/// one rule here plus its runtime kernels and tests (docs/design/compiler.md, "Adding an op"). Blocks (bottleneck, SA, SE, FCN head)
/// are written in YAML from these.
/// </summary>
public static class OpCatalog
{
    public static readonly IReadOnlyList<OpRule> Rules = new OpRule[]
    {
        new Conv2dOp(),
        new BatchNormOp(),
        new ReluOp(),
        new LeakyReluOp(),
        new SigmoidOp(),
        new MaxPoolOp(),
        new AvgPoolOp(),
        new GlobalAvgPoolOp(),
        new LinearOp(),
        new ResizeOp(),
        new ConcatOp(),
        new AddOp(),
        new MulOp(),
        new DropoutOp(),
        new SoftmaxCrossEntropyOp(),
        new BceWithLogitsOp(),
    };

    public static readonly IReadOnlyList<OpSpec> All = Rules.Select(r => r.Spec).ToArray();

    private static readonly Dictionary<string, OpRule> ByName = Rules.ToDictionary(o => o.Name);

    public static OpSpec? Find(string name) => ByName.TryGetValue(name, out OpRule? op) ? op.Spec : null;

    public static OpRule? FindRule(string name) => ByName.TryGetValue(name, out OpRule? op) ? op : null;

    /// <summary>The rule of a validated node's op (the front end reported an unknown op as NS0003 before any stage asks).</summary>
    public static OpRule Rule(string name) =>
        ByName.TryGetValue(name, out OpRule? op) ? op : throw new KeyNotFoundException($"op '{name}' has no rule in the catalogue");
}
