using System.Linq;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Catalog.Ops;

/// <summary>The shape rule add and mul share: the second input broadcasts into the first over its size-1 dims.</summary>
internal static class Broadcast
{
    public static EquatableArray<Dim>? Shape(ShapeContext x)
    {
        EquatableArray<Dim> a = x.X[0], b = x.X[1];
        bool fits = a.Count == b.Count && a.Zip(b, (da, db) => da.Equals(db) || db.Equals(Dim.Const(1))).All(ok => ok);
        if (fits)
            return a;
        if (b.Count == a.Count && b.Zip(a, (db, da) => db.Equals(da) || da.Equals(Dim.Const(1))).All(ok => ok))
            return x.Mismatch($"'{x.Node.Inputs[0]}' {Shapes.Shape.Format(a)} broadcasts into '{x.Node.Inputs[1]}' {Shapes.Shape.Format(b)}: put the full-size tensor first");
        return x.Mismatch($"'{x.Node.Inputs[0]}' {Shapes.Shape.Format(a)} and '{x.Node.Inputs[1]}' {Shapes.Shape.Format(b)} have different shapes");
    }
}
