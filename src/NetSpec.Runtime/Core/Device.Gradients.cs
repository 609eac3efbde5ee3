namespace NetSpec.Runtime;

/// <summary>Told by a network's backward when weights' gradients are final (docs/distributed.md, "Training").</summary>
public interface IGradientListener
{
    /// <summary>
    /// The backward step that writes these weights' gradients has been issued: no later step of this backward writes
    /// them. On the kernel path the step may still be queued on the device's stream (synchronise before reading).
    /// </summary>
    void GradientsReady(ReadOnlySpan<Parameter> weights);
}

public sealed partial class Device
{
    /// <summary>
    /// Who hears <see cref="GradientsReady"/> (a data-parallel trainer's gradient averager during backward); null: no
    /// one, and the generated backward's calls cost a null check.
    /// </summary>
    public IGradientListener? GradientListener { get; set; }

    /// <summary>Called by the generated Backward after each step that writes weights' gradients (once per weight).</summary>
    public void GradientsReady(params ReadOnlySpan<Parameter> weights) => GradientListener?.GradientsReady(weights);
}
