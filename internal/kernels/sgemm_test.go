package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// widen returns s as float64s, with the absolute values if abs.
func widen(s []float32, abs bool) []float64 {
	d := make([]float64, len(s))
	for i, v := range s {
		d[i] = float64(v)
		if abs {
			d[i] = math.Abs(d[i])
		}
	}
	return d
}

// randSlice32 is randSlice in float32.
func randSlice32(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i, v := range randSlice(rng, n) {
		s[i] = float32(v)
	}
	return s
}

// sgemmError runs Sgemm on random operands and compares it with naiveGemm
// on the same values in float64. The tolerance is the classic bound of a
// float32 dot product, (k+2)·2⁻²³ times the sum of the magnitudes of its
// terms (|alpha|·|op(a)|·|op(b)| + |beta·c|), which scales with k. With
// beta = 0, C starts as NaNs, which Sgemm must overwrite. C is followed by
// guard values, which Sgemm must not touch.
func sgemmError(rng *rand.Rand, ta, tb bool, m, n, k int, alpha, beta float32) error {
	a, b := randSlice32(rng, m*k), randSlice32(rng, k*n)
	guarded := randSlice32(rng, m*n+gemmSNR)
	c, guard := guarded[:m*n], append([]float32(nil), guarded[m*n:]...)
	if beta == 0 {
		for i := range c {
			c[i] = float32(math.NaN())
		}
	}
	want := naiveGemm(ta, tb, m, n, k, float64(alpha), widen(a, false), widen(b, false), float64(beta), widen(c, false))
	scale := naiveGemm(ta, tb, m, n, k, math.Abs(float64(alpha)), widen(a, true), widen(b, true), math.Abs(float64(beta)), widen(c, true))
	Sgemm(ta, tb, m, n, k, alpha, a, b, beta, c)
	for i, v := range guard {
		if guarded[m*n+i] != v {
			return fmt.Errorf("Sgemm(%v, %v, %d, %d, %d) wrote past C", ta, tb, m, n, k)
		}
	}
	for i := range c {
		tol := float64(k+2) * 0x1p-23 * max(scale[i], 1e-30)
		if d := math.Abs(float64(c[i]) - want[i]); !(d <= tol) {
			return fmt.Errorf("Sgemm(%v, %v, %d, %d, %d, %v, beta %v): c[%d] = %v, want %v ± %.3g",
				ta, tb, m, n, k, alpha, beta, i, c[i], want[i], tol)
		}
	}
	return nil
}

// checkSgemm is sgemmError failing t at the first difference.
func checkSgemm(t *testing.T, rng *rand.Rand, ta, tb bool, m, n, k int, alpha, beta float32) {
	t.Helper()
	if err := sgemmError(rng, ta, tb, m, n, k, alpha, beta); err != nil {
		t.Fatal(err)
	}
}

// TestSgemm compares Sgemm with a float64 triple loop for every transpose
// combination, on vectors (1×N, N×1), on sizes around the kernels' blocks
// (16 columns; 4 to 16 rows; 8 columns of a transposed B), on rows of A
// 4 KiB apart (which the packed product copies), on the serial
// and the parallel path, on the lecture's m5 products and the smaller
// products of its width sweep, and on many random small shapes, with the
// alpha and beta the layers use and others.
func TestSgemm(t *testing.T) {
	sizes := [][3]int{{1, 1, 1}, {5, 3, 0}, {1, 100, 37}, {100, 1, 37}, {1, 1, 300}, {17, 1, 9},
		{16, 16, 16}, {15, 17, 7}, {33, 31, 65}, {12, 48, 256}, {6, 15, 257}, {32, 30, 128},
		{100, 300, 70}, {130, 400, 33}, {33, 517, 301}, {257, 129, 600}, {32, 10, 512},
		{13, 64, 1024}, {40, 70, 1024}} // rows 4 KiB apart: op(A) is copied
	checkProducts(t, rand.New(rand.NewPCG(1, 2)), sizes, sgemmBenchShapes, 1<<24, checkSgemm)
}

// TestSgemmPaths runs TestSgemm on each path this machine can take other
// than the default one: the AVX2 kernels alone, as on machines without
// AVX-512, and gonum's Sgemm, the pure-Go path of machines without AVX2
// and FMA and of other architectures.
func TestSgemmPaths(t *testing.T) {
	onOtherPaths(t, TestSgemm)
}

// TestSgemmDoesNotAllocate checks that Sgemm allocates nothing once its
// buffers have grown, on every path, serial and parallel.
func TestSgemmDoesNotAllocate(t *testing.T) {
	checkNoAllocs(t, "Sgemm", sgemmBenchShapes, Sgemm, randSlice32)
}

// mlpShapes returns the products of a training step at batch size 32 of an
// MLP 784→width→width→10, as the lecture's m5 (width 512): the forward
// products x·W (NN), the kernel gradients xᵀ·dz (TN) and the input
// gradients dz·Wᵀ (NT).
func mlpShapes(model string, width int) []gemmShape {
	const batch, in, out = 32, 784, 10
	return []gemmShape{
		{model, false, false, batch, width, in},
		{model, false, false, batch, width, width},
		{model, false, false, batch, out, width},
		{model, true, false, in, width, batch},
		{model, true, false, width, width, batch},
		{model, true, false, width, out, batch},
		{model, false, true, batch, in, width},
		{model, false, true, batch, width, width},
		{model, false, true, batch, width, out},
	}
}

// sgemmBenchShapes are the products of m5 and of the same MLP 1024 and
// 2048 wide.
var sgemmBenchShapes = append(append(mlpShapes("m5", 512), mlpShapes("w1024", 1024)...), mlpShapes("w2048", 2048)...)

// BenchmarkSgemm measures Sgemm on the products of sgemmBenchShapes on
// each path this machine can take, and Gemm on the same products for
// comparison (f64, on the default path), reporting the rate in GFLOPS.
// testdata/sgemm_numpy.py measures NumPy's (OpenBLAS's) sgemm on them.
func BenchmarkSgemm(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, p := range gemmPaths {
		if p.available {
			benchGemm(b, rng, p, sgemmBenchShapes, Sgemm, randSlice32)
		}
	}
	benchGemm(b, rng, gemmPath{"f64", useKernel, useAVX512, true}, sgemmBenchShapes, Gemm, randSlice)
}
