package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
)

// randSlice returns n values drawn uniformly from [-1, 1).
func randSlice(rng *rand.Rand, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = 2*rng.Float64() - 1
	}
	return s
}

// naiveGemm returns alpha·op(a)·op(b) + beta·c by the definition, with
// beta = 0 ignoring c.
func naiveGemm(ta, tb bool, m, n, k int, alpha float64, a, b []float64, beta float64, c []float64) []float64 {
	want := make([]float64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float64
			for l := 0; l < k; l++ {
				av, bv := a[i*k+l], b[l*n+j]
				if ta {
					av = a[l*m+i]
				}
				if tb {
					bv = b[j*k+l]
				}
				s += av * bv
			}
			want[i*n+j] = alpha * s
			if beta != 0 {
				want[i*n+j] += beta * c[i*n+j]
			}
		}
	}
	return want
}

// checkGemm runs Gemm on random operands and compares it with naiveGemm,
// failing t at the first difference.
func checkGemm(t *testing.T, rng *rand.Rand, ta, tb bool, m, n, k int, alpha, beta float64) {
	t.Helper()
	if err := gemmError(rng, ta, tb, m, n, k, alpha, beta); err != nil {
		t.Fatal(err)
	}
}

// gemmError runs Gemm on random operands and compares it with naiveGemm at
// 1e-12 relative. With beta = 0, C starts as NaNs, which Gemm must
// overwrite. C is followed by guard values, which Gemm must not touch.
func gemmError(rng *rand.Rand, ta, tb bool, m, n, k int, alpha, beta float64) error {
	a, b := randSlice(rng, m*k), randSlice(rng, k*n)
	guarded := randSlice(rng, m*n+gemmNR)
	c, guard := guarded[:m*n], append([]float64(nil), guarded[m*n:]...)
	if beta == 0 {
		for i := range c {
			c[i] = math.NaN()
		}
	}
	want := naiveGemm(ta, tb, m, n, k, alpha, a, b, beta, c)
	Gemm(ta, tb, m, n, k, alpha, a, b, beta, c)
	for i, v := range guard {
		if guarded[m*n+i] != v {
			return fmt.Errorf("Gemm(%v, %v, %d, %d, %d) wrote past C", ta, tb, m, n, k)
		}
	}
	for i := range c {
		if d := math.Abs(c[i] - want[i]); !(d <= 1e-12*math.Max(1, math.Abs(want[i]))) {
			return fmt.Errorf("Gemm(%v, %v, %d, %d, %d, %v, beta %v): c[%d] = %v, want %v",
				ta, tb, m, n, k, alpha, beta, i, c[i], want[i])
		}
	}
	return nil
}

// gemmTransposes lists the four transpose combinations.
var gemmTransposes = [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}}

// TestGemm compares Gemm with a naive triple loop for every transpose
// combination, on the lecture models' shapes, on sizes that take the serial
// and the parallel path and have partial blocks, and on many random small
// shapes, with the alpha and beta the layers use and others.
func TestGemm(t *testing.T) {
	sizes := [][3]int{{1, 1, 1}, {5, 3, 0}, {32, 30, 128}, {100, 300, 70}, {130, 400, 33},
		{32, 512, 784}, {784, 512, 32}, {33, 517, 301}, {257, 129, 600}}
	checkProducts(t, rand.New(rand.NewPCG(1, 1)), sizes, gemmBenchShapes, 1<<30, checkGemm)
}

