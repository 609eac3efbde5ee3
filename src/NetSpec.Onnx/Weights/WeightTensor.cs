namespace NetSpec.Onnx;

/// <summary>One named tensor of weights, PyTorch state_dict name and shape, values in row-major order as float32.</summary>
public sealed record WeightTensor(string Name, IReadOnlyList<long> Shape, float[] Values);
