using System.Buffers.Binary;

namespace NetSpec.Samples.SANet.Imaging;

/// <summary>
/// The IHDR fields of a PNG file (the signature, then IHDR as the first chunk: width, height, bit depth,
/// colour type), read without decoding; null for anything that is not a PNG.
/// </summary>
public sealed record PngHeader(int Width, int Height, int BitDepth, int ColourType)
{
    public const int Grey = 0, Palette = 3;

    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    public static PngHeader? Read(ReadOnlySpan<byte> file)
    {
        // signature (8) + chunk length (4) + "IHDR" (4) + width (4) + height (4) + depth (1) + colour type (1)
        if (file.Length < 26 || !file[..8].SequenceEqual(Signature) || !file[12..16].SequenceEqual("IHDR"u8))
            return null;
        return new PngHeader(BinaryPrimitives.ReadInt32BigEndian(file[16..]), BinaryPrimitives.ReadInt32BigEndian(file[20..]), file[24], file[25]);
    }
}
