using System.Collections;
using NetSpec.Runtime.Weights;
using Razorvine.Pickle;
using Razorvine.Pickle.Objects;

namespace NetSpec.Samples.SANet.Checkpoints;

/// <summary>A storage a pickle refers to by persistent id ('storage', type, key, location, numel).</summary>
public sealed record TorchStorage(string Key, SafeDType DType, object Numel);

/// <summary>What <c>torch._utils._rebuild_tensor_v2(storage, offset, size, stride, …)</c> was called with.</summary>
public sealed record TorchTensor(TorchStorage Storage, object Offset, object[] Size, object[] Stride);

/// <summary>A pickled <c>collections.OrderedDict</c>; the <c>_metadata</c> that BUILD sets on a state_dict is ignored.</summary>
public sealed class PickledDict : Hashtable
{
#pragma warning disable CA1707, IDE1006 // the name the unpickler calls for BUILD
    public void __setstate__(Hashtable state) => _ = state;
#pragma warning restore CA1707, IDE1006
}

/// <summary>
/// Reads the data.pkl of a PyTorch zip checkpoint with Razorvine.Pickle. The unpickler never runs pickled code:
/// it builds objects only through registered constructors. This one registers only
/// <c>collections.OrderedDict</c>, <c>torch._utils._rebuild_tensor_v2</c> and the typed storages, and removes the
/// library's defaults; any other GLOBAL becomes an inert <see cref="ClassDict"/> or constructor object that
/// <see cref="TorchZipFile"/> refuses by name.
/// </summary>
public sealed class TorchUnpickler : Unpickler
{
    private static readonly Dictionary<string, SafeDType> StorageTypes = new(StringComparer.Ordinal)
    {
        ["FloatStorage"] = SafeDType.F32,
        ["HalfStorage"] = SafeDType.F16,
        ["BFloat16Storage"] = SafeDType.BF16,
        ["DoubleStorage"] = SafeDType.F64,
        ["LongStorage"] = SafeDType.I64,
    };

    private static readonly Lock RegistryLock = new();
    private static bool registered;

    public TorchUnpickler()
    {
        lock (RegistryLock)
        {
            if (registered)
                return;
            objectConstructors.Clear();
            registerConstructor("collections", "OrderedDict", new Constructor("collections.OrderedDict", _ => new PickledDict()));
            registerConstructor("torch._utils", "_rebuild_tensor_v2", new Constructor("torch._utils._rebuild_tensor_v2", RebuildTensor));
            foreach (var (name, dtype) in StorageTypes)
                registerConstructor("torch", name, new StorageType("torch." + name, dtype));
            registered = true;
        }
    }

    protected override object persistentLoad(object pid)
    {
        if (pid is object[] { Length: 5 } t && t[0] is "storage" && t[2] is string key)
        {
            return t[1] is StorageType type
                ? new TorchStorage(key, type.DType, t[4])
                : throw new PickleException($"storage '{key}' has an unsupported type ({Describe(t[1])}); supported: {string.Join(", ", StorageTypes.Keys)}");
        }

        throw new PickleException($"persistent id {Describe(pid)} is not a ('storage', type, key, location, numel) tuple");
    }

    private static object RebuildTensor(object[] args)
    {
        if (args.Length is < 4 or > 7 || args[0] is not TorchStorage storage || args[2] is not object[] size || args[3] is not object[] stride)
            throw new PickleException("torch._utils._rebuild_tensor_v2 is called with arguments other than (storage, offset, size, stride, …)");
        return new TorchTensor(storage, args[1], size, stride);
    }

    /// <summary>How a refused pickle object is named in a message.</summary>
    public static string Describe(object? o) => o switch
    {
        null => "None",
        ClassDict d => d.ClassName,
        ClassDictConstructor c => $"{c.module}.{c.name}",
        Constructor c => c.Name,
        StorageType s => s.Name,
        object[] a => $"({string.Join(", ", a.Select(Describe))})",
        string s => $"'{s}'",
        _ => o.GetType().Name,
    };

    private sealed class Constructor(string name, Func<object[], object> build) : IObjectConstructor
    {
        public string Name => name;

        public object construct(object[] args) => build(args);
    }

    private sealed class StorageType(string name, SafeDType dtype) : IObjectConstructor
    {
        public string Name => name;

        public SafeDType DType => dtype;

        public object construct(object[] args) => throw new PickleException($"{name} is not called in a state_dict");
    }
}
