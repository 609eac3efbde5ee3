namespace NetSpec.Onnx;

/// <summary>
/// An export that cannot be done: a spec with an op ONNX cannot express here, weights that do not match the spec
/// (missing, unexpected or mis-shaped tensors, non-finite values), or a size the spec cannot run at. The message is
/// one line naming the spec or weights file and the node or tensor.
/// </summary>
public sealed class OnnxExportException(string message) : Exception(message);
