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

        var va = Vector512.Create(alpha);
        if (mr == 12 && nr == 32 && overwrite)
        {
            Store512(c, ldc, 0, c00 * va, c01 * va);
            Store512(c, ldc, 1, c10 * va, c11 * va);
            Store512(c, ldc, 2, c20 * va, c21 * va);
            Store512(c, ldc, 3, c30 * va, c31 * va);
            Store512(c, ldc, 4, c40 * va, c41 * va);
            Store512(c, ldc, 5, c50 * va, c51 * va);
            Store512(c, ldc, 6, c60 * va, c61 * va);
            Store512(c, ldc, 7, c70 * va, c71 * va);
            Store512(c, ldc, 8, c80 * va, c81 * va);
            Store512(c, ldc, 9, c90 * va, c91 * va);
            Store512(c, ldc, 10, ca0 * va, ca1 * va);
            Store512(c, ldc, 11, cb0 * va, cb1 * va);
            return;
        }

        if (mr == 12 && nr == 32)
        {
            Add512(c, ldc, 0, c00 * va, c01 * va);
            Add512(c, ldc, 1, c10 * va, c11 * va);
            Add512(c, ldc, 2, c20 * va, c21 * va);
            Add512(c, ldc, 3, c30 * va, c31 * va);
            Add512(c, ldc, 4, c40 * va, c41 * va);
            Add512(c, ldc, 5, c50 * va, c51 * va);
            Add512(c, ldc, 6, c60 * va, c61 * va);
            Add512(c, ldc, 7, c70 * va, c71 * va);
            Add512(c, ldc, 8, c80 * va, c81 * va);
            Add512(c, ldc, 9, c90 * va, c91 * va);
            Add512(c, ldc, 10, ca0 * va, ca1 * va);
            Add512(c, ldc, 11, cb0 * va, cb1 * va);
            return;
        }

        float* tile = stackalloc float[12 * 32];
        StoreTile512(tile, 0, c00 * va, c01 * va);
        StoreTile512(tile, 1, c10 * va, c11 * va);
        StoreTile512(tile, 2, c20 * va, c21 * va);
        StoreTile512(tile, 3, c30 * va, c31 * va);
        StoreTile512(tile, 4, c40 * va, c41 * va);
        StoreTile512(tile, 5, c50 * va, c51 * va);
        StoreTile512(tile, 6, c60 * va, c61 * va);
        StoreTile512(tile, 7, c70 * va, c71 * va);
        StoreTile512(tile, 8, c80 * va, c81 * va);
        StoreTile512(tile, 9, c90 * va, c91 * va);
        StoreTile512(tile, 10, ca0 * va, ca1 * va);
        StoreTile512(tile, 11, cb0 * va, cb1 * va);
        for (int i = 0; i < mr; i++)
        {
            float* row = c + ((long)i * ldc), t = tile + (i * 32);
            for (int j = 0; j < nr; j++)
                row[j] = overwrite ? t[j] : row[j] + t[j];
        }
    }

    private static void Add512(float* c, int ldc, int row, Vector512<float> left, Vector512<float> right)
    {
        float* r = c + ((long)row * ldc);
        (Vector512.Load(r) + left).Store(r);
        (Vector512.Load(r + 16) + right).Store(r + 16);
    }

    private static void StoreTile512(float* tile, int row, Vector512<float> left, Vector512<float> right)
    {
        left.Store(tile + (row * 32));
        right.Store(tile + (row * 32) + 16);
    }

    private static void Store512(float* c, int ldc, int row, Vector512<float> left, Vector512<float> right)
    {
        float* r = c + ((long)row * ldc);
        left.Store(r);
        right.Store(r + 16);
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
