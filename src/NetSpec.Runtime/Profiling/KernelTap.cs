using System.Linq.Expressions;
using System.Reflection;
using ILGPU;

namespace NetSpec.Runtime.Profiling;

/// <summary>
/// A launcher of the same delegate type as a kernel's that records the launch (name, threads, view bytes) on its
/// device's trace and then launches the real kernel, loaded on first use (never in record-only mode). Built once
/// per kernel with System.Linq.Expressions; handed out only while a trace is on, so untraced launches pay nothing.
/// </summary>
internal sealed class KernelTap<TDelegate>
    where TDelegate : Delegate
{
    private readonly Device device;
    private readonly string name;
    private readonly Func<TDelegate> load;
    private TDelegate? launcher;

    private KernelTap(Device device, string name, Func<TDelegate> load)
    {
        this.device = device;
        this.name = name;
        this.load = load;
    }

    public TDelegate Launcher => launcher ??= load();

    /// <summary>Records the launch; true when the kernel should run.</summary>
    public bool Record(long threads, long viewBytes, long largestView) => device.RecordLaunch(name, threads, viewBytes, largestView);

    // (a0, a1, …) => { if (tap.Record(extent(a0), Σ bytes(view aᵢ), max length(view aᵢ))) tap.Launcher(a0, a1, …); }
    public static TDelegate Wrap(Device device, string name, Func<TDelegate> load)
    {
        var tap = new KernelTap<TDelegate>(device, name, load);
        ParameterInfo[] parameters = typeof(TDelegate).GetMethod("Invoke")!.GetParameters();
        ParameterExpression[] args = parameters.Select(p => Expression.Parameter(p.ParameterType, p.Name)).ToArray();
        Expression threads = args.Length == 0 ? Expression.Constant(0L) : Extent(args[0]);
        ParameterExpression[] views = args.Where(a => IsView(a.Type)).ToArray();
        Expression bytes = views
            .Select(a => (Expression)Expression.Property(a, nameof(ArrayView<byte>.LengthInBytes)))
            .Aggregate((Expression)Expression.Constant(0L), Expression.Add);
        MethodInfo max = typeof(Math).GetMethod(nameof(Math.Max), [typeof(long), typeof(long)])!;
        Expression largest = views
            .Select(a => (Expression)Expression.Property(a, nameof(ArrayView<byte>.Length)))
            .Aggregate((Expression)Expression.Constant(0L), (x, y) => Expression.Call(max, x, y));
        ConstantExpression self = Expression.Constant(tap);
        Expression body = Expression.IfThen(
            Expression.Call(self, typeof(KernelTap<TDelegate>).GetMethod(nameof(Record))!, threads, bytes, largest),
            Expression.Invoke(Expression.Property(self, nameof(Launcher)), args));
        return Expression.Lambda<TDelegate>(body, args).Compile();
    }

    private static bool IsView(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ArrayView<>);

    // Index1D (auto-grouped kernels) or KernelConfig (group kernels): how many threads the launch asks for
    private static Expression Extent(ParameterExpression first)
    {
        PropertyInfo? size = first.Type.GetProperty("LongSize") ?? first.Type.GetProperty("Size");
        if (size is null || (size.PropertyType != typeof(long) && size.PropertyType != typeof(int)))
            return Expression.Constant(0L);
        return Expression.Convert(Expression.Property(first, size), typeof(long));
    }
}
