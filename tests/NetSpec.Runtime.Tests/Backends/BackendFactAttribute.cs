using NetSpec.Runtime;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace NetSpec.Runtime.Tests.Backends;

/// <summary>
/// A fact in an abstract per-backend test class. Each concrete class marked [Backend(kind)] runs it; where
/// no device of that kind exists the test is reported as skipped with the reason (never a silent pass).
/// </summary>
[XunitTestCaseDiscoverer("NetSpec.Runtime.Tests.Backends.BackendFactDiscoverer", "NetSpec.Runtime.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class BackendFactAttribute : FactAttribute;

public sealed class BackendFactDiscoverer(IMessageSink sink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions options, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        yield return new BackendTestCase(sink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), testMethod);
    }
}

/// <summary>Skips itself when the concrete class's backend is absent (decided at run time from the class's [Backend]).</summary>
public sealed class BackendTestCase : XunitTestCase
{
    [Obsolete("for deserialisation only")]
    public BackendTestCase()
    {
    }

    public BackendTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions displayOptions, ITestMethod method)
        : base(sink, display, displayOptions, method)
    {
    }

    protected override string? GetSkipReason(IAttributeInfo factAttribute)
    {
        Type type = TestMethod.TestClass.Class.ToRuntimeType();
        var backend = (BackendAttribute?)Attribute.GetCustomAttribute(type, typeof(BackendAttribute));
        if (backend is null)
            return $"SKIPPED: {type.Name} has no [Backend] attribute";
        return BackendAttribute.SkipReason(backend.Kind) ?? base.GetSkipReason(factAttribute);
    }
}
