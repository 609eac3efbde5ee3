using NetSpec.Dsl.Catalog;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Generator.Emit;

/// <summary>A node's parameter initialisation as its rule sees it.</summary>
internal sealed class InitSite(CodeWriter w, EmitContext c, TypedNode node) : IInitSite
{
    public string Param(string role) => c.Param(node.Name, role);

    public bool HasParam(string role) => c.HasParam(node.Name, role);

    public void Line(string code) => w.Line(code);
}
