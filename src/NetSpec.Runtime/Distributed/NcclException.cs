using System.Runtime.InteropServices;

namespace NetSpec.Runtime.Distributed;

/// <summary>An NCCL call failed; the message has ncclGetErrorString's text.</summary>
public sealed class NcclException(string call, int result, string text) : Exception($"{call} failed: NCCL error {result}: {text}")
{
    public string Call { get; } = call;

    /// <summary>The ncclResult_t (1 unhandled CUDA error, 2 system error, 3 internal, 4 invalid argument, 5 invalid usage, 6 remote error).</summary>
    public int Result { get; } = result;

    internal static unsafe void Check(int result, string call)
    {
        if (result == NcclNative.Success)
            return;
        byte* text = NcclNative.GetErrorString(result);
        throw new NcclException(call, result, text is null ? "(no description)" : Marshal.PtrToStringUTF8((IntPtr)text) ?? "");
    }
}
