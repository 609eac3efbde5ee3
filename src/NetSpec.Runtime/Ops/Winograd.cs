using NetSpec.Runtime.Gemm;

namespace NetSpec.Runtime.Ops;

/// <summary>
/// One axis of Winograd F(2, 3) tiling for a stride-1 3-tap conv with dilation d. Outputs o = a + d·m of
/// phase a (a &lt; d) form an undilated conv over the input's phase grid (input a − pad + d·k at grid index k),
/// so a dilated conv is d undilated ones side by side. A tile holds outputs m = 2i and 2i + 1 of one phase and
/// reads grid indices 2i … 2i + 3. Tiles are numbered phase by phase.
/// </summary>
internal readonly struct WinogradAxis(int outputs, int inputs, int pad, int dilation)
{
    public int Length => outputs;

    public int Dilation => dilation;

    public int Phases => Math.Min(dilation, outputs);

    public int Tiles => TilesBefore(Phases);

    /// <summary>Outputs of phase a: a, a + d, …</summary>
    public int Outputs(int a) => (outputs - a + dilation - 1) / dilation;

    public int TilesOf(int a) => (Outputs(a) + 1) / 2;

    public int TilesBefore(int a)
    {
        int n = 0;
        for (int b = 0; b < a; b++)
            n += TilesOf(b);
        return n;
    }

    /// <summary>Grid index k of phase a as an input index; outside [0, inputs) it reads zero (padding).</summary>
    public int Input(int a, int k) => a - pad + (dilation * k);

    public bool Inside(int index) => index >= 0 && index < inputs;

    /// <summary>Grid indices [lo, hi) of phase a that fall inside the input, within [0, count).</summary>
    public (int Lo, int Hi) InsideRange(int a, int count)
    {
        int first = Input(a, 0);
        int lo = first >= 0 ? 0 : (-first + dilation - 1) / dilation;
        int hi = inputs - first <= 0 ? 0 : (inputs - first + dilation - 1) / dilation;
        lo = Math.Min(lo, count);
        return (lo, Math.Clamp(hi, lo, count));
    }
}

/// <summary>
/// Winograd F(2×2, 3×3) (Lavin and Gray, 2016) for host convs: each 4×4 input tile d and 3×3 filter g become
/// V = Bᵀ·d·B and U = G·g·Gᵀ; the 16 positions e of the 4×4 transforms are 16 independent GEMMs
/// M_e (K, tiles) = U_e (K, C) · V_e (C, tiles); each tile's 2×2 outputs are Aᵀ·M·A. 16 multiplies make
/// 4 outputs instead of 36 (2.25× fewer). With Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1],
/// G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1] and Aᵀ = [1 1 1 0; 0 1 −1 −1]. Position e = 4·row + column.
/// </summary>
internal static unsafe partial class Winograd
{
    public const int Positions = 16;

    [ThreadStatic]
    private static float[]? planeScratch;

    /// <summary>
    /// U_e = (G·g·Gᵀ)_e for output channels [0, k) and input channels [c0, c0 + cc), written as a packed A
    /// (<see cref="CpuGemm.PackedOffset"/>) of an (k, cc) GEMM at u + e·uStride; padding rows zero. Filter (kk, c)
    /// is w[kk·rowStride + c·colStride + tap], taps reversed when <paramref name="flip"/> (the input gradient's
    /// conv reads the filters transposed and turned by 180°).
    /// </summary>
    public static void Weights(float* w, long rowStride, long colStride, bool flip, int k, int c0, int cc, float* u, long uStride, bool parallel, bool avx512)
    {
        var job = new FilterPanels(w, rowStride, colStride, flip, k, c0, cc, u, uStride, avx512 && CpuGemm.PackedRows(1) == 12);
        int panels = CpuGemm.PackedRows(k) / CpuGemm.PackedRows(1);
        HostParallel.For(panels, parallel, job);
    }

    private readonly struct FilterPanels(float* w, long rowStride, long colStride, bool flip, int k, int c0, int cc, float* u, long uStride, bool vector)
        : IIndexedJob
    {
        public void Run(int panel)
        {
            int mr = CpuGemm.PackedRows(1), mPad = CpuGemm.PackedRows(k), k0 = panel * mr;
            if (vector)
            {
                PanelVector(w, rowStride, colStride, flip, k, k0, c0, cc, u, uStride, mPad);
                return;
            }

            float* t = stackalloc float[Positions];
            for (int p = 0; p < cc; p++)
            {
                long at = CpuGemm.PackedOffset(k0, p, cc, mPad);
                for (int i = 0; i < mr; i++)
                {
                    if (k0 + i < k)
                        Filter(w + ((k0 + i) * rowStride) + ((c0 + p) * colStride), flip, t);
                    else
                        new Span<float>(t, Positions).Clear();
                    for (int e = 0; e < Positions; e++)
                        u[(e * uStride) + at + i] = t[e];
                }
            }
        }
    }

    // G·g·Gᵀ of one 3×3 filter: G·g column by column (q, 4×3), then each row of q times Gᵀ
    private static void Filter(float* g, bool flip, float* u)
    {
        float* q = stackalloc float[12];
        for (int s = 0; s < 3; s++)
        {
            float g0 = g[flip ? 8 - s : s], g1 = g[flip ? 5 - s : 3 + s], g2 = g[flip ? 2 - s : 6 + s];
            float half = 0.5f * (g0 + g2), mid = 0.5f * g1;
            q[s] = g0;
            q[3 + s] = half + mid;
            q[6 + s] = half - mid;
            q[9 + s] = g2;
        }

        for (int r = 0; r < 4; r++)
        {
            float q0 = q[3 * r], q1 = q[(3 * r) + 1], q2 = q[(3 * r) + 2], half = 0.5f * (q0 + q2), mid = 0.5f * q1;
            u[4 * r] = q0;
            u[(4 * r) + 1] = half + mid;
            u[(4 * r) + 2] = half - mid;
            u[(4 * r) + 3] = q2;
        }
    }
}
