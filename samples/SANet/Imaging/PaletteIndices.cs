using System.Buffers.Binary;

namespace NetSpec.Samples.SANet.Imaging;

/// <summary>
/// A palette PNG's pixels are indices into its PLTE chunk, and a label file's index is its class id whatever colour the
/// palette gives it (VOC's palette makes car, id 7, grey (128,128,128), so a car-and-background label would read as
/// grey level 128 through its colours). SkiaSharp decodes only to colour, so the copy this returns has its palette
/// replaced by entry i = (i, i, i), CRC rewritten: decoding it gives each pixel's index exactly, as a grey level.
/// </summary>
public static class PaletteIndices
{
    /// <summary>The file with a grey-ramp palette, or the file itself when no well-formed PLTE chunk precedes the pixels (the decoder then reports it).</summary>
    public static byte[] AsGreyLevels(byte[] file)
    {
        int at = 8; // after the signature: chunks of length (4), type (4), data (length), CRC (4)
        while (at + 12 <= file.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(at));
            if (length > (uint)(file.Length - at - 12))
                return file;
            ReadOnlySpan<byte> type = file.AsSpan(at + 4, 4);
            if (type.SequenceEqual("IDAT"u8) || type.SequenceEqual("IEND"u8))
                return file;
            if (type.SequenceEqual("PLTE"u8))
                return WithGreyRamp(file, at, (int)length);
            at += 12 + (int)length;
        }

        return file;
    }

    private static byte[] WithGreyRamp(byte[] file, int chunk, int length)
    {
        if (length % 3 != 0 || length > 256 * 3)
            return file;
        byte[] copy = (byte[])file.Clone();
        Span<byte> entries = copy.AsSpan(chunk + 8, length);
        for (int i = 0; i < length; i++)
            entries[i] = (byte)(i / 3);
        uint crc = IndexedPng.ChunkCrc(copy.AsSpan(chunk + 4, 4 + length));
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(chunk + 8 + length), crc);
        return copy;
    }
}
