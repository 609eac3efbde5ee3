using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace NetSpec.Samples.SANet.Imaging;

/// <summary>
/// Writes 8-bit palette ("indexed", colour type 3) PNGs, the format of VOC label files. SkiaSharp encodes
/// only colour PNGs, so this small encoder writes IHDR, PLTE, IDAT (zlib) and IEND itself.
/// </summary>
public static class IndexedPng
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];
    private static readonly uint[] CrcTable = BuildCrcTable();

    public static byte[] Encode(int width, int height, byte[] indices, byte[] paletteRgb) =>
        Encode(width, height, bitDepth: 8, colourType: PngHeader.Palette, indices, rowBytes: width, paletteRgb);

    /// <summary>
    /// Any PNG layout from raw rows of <paramref name="rowBytes"/> bytes each (samples packed as the PNG
    /// specification lays them out, e.g. big-endian for 16 bits); <paramref name="paletteRgb"/> only for colour type 3.
    /// </summary>
    public static byte[] Encode(int width, int height, int bitDepth, int colourType, byte[] rows, int rowBytes, byte[]? paletteRgb)
    {
        using var png = new MemoryStream();
        png.Write(Signature);

        byte[] header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = (byte)bitDepth;
        header[9] = (byte)colourType;
        WriteChunk(png, "IHDR", header);
        if (paletteRgb is not null)
            WriteChunk(png, "PLTE", paletteRgb);

        using var raw = new MemoryStream();
        using (var zlib = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (int y = 0; y < height; y++)
            {
                zlib.WriteByte(0); // filter: none
                zlib.Write(rows, y * rowBytes, rowBytes);
            }
        }

        WriteChunk(png, "IDAT", raw.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        byte[] typeBytes = Encoding.ASCII.GetBytes(type);
        stream.Write(typeBytes);
        stream.Write(data);
        uint crc = Crc(Crc(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        stream.Write(word);
    }

    /// <summary>A chunk's CRC-32 over its type and data (the 4 + length bytes after the length field).</summary>
    internal static uint ChunkCrc(ReadOnlySpan<byte> typeAndData) => Crc(0xFFFFFFFFu, typeAndData) ^ 0xFFFFFFFFu;

    private static uint Crc(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        uint[] table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }

        return table;
    }
}
