namespace NetSpec.Runtime;

/// <summary>Loss values of the last training forward pass, read back to the host.</summary>
/// <param name="Total">The weighted total, e.g. L_mask + 0.2·L_cat + 0.8·L_dense.</param>
/// <param name="Terms">Each unweighted term by its spec name (mask, cat, dense).</param>
public sealed record LossValues(float Total, IReadOnlyDictionary<string, float> Terms);

/// <summary>
/// What every network generated from a spec offers. The generator emits a partial class per spec
/// (<c>SanetR50</c>, <c>SanetTiny</c>) implementing this; the sample and tests use only this surface.
/// </summary>
public interface INetwork : IDisposable
{
    /// <summary>Spec name, e.g. <c>sanet-r50</c>.</summary>
    string SpecName { get; }

    int NumClasses { get; }

    /// <summary>Label value that marks pixels to ignore (255).</summary>
    int IgnoreLabel { get; }

    Device Device { get; }

    /// <summary>Weights, buffers and counters in state_dict order.</summary>
    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Output names in spec order (e.g. mask, dense, cat).</summary>
    IReadOnlyList<string> OutputNames { get; }

    /// <summary>Fills weights as PyTorch does for these layers (Kaiming for conv, BN 1/0), deterministically from the seed.</summary>
    void InitializeParameters(ulong seed);

    /// <summary>
    /// Plans activations (and, when <paramref name="training"/>, gradients) for this input size and allocates
    /// the arena once; a later call with the same sizes does nothing. Nothing is allocated by Forward/Backward.
    /// </summary>
    void Prepare(int batch, int height, int width, bool training);

    int BatchSize { get; }

    int Height { get; }

    int Width { get; }

    /// <summary>The (N,3,H,W) input buffer; the caller writes normalised images here before Forward.</summary>
    Tensor Image { get; }

    /// <summary>The (N,H,W) label buffer; written by the caller before a training Forward.</summary>
    LabelMap Labels { get; }

    /// <summary>Seed for this step's dropout masks (set per iteration so that a resumed run repeats them).</summary>
    ulong StepSeed { get; set; }

    /// <summary>Runs the network. Training: batch statistics (running stats updated), dropout, losses.</summary>
    void Forward(bool training);

    /// <summary>Reads the loss values of the last training Forward back to the host.</summary>
    LossValues ReadLosses();

    /// <summary>Gradients of the weighted total loss into each weight's <see cref="Parameter.Grad"/> (overwritten).</summary>
    void Backward();

    /// <summary>An output of the last Forward, e.g. <c>mask</c> logits (N,K,H,W) at the input size.</summary>
    Tensor Output(string name);

    /// <summary>Planned peak bytes of activations (and gradients when training) at the prepared size.</summary>
    long PlannedPeakBytes { get; }
}
