namespace NetSpec.DeviceChecks.Reference;

public enum GradKind
{
    /// <summary>Not differentiated (labels, geometry).</summary>
    None,

    /// <summary>An input gradient: written, or added when accumulating.</summary>
    Input,

    /// <summary>A parameter gradient: always written.</summary>
    Param,
}

/// <summary>Runs an op on a device: forward, then backward with the given dy; returns y and each input's gradient (null where none).</summary>
public delegate (float[] Y, float[]?[] Grads) DeviceRun(float[][] inputs, float[] dy, bool accumulate, float prefill);

/// <summary>One op under test: inputs, which are differentiated, the double reference forward and the device run.</summary>
/// <param name="ReductionLength">The longest sum an output or gradient entry takes part in; sets the float32 tolerance.</param>
public sealed record OpCase(string Name, double[][] Inputs, GradKind[] Grads, Func<double[][], double[]> Reference, DeviceRun Run, int ReductionLength);

/// <summary>
/// Forward against the reference and backward against central differences in double precision.
/// Tolerance: |device − reference| ≤ 4 · ε32 · L · max(1, max|reference|), with ε32 the float32 machine epsilon
/// and L the reduction length (rounding of a length-L float sum grows at most linearly in L). The double
/// central difference (h = 1e-6) adds about 1e-10, far below.
/// </summary>
public static class GradientCheck
{
    public const double Eps32 = 1.1920928955078125e-7;
    private const float Prefill = 0.375f;

    public static double Tolerance(int reductionLength, double scale) => 4 * Eps32 * Math.Max(1, reductionLength) * Math.Max(1, scale);

    public static void Run(OpCase op, int seed = 1)
    {
        float[][] inputs = op.Inputs.Select(a => a.Select(v => (float)v).ToArray()).ToArray();
        double[][] exact = inputs.Select(a => a.Select(v => (double)v).ToArray()).ToArray();
        double[] yRef = op.Reference(exact);
        var rng = new Random(seed);
        float[] dy = yRef.Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();

        // forward
        (float[] y, float[]?[] grads) = op.Run(inputs, dy, false, Prefill);
        Compare($"{op.Name} forward", y, yRef, op.ReductionLength, 0);

        // the same bits again: every op sums in a fixed order (no atomics; docs/design/runtime-ops.md)
        (float[] again, float[]?[] gradsAgain) = op.Run(inputs, dy, false, Prefill);
        SameBits($"{op.Name} forward, second run", y, again);
        for (int i = 0; i < grads.Length; i++)
        {
            if (grads[i] is { } first)
                SameBits($"{op.Name} d(input {i}), second run", first, gradsAgain[i]!);
        }

        // numeric gradients of Σ dy · f(x)
        double Loss(double[][] xs) => op.Reference(xs).Zip(dy, (a, b) => a * b).Sum();
        var numeric = new double[op.Inputs.Length][];
        for (int i = 0; i < op.Inputs.Length; i++)
        {
            if (op.Grads[i] == GradKind.None)
                continue;
            numeric[i] = new double[exact[i].Length];
            for (int j = 0; j < exact[i].Length; j++)
            {
                double keep = exact[i][j];
                const double h = 1e-6;
                exact[i][j] = keep + h;
                double plus = Loss(exact);
                exact[i][j] = keep - h;
                double minus = Loss(exact);
                exact[i][j] = keep;
                numeric[i][j] = (plus - minus) / (2 * h);
            }

            Expect.True(numeric[i].Any(v => Math.Abs(v) > 1e-6), $"{op.Name}: gradient of input {i} is zero everywhere; the case checks nothing");
        }

        foreach (bool accumulate in new[] { false, true })
        {
            if (accumulate)
                (_, grads) = op.Run(inputs, dy, true, Prefill);
            for (int i = 0; i < op.Inputs.Length; i++)
            {
                if (op.Grads[i] == GradKind.None)
                    continue;
                float[] g = grads[i] ?? throw new InvalidOperationException($"{op.Name}: no gradient for input {i}");
                double offset = accumulate && op.Grads[i] == GradKind.Input ? Prefill : 0;
                Compare($"{op.Name} d(input {i}) accumulate={accumulate}", g, numeric[i], op.ReductionLength, offset);
            }
        }
    }

    public static void SameBits(string what, float[] first, float[] second)
    {
        Expect.Equal(first.Length, second.Length);
        for (int i = 0; i < first.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(first[i]) != BitConverter.SingleToInt32Bits(second[i]))
                Expect.Fail($"{what}: [{i}] {first[i]:R} then {second[i]:R}");
        }
    }

    public static void Compare(string what, float[] actual, double[] expected, int reductionLength, double offset)
    {
        Expect.True(actual.Length == expected.Length, $"{what}: {actual.Length} values, expected {expected.Length}");
        double scale = expected.Length == 0 ? 1 : expected.Max(Math.Abs);
        double tol = Tolerance(reductionLength, scale);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < actual.Length; i++)
        {
            double diff = Math.Abs(actual[i] - offset - expected[i]);
            if (!(diff <= worst))
            {
                worst = diff;
                at = i;
            }
        }

        Expect.True(worst <= tol, $"{what}: maxdiff {worst:E3} at {at} (device {(at >= 0 ? actual[at] - offset : 0)}, reference {(at >= 0 ? expected[at] : 0)}) > tolerance {tol:E3}");
    }
}
