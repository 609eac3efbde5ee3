using System.Linq.Expressions;
using System.Reflection;
using ILGPU;
using ILGPU.Runtime;

namespace NetSpec.Runtime;

/// <summary>
/// Turns a kernel method into a launcher of the same delegate type. On a GPU (or the CPU accelerator
/// running real ILGPU kernels) that is ILGPU's auto-grouped stream kernel. For host code on the CPU it is
/// a plain call of the same C# method on host threads: <c>launch(extent, args…)</c> runs
/// <c>kernel(i, args…)</c> for every i in [0, extent), contiguous chunks of i spread over the cores,
/// synchronously. ILGPU's CPU accelerator would instead emulate GPU threads and barriers (about a
/// microsecond a thread); a direct call costs a few nanoseconds an index.
/// </summary>
/// <remarks>
/// Valid for kernels that use only their index and arguments (grid-stride loops, atomics): no shared
/// memory, no group barriers, no Grid/Group intrinsics. All of ours are such; the PTX and OpenCL
/// compilation tests and the CPU-accelerator test classes still run them through ILGPU.
/// </remarks>
internal static class HostLauncher
{
    private static readonly MethodInfo RunMethod =
        typeof(HostLauncher).GetMethod(nameof(Run), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>ILGPU's <c>LoadAutoGroupedStreamKernel</c> for a kernel of any arity.</summary>
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

    /// <summary>A launcher that calls <paramref name="kernel"/> (a static method) on host threads.</summary>
    public static TDelegate Direct<TDelegate>(TDelegate kernel)
        where TDelegate : Delegate
    {
        if (kernel.Target is not null)
            throw new ArgumentException("kernels are static methods", nameof(kernel));
        ParameterInfo[] parameters = typeof(TDelegate).GetMethod("Invoke")!.GetParameters();
        if (parameters.Length == 0 || parameters[0].ParameterType != typeof(Index1D))
            throw new ArgumentException("a kernel's first parameter is its Index1D", nameof(kernel));

        // launch(extent, a1…an) => Run(extent.X, (start, end) => { for (i = start; i < end; i++) kernel(new Index1D(i), a1…an); })
        ParameterExpression[] args = parameters.Select(p => Expression.Parameter(p.ParameterType, p.Name)).ToArray();
        ParameterExpression start = Expression.Parameter(typeof(int), "start");
        ParameterExpression end = Expression.Parameter(typeof(int), "end");
        ParameterExpression i = Expression.Variable(typeof(int), "i");
        LabelTarget done = Expression.Label("done");
        Expression call = Expression.Call(kernel.Method,
            args.Skip(1).Prepend<Expression>(Expression.New(typeof(Index1D).GetConstructor([typeof(int)])!, i)));
        Expression loop = Expression.Block(
            [i],
            Expression.Assign(i, start),
            Expression.Loop(
                Expression.IfThenElse(
                    Expression.LessThan(i, end),
                    Expression.Block(call, Expression.PreIncrementAssign(i)),
                    Expression.Break(done)),
                done));
        var chunk = Expression.Lambda<Action<int, int>>(loop, start, end);
        Expression body = Expression.Call(RunMethod, Expression.Property(args[0], nameof(Index1D.X)), chunk);
        return Expression.Lambda<TDelegate>(body, args).Compile();
    }

    // [0, extent) in contiguous chunks, a few per core (an index may be one element or a whole reduction)
    private static void Run(int extent, Action<int, int> chunk)
    {
        int cores = Environment.ProcessorCount;
        if (extent <= 1 || cores == 1)
        {
            chunk(0, extent);
            return;
        }

        int pieces = Math.Min(cores * 4, extent);
        int size = (extent + pieces - 1) / pieces;
        HostParallel.For(pieces, p => chunk(p * size, Math.Min(extent, (p + 1) * size)));
    }
}
