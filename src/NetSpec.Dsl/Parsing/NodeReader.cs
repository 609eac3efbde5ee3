using System.Collections.Generic;
using NetSpec.Dsl.Diagnostics;

namespace NetSpec.Dsl.Parsing;

/// <summary>
/// Reads node entries: <c>conv1: { op: conv2d, out_channels: $planes, kernel: 1, bias: false }</c>.
/// Reserved keys say how the node is wired (in, when, otherwise, repeat, first, train_only); every
/// other key is an op attribute or a block parameter, checked when the node is expanded.
/// </summary>
internal static class NodeReader
{
    public static readonly HashSet<string> Reserved = new() { "op", "block", "in", "when", "otherwise", "train_only", "repeat", "first", "weight", "doc" };

    public static List<NodeDecl> ReadAll(YMapping section, TreeShape shape, bool isLoss)
    {
        var list = new List<NodeDecl>();
        foreach (KeyValuePair<YScalar, YNode> entry in section.Entries)
            if (shape.Name(entry.Key, "node name") && Read(entry.Key, entry.Value, shape, isLoss) is NodeDecl node)
                list.Add(node);
        return list;
    }

    private static NodeDecl? Read(YScalar name, YNode body, TreeShape shape, bool isLoss)
    {
        if (shape.Mapping(body, $"node '{name.Value}'") is not YMapping m)
            return null;
        var node = new NodeDecl(name.Value, name);
        foreach (KeyValuePair<YScalar, YNode> e in m.Entries)
        {
            switch (e.Key.Value)
            {
                case "op": node.Op = shape.Scalar(e.Value, "op:"); break;
                case "block": node.Block = shape.Scalar(e.Value, "block:"); break;
                case "in": node.Inputs = shape.ScalarList(e.Value, "in:"); break;
                case "when": node.When = e.Value; break;
                case "otherwise": node.Otherwise = shape.Scalar(e.Value, "otherwise:"); break;
                case "train_only": node.TrainOnly = e.Value; break;
                case "repeat": node.Repeat = e.Value; break;
                case "doc": break;
                case "first":
                    if (shape.Mapping(e.Value, "first:") is YMapping first)
                        foreach (KeyValuePair<YScalar, YNode> f in first.Entries)
                            if (Reserved.Contains(f.Key.Value))
                                shape.UnknownKey(f.Key, "first: (it overrides parameters of the first repeat)", "the block's parameters");
                            else
                                node.First.Add(new Arg(f.Key, f.Value));
                    break;
                case "weight" when isLoss: node.Weight = e.Value; break;
                default:
                    if (Reserved.Contains(e.Key.Value))
                        shape.UnknownKey(e.Key, $"node '{name.Value}'", "weight: belongs to losses: entries only");
                    else
                        node.Args.Add(new Arg(e.Key, e.Value));
                    break;
            }
        }

        if (node.Op is null && node.Block is null)
        {
            if (m.Get("op") is null && m.Get("block") is null)
                shape.Diagnostics.Report(DiagnosticCatalog.Missing, name.Location, $"Node '{name.Value}' needs op: (a primitive op) or block: (a block name)");
            return null;
        }

        if (node.Op is not null && node.Block is not null)
        {
            shape.Diagnostics.Report(DiagnosticCatalog.Structure, m.KeyOf("block")!.Location, $"Node '{name.Value}' has both op: and block:; give one");
            return null;
        }

        if (node.First.Count > 0 && node.Repeat is null)
            shape.Diagnostics.Report(DiagnosticCatalog.Structure, m.KeyOf("first")!.Location, "first: only makes sense with repeat:");
        return node;
    }
}
