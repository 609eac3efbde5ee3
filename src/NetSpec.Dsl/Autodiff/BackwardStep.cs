using NetSpec.Dsl.Model;
using NetSpec.Dsl.Scheduling;

namespace NetSpec.Dsl.Autodiff;

/// <summary>The gradient one backward step produces for input slot <see cref="Slot"/>: written (first consumer) or added.</summary>
public sealed record GradTarget(int Slot, string Tensor, bool Accumulate);

/// <summary>
/// One step of the backward schedule: the backward of forward step <see cref="Forward"/>. It reads the
/// gradient of the step's output (a loss step reads none: it is seeded with <see cref="LossWeight"/>),
/// writes or adds the gradients of <see cref="InputGrads"/>, and writes its parameters' gradients (the generator
/// reads which from the step's nodes).
/// </summary>
public sealed record BackwardStep(int Index, ForwardStep Forward, bool IsLoss, double LossWeight, EquatableArray<GradTarget> InputGrads);

/// <summary>The backward schedule (forward read in reverse) and the tensors that get a gradient buffer.</summary>
public sealed record BackwardPlan(EquatableArray<BackwardStep> Steps, EquatableArray<string> GradTensors);