// checkProducts runs check (checkGemm or checkSgemm) on each size (m, n, k)
// with every transpose combination and several alpha and beta, on shapes
// (those of at most maxWork multiply-adds) with beta 0 and 1, and on 400
// random small products. -short (the race run) leaves out the products of
// more than 1<<20 multiply-adds, where the naive reference is slow.
func checkProducts[T gemmFloat](t *testing.T, rng *rand.Rand, sizes [][3]int, shapes []gemmShape, maxWork int,
	check func(t *testing.T, rng *rand.Rand, ta, tb bool, m, n, k int, alpha, beta T)) {
	if testing.Short() {
		maxWork = min(maxWork, 1<<20)
	}
	for _, sz := range sizes {
		m, n, k := sz[0], sz[1], sz[2]
		if m*n*k > maxWork {
			continue
		}
		for _, tr := range gemmTransposes {
			t.Run(fmt.Sprint(sz, tr), func(t *testing.T) {
				check(t, rng, tr[0], tr[1], m, n, k, 1.5, 0.5)
				check(t, rng, tr[0], tr[1], m, n, k, 1, 0)
				check(t, rng, tr[0], tr[1], m, n, k, 1, 1)
				check(t, rng, tr[0], tr[1], m, n, k, -0.25, -2)
			})
		}
	}
	for _, s := range shapes {
		if s.m*s.n*s.k <= maxWork {
			check(t, rng, s.ta, s.tb, s.m, s.n, s.k, 1, 0)
			check(t, rng, s.ta, s.tb, s.m, s.n, s.k, 1, 1)
		}
	}
	for range 400 {
		m, n, k := 1+rng.IntN(70), 1+rng.IntN(70), 1+rng.IntN(70)
		tr := gemmTransposes[rng.IntN(4)]
		alpha := []T{1, -1, 0.3, 2.5, 0}[rng.IntN(5)]
		beta := []T{0, 1, -0.7, 0.5}[rng.IntN(4)]
		check(t, rng, tr[0], tr[1], m, n, k, alpha, beta)
	}
}

// gemmPath is one way Gemm can compute a product.
type gemmPath struct {
	name           string
	kernel, avx512 bool // the values of useKernel and useAVX512
	available      bool // whether this machine can take it
}

// gemmPaths lists the paths of Gemm: gonum's Dgemm (the fallback), the
// AVX2 kernels alone, and with the AVX-512 ones.
var gemmPaths = []gemmPath{
	{"gonum", false, false, true},
	{"avx2", true, false, haveKernel},
	{"avx512", true, true, haveAVX512},
}

// use makes Gemm take path p until the returned function is called.
func (p gemmPath) use() (restore func()) {
	oldKernel, oldAVX512 := useKernel, useAVX512
	useKernel, useAVX512 = p.kernel, p.avx512
	return func() { useKernel, useAVX512 = oldKernel, oldAVX512 }
}

// TestGemmPaths runs TestGemm on each path this machine can take other
// than the default one: the AVX2 kernels alone, as on machines without
// AVX-512, and gonum's Dgemm, as on machines without AVX2 and FMA.
func TestGemmPaths(t *testing.T) {
	onOtherPaths(t, TestGemm)
}

// onOtherPaths runs test on each path this machine can take other than
// the default one.
func onOtherPaths(t *testing.T, test func(*testing.T)) {
	for _, p := range gemmPaths {
		if !p.available || p.kernel == useKernel && p.avx512 == useAVX512 {
			continue
		}
		t.Run(p.name, func(t *testing.T) {
			defer p.use()()
			test(t)
		})
	}
}

