using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Planning;
using NetSpec.Dsl.Scheduling;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Generator.Emit;

/// <summary>
/// Every member the generated class declares, with what it is named after, built with the emitters' own naming
/// functions (<see cref="MembersEmitter.Declaration"/>, <see cref="EmitContext.Param"/>, <see cref="Stages"/>…).
/// Two spec names that become one C# member (<c>a_y</c> and <c>a.y</c>; a node <c>bn_mean</c> and the batch mean of
/// <c>bn</c>) are NS0027 here instead of CS0102 in the generated code. A test compares this table with the members
/// Roslyn finds in the generated code of every repository spec, so the two cannot drift apart.
/// </summary>
internal static class MemberTable
{
    /// <summary>C# allows identifiers of 512 characters (CS0645); generated members stay below this.</summary>
    public const int MaxMemberLength = 480;

    /// <summary>Members of every network class, named by NetSpec, not after the spec (MembersEmitter, ParametersEmitter, PlanEmitter, ForwardEmitter, BackwardEmitter).</summary>
    public static readonly IReadOnlyList<string> Fixed = new[]
    {
        "_parameters", "_arena", "_training", "_labels", "SpecName", "NumClasses", "IgnoreLabel", "Device", "Parameters",
        "OutputNames", "BatchSize", "Height", "Width", "StepSeed", "PlannedPeakBytes", "Image", "Labels", "OutputTensors",
        "Outputs", "Output", "ReadLosses", "ParameterSpecs", "InitializeParameters", "Dispose", "InferenceFirst",
        "InferenceLast", "InferenceOrder", "TrainingFirst", "TrainingLast", "TrainingOrder", "Prepare", "Bind", "Forward",
        "Backward",
    };

    /// <summary>
    /// Types and namespaces the generated code names without qualification: a spec class of one of these names, declared
    /// in NetSpec.Networks, would hide it. A test checks the list against the names Roslyn binds in the generated code of
    /// every repository spec. A few (Support, ArenaPlanner, CultureInfo, StringSplitOptions, Enum) were named by the
    /// support source the generator used to emit, now runtime code; they stay reserved so that NS0027 is unchanged.
    /// </summary>
    public static readonly IReadOnlyCollection<string> ReservedTypeNames = new HashSet<string>
    {
        "Accelerator", "Activation", "ArenaBinder", "ArenaPlanner", "Array", "ArgumentException", "ArgumentNullException", "ArgumentOutOfRangeException",
        "ArrayView", "Atomic", "AttentionGate", "BatchNorm", "Concat", "Conv2d", "ConvGeometry", "CultureInfo", "Device", "DeviceData",
        "Dictionary", "Dropout", "Elementwise", "Enum", "Group", "GridExtensions", "ILGPU", "INetwork", "IReadOnlyList", "Index1D",
        "Initializers", "InvalidOperationException", "LabelMap", "Linear", "List", "LossValues", "Losses", "Math", "MathF",
        "MemoryBuffer1D", "NetSpec", "Networks", "Parameter", "ParameterKind", "ParameterTable", "PoolGeometry", "Pooling", "Resize", "Stride1D",
        "StringSplitOptions", "Support", "System", "Tensor", "XMath",
    };

    /// <summary>What a member is named after: a phrase for messages and the YAML position of that spec name (none for NetSpec's own).</summary>
    public sealed record Origin(string Description, SourceLocation? Location);

    /// <summary>Every declared member (without a keyword's <c>@</c>) and its origin, in emitting order; the class name too (CS0542).</summary>
    public static List<(string Member, Origin Origin)> Members(EmitContext c)
    {
        var members = new List<(string, Origin)>();
        void Add(string member, string description, SourceLocation? at) => members.Add((member.TrimStart('@'), new Origin(description, at)));
        SourceLocation At(string node) => c.Node(node).Node.Location;

        ExpandedSpec spec = c.Spec;
        Add(spec.ClassName, $"the class '{spec.ClassName}' of spec '{spec.Name}'", spec.ClassNameLocation);
        foreach (string name in Fixed)
            Add(name, $"the generated member '{name}'", null);
        foreach (ParamInfo p in c.Graph.Params)
            Add(c.Param(p.Node, p.Role), $"the parameter '{p.Name}'", At(p.Node));
        var seen = new HashSet<string>();
        foreach (PlannedBuffer b in c.Network.TrainingPlan.Buffers.Concat(c.Network.InferencePlan.Buffers).Where(b => seen.Add(b.Name)))
        {
            if (b.Kind == BufferKind.Labels || c.Tensor(b.Tensor).Role == TensorRole.Label && b.Kind == BufferKind.Activation)
                continue; // the fixed _labels
            string member = MembersEmitter.Declaration(b, c).Name;
            TensorInfo t = c.Tensor(b.Tensor);
            SourceLocation at = t.Producer is string producer ? At(producer) : spec.Inputs.First(i => i.Name == t.Name).Location;
            Add(member, b.Kind switch
            {
                BufferKind.Activation => t.Producer is null ? $"'{b.Tensor}' (input)" : $"'{b.Tensor}' (node)",
                BufferKind.Gradient => $"the gradient of '{b.Tensor}'",
                BufferKind.Mean => $"the batch mean of '{Head(b)}'",
                BufferKind.InvStd => $"the batch 1/std of '{Head(b)}'",
                BufferKind.Argmax => $"the argmax of '{Head(b)}'",
                BufferKind.Mask => $"the dropout mask of '{Head(b)}'",
                _ => $"the loss sums of '{Head(b)}'",
            }, b.Kind is BufferKind.Activation or BufferKind.Gradient ? at : At(Head(b)));
        }

        foreach (ForwardStep s in PlanEmitter.ConcatSteps(c))
        {
            string f = Names.Field(s.Head).TrimStart('@');
            foreach (string suffix in new[] { "_inputs", "_inputGrads", "_accumulate" })
                Add(f + suffix, $"the input list of concat '{s.Head}'", At(s.Head));
        }

        foreach ((string method, List<ForwardStep> steps) in Stages.Group(c.Network.Forward, s => s.Head))
            Add("Forward" + method, $"the forward stage method of '{StageKey(steps[0].Head)}'", At(steps[0].Head));
        foreach ((string method, var steps) in Stages.Group(c.Network.Backward.Steps, s => s.Forward.Head))
            Add("Backward" + method, $"the backward stage method of '{StageKey(steps[0].Forward.Head)}'", At(steps[0].Forward.Head));
        return members;
    }

