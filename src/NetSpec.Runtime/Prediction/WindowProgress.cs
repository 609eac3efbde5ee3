namespace NetSpec.Runtime.Prediction;

/// <summary>
/// One window of <see cref="SegmentationPredictor"/> done: the <paramref name="Done"/>-th (from 1) of the
/// <paramref name="Total"/> windows an image needs over all scales and flips (<see cref="PredictionOptions.CountWindows"/>,
/// known before the first runs), at <paramref name="Scale"/>, mirrored or not, its top-left corner at
/// (<paramref name="Top"/>, <paramref name="Left"/>) of the scaled image.
/// </summary>
public readonly record struct WindowProgress(long Done, long Total, double Scale, bool Flip, int Top, int Left);

/// <summary>Numbers the windows of one prediction call and hands each to the predictor's callback.</summary>
internal sealed class WindowCounter(Action<WindowProgress>? report, long total)
{
    private long done;

    public void Done(double scale, bool flip, int top, int left) => report?.Invoke(new WindowProgress(++done, total, scale, flip, top, left));
}
