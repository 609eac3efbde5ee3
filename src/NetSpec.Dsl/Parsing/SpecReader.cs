using System.Collections.Generic;
using NetSpec.Dsl.Diagnostics;
using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Parsing;

/// <summary>Reads the merged spec mapping into declarations, checking the structure of every section.</summary>
internal static class SpecReader
{
    private const string TopKeys = "extends, abstract, name, class, doc, classes, sizes, inputs, params, blocks, graph, outputs, losses, groups";

    public static SpecDecl Read(YMapping root, DiagnosticBag diagnostics)
    {
        var shape = new TreeShape(diagnostics);
        var spec = new SpecDecl();
        foreach (KeyValuePair<YScalar, YNode> e in root.Entries)
        {
            switch (e.Key.Value)
            {
                case "extends": case "doc": break;
                case "abstract": spec.Abstract = Flag(e.Value, shape); break;
                case "name": spec.Name = shape.Scalar(e.Value, "name:"); break;
                case "class":
                    spec.ClassName = shape.Scalar(e.Value, "class:");
                    if (spec.ClassName is not null && SpecNames.ClassNameProblem(spec.ClassName.Value) is string problem)
                    {
                        diagnostics.Report(DiagnosticCatalog.InvalidName, spec.ClassName.Location, MessageText.Quote(spec.ClassName.Value),
                            $" ({SpecNames.ClassNameRule}); {problem}");
                        spec.ClassName = null;
                    }

                    break;
                case "classes": spec.Classes = e.Value; spec.ClassesKey = e.Key; break;
                case "sizes": ReadArgs(shape.Mapping(e.Value, "sizes:"), spec.Sizes); break;
                case "inputs": ReadInputs(shape.Mapping(e.Value, "inputs:"), spec, shape); break;
                case "params":
                    if (shape.Mapping(e.Value, "params:") is YMapping p)
                        spec.Params.AddRange(ParamReader.Read(p, shape));
                    break;
                case "blocks": ReadBlocks(shape.Mapping(e.Value, "blocks:"), spec, shape); break;
                case "graph":
                    if (shape.Mapping(e.Value, "graph:") is YMapping g)
                        spec.Graph.AddRange(NodeReader.ReadAll(g, shape, false));
                    break;
                case "outputs": ReadRefs(shape.Mapping(e.Value, "outputs:"), spec.Outputs, shape, "outputs:"); break;
                case "losses":
                    if (shape.Mapping(e.Value, "losses:") is YMapping l)
                        spec.Losses.AddRange(NodeReader.ReadAll(l, shape, true));
                    break;
                case "groups": ReadGroups(shape.Mapping(e.Value, "groups:"), spec, shape); break;
                default: shape.UnknownKey(e.Key, "the spec", TopKeys); break;
            }
        }

        return spec;
    }

    private static bool Flag(YNode node, TreeShape shape)
    {
        if (node is YScalar s && Value.FromLiteral(s).Data is bool b)
            return b;
        shape.Diagnostics.Report(DiagnosticCatalog.BadValue, node.Location, "abstract: takes true or false");
        return false;
    }

    private static void ReadArgs(YMapping? m, List<Arg> into)
    {
        if (m is not null)
            foreach (KeyValuePair<YScalar, YNode> e in m.Entries)
                into.Add(new Arg(e.Key, e.Value));
    }

    private static void ReadRefs(YMapping? m, List<KeyValuePair<YScalar, YScalar>> into, TreeShape shape, string what)
    {
        if (m is null)
            return;
        foreach (KeyValuePair<YScalar, YNode> e in m.Entries)
            if (shape.Name(e.Key, what + " name") && shape.Scalar(e.Value, $"{what} '{e.Key.Value}'") is YScalar r)
                into.Add(new KeyValuePair<YScalar, YScalar>(e.Key, r));
    }

