using System.Collections.Generic;
using NetSpec.Dsl.Catalog;
using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Shapes;

/// <summary>
/// The output shape of a node from its op's rule (<see cref="OpRule.Shape"/>), or diagnostics (NS0012 mismatch naming
/// both shapes, NS0014 invalid configuration) at the node or attribute.
/// </summary>
public static class ShapeRules
{
    public static EquatableArray<Dim>? Infer(OpNode node, IReadOnlyList<EquatableArray<Dim>> x, List<SpecDiagnostic> diagnostics)
    {
        var context = new ShapeContext(node, x, diagnostics);
        return OpCatalog.FindRule(node.Op) is OpRule rule ? rule.Shape(context) : context.Invalid($"op '{node.Op}' has no shape rule");
    }
}
