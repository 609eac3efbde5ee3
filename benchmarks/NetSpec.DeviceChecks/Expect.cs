namespace NetSpec.DeviceChecks;

/// <summary>A failed device check: the message says what differed.</summary>
public sealed class CheckFailedException(string message) : Exception(message);

/// <summary>The few assertions the device checks make, without a test framework (the GPU machine runs them bare).</summary>
public static class Expect
{
    public static void True(bool condition, string message)
    {
        if (!condition)
            throw new CheckFailedException(message);
    }

    public static void Fail(string message) => throw new CheckFailedException(message);

    public static void Equal<T>(T expected, T actual)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
            throw new CheckFailedException($"expected {expected}, got {actual}");
    }

    /// <summary>The same values in the same order (floats compared with <see cref="float.Equals(float)"/>: NaN equals NaN).</summary>
    public static void SameValues<T>(IEnumerable<T> expected, IEnumerable<T> actual)
    {
        T[] e = [.. expected], a = [.. actual];
        True(e.Length == a.Length, $"expected {e.Length} values, got {a.Length}");
        for (int i = 0; i < e.Length; i++)
            True(EqualityComparer<T>.Default.Equals(e[i], a[i]), $"[{i}] expected {e[i]}, got {a[i]}");
    }

    public static TException Throws<TException>(Action action)
        where TException : Exception
    {
        try
        {
            action();
        }
        catch (Exception e) when (e.GetType() == typeof(TException))
        {
            return (TException)e;
        }
        catch (Exception e)
        {
            throw new CheckFailedException($"expected {typeof(TException).Name}, got {e.GetType().Name}: {e.Message}");
        }

        throw new CheckFailedException($"expected {typeof(TException).Name}, nothing was thrown");
    }

    public static void Contains(string expected, string actual) =>
        True(actual.Contains(expected, StringComparison.Ordinal), $"'{actual}' does not contain '{expected}'");
}
