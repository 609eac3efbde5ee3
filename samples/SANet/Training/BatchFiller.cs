using NetSpec.Runtime;
using NetSpec.Samples.SANet.Data;
using NetSpec.Samples.SANet.Data.Augment;
using NetSpec.Samples.SANet.Networks;

namespace NetSpec.Samples.SANet.Training;

/// <summary>
/// Builds iteration i's batch (samples and augmentation from (seed, i)) and writes it into the network's
/// inputs. While a step runs, the next iteration's batch is built on a background task: a batch is a pure
/// function of (seed, iteration), so prefetching changes no result (resumed runs included). A rank of a data-parallel
/// run fills slots [firstSlot, firstSlot + slots) of the global batch: the samples and augmentations a one-process run
/// puts there.
/// </summary>
public sealed class BatchFiller(ISegmentationDataset dataset, AugmentOptions augment, int batch, ulong seed, int firstSlot, int slots)
{
    private readonly BatchOrder order = new(seed, dataset.Count, batch);

    public BatchFiller(ISegmentationDataset dataset, AugmentOptions augment, int batch, ulong seed)
        : this(dataset, augment, batch, seed, 0, batch)
    {
    }

    private Task<(float[] Images, int[] Labels)>? next;
    private long nextIteration = -1;

    public void Fill(INetwork network, long iteration)
    {
        (float[] images, int[] labels) = next is not null && nextIteration == iteration
            ? next.GetAwaiter().GetResult() // rethrows a loading error with its own type and message
            : Build(iteration);
        long upcoming = iteration + 1;
        nextIteration = upcoming;
        next = Task.Run(() => Build(upcoming));
        DeviceData.Upload(network.Image.View, images);
        DeviceData.Upload(network.Labels.View, labels);
    }

    private (float[] Images, int[] Labels) Build(long iteration)
    {
        int crop = augment.Crop, plane = 3 * crop * crop, pixels = crop * crop;
        float[] images = new float[slots * plane];
        int[] labels = new int[slots * pixels];
        for (int slot = 0; slot < slots; slot++)
        {
            SegmentationSample sample = dataset.Load(order.SampleAt(iteration, firstSlot + slot));
            var (image, label) = TrainAugmenter.Apply(sample, augment, order.AugmentRandom(iteration, firstSlot + slot));
            Array.Copy(image, 0, images, slot * plane, plane);
            Array.Copy(label, 0, labels, slot * pixels, pixels);
        }

        return (images, labels);
    }
}
