using System.Buffers.Binary;

namespace NetSpec.Samples.SANet.Imaging;

/// <summary>
/// A palette PNG's pixels are indices into its PLTE chunk, and a label file's index is its class id whatever colour the
/// palette gives it (VOC's palette makes car, id 7, grey (128,128,128), so a car-and-background label would read as
/// grey level 128 through its colours). SkiaSharp decodes only to colour, so the copy this returns has its palette
/// replaced by 256 entries i = (i, i, i), CRC rewritten: decoding it gives each pixel's index exactly, as a grey level,
/// also an index past the file's own entries (which the PNG format forbids; the caller refuses it, knowing the count).
/// </summary>
public static class PaletteIndices
{
    /// <summary>
    /// The file with a 256-entry grey-ramp palette and the number of entries its own palette has, or the file itself and
    /// 256 when no well-formed PLTE chunk precedes the pixels (the decoder then reports it).
    /// </summary>
    public static (byte[] File, int Entries) AsGreyLevels(byte[] file)
    {
        int at = 8; // after the signature: chunks of length (4), type (4), data (length), CRC (4)
        while (at + 12 <= file.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(at));
            if (length > (uint)(file.Length - at - 12))
                return (file, 256);
            ReadOnlySpan<byte> type = file.AsSpan(at + 4, 4);
            if (type.SequenceEqual("IDAT"u8) || type.SequenceEqual("IEND"u8))
                return (file, 256);
            if (type.SequenceEqual("PLTE"u8))
                return length % 3 != 0 || length > 256 * 3 || length == 0 ? (file, 256) : (WithGreyRamp(file, at, (int)length), (int)length / 3);
            at += 12 + (int)length;
        }

        return (file, 256);
    }

    // the PLTE chunk at `chunk` (data `length` bytes) replaced by one of 256 entries (i, i, i)
    private static byte[] WithGreyRamp(byte[] file, int chunk, int length)
    {
        const int Ramp = 256 * 3;
        int after = chunk + 12 + length; // the next chunk
        byte[] copy = new byte[file.Length - length + Ramp];
        file.AsSpan(0, chunk).CopyTo(copy);
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(chunk), Ramp);
        "PLTE"u8.CopyTo(copy.AsSpan(chunk + 4));
        Span<byte> entries = copy.AsSpan(chunk + 8, Ramp);
        for (int i = 0; i < Ramp; i++)
            entries[i] = (byte)(i / 3);
        uint crc = IndexedPng.ChunkCrc(copy.AsSpan(chunk + 4, 4 + Ramp));
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(chunk + 8 + Ramp), crc);
        file.AsSpan(after).CopyTo(copy.AsSpan(chunk + 12 + Ramp));
        return copy;
    }
}
