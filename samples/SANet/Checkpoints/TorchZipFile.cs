using System.Collections;
using System.IO.Compression;
using System.Numerics;
using System.Text.RegularExpressions;
using NetSpec.Runtime.Weights;
using Razorvine.Pickle;

namespace NetSpec.Samples.SANet.Checkpoints;

/// <summary>
/// A PyTorch checkpoint in the zip format of torch ≥ 1.6 (<c>torch.save</c>'s default): a zip holding
/// <c>ARCHIVE/data.pkl</c> (the pickled state_dict, whose tensors name their storages by persistent id) and one
/// entry <c>ARCHIVE/data/KEY</c> per storage, little-endian. Accepted: a dict of name → tensor, or a dict whose
/// <c>state_dict</c> or <c>model</c> entry is one (training checkpoints). Tensors must be contiguous; every size,
/// offset and stride is checked against its storage in 64-bit checked arithmetic.
/// </summary>
public static partial class TorchZipFile
{
    public static bool LooksLikeZip(ReadOnlySpan<byte> head) => head is [(byte)'P', (byte)'K', 3, 4, ..];

    /// <summary>The pre-1.6 format starts with a pickled magic number (protocol 2: 0x80 0x02).</summary>
    public static bool LooksLikeLegacy(ReadOnlySpan<byte> head) => head is [0x80, 0x02, ..];

    public static List<SafeTensorEntry> Read(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            long fileLength = new FileInfo(path).Length;
            var pickles = zip.Entries.Where(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.IndexOf('/') == e.FullName.Length - "/data.pkl".Length).ToList();
            if (pickles.Count != 1)
                throw new CheckpointException($"{path}: a zip with {pickles.Count} ARCHIVE/data.pkl entries; not a PyTorch checkpoint");
            string archive = pickles[0].FullName[..^"data.pkl".Length];
            ZipArchiveEntry? byteOrder = zip.GetEntry(archive + "byteorder");
            if (byteOrder is not null && System.Text.Encoding.ASCII.GetString(ReadEntry(path, byteOrder, fileLength)) != "little")
                throw new CheckpointException($"{path}: storages are not little-endian (byteorder entry); re-save it on a little-endian machine");

            object root = Unpickle(path, ReadEntry(path, pickles[0], fileLength));
            Hashtable stateDict = StateDictOf(path, root);
            var tensors = new List<SafeTensorEntry>();
            var storages = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var (name, tensor) in InFileOrder(path, stateDict))
            {
                if (!storages.TryGetValue(tensor.Storage.Key, out byte[]? storage))
                {
                    ZipArchiveEntry entry = zip.GetEntry(archive + "data/" + tensor.Storage.Key)
                        ?? throw new CheckpointException($"{path}: tensor '{name}' refers to storage '{tensor.Storage.Key}', which the zip lacks");
                    storages[tensor.Storage.Key] = storage = ReadEntry(path, entry, fileLength);
                }

                tensors.Add(Slice(path, name, tensor, storage));
            }

