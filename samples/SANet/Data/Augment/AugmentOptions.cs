namespace NetSpec.Samples.SANet.Data.Augment;

/// <summary>Training augmentation (docs/sanet.md §7): flip, random scale of the image, pad, random crop.</summary>
public sealed record AugmentOptions(int Crop, double ScaleMin = 0.5, double ScaleMax = 2.0, bool Flip = true);
