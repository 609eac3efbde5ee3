namespace NetSpec.Runtime.Ops;

/// <summary>
/// The device workspace (<see cref="Device.Workspace"/>) a conv's calls ask for, from the same sizing the calls use:
/// on the host a column chunk per worker (<see cref="Device.ColumnLimitFloats"/> in all), Winograd's U, V and M per
/// worker, and for the weight gradient a partial dW for every worker but the first; on kernels a chunk of images'
/// columns (and their per-image dW parts for the weight gradient) within <see cref="Device.KernelColumnLimitFloats"/>,
/// at least one image. The workspace only grows, so a network holds the largest of its convs' requests.
/// </summary>
public static partial class Conv2d
{
    /// <summary>
    /// Floats of workspace a conv over x (n, c, h, w) with <paramref name="k"/> outputs asks for: its forward, or with
    /// <paramref name="training"/> the largest of forward, input gradient and weight gradient.
    /// </summary>
    public static long WorkspaceFloats(Device d, int n, int c, int h, int w, int k, ConvGeometry g, bool training)
    {
        var s = Shapes.Sized(new Tensor(default, n, c, h, w), new Tensor(default, n, k, g.OutH(h), g.OutW(w)), g);
        long forward = ForwardWorkspace(d, s, g);
        return training ? Math.Max(forward, Math.Max(BackwardInputWorkspace(d, s, g), BackwardWeightsWorkspace(d, s, g))) : forward;
    }

    private static long ForwardWorkspace(Device d, Shapes s, ConvGeometry g)
    {
        if (d.HostCode && WinogradFits(d, g, s))
            return ForwardWinogradConv(g, s).WorkspaceFloats(d);
        return ColumnsWorkspace(d, s, g);
    }

    private static long BackwardInputWorkspace(Device d, Shapes s, ConvGeometry g)
    {
        if (d.HostCode && WinogradFitsBackward(d, g, s))
            return BackwardInputWinogradConv(g, s).WorkspaceFloats(d);
        return ColumnsWorkspace(d, s, g);
    }

    /// <summary>Unfolded columns (im2col) of a non-pointwise conv: a buffer a host worker, or a chunk of images on the kernel path.</summary>
    private static long ColumnsWorkspace(Device d, Shapes s, ConvGeometry g)
    {
        if (g.IsPointwise)
            return 0;
        if (!d.HostCode)
            return ImagesPerChunk(d, s, s.ImageColLength) * s.ImageColLength;
        var host = HostColumns(d, s, g);
        return host.Workers * host.ColFloats;
    }

    private static long BackwardWeightsWorkspace(Device d, Shapes s, ConvGeometry g)
    {
        if (d.HostCode)
            return BackwardWeightsHostFloats(d, s, g);
        long colLength = g.IsPointwise ? 0 : s.ImageColLength;
        return ImagesPerChunk(d, s, colLength + s.WeightLength) * (colLength + s.WeightLength);
    }
}
