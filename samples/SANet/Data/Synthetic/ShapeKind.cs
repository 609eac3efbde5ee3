namespace NetSpec.Samples.SANet.Data.Synthetic;

/// <summary>The built-in classes: each differs from the others in shape and texture, never only in colour.</summary>
public static class ShapeKind
{
    public const int Background = 0;
    public const int StripedDisc = 1;
    public const int CheckeredSquare = 2;
    public const int DottedTriangle = 3;
    public const int Ring = 4;
    public const int Cross = 5;

    public static readonly string[] Names =
        ["background", "striped-disc", "checkered-square", "dotted-triangle", "ring", "cross"];
}
