using NetSpec.Samples.SANet.Data;
using NetSpec.Samples.SANet.Data.Disk;

namespace NetSpec.SANet.Tests.Data;

public class DiskDatasetTests
{
    [Fact]
    public void VocLayoutLoadsPaletteLabelsBackToClassIds()
    {
        using var dir = new TempDir();
        TestImages.VocLayout(dir.Path, train: 3, val: 2, width: 40, height: 30);

        var train = DatasetLayouts.Voc(dir.Path, train: true, augmented: false);
        var val = DatasetLayouts.Voc(dir.Path, train: false, augmented: false);
        Assert.Equal(3, train.Count);
        Assert.Equal(2, val.Count);
        Assert.Equal(21, train.ClassNames.Count);
        for (int i = 0; i < 3; i++)
        {
            SegmentationSample s = train.Load(i);
            Assert.Equal((40, 30), (s.Width, s.Height));
            Assert.Equal(TestImages.BoxLabel(40, 30, i % 3), s.Labels);
            Assert.Contains((byte)255, s.Labels);
        }
    }

    [Fact]
    public void GreyClassIdPngsAreReadAsIds()
    {
        using var dir = new TempDir();
        byte[] ids = [0, 1, 2, 3, 4, 5, 255, 0];
        TestImages.GreyLabel(dir["l.png"], 4, 2, ids);
        Assert.Equal(ids, LabelDecoder.Read(dir["l.png"], 6).Ids);
    }

    [Fact]
    public void PaletteLabelsAreReadAsTheirIndicesEvenWhereTheColourIsGrey()
    {
        using var dir = new TempDir();
        byte[] ids = [0, 7, 7, 0, 7, 0, 0, 7]; // background and car: VOC gives car (128,128,128), a grey level
        TestImages.VocLabel(dir["car.png"], 4, 2, ids);
        Assert.Equal(ids, LabelDecoder.Read(dir["car.png"], 21).Ids);
    }

    [Fact]
    public void PaletteLabelsOfAnotherPaletteAreReadAsIndices()
    {
        using var dir = new TempDir();
        byte[] ids = [0, 1, 2, 3, 4, 5, 255, 0];
        byte[] palette = Enumerable.Range(0, 256 * 3).Select(i => (byte)(i * 37 % 251)).ToArray(); // no VOC colours
        File.WriteAllBytes(dir["l.png"], NetSpec.Samples.SANet.Imaging.IndexedPng.Encode(4, 2, ids, palette));
        Assert.Equal(ids, LabelDecoder.Read(dir["l.png"], 6).Ids);
    }

    [Fact]
    public void PaletteLabelsWithAFewEntriesAreReadAsIndices()
    {
        using var dir = new TempDir();
        byte[] ids = [0, 1, 2, 1, 0, 2, 2, 0];
        byte[] palette = [0, 0, 0, 200, 10, 10, 10, 200, 10]; // three entries
        File.WriteAllBytes(dir["l.png"], NetSpec.Samples.SANet.Imaging.IndexedPng.Encode(4, 2, ids, palette));
        Assert.Equal(ids, LabelDecoder.Read(dir["l.png"], 21).Ids);
    }

    [Fact]
    public void APaletteIndexPastThePalettesEntriesIsRefusedNamingTheFile()
    {
        // the PNG format forbids it; decoders show such a pixel as they like (black: class 0, background)
        using var dir = new TempDir();
        byte[] palette = [0, 0, 0, 200, 10, 10, 10, 200, 10];
        File.WriteAllBytes(dir["l.png"], NetSpec.Samples.SANet.Imaging.IndexedPng.Encode(4, 2, [0, 1, 2, 1, 5, 2, 2, 0], palette));
        var e = Assert.Throws<DataException>(() => LabelDecoder.Read(dir["l.png"], 21));
        Assert.Contains(dir["l.png"], e.Message);
        Assert.Contains("pixel 4 has palette index 5, past the file's 3 palette entries", e.Message);
    }

    [Fact]
    public void LabelValueAboveTheClassCountNamesTheFile()
    {
        using var dir = new TempDir();
        TestImages.GreyLabel(dir["bad.png"], 4, 2, [0, 1, 30, 0, 0, 0, 0, 0]);
        var e = Assert.Throws<DataException>(() => LabelDecoder.Read(dir["bad.png"], 21));
        Assert.Contains(dir["bad.png"], e.Message);
        Assert.Contains("label value 30", e.Message);
    }

    [Fact]
    public void BinaryMaskIsRejectedNamingTheFile()
    {
        using var dir = new TempDir();
        byte[] mask = Enumerable.Range(0, 64).Select(i => i < 20 ? (byte)255 : (byte)0).ToArray();
        TestImages.GreyLabel(dir["mask.png"], 8, 8, mask);
        var e = Assert.Throws<DataException>(() => LabelDecoder.Read(dir["mask.png"], 21));
        Assert.Contains(dir["mask.png"], e.Message);
        Assert.Contains("binary 0/255 mask", e.Message);
    }

    [Fact]
    public void UnreadableLabelNamesTheFile()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir["junk.png"], [1, 2, 3, 4, 5]);
        var e = Assert.Throws<DataException>(() => LabelDecoder.Read(dir["junk.png"], 21));
        Assert.Contains(dir["junk.png"], e.Message);
    }

    [Fact]
    public void ImageLabelSizeMismatchNamesBothFiles()
    {
        using var dir = new TempDir();
        string voc = TestImages.VocLayout(dir.Path, train: 1, val: 1, width: 16, height: 16);
        string label = Path.Combine(voc, "SegmentationClass", "2007_000000.png");
        TestImages.VocLabel(label, 12, 16, new byte[12 * 16]);
        var e = Assert.Throws<DataException>(() => DatasetLayouts.Voc(dir.Path, train: true, augmented: false).Load(0));
        Assert.Contains(label, e.Message);
        Assert.Contains("12×16", e.Message);
    }

    [Fact]
    public void MissingImageInTheSplitListNamesListAndLine()
    {
        using var dir = new TempDir();
        string voc = TestImages.VocLayout(dir.Path, train: 2, val: 1, width: 16, height: 16);
        File.Delete(Path.Combine(voc, "JPEGImages", "2007_000001.jpg"));
        var e = Assert.Throws<DataException>(() => DatasetLayouts.Voc(dir.Path, train: true, augmented: false));
        Assert.Contains("train.txt:2", e.Message);
    }

    [Fact]
    public void ContextMapsBackgroundToIgnoreAndShiftsClasses()
    {
        using var dir = new TempDir();
        string root = Path.Combine(dir.Path, "VOC2010");
        TestImages.Jpeg(Path.Combine(root, "JPEGImages", "a.jpg"), 4, 1, (_, _) => (10, 20, 30));
        TestImages.GreyLabel(Path.Combine(root, "SegmentationClassContext", "a.png"), 4, 1, [0, 1, 59, 255]);
        Directory.CreateDirectory(Path.Combine(root, "ImageSets", "SegmentationContext"));
        File.WriteAllText(Path.Combine(root, "ImageSets", "SegmentationContext", "val.txt"), "a\n");
        var val = DatasetLayouts.Context(dir.Path, train: false);
        Assert.Equal(59, val.ClassNames.Count);
        Assert.Equal([255, 0, 58, 255], val.Load(0).Labels);
    }
}
