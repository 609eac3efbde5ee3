using System;
using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Autodiff;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Planning;
using NetSpec.Dsl.Scheduling;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl;

/// <summary>The middle of the compiler: expanded spec → shapes → forward/backward schedules → memory plans.</summary>
public static class SpecCompiler
{
    /// <summary>
    /// Front end and middle in one call: spec text → network + every diagnostic (front end first).
    /// <paramref name="resolve"/> returns another spec's text for <c>extends</c> (null when absent).
    /// An abstract spec gives no network and no diagnostics.
    /// </summary>
    public static CompileResult Compile(string path, string text, Func<string, string?> resolve)
    {
        FrontEndResult front = SpecFrontEnd.Expand(path, text, resolve);
        if (front.Spec is null)
            return new CompileResult(null, front.Diagnostics);
        CompileResult middle = Compile(front.Spec);
        return new CompileResult(middle.Network, Concat(front.Diagnostics, middle.Diagnostics));
    }

    /// <summary>Compiles an expanded spec. Never throws: an internal failure is reported as NS0015.</summary>
    public static CompileResult Compile(ExpandedSpec spec)
    {
        var diagnostics = new List<SpecDiagnostic>();
        try
        {
            TypedGraph? graph = ShapeInference.Run(spec, diagnostics);
            if (graph is null)
                return new CompileResult(null, diagnostics.ToEquatableArray());
            if (SizeLimits.Check(graph) is SpecDiagnostic tooLarge)
            {
                diagnostics.Add(tooLarge);
                return new CompileResult(null, diagnostics.ToEquatableArray());
            }

            return new CompileResult(Plan(graph), diagnostics.ToEquatableArray());
        }
        catch (Exception e)
        {
            diagnostics.Add(MiddleDiagnostics.Error(MiddleDiagnostics.InternalError,
                $"Internal compiler error: {e.GetType().Name} while compiling '{spec.Name}': {e.Message}. Please report it with the spec file.",
                new SourceLocation(spec.Path, 1, 1, 0)));
            return new CompileResult(null, diagnostics.ToEquatableArray());
        }
    }

    /// <summary>Schedules, differentiates and plans memory for a typed graph.</summary>
    public static CompiledNetwork Plan(TypedGraph graph)
    {
        EquatableArray<ForwardStep> forward = Fusion.Schedule(graph);
        BackwardPlan backward = ReverseMode.Differentiate(graph, forward);
        IReadOnlyDictionary<string, int> defaults = graph.DefaultSizes;
        MemoryPlan inference = MemoryPlan.Build(Liveness.Buffers(graph, forward, null), defaults);
        MemoryPlan training = MemoryPlan.Build(Liveness.Buffers(graph, forward, backward), defaults);
        return new CompiledNetwork(graph, forward, backward, inference, training);
    }

    /// <summary>Front diagnostics first, then the middle's, in one list.</summary>
    internal static EquatableArray<SpecDiagnostic> Concat(IEnumerable<SpecDiagnostic> front, IEnumerable<SpecDiagnostic> middle) =>
        front.Concat(middle).ToEquatableArray();
}
