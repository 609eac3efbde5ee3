using System.Reflection;
using ILGPU.Runtime;

namespace NetSpec.Runtime;

/// <summary>ILGPU's <c>LoadAutoGroupedStreamKernel</c> for a kernel method of any arity.</summary>
internal static class KernelLoader
{
    /// <summary>The launcher of <paramref name="kernel"/> (<c>static void K(Index1D i, …)</c>), of the same delegate type.</summary>
    public static TDelegate Load<TDelegate>(Accelerator accelerator, TDelegate kernel)
        where TDelegate : Delegate
    {
        Type[] types = typeof(TDelegate).GetGenericArguments();
        MethodInfo loader = typeof(KernelLoaders).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name == nameof(KernelLoaders.LoadAutoGroupedStreamKernel)
                && m.GetGenericArguments().Length == types.Length
                && m.GetParameters().Length == 2
                && m.GetParameters()[1].ParameterType.Name.StartsWith("Action", StringComparison.Ordinal));
        return (TDelegate)loader.MakeGenericMethod(types).Invoke(null, [accelerator, kernel])!;
    }
}
