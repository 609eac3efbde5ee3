namespace NetSpec.Runtime.Prediction;

/// <summary>A predicted image: class ids and per-class probabilities at the input's size.</summary>
/// <param name="Height">Image height.</param>
/// <param name="Width">Image width.</param>
/// <param name="NumClasses">K.</param>
/// <param name="Classes">(H, W) class ids: the arg-max of the summed logits.</param>
/// <param name="Probabilities">(K, H, W) softmax of the mean logits over windows, scales and flips.</param>
public sealed record SegmentationResult(int Height, int Width, int NumClasses, int[] Classes, float[] Probabilities)
{
    /// <summary>The probability of class <paramref name="c"/> at (<paramref name="y"/>, <paramref name="x"/>).</summary>
    public float Probability(int c, int y, int x) => Probabilities[(((c * Height) + y) * Width) + x];
}
