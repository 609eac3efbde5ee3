using System.Diagnostics;
using System.Globalization;
using NetSpec.Samples.SANet.Data;
using NetSpec.Samples.SANet.Training;

namespace NetSpec.Samples.SANet.Cli;

/// <summary>
/// Progress as lines (<paramref name="unit"/> in the singular: "image"), for output redirected to a file or pipe (no bar to redraw there): a line at each tenth of the
/// work with the rate and the time left, "eval 150/1449 images  0.84 s/image  eta 00:18:10", and the last one at the
/// end. A line comes no sooner than <paramref name="minSeconds"/> after the start or the previous line, so quick work
/// prints none (the end's line too is left out when nothing was printed before it).
/// </summary>
public sealed class ProgressLines(string label, string unit, long total, double minSeconds = 0)
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private int nextTenth = 1;
    private double lastLine;
    private bool printed;

    public void Report(long done, Action<string> write)
    {
        if (total <= 0 || done * 10L < nextTenth * total)
            return;
        while (nextTenth <= 10 && done * 10L >= nextTenth * total)
            nextTenth++;
        double elapsed = clock.Elapsed.TotalSeconds;
        bool last = done >= total;
        if (elapsed - lastLine < minSeconds && !(last && printed))
            return;
        lastLine = elapsed;
        printed = true;
        write(Line(done, elapsed));
    }

    public string Line(long done, double elapsedSeconds)
    {
        double perUnit = elapsedSeconds / Math.Max(1, done);
        return string.Create(CultureInfo.InvariantCulture,
            $"{label} {done}/{Counted.Of(total, unit)}  {perUnit:F2} s/{unit}  {(done >= total ? $"took {Trainer.Eta(elapsedSeconds)}" : $"eta {Trainer.Eta(perUnit * (total - done))}")}");
    }
}