    private static void ReadInputs(YMapping? m, SpecDecl spec, TreeShape shape)
    {
        if (m is null)
            return;
        foreach (KeyValuePair<YScalar, YNode> e in m.Entries)
        {
            if (!shape.Name(e.Key, "input name") || shape.Mapping(e.Value, $"input '{e.Key.Value}'") is not YMapping body)
                continue;
            foreach (KeyValuePair<YScalar, YNode> k in body.Entries)
                if (k.Key.Value is not ("shape" or "kind" or "ignore" or "doc"))
                    shape.UnknownKey(k.Key, $"input '{e.Key.Value}'", "shape, kind, ignore, doc");
            YSequence? dims = body.Get("shape") as YSequence;
            if (dims is null)
            {
                if (body.Get("shape") is YNode bad)
                    shape.Diagnostics.Report(DiagnosticCatalog.Structure, bad.Location, "shape: is a list of sizes, e.g. [N, 3, H, W]");
                else
                    shape.Diagnostics.Report(DiagnosticCatalog.Missing, e.Key.Location, $"Input '{e.Key.Value}' needs shape: [N, 3, H, W] or [N, H, W]");
                continue;
            }

            spec.Inputs.Add(new InputSpec(e.Key, shape.Scalar(body.Get("kind"), "kind:"), dims, body.Get("ignore"), body));
        }
    }

    private static void ReadBlocks(YMapping? m, SpecDecl spec, TreeShape shape)
    {
        if (m is null)
            return;
        foreach (KeyValuePair<YScalar, YNode> e in m.Entries)
        {
            if (!shape.Name(e.Key, "block name") || shape.Mapping(e.Value, $"block '{e.Key.Value}'") is not YMapping body)
                continue;
            var block = new BlockDecl(e.Key.Value, e.Key);
            foreach (KeyValuePair<YScalar, YNode> k in body.Entries)
            {
                switch (k.Key.Value)
                {
                    case "doc": break;
                    case "inputs":
                        foreach (YScalar input in shape.ScalarList(k.Value, "inputs:") ?? new List<YScalar>())
                            if (shape.Name(input, "input name"))
                                block.Inputs.Add(input);
                        break;
                    case "params":
                        if (shape.Mapping(k.Value, "params:") is YMapping p)
                            block.Params.AddRange(ParamReader.Read(p, shape));
                        break;
                    case "nodes":
                        if (shape.Mapping(k.Value, "nodes:") is YMapping n)
                            block.Nodes.AddRange(NodeReader.ReadAll(n, shape, false));
                        break;
                    case "outputs": ReadRefs(shape.Mapping(k.Value, "outputs:"), block.Outputs, shape, "outputs:"); break;
                    default: shape.UnknownKey(k.Key, $"block '{e.Key.Value}'", "doc, inputs, params, nodes, outputs"); break;
                }
            }

            if (block.Inputs.Count == 0 && body.Get("inputs") is null)
                block.Inputs.Add(new YScalar("x", false, e.Key.Location));
            if (body.Get("nodes") is null)
                shape.Diagnostics.Report(DiagnosticCatalog.Missing, e.Key.Location, $"Block '{e.Key.Value}' needs nodes:");
            spec.Blocks[block.Name] = block;
        }
    }

    private static void ReadGroups(YMapping? m, SpecDecl spec, TreeShape shape)
    {
        if (m is null)
            return;
        foreach (KeyValuePair<YScalar, YNode> e in m.Entries)
        {
            if (!shape.Name(e.Key, "group name") || shape.Mapping(e.Value, $"group '{e.Key.Value}'") is not YMapping body)
                continue;
            foreach (KeyValuePair<YScalar, YNode> k in body.Entries)
                if (k.Key.Value is not ("lr_mult" or "weight_decay" or "members" or "doc"))
                    shape.UnknownKey(k.Key, $"group '{e.Key.Value}'", "lr_mult, weight_decay, members, doc");
            spec.Groups.Add(new GroupSpec(e.Key, body.Get("lr_mult"), body.Get("weight_decay"),
                shape.ScalarList(body.Get("members"), "members:") ?? new List<YScalar>()));
        }
    }
}
