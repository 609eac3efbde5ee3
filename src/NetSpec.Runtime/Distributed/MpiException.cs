namespace NetSpec.Runtime.Distributed;

/// <summary>An MPI call returned an error (the communicator returns errors instead of aborting: MPI_ERRORS_RETURN).</summary>
public sealed class MpiException(string call, int errorCode, string text)
    : Exception($"{call} failed: MPI error {errorCode}: {text}")
{
    /// <summary>The MPI function that failed.</summary>
    public string Call { get; } = call;

    /// <summary>The error code it returned.</summary>
    public int ErrorCode { get; } = errorCode;

    internal static unsafe void Check(int code, string call)
    {
        if (code == MpiNative.Success)
            return;
        byte* text = stackalloc byte[MpiNative.MaxErrorString + 1];
        int length = 0;
        string message = MpiNative.ErrorString(code, text, &length) == MpiNative.Success && length > 0
            ? System.Text.Encoding.UTF8.GetString(text, Math.Min(length, MpiNative.MaxErrorString))
            : "(no description)";
        throw new MpiException(call, code, message);
    }
}
