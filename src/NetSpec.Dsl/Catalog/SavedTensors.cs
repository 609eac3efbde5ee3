namespace NetSpec.Dsl.Catalog;

/// <summary>The forward tensors a backward reads: inputs by slot, and the output when <see cref="Output"/>.</summary>
public sealed record SavedTensors(int[] Inputs, bool Output)
{
    public static readonly SavedTensors Nothing = new(new int[0], false);

    public static SavedTensors OfInputs(params int[] slots) => new(slots, false);

    public static readonly SavedTensors OfOutput = new(new int[0], true);
}
