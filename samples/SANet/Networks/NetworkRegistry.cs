using System.Reflection;
using NetSpec.Runtime;

namespace NetSpec.Samples.SANet.Networks;

/// <summary>
/// Spec name → network class. The generator compiles each specs/*.yaml into a class in
/// <c>NetSpec.Networks</c> named after the spec (<c>sanet-tiny</c> → <c>SanetTiny</c>) with a
/// <c>(Device)</c> constructor; this finds it by that rule. Tests may register extra factories.
/// </summary>
public static class NetworkRegistry
{
    private static readonly Dictionary<string, Func<Device, INetwork>> Extra = new(StringComparer.Ordinal);

    public static void Register(string specName, Func<Device, INetwork> factory)
    {
        lock (Extra)
            Extra[specName] = factory;
    }

    public static string ClassNameOf(string specName) =>
        string.Concat(specName.Split('-', '_', '.').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    public static IReadOnlyList<string> CompiledSpecs()
    {
        var names = typeof(NetworkRegistry).Assembly.GetTypes()
            .Where(t => t.Namespace == "NetSpec.Networks" && typeof(INetwork).IsAssignableFrom(t) && !t.IsAbstract)
            .Select(t => t.Name)
            .ToList();
        lock (Extra)
            names.AddRange(Extra.Keys);
        return names;
    }

    public static bool IsCompiled(string specName) =>
        CompiledSpecs().Contains(ClassNameOf(specName)) || CompiledSpecs().Contains(specName);

    /// <summary>Creates the network of <paramref name="specName"/>; <paramref name="className"/> is the spec's <c>class:</c> when known.</summary>
    public static INetwork Create(string specName, string? className, string specOrigin, Device device)
    {
        lock (Extra)
        {
            if (Extra.TryGetValue(specName, out var factory))
                return factory(device);
        }

        string fullName = "NetSpec.Networks." + (className ?? ClassNameOf(specName));
        Type? type = typeof(NetworkRegistry).Assembly.GetType(fullName);
        if (type is null || !typeof(INetwork).IsAssignableFrom(type))
        {
            var compiled = CompiledSpecs();
            throw new SpecNotCompiledException(
                $"{specOrigin}: spec '{specName}' is not compiled into this build of the sample (no class {fullName}); " +
                $"specs are compiled at build time, so add or edit specs/*.yaml and rebuild. Compiled: {(compiled.Count == 0 ? "none" : string.Join(", ", compiled))}");
        }

        try
        {
            return (INetwork)Activator.CreateInstance(type, device)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}

/// <summary>The spec asked for was not compiled into the sample.</summary>
public sealed class SpecNotCompiledException(string message) : Exception(message);
