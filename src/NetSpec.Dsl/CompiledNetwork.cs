using NetSpec.Dsl.Autodiff;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Planning;
using NetSpec.Dsl.Scheduling;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl;

/// <summary>
/// Everything the generator emits from: the typed graph, the forward schedule (with fusions), the backward
/// schedule, and the memory plans for inference (forward only) and training. Equatable throughout.
/// </summary>
public sealed record CompiledNetwork(
    TypedGraph Graph,
    EquatableArray<ForwardStep> Forward,
    BackwardPlan Backward,
    MemoryPlan InferencePlan,
    MemoryPlan TrainingPlan);

/// <summary>A spec's compilation: the network when there were no errors, and every diagnostic (front end and middle).</summary>
public sealed record CompileResult(CompiledNetwork? Network, EquatableArray<SpecDiagnostic> Diagnostics);
