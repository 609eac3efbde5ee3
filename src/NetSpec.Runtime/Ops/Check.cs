using System.Runtime.CompilerServices;
using ILGPU;

namespace NetSpec.Runtime.Ops;

/// <summary>Argument checks run on the host before a launch; a bad shape is a clear exception, not a wrong answer.</summary>
internal static class Check
{
    public static void Valid(Tensor t, string name)
    {
        if (t.N <= 0 || t.C <= 0 || t.H <= 0 || t.W <= 0)
            throw new ArgumentException($"{name} has an empty shape {t}");
        if (!t.View.IsValid || t.View.Length < t.Length)
            throw new ArgumentException($"{name} {t} needs {t.Length} floats but its view holds {(t.View.IsValid ? t.View.Length : 0)}");
    }

    public static void Length<T>(ArrayView<T> view, long expected, string name)
        where T : unmanaged
    {
        if (!view.IsValid || view.Length < expected)
            throw new ArgumentException($"{name} needs {expected} elements but holds {(view.IsValid ? view.Length : 0)}");
    }

    public static void SameShape(Tensor a, Tensor b, string nameA, string nameB)
    {
        if (a.N != b.N || a.C != b.C || a.H != b.H || a.W != b.W)
            throw new ArgumentException($"{nameA} {a} and {nameB} {b} must have the same shape");
    }

    /// <summary>
    /// Kernels take this tensor's element indices apart (n, c, h, w) in 32-bit integers: GPUs have no 64-bit
    /// division instruction. Checked before every launch that does so.
    /// </summary>
    public static void Fits32(Tensor t, string name)
    {
        if (t.Length > int.MaxValue)
            throw new ArgumentException($"{name} {t} has {t.Length} elements; device kernels index at most 2^31 - 1");
    }

    public static void That(bool condition, string message)
    {
        if (!condition)
            throw new ArgumentException(message);
    }

    /// <summary>Throws with the message when the condition fails; an interpolated message is formatted only then.</summary>
    public static void That(bool condition, [InterpolatedStringHandlerArgument(nameof(condition))] ref FailureMessage message)
    {
        if (!condition)
            throw new ArgumentException(message.ToString());
    }

    /// <summary>Builds its text only when the check it belongs to failed (checks run on every launch).</summary>
    [InterpolatedStringHandler]
    public ref struct FailureMessage
    {
        private DefaultInterpolatedStringHandler inner;
        private readonly bool active;

        public FailureMessage(int literalLength, int formattedCount, bool condition, out bool build)
        {
            active = build = !condition;
            inner = build ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
        }

        public void AppendLiteral(string value) => inner.AppendLiteral(value);

        public void AppendFormatted<T>(T value) => inner.AppendFormatted(value);

        public void AppendFormatted<T>(T value, string? format) => inner.AppendFormatted(value, format);

        public override string ToString() => active ? inner.ToStringAndClear() : "";
    }
}
