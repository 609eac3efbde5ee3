namespace NetSpec.Samples.SANet.Data;

/// <summary>A split of a segmentation dataset: indexed samples with a fixed class list.</summary>
public interface ISegmentationDataset
{
    /// <summary>Short description for logs, e.g. <c>voc train (1464 images, VOCdevkit/VOC2012)</c>.</summary>
    string Description { get; }

    IReadOnlyList<string> ClassNames { get; }

    int Count { get; }

    /// <summary>Loads sample <paramref name="index"/>; a bad file throws <see cref="DataException"/> naming it.</summary>
    SegmentationSample Load(int index);
}

/// <summary>Bad input data: the message names the file and what is wrong with it.</summary>
public sealed class DataException(string message) : Exception(message);
