namespace NetSpec.Samples.SANet.Data;

/// <summary>
/// One image and its label map on the host. <see cref="Rgb"/> is interleaved (H,W,3) bytes;
/// <see cref="Labels"/> holds class ids with 255 meaning "ignore".
/// </summary>
public sealed record SegmentationSample(string Name, int Width, int Height, byte[] Rgb, byte[] Labels)
{
    public const byte Ignore = 255;
}
