using System.Reflection;
using System.Reflection.Emit;
using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Tests;

/// <summary>
/// The compiler's folders are its pipeline stages, in order: a stage uses the stages before it, never one after it
/// (so no circle such as Planning ↔ Autodiff). Read from the compiled IL: every type, method and field a stage's code
/// names, in signatures and in method bodies. Model/, Diagnostics/ and Catalog/ (the op rules every stage asks) sit
/// outside the order.
/// </summary>
public sealed class StageOrderTests
{
    private static readonly string[] Stages = { "Parsing", "Expansion", "Shapes", "Scheduling", "Autodiff", "Planning" };

    [Fact]
    public void No_stage_uses_a_later_stage()
    {
        var problems = new List<string>();
        foreach (Type type in typeof(ExpandedSpec).Assembly.GetTypes())
        {
            int stage = StageOf(type);
            if (stage < 0)
                continue;
            foreach (Type used in Uses(type).Distinct())
                if (StageOf(used) > stage)
                    problems.Add($"{type.FullName} ({Stages[stage]}) uses {used.FullName} ({Stages[StageOf(used)]})");
        }

        Assert.Empty(problems.Distinct());
    }

    [Fact]
    public void Every_stage_folder_has_types() =>
        Assert.All(Stages, s => Assert.Contains(typeof(ExpandedSpec).Assembly.GetTypes(), t => StageOf(t) == Array.IndexOf(Stages, s)));

    private static int StageOf(Type t)
    {
        string ns = t.Namespace ?? "";
        return Array.FindIndex(Stages, s => ns == $"NetSpec.Dsl.{s}");
    }

    private static IEnumerable<Type> Uses(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        if (type.BaseType is Type b)
            yield return b;
        foreach (FieldInfo f in type.GetFields(all))
            yield return f.FieldType;
        foreach (MethodBase m in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            if (m is MethodInfo mi)
                yield return mi.ReturnType;
            foreach (ParameterInfo p in m.GetParameters())
                yield return p.ParameterType;
            foreach (Type t in BodyUses(m))
                yield return t;
        }
    }

    private static readonly Dictionary<short, OpCode> Codes = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>The declaring types of the members and the types a method body's instructions name.</summary>
    private static IEnumerable<Type> BodyUses(MethodBase method)
    {
        byte[]? il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
            yield break;
        Type[]? typeArgs = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        Type[]? methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        int i = 0;
        while (i < il.Length)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            OpCode code = Codes[value];
            i += code.Size;
            int operand = code.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i),
                _ => 4,
            };
            if (code.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                MemberInfo? member = null;
                try
                {
                    member = method.Module.ResolveMember(BitConverter.ToInt32(il, i), typeArgs, methodArgs);
                }
                catch (ArgumentException)
                {
                }

                if (member is Type t)
                    yield return t;
                else if (member?.DeclaringType is Type d)
                    yield return d;
            }

            i += operand;
        }
    }
}