// TestGemmConcurrent runs float64 and float32 products from several
// goroutines at once, so that some find the worker pool busy with a
// product of either type and the packing buffers in use.
func TestGemmConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 7))
			for range 5 {
				for _, err := range []error{
					gemmError(rng, false, true, 40, 300, 200, 1, 0),
					sgemmError(rng, false, true, 40, 300, 200, 1, 0),
					gemmError(rng, true, false, 200, 300, 40, 1, 1),
					sgemmError(rng, true, false, 200, 300, 40, 1, 1),
					gemmError(rng, false, false, 32, 64, 30, 1, 0),
					sgemmError(rng, false, false, 32, 64, 30, 1, 0),
				} {
					if err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
	wg.Wait()
}

// TestGemmDoesNotAllocate checks that Gemm allocates nothing once its
// buffers have grown, on every path, serial and parallel.
func TestGemmDoesNotAllocate(t *testing.T) {
	checkNoAllocs(t, "Gemm", gemmBenchShapes, Gemm, randSlice)
}

// checkNoAllocs checks that product (Gemm or Sgemm) allocates nothing on
// the given shapes once its buffers have grown, on every path this machine
// can take.
func checkNoAllocs[T gemmFloat](t *testing.T, name string, shapes []gemmShape,
	product func(ta, tb bool, m, n, k int, alpha T, a, b []T, beta T, c []T), random func(*rand.Rand, int) []T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, p := range gemmPaths {
		if !p.available {
			continue
		}
		restore := p.use()
		for _, s := range shapes {
			a, b := random(rng, s.m*s.k), random(rng, s.k*s.n)
			c := random(rng, s.m*s.n)
			product(s.ta, s.tb, s.m, s.n, s.k, 1, a, b, 0, c)
			if n := testing.AllocsPerRun(3, func() { product(s.ta, s.tb, s.m, s.n, s.k, 1, a, b, 1, c) }); n != 0 {
				t.Errorf("%s: %s(%v, %v, %d, %d, %d) allocates %v times", p.name, name, s.ta, s.tb, s.m, s.n, s.k, n)
			}
		}
		restore()
	}
}

// gemmShape is one product of a lecture model's training step.
type gemmShape struct {
	model   string
	ta, tb  bool
	m, n, k int
}

// gemmBenchShapes are the products of a training step of the lecture models
// m1 (30→128→64→32→1) and m5 (784→512→512→10) at batch size 32: the
// forward products x·W (NN), the kernel gradients xᵀ·dz (TN) and the input
// gradients dz·Wᵀ (NT).
var gemmBenchShapes = append([]gemmShape{
	{"m1", false, false, 32, 128, 30},
	{"m1", false, false, 32, 64, 128},
	{"m1", false, false, 32, 32, 64},
	{"m1", false, false, 32, 1, 32},
	{"m1", true, false, 30, 128, 32},
	{"m1", true, false, 128, 64, 32},
	{"m1", true, false, 64, 32, 32},
	{"m1", true, false, 32, 1, 32},
	{"m1", false, true, 32, 128, 64},
	{"m1", false, true, 32, 64, 32},
	{"m1", false, true, 32, 32, 1},
}, mlpShapes("m5", 512)...)

// BenchmarkGemm measures Gemm on the products of the lecture models, on
// each path this machine can take, and reports the rate in GFLOPS (two
// floating-point operations per multiply-add).
func BenchmarkGemm(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, p := range gemmPaths {
		if p.available {
			benchGemm(b, rng, p, gemmBenchShapes, Gemm, randSlice)
		}
	}
}

// benchGemm measures product (Gemm or Sgemm) on path p on the given
// shapes, with operands made by random, and reports the rate in GFLOPS (two
// floating-point operations per multiply-add). The kernel gradients (TN)
// accumulate into C (beta = 1), as in training; the others overwrite it.
func benchGemm[T gemmFloat](b *testing.B, rng *rand.Rand, p gemmPath, shapes []gemmShape,
	product func(ta, tb bool, m, n, k int, alpha T, a, b []T, beta T, c []T), random func(*rand.Rand, int) []T) {
	for _, s := range shapes {
		tr := map[[2]bool]string{{false, false}: "NN", {true, false}: "TN", {false, true}: "NT", {true, true}: "TT"}[[2]bool{s.ta, s.tb}]
		b.Run(fmt.Sprintf("%s/%s/%s/%dx%dx%d", p.name, s.model, tr, s.m, s.n, s.k), func(b *testing.B) {
			defer p.use()()
			a, bm := random(rng, s.m*s.k), random(rng, s.k*s.n)
			c := random(rng, s.m*s.n)
			var beta T
			if s.ta {
				beta = 1
			}
			for b.Loop() {
				product(s.ta, s.tb, s.m, s.n, s.k, 1, a, bm, beta, c)
			}
			b.ReportMetric(2*float64(s.m*s.n*s.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
		})
	}
}
