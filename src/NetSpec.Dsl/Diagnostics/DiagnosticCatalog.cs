using System.Collections.Generic;
using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Diagnostics;

/// <summary>
/// Every NetSpec diagnostic, by id. docs/diagnostics.md mirrors this table with an example per rule.
/// NS0011–NS0014 and NS0028 are raised by the middle (Shapes/, through MiddleDiagnostics), NS0026–NS0027 by the
/// generator (src/NetSpec.Generator/SpecPipeline.cs), the others by the front end.
/// </summary>
public static class DiagnosticCatalog
{
    public static readonly DiagnosticDescriptor YamlSyntax = Error("NS0001", "YAML syntax error",
        "YAML syntax error: {0}", "classes: [59");

    public static readonly DiagnosticDescriptor Structure = Error("NS0002", "Structure error",
        "{0}", "graph: [a, b]   # graph must be a mapping");

    public static readonly DiagnosticDescriptor UnknownOp = Error("NS0003", "Unknown op",
        "Unknown op '{0}'.{2} Known ops: {1}", "relu1: { op: rleu }");

    public static readonly DiagnosticDescriptor UnknownArgument = Error("NS0004", "Unknown attribute or parameter",
        "'{0}' is not {1}.{3} Accepted: {2}", "conv1: { op: conv2d, kernal: 3, out_channels: 8 }");

    public static readonly DiagnosticDescriptor UnknownBlock = Error("NS0005", "Unknown block",
        "Unknown block '{0}'.{2} Known blocks: {1}", "layer1: { block: botleneck }");

    public static readonly DiagnosticDescriptor UnknownTensor = Error("NS0006", "Unknown tensor",
        "Unknown tensor '{0}'.{2} {1}", "add: { op: add, in: [bn3, bn4] }");

    public static readonly DiagnosticDescriptor BadValue = Error("NS0007", "Value out of range or of the wrong type",
        "{0}", "conv1: { op: conv2d, kernel: 0, out_channels: 8 }");

    public static readonly DiagnosticDescriptor Missing = Error("NS0008", "Missing required attribute or parameter",
        "{0}", "conv1: { op: conv2d, kernel: 3 }   # no out_channels");

    public static readonly DiagnosticDescriptor Duplicate = Error("NS0009", "Duplicate name",
        "Duplicate name '{0}'{1}", "two keys 'bn1' in one nodes: mapping");

    public static readonly DiagnosticDescriptor Extends = Error("NS0010", "extends: file not found or cycle",
        "{0}", "extends: sanet-r05.yaml");

    public static readonly DiagnosticDescriptor GraphCycle = Error("NS0011", "Graph cycle",
        "Graph cycle: {0}", "a: { op: relu, in: b }  b: { op: relu, in: a } (in a hand-built graph)");

    public static readonly DiagnosticDescriptor ShapeMismatch = Error("NS0012", "Shape mismatch",
        "Shape mismatch at '{0}': {1}", "add: { op: add, in: [x, y] } with x (N,64,H,W) and y (N,32,H,W)");

    public static readonly DiagnosticDescriptor UnusedTensor = Warning("NS0013", "Unused tensor",
        "Tensor '{0}' is never used", "a node whose output nobody reads and that is not an output");

    public static readonly DiagnosticDescriptor InvalidOpConfig = Error("NS0014", "Invalid op configuration",
        "Invalid configuration of '{0}': {1}", "conv with a 7x7 kernel on a 3x3 input and no padding");

    public static readonly DiagnosticDescriptor Internal = Error("NS0015", "Internal compiler error",
        "Internal compiler error: {0}. Please report it with the spec file.", "(a bug in NetSpec, never a crash)");

    public static readonly DiagnosticDescriptor BadExpression = Error("NS0016", "Invalid expression",
        "Invalid expression '{0}': {1}", "out_channels: $planes * * 4");

    public static readonly DiagnosticDescriptor UnknownVariable = Error("NS0017", "Unknown variable",
        "Unknown variable '${0}'.{2} Known here: {1}", "out_channels: $plane * 4");

    public static readonly DiagnosticDescriptor DisabledReference = Error("NS0018", "Reference to a disabled node",
        "'{0}' is disabled here (its when: is false) and has no otherwise: to stand for it",
        "se1: { block: se_module, when: false }  cls1: { in: se1 }");

    public static readonly DiagnosticDescriptor ForwardReference = Error("NS0019", "Used before defined",
        "'{0}' is used before it is defined; write nodes after their inputs", "a: { op: relu, in: b }  b: { op: relu }");

    public static readonly DiagnosticDescriptor InputCount = Error("NS0020", "Wrong number of inputs",
        "'{0}' takes {1} input(s), got {2}", "add: { op: add, in: [x] }");

    public static readonly DiagnosticDescriptor Recursion = Error("NS0021", "Block recursion or expansion too large",
        "{0}", "a block that uses itself");

    public static readonly DiagnosticDescriptor NoParamGroup = Error("NS0022", "Node with parameters in no group",
        "'{0}' has parameters but belongs to no parameter group (groups: {1})", "groups: { head: { members: [head] } } with a backbone");

    public static readonly DiagnosticDescriptor InvalidName = Error("NS0023", "Invalid name",
        "Invalid name '{0}': names use letters, digits and '_' only{1}", "'conv.1': { op: conv2d }");

    public static readonly DiagnosticDescriptor UnusedParameter = Warning("NS0024", "Unused spec parameter",
        "Spec parameter '{0}' is not used by this spec", "params: { unused: { type: int, default: 1 } }");

    public static readonly DiagnosticDescriptor InvalidSpecName = Error("NS0025", "Invalid spec name",
        "Invalid spec name '{0}'{1}: {2}; " + SpecNames.SpecNameRule, "name: 'sanet r50'");

    public static readonly DiagnosticDescriptor DuplicateSpec = Error("NS0026", "Duplicate spec or class name",
        "{0}", "two files with name: sanet-r50");

    public static readonly DiagnosticDescriptor NameCollision = Error("NS0027", "Generated C# name collision",
        "{0}", "nodes 'a_y' and 'a.y' both become the C# field a_y");

    public static readonly DiagnosticDescriptor TooLarge = Error("NS0028", "Tensor too large",
        "{0}", "sizes: { N: 1000000, H: 1000000, W: 1000000 }");

    public static readonly IReadOnlyList<DiagnosticDescriptor> All = new[]
    {
        YamlSyntax, Structure, UnknownOp, UnknownArgument, UnknownBlock, UnknownTensor, BadValue, Missing,
        Duplicate, Extends, GraphCycle, ShapeMismatch, UnusedTensor, InvalidOpConfig, Internal,
        BadExpression, UnknownVariable, DisabledReference, ForwardReference, InputCount, Recursion,
        NoParamGroup, InvalidName, UnusedParameter, InvalidSpecName, DuplicateSpec, NameCollision, TooLarge,
    };

    private static DiagnosticDescriptor Error(string id, string title, string format, string example) =>
        new(id, Severity.Error, title, format, example);

    private static DiagnosticDescriptor Warning(string id, string title, string format, string example) =>
        new(id, Severity.Warning, title, format, example);
}
