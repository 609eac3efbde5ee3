using System.Reflection;
using System.Text.RegularExpressions;
using Spectre.Console.Cli;

namespace NetSpec.Samples.SANet.Cli;

/// <summary>
/// What Spectre.Console.Cli leaves unnamed, named: an empty value (<c>--work-dir ""</c>, a script's unset variable) is
/// refused before any command runs, naming the option; and its conversion error ("Failed to convert '1e3' to Int32.")
/// is restated with the option ("--batch 1e3: not a whole number"); an option left without its value is named too.
/// </summary>
internal static class ArgumentText
{
    // Spectre.Console.Cli's text for a value its type converter refused (plain Regex: the Debug build leaves the
    // framework's source generators out)
    private static readonly Regex ConversionFailure = new(@"^Failed to convert '(.*)' to [^ ]+\.$", RegexOptions.Singleline);

    /// <summary>No option of this CLI takes an empty string: it would mean the current folder or nothing at all.</summary>
    public static void RefuseEmptyValues(string[] args)
    {
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.EndsWith('='))
                throw new UsageException($"{arg[..^1]}: empty value");
            if (arg.Length == 0)
                throw new UsageException(i > 0 && args[i - 1].StartsWith('-') ? $"{args[i - 1]} '': empty value" : $"argument {i + 1} is empty");
        }
    }

    /// <summary>
    /// An option that takes a value, given last or followed by another option (<c>train --work-dir</c>), would take
    /// Spectre.Console.Cli's internal "__default_command" as its value (a run went into ./__default_command).
    /// </summary>
    public static void RefuseMissingValues(string[] args)
    {
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Contains('=', StringComparison.Ordinal))
                continue;
            bool missing = i + 1 == args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal);
            var declared = Options(arg[2..]).ToList();
            if (missing && declared.Count > 0 && declared.All(o => o.Attribute.ValueName is not null && !o.Attribute.ValueIsOptional))
                throw new UsageException($"{arg}: needs a value ({declared[0].Attribute.ValueName})");
        }
    }

    /// <summary>A conversion failure restated with its option; any other message as it is.</summary>
    public static string Restate(string message, string[] args)
    {
        Match failure = ConversionFailure.Match(message);
        if (!failure.Success)
            return message;
        string value = failure.Groups[1].Value;
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            string? option = arg == value && i > 0 && args[i - 1].StartsWith('-') ? args[i - 1]
                : arg.StartsWith("--", StringComparison.Ordinal) && arg.EndsWith("=" + value, StringComparison.Ordinal) ? arg[..^(value.Length + 1)]
                : null;
            if (option is not null)
                return $"{option} {value}: {Expected(option)}";
        }

        return message;
    }

    /// <summary>Every settings property of this assembly declared as the option <paramref name="name"/> (without dashes).</summary>
    private static IEnumerable<(PropertyInfo Property, CommandOptionAttribute Attribute)> Options(string name) =>
        typeof(ArgumentText).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(CommandSettings)))
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(p => (Property: p, Attribute: p.GetCustomAttribute<CommandOptionAttribute>()!))
            .Where(o => o.Attribute is not null && (o.Attribute.LongNames.Contains(name) || o.Attribute.ShortNames.Contains(name)));

    /// <summary>What the option's property type takes, found on the settings classes of this assembly.</summary>
    private static string Expected(string option)
    {
        Type? type = Options(option.TrimStart('-')).FirstOrDefault().Property?.PropertyType;
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(int) || type == typeof(long) ? "not a whole number, or out of range"
            : type == typeof(uint) || type == typeof(ulong) ? "not a whole number >= 0, or out of range"
            : type == typeof(double) || type == typeof(float) ? "not a number (such as 0.01 or 1e-4)"
            : type == typeof(bool) ? "not true or false"
            : "not a value this option takes (see --help)";
    }
}
