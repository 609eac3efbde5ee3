using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Catalog;

/// <summary>
/// Where a rule writes its generated C#: the generator implements these for one step, so a rule names tensors by
/// slot and parameters by role and never sees field names or formatting conventions.
/// </summary>
public interface IStepSite
{
    /// <summary>The node (for fused steps, the head) whose call is emitted.</summary>
    TypedNode Node { get; }

    /// <summary>The expression of the device every runtime call takes.</summary>
    string Device { get; }

    /// <summary>The field of input <paramref name="slot"/>.</summary>
    string Input(int slot);

    /// <summary>The field of the step's output.</summary>
    string Output { get; }

    /// <summary>A parameter's value view, or <c>default</c> when the node has none (bias: false).</summary>
    string Value(string role);

    /// <summary>The field of an auxiliary buffer (<see cref="AuxBuffer.Suffix"/>).</summary>
    string Aux(string suffix);

    /// <summary>The stem of per-step members (the input lists of an op with <see cref="OpRule.TakesInputList"/>).</summary>
    string StepMember { get; }

    string Float(double value);

    string Bool(bool value);

    void Line(string code);
}

public interface IForwardSite : IStepSite
{
    /// <summary>A fixed per-node salt (hash of its name) for seeded ops.</summary>
    ulong Salt { get; }
}

public interface IBackwardSite : IStepSite
{
    /// <summary>The gradient of the step's output.</summary>
    string OutputGrad { get; }

    /// <summary>Whether input <paramref name="slot"/> receives a gradient.</summary>
    bool HasInputGrad(int slot);

    /// <summary>The gradient of input <paramref name="slot"/>, or <c>default</c>.</summary>
    string InputGrad(int slot);

    /// <summary><c>true</c> when the gradient of input <paramref name="slot"/> is added to (a fan-out), else <c>false</c>.</summary>
    string Accumulate(int slot);

    /// <summary>A parameter's gradient view, or <c>default</c>.</summary>
    string Grad(string role);

    /// <summary>A loss's weight in the total loss.</summary>
    double LossWeight { get; }
}

public interface IInitSite
{
    /// <summary>The field of a parameter.</summary>
    string Param(string role);

    bool HasParam(string role);

    void Line(string code);
}
