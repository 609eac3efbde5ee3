using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ILGPU;

namespace NetSpec.Runtime.Gemm;

/// <summary>The register tiles: 12×32 with AVX-512 (24 accumulators), 6×(2·Vector&lt;float&gt;.Count) otherwise.</summary>
public sealed unsafe partial class CpuGemm
{
    // C[0..mr, 0..nr] += alpha · Σ_p ap[p,:] ⊗ bp[p,:], 12×32 with 512-bit registers
    [SkipLocalsInit] // the stack tile is written before it is read
    private static void MicroTile512(int kc, float* ap, float* bp, float* c, int ldc, int mr, int nr, float alpha, bool overwrite)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default;
        Vector512<float> c90 = default, c91 = default, ca0 = default, ca1 = default, cb0 = default, cb1 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(bp);
            Vector512<float> b1 = Vector512.Load(bp + 16);
            Vector512<float> a = Vector512.Create(ap[0]);
            c00 = Vector512.FusedMultiplyAdd(a, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(a, b1, c01);
            a = Vector512.Create(ap[1]);
            c10 = Vector512.FusedMultiplyAdd(a, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(a, b1, c11);
            a = Vector512.Create(ap[2]);
            c20 = Vector512.FusedMultiplyAdd(a, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(a, b1, c21);
            a = Vector512.Create(ap[3]);
            c30 = Vector512.FusedMultiplyAdd(a, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(a, b1, c31);
            a = Vector512.Create(ap[4]);
            c40 = Vector512.FusedMultiplyAdd(a, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(a, b1, c41);
            a = Vector512.Create(ap[5]);
            c50 = Vector512.FusedMultiplyAdd(a, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(a, b1, c51);
            a = Vector512.Create(ap[6]);
            c60 = Vector512.FusedMultiplyAdd(a, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(a, b1, c61);
            a = Vector512.Create(ap[7]);
            c70 = Vector512.FusedMultiplyAdd(a, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(a, b1, c71);
            a = Vector512.Create(ap[8]);
            c80 = Vector512.FusedMultiplyAdd(a, b0, c80);
            c81 = Vector512.FusedMultiplyAdd(a, b1, c81);
            a = Vector512.Create(ap[9]);
            c90 = Vector512.FusedMultiplyAdd(a, b0, c90);
            c91 = Vector512.FusedMultiplyAdd(a, b1, c91);
            a = Vector512.Create(ap[10]);
            ca0 = Vector512.FusedMultiplyAdd(a, b0, ca0);
            ca1 = Vector512.FusedMultiplyAdd(a, b1, ca1);
            a = Vector512.Create(ap[11]);
            cb0 = Vector512.FusedMultiplyAdd(a, b0, cb0);
            cb1 = Vector512.FusedMultiplyAdd(a, b1, cb1);
            ap += 12;
            bp += 32;
        }

        // one store sequence, straight into C for a whole tile, else into a stack tile copied after: the
        // accumulators then have one use each after the loop, which keeps the JIT from spilling them inside
        // it (with several epilogues and without PGO's block weights it stored every accumulator each step)
        var va = Vector512.Create(alpha);
        bool whole = mr == 12 && nr == 32;
        float* tile = stackalloc float[12 * 32];
        float* dst = whole ? c : tile;
        long ldd = whole ? ldc : 32;
        bool add = whole && !overwrite;
        Put512(dst, ldd, 0, c00 * va, c01 * va, add);
        Put512(dst, ldd, 1, c10 * va, c11 * va, add);
        Put512(dst, ldd, 2, c20 * va, c21 * va, add);
        Put512(dst, ldd, 3, c30 * va, c31 * va, add);
        Put512(dst, ldd, 4, c40 * va, c41 * va, add);
        Put512(dst, ldd, 5, c50 * va, c51 * va, add);
        Put512(dst, ldd, 6, c60 * va, c61 * va, add);
        Put512(dst, ldd, 7, c70 * va, c71 * va, add);
        Put512(dst, ldd, 8, c80 * va, c81 * va, add);
        Put512(dst, ldd, 9, c90 * va, c91 * va, add);
        Put512(dst, ldd, 10, ca0 * va, ca1 * va, add);
        Put512(dst, ldd, 11, cb0 * va, cb1 * va, add);
        if (!whole)
            CopyTile(tile, c, ldc, mr, nr, overwrite);
    }

    // row of a tile (stride ldd): stored, or added to what is there
    private static void Put512(float* dst, long ldd, int row, Vector512<float> left, Vector512<float> right, bool add)
    {
        float* r = dst + (row * ldd);
        if (add)
        {
            left += Vector512.Load(r);
            right += Vector512.Load(r + 16);
        }

        left.Store(r);
        right.Store(r + 16);
    }

    // rows [0, mr) and columns [0, nr) of a 12×32 stack tile into C: stored, or added
    private static void CopyTile(float* tile, float* c, int ldc, int mr, int nr, bool overwrite)
    {
        for (int i = 0; i < mr; i++)
        {
            float* row = c + ((long)i * ldc), t = tile + (i * 32);
            for (int j = 0; j < nr; j++)
                row[j] = overwrite ? t[j] : row[j] + t[j];
        }
    }

    // C[0..mr, 0..nr] += alpha · Σ_p ap[p,:] ⊗ bp[p,:]
    private static void MicroTile(int kc, float* ap, float* bp, float* c, int ldc, int mr, int nr, float alpha, bool overwrite)
    {
        Vector<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector<float> b0 = *(Vector<float>*)bp;
            Vector<float> b1 = *(Vector<float>*)(bp + VC);
            var a0 = new Vector<float>(ap[0]);
            c00 = Vector.FusedMultiplyAdd(a0, b0, c00);
            c01 = Vector.FusedMultiplyAdd(a0, b1, c01);
            var a1 = new Vector<float>(ap[1]);
            c10 = Vector.FusedMultiplyAdd(a1, b0, c10);
            c11 = Vector.FusedMultiplyAdd(a1, b1, c11);
            var a2 = new Vector<float>(ap[2]);
            c20 = Vector.FusedMultiplyAdd(a2, b0, c20);
            c21 = Vector.FusedMultiplyAdd(a2, b1, c21);
            var a3 = new Vector<float>(ap[3]);
            c30 = Vector.FusedMultiplyAdd(a3, b0, c30);
            c31 = Vector.FusedMultiplyAdd(a3, b1, c31);
            var a4 = new Vector<float>(ap[4]);
            c40 = Vector.FusedMultiplyAdd(a4, b0, c40);
            c41 = Vector.FusedMultiplyAdd(a4, b1, c41);
            var a5 = new Vector<float>(ap[5]);
            c50 = Vector.FusedMultiplyAdd(a5, b0, c50);
            c51 = Vector.FusedMultiplyAdd(a5, b1, c51);
            ap += MR;
            bp += NR;
        }

        float* tile = stackalloc float[MR * 2 * Vector<float>.Count];
        var va = new Vector<float>(alpha);
        Store(tile, 0, c00 * va, c01 * va);
        Store(tile, 1, c10 * va, c11 * va);
        Store(tile, 2, c20 * va, c21 * va);
        Store(tile, 3, c30 * va, c31 * va);
        Store(tile, 4, c40 * va, c41 * va);
        Store(tile, 5, c50 * va, c51 * va);
        for (int i = 0; i < mr; i++)
        {
            float* row = c + ((long)i * ldc);
            float* t = tile + (i * NR);
            if (nr == NR)
            {
                *(Vector<float>*)row = overwrite ? *(Vector<float>*)t : *(Vector<float>*)row + *(Vector<float>*)t;
                *(Vector<float>*)(row + VC) = overwrite ? *(Vector<float>*)(t + VC) : *(Vector<float>*)(row + VC) + *(Vector<float>*)(t + VC);
            }
            else
            {
                for (int j = 0; j < nr; j++)
                    row[j] = overwrite ? t[j] : row[j] + t[j];
            }
        }
    }

    private static void Store(float* tile, int row, Vector<float> left, Vector<float> right)
    {
        *(Vector<float>*)(tile + (row * NR)) = left;
        *(Vector<float>*)(tile + (row * NR) + VC) = right;
    }
}
