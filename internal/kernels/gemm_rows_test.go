package kernels

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
)

// productShapes are the shapes on which the direct and banded products are
// checked against the packed one: few rows (B read in place) and many,
// partial panels and blocks, the lecture's m5 products and k beyond
// gemmKC, serial and parallel.
var productShapes = [][3]int{{1, 1, 1}, {1, 37, 5}, {5, 16, 300}, {16, 32, 7}, {17, 33, 64},
	{31, 100, 256}, {32, 512, 784}, {32, 10, 512}, {33, 517, 257}, {64, 512, 512}, {65, 96, 40},
	{784, 512, 32}, {512, 10, 32}, {100, 300, 70}, {257, 129, 200}}

// samePaths runs check for both element types on every path of the
// assembly kernels this machine can take.
func samePaths(t *testing.T, check func(t *testing.T, f64 bool)) {
	for _, p := range gemmPaths {
		if !p.available || !p.kernel {
			continue
		}
		t.Run(p.name, func(t *testing.T) {
			defer p.use()()
			t.Run("float64", func(t *testing.T) { check(t, true) })
			t.Run("float32", func(t *testing.T) { check(t, false) })
		})
	}
}

// TestGemmDirect checks that a product with few rows, which reads B in
// place, has bitwise the values of the same rows of a taller product,
// which packs B: the kernels add the same terms in the same order.
func TestGemmDirect(t *testing.T) {
	samePaths(t, func(t *testing.T, f64 bool) {
		if f64 {
			checkDirect(t, Gemm, randSlice)
		} else {
			checkDirect(t, Sgemm, randSlice32)
		}
	})
}

func checkDirect[T gemmFloat](t *testing.T, product func(ta, tb bool, m, n, k int, alpha T, a, b []T, beta T, c []T),
	random func(*rand.Rand, int) []T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, sz := range productShapes {
		m, n, k := sz[0], sz[1], sz[2]
		if m > gemmDirectRows {
			continue
		}
		for _, beta := range []T{0, 1, -0.5} {
			tall := gemmDirectRows + 1 + m
			a, b := random(rng, tall*k), random(rng, k*n)
			c0 := random(rng, tall*n)
			want := append([]T(nil), c0...)
			product(false, false, tall, n, k, 1.5, a, b, beta, want)
			got := append([]T(nil), c0[:m*n]...)
			product(false, false, m, n, k, 1.5, a[:m*k], b, beta, got)
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("%v, beta %v: c[%d] = %v in place, %v packed", sz, beta, i, got[i], want[i])
				}
			}
		}
	}
}

// TestGemmRows checks that GemmRows and SgemmRows hand every row of the
// product to their receiver exactly once, with bitwise the values Gemm
// and Sgemm write, for every transpose combination; and that they decline
// the products they cannot compute by bands, and on the gonum path.
func TestGemmRows(t *testing.T) {
	samePaths(t, func(t *testing.T, f64 bool) {
		if f64 {
			checkRows(t, Gemm, GemmRows, randSlice)
		} else {
			checkRows(t, Sgemm, SgemmRows, randSlice32)
		}
	})
	t.Run("gonum", func(t *testing.T) {
		defer gemmPaths[0].use()()
		if GemmRows(false, false, 4, 4, 4, 1, make([]float64, 16), make([]float64, 16), func(int, int, []float64) {}) {
			t.Fatal("GemmRows computed a product without the kernels")
		}
	})
}

func checkRows[T gemmFloat](t *testing.T, product func(ta, tb bool, m, n, k int, alpha T, a, b []T, beta T, c []T),
	rows func(ta, tb bool, m, n, k int, alpha T, a, b []T, each func(r0, r1 int, band []T)) bool,
	random func(*rand.Rand, int) []T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, sz := range productShapes {
		m, n, k := sz[0], sz[1], sz[2]
		for _, tr := range gemmTransposes {
			t.Run(fmt.Sprint(sz, tr), func(t *testing.T) {
				a, b := random(rng, m*k), random(rng, k*n)
				want := make([]T, m*n)
				product(tr[0], tr[1], m, n, k, -0.75, a, b, 0, want)
				got := make([]T, m*n)
				seen := make([]int, m)
				var mu sync.Mutex
				ok := rows(tr[0], tr[1], m, n, k, -0.75, a, b, func(r0, r1 int, band []T) {
					mu.Lock()
					defer mu.Unlock()
					if len(band) != (r1-r0)*n {
						t.Errorf("rows [%d, %d) in %d values", r0, r1, len(band))
						return
					}
					copy(got[r0*n:r1*n], band)
					for r := r0; r < r1; r++ {
						seen[r]++
					}
				})
				if ok != (k <= gemmKC) {
					t.Fatalf("GemmRows returned %v with k = %d", ok, k)
				}
				if !ok {
					return
				}
				for r, c := range seen {
					if c != 1 {
						t.Fatalf("row %d handed over %d times", r, c)
					}
				}
				for i := range got {
					if got[i] != want[i] {
						t.Fatalf("c[%d] = %v by bands, %v by Gemm", i, got[i], want[i])
					}
				}
			})
		}
	}
}