    /// <summary>Members of every record struct: an output of one of these names in <c>OutputTensors</c> would clash or hide it.</summary>
    private static readonly HashSet<string> RecordStructMembers = new()
    {
        "Deconstruct", "Equals", "Finalize", "GetHashCode", "GetType", "MemberwiseClone", "PrintMembers", "ReferenceEquals", "ToString",
    };

    /// <summary>
    /// NS0027 for every member declared twice or too long, and for outputs whose <c>OutputTensors</c> property (the
    /// output's name in PascalCase) is no C# name, a record's own member or another output's. One per spec position,
    /// at the later of the spec names involved.
    /// </summary>
    public static List<SpecDiagnostic> Conflicts(EmitContext c)
    {
        var diagnostics = new List<SpecDiagnostic>();
        var first = new Dictionary<string, Origin>();
        var reported = new HashSet<SourceLocation?>();
        void Report(string message, Origin at)
        {
            if (reported.Add(at.Location))
                diagnostics.Add(Error(message, at, c));
        }

        foreach ((string member, Origin origin) in Members(c))
        {
            if (member.Length > MaxMemberLength)
            {
                Report($"{origin.Description} becomes a C# member of {member.Length} characters, more than {MaxMemberLength}; shorten the names", origin);
                continue;
            }

            if (!first.TryGetValue(member, out Origin? earlier))
            {
                first[member] = origin;
                continue;
            }

            (Origin later, Origin other) = Later(origin, earlier, c.Spec.Path) ? (origin, earlier) : (earlier, origin);
            Report($"{later.Description} and {other.Description} both become the C# member '{member}'; rename one", later);
        }

        var outputs = new Dictionary<string, OutputDecl>();
        foreach (OutputDecl o in c.Spec.Outputs)
        {
            string property = Names.Pascal(o.Name);
            var at = new Origin($"the output '{o.Name}'", o.Location);
            if (property.Length == 0 || !char.IsLetter(property[0]))
                Report($"The output '{o.Name}' becomes the OutputTensors property '{property}', which is no C# name (it must start with a letter); rename it", at);
            else if (RecordStructMembers.Contains(property))
                Report($"The output '{o.Name}' becomes the OutputTensors property '{property}', a member every record struct has; rename it", at);
            else if (outputs.TryGetValue(property, out OutputDecl? earlier))
                Report($"The outputs '{earlier.Name}' and '{o.Name}' both become the OutputTensors property '{property}'; rename one", at);
            else
                outputs[property] = o;
        }

        return diagnostics;
    }

    private static SpecDiagnostic Error(string message, Origin at, EmitContext c) =>
        Dsl.Diagnostics.DiagnosticCatalog.NameCollision.At(at.Location ?? c.Spec.NameLocation, message);

    /// <summary>Whether <paramref name="a"/> is reported rather than <paramref name="b"/>: a spec position over none, this file over another, then the later position.</summary>
    private static bool Later(Origin a, Origin b, string path)
    {
        if (a.Location is not SourceLocation la)
            return false;
        if (b.Location is not SourceLocation lb)
            return true;
        if ((la.Path == path) != (lb.Path == path))
            return la.Path == path;
        return (la.Line, la.Column).CompareTo((lb.Line, lb.Column)) > 0;
    }

    private static string Head(PlannedBuffer b) => b.Name.Substring(0, b.Name.LastIndexOf('.'));

    private static string StageKey(string head) => string.Join(".", head.Split('.').Take(2));
}