            return tensors;
        }
        catch (InvalidDataException e)
        {
            throw new CheckpointException($"{path}: not a readable zip ({e.Message})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"{path}: cannot read ({e.Message})");
        }
    }

    /// <summary>
    /// The tensors in the order torch.save wrote them: it numbers storages 0, 1, 2, … as it meets them, while the
    /// unpickler's SETITEMS adds each batch of items in reverse.
    /// </summary>
    private static List<(string Name, TorchTensor Tensor)> InFileOrder(string path, Hashtable stateDict)
    {
        var tensors = new List<(string Name, TorchTensor Tensor)>(stateDict.Count);
        foreach (DictionaryEntry item in stateDict)
        {
            if (item.Key is not string name)
                throw new CheckpointException($"{path}: the state_dict has a key {TorchUnpickler.Describe(item.Key)} that is not a string");
            if (item.Value is not TorchTensor tensor)
                throw new CheckpointException($"{path}: '{name}' is {TorchUnpickler.Describe(item.Value)}, not a tensor; only a state_dict of tensors is read");
            tensors.Add((name, tensor));
        }

        return tensors.OrderBy(t => long.TryParse(t.Tensor.Storage.Key, out long k) ? k : long.MaxValue)
            .ThenBy(t => t.Tensor.Storage.Key, StringComparer.Ordinal).ThenBy(t => t.Name, StringComparer.Ordinal).ToList();
    }

    private static object Unpickle(string path, byte[] pickle)
    {
        try
        {
            using var unpickler = new TorchUnpickler();
            return unpickler.loads(pickle);
        }
        catch (PickleException e) when (UnregisteredGlobal().Match(e.Message) is { Success: true } global)
        {
            throw new CheckpointException($"{path}: data.pkl calls {global.Groups[1].Value}, which is not part of a state_dict of tensors; refused (pickled code is never run)");
        }
        catch (PickleException e)
        {
            throw new CheckpointException($"{path}: data.pkl: {e.Message}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // whatever the library trips over in a malformed pickle (stack underflow, wrong types) is a bad file
            throw new CheckpointException($"{path}: data.pkl is not a valid pickle ({e.GetType().Name}: {e.Message})");
        }
    }

    /// <summary>Razorvine's message when a GLOBAL without a registered constructor is called with arguments.</summary>
    /// <remarks>A plain Regex, not [GeneratedRegex]: the Debug build (README's train command) leaves the framework's generators out (SANet.csproj).</remarks>
    private static readonly Regex UnregisteredGlobalPattern = new(@"ClassDict \(for ([^)]*)\)", RegexOptions.CultureInvariant);

    private static Regex UnregisteredGlobal() => UnregisteredGlobalPattern;

    private static Hashtable StateDictOf(string path, object root)
    {
        if (root is Hashtable top && top.Values.OfType<TorchTensor>().Any())
            return top;
        if (root is Hashtable wrapper)
        {
            foreach (string key in new[] { "state_dict", "model" })
            {
                if (wrapper[key] is Hashtable inner)
                    return inner;
            }
        }

        throw new CheckpointException($"{path}: data.pkl holds {TorchUnpickler.Describe(root)}, not a state_dict (a dict of tensors, or a dict with one under 'state_dict' or 'model')");
    }

    private static byte[] ReadEntry(string path, ZipArchiveEntry entry, long fileLength)
    {
        if (entry.Length > fileLength || entry.Length > Array.MaxLength)
            throw new CheckpointException($"{path}: zip entry '{entry.FullName}' claims {entry.Length} bytes in a {fileLength}-byte file; PyTorch stores entries uncompressed");
        byte[] data = new byte[entry.Length];
        using Stream stream = entry.Open();
        stream.ReadExactly(data);
        return data;
    }

    private static long ToLong(string path, string name, string what, object? value) => value switch
    {
        int i and >= 0 => i,
        long l and >= 0 => l,
        BigInteger b when b >= 0 && b <= long.MaxValue => (long)b,
        _ => throw new CheckpointException($"{path}: tensor '{name}' has {what} {TorchUnpickler.Describe(value)}, not an integer in [0, 2^63)"),
    };

    /// <summary>The tensor's bytes: [offset, offset + numel) of its storage, which must be row-major contiguous.</summary>
    private static SafeTensorEntry Slice(string path, string name, TorchTensor tensor, byte[] storage)
    {
        long[] shape = tensor.Size.Select(d => ToLong(path, name, "a size", d)).ToArray();
        long[] stride = tensor.Stride.Select(d => ToLong(path, name, "a stride", d)).ToArray();
        long offset = ToLong(path, name, "storage offset", tensor.Offset);
        long declared = ToLong(path, name, "storage numel", tensor.Storage.Numel);
        int size = SafeTensorEntry.SizeOf(tensor.Storage.DType);
        if (stride.Length != shape.Length)
            throw new CheckpointException($"{path}: tensor '{name}' has {shape.Length} sizes but {stride.Length} strides");
        try
        {
            long elements = 1;
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                if (shape[d] != 1 && stride[d] != elements)
                    throw new CheckpointException($"{path}: tensor '{name}' is not contiguous (size [{string.Join(",", shape)}], stride [{string.Join(",", stride)}]); save it after .contiguous()");
                elements = checked(elements * shape[d]);
            }

            long storageElements = storage.Length / size;
            if (storage.Length % size != 0 || checked(declared * size) != storage.Length)
                throw new CheckpointException($"{path}: storage '{tensor.Storage.Key}' holds {storage.Length} bytes, not the {declared} × {size} its tensors declare");
            if (checked(offset + elements) > storageElements)
                throw new CheckpointException($"{path}: tensor '{name}' needs elements {offset}..{offset + elements} of storage '{tensor.Storage.Key}', which holds {storageElements}");
            byte[] data = storage.AsSpan(checked((int)(offset * size)), checked((int)(elements * size))).ToArray();
            return new SafeTensorEntry(name, tensor.Storage.DType, shape, data);
        }
        catch (OverflowException)
        {
            throw new CheckpointException($"{path}: tensor '{name}' has size [{string.Join(",", shape)}] / offset {offset} whose extent overflows 64 bits");
        }
    }
}
