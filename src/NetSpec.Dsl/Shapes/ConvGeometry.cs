namespace NetSpec.Dsl.Shapes;

/// <summary>Window geometry of a conv or pool (pools have dilation 1 and one group).</summary>
public sealed record ConvGeometry(int KernelH, int KernelW, int StrideH, int StrideW, int PadH, int PadW, int DilationH, int DilationW, int Groups);
