using Xunit.Abstractions;
using Xunit.Sdk;

namespace NetSpec.Runtime.Tests.Backends;

/// <summary>
/// A theory in a per-backend test class, one test case per data row. Each concrete class marked [Backend(kind)] runs it;
/// where no device of that kind exists every case is reported as skipped with the reason (never a silent pass).
/// </summary>
[XunitTestCaseDiscoverer("NetSpec.Runtime.Tests.Backends.BackendTheoryDiscoverer", "NetSpec.Runtime.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class BackendTheoryAttribute : TheoryAttribute;

public sealed class BackendTheoryDiscoverer(IMessageSink sink) : TheoryDiscoverer(sink)
{
    protected override IEnumerable<IXunitTestCase> CreateTestCasesForDataRow(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute, object[] dataRow)
    {
        yield return new BackendTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, dataRow);
    }
}

/// <summary>Skips itself when the concrete class's backend is absent (decided at run time from the class's [Backend]).</summary>
public sealed class BackendTestCase : XunitTestCase
{
    [Obsolete("for deserialisation only")]
    public BackendTestCase()
    {
    }

    public BackendTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions displayOptions, ITestMethod method, object[] arguments)
        : base(sink, display, displayOptions, method, arguments)
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
