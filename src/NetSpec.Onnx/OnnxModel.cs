using Google.Protobuf;
using NetSpec.Onnx.Format;

namespace NetSpec.Onnx;

/// <summary>An exported model: its ONNX bytes, what it holds, and an atomic save that never overwrites unasked.</summary>
public sealed class OnnxModel
{
    internal OnnxModel(ModelProto proto, IReadOnlyList<string> outputs, IReadOnlyList<string> leftOut, int foldedBatchNorms)
    {
        Proto = proto;
        Outputs = outputs;
        LeftOutOutputs = leftOut;
        FoldedBatchNorms = foldedBatchNorms;
    }

    /// <summary>The model's outputs, the spec's names, in spec order.</summary>
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>Spec outputs that need a training-only node, so eval (and the model) does not compute them.</summary>
    public IReadOnlyList<string> LeftOutOutputs { get; }

    public int FoldedBatchNorms { get; }

    /// <summary>The ONNX nodes (operator instances) in the graph.</summary>
    public int NodeCount => Proto.Graph.Node.Count;

    /// <summary>The operator types the graph uses, sorted.</summary>
    public IReadOnlyList<string> OperatorTypes => Proto.Graph.Node.Select(n => n.OpType).Distinct().Order(StringComparer.Ordinal).ToList();

    internal ModelProto Proto { get; }

    public byte[] ToByteArray() => Proto.ToByteArray();

    public void WriteTo(Stream stream) => Proto.WriteTo(stream);

    /// <summary>
    /// Writes the model to <paramref name="path"/> atomically: a fresh temporary file in the same folder, flushed, then
    /// renamed into place, so a reader sees the old file or the new one, never a part. Refuses a folder; without
    /// <paramref name="overwrite"/> refuses any existing entry, a symbolic link included; with it, a link is replaced
    /// itself, never written through.
    /// </summary>
    public void Save(string path, bool overwrite)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full) && new FileInfo(full).LinkTarget is null)
            throw new OnnxExportException($"{path}: is a folder; give a file name");
        bool exists = File.Exists(full) || new FileInfo(full).LinkTarget is not null || Directory.Exists(full);
        if (exists && !overwrite)
            throw new OnnxExportException($"{path}: exists already (overwrite not asked)");
        string folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
            throw new OnnxExportException($"{path}: folder {folder} does not exist");
        string temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                WriteTo(file);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new OnnxExportException($"{path}: cannot write it ({e.Message})");
        }
    }
}
