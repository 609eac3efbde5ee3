namespace NetSpec.Samples.SANet.Data.Disk;

/// <summary>An image file and its label file.</summary>
public sealed record LabelledFile(string Name, string ImagePath, string LabelPath);
