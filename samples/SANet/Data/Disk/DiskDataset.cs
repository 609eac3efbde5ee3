using NetSpec.Samples.SANet.Imaging;

namespace NetSpec.Samples.SANet.Data.Disk;

/// <summary>
/// Images and label PNGs listed up front (missing files are reported before training starts) and decoded
/// on demand. <see cref="LabelMap"/> turns file values into training ids (Context: 0 → 255, others −1).
/// </summary>
public sealed class DiskDataset(
    string description,
    IReadOnlyList<string> classNames,
    IReadOnlyList<LabelledFile> files,
    Func<byte, byte>? labelMap = null,
    int fileClasses = 0) : ISegmentationDataset
{
    public string Description { get; } = description;

    public IReadOnlyList<string> ClassNames { get; } = classNames;

    public int Count => files.Count;

    public SegmentationSample Load(int index)
    {
        LabelledFile file = files[index];
        var image = ImageCodec.DecodeRgb(file.ImagePath);
        int valuesInFile = fileClasses > 0 ? fileClasses : ClassNames.Count;
        var (width, height, ids) = LabelDecoder.Read(file.LabelPath, valuesInFile);
        if (width != image.Width || height != image.Height)
        {
            throw new DataException(
                $"{file.LabelPath}: label is {width}×{height} but its image {file.ImagePath} is {image.Width}×{image.Height}");
        }

        if (labelMap is not null)
        {
            for (int i = 0; i < ids.Length; i++)
                ids[i] = labelMap(ids[i]);
        }

        return new SegmentationSample(file.Name, width, height, image.Rgb, ids);
    }
}
