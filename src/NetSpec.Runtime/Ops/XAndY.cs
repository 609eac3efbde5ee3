namespace NetSpec.Runtime.Ops;

/// <summary>Launch plumbing of the ops from an input x to an output y of another shape (pooling, resizing).</summary>
internal static class XAndY
{
    /// <summary>
    /// <see cref="Device.HostPath"/> over the kernel's outputs, y forward and dx backward (<paramref name="x"/> and
    /// <paramref name="y"/> are then dx and dy); on the kernel path both must have at most 2^31 − 1 elements (32-bit indices).
    /// </summary>
    public static bool HostPath(Device d, Tensor x, Tensor y, bool backward, out int threads)
    {
        if (d.HostPath(backward ? x.Length : y.Length, out threads))
            return true;
        Check.Fits32(x, backward ? "dx" : "x");
        Check.Fits32(y, backward ? "dy" : "y");
        return false;
    }
}
