package dl

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/floats"
)

// TestGemm compares the tiled, parallel gemm with a naive triple loop for
// every transpose combination, on sizes that take the serial and the
// parallel path and have partial tiles.
func TestGemm(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, sz := range [][3]int{{1, 1, 1}, {5, 3, 0}, {32, 30, 128}, {100, 300, 70}, {130, 400, 33}} {
		m, n, k := sz[0], sz[1], sz[2]
		for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
			t.Run(fmt.Sprint(sz, tr), func(t *testing.T) {
				a, b := randTensor(rng, m*k).data, randTensor(rng, k*n).data
				c := randTensor(rng, m*n).data
				want := make([]float64, m*n)
				for i := 0; i < m; i++ {
					for j := 0; j < n; j++ {
						var s float64
						for l := 0; l < k; l++ {
							av, bv := a[i*k+l], b[l*n+j]
							if tr[0] {
								av = a[l*m+i]
							}
							if tr[1] {
								bv = b[j*k+l]
							}
							s += av * bv
						}
						want[i*n+j] = 1.5*s + 0.5*c[i*n+j]
					}
				}
				gemm(tr[0], tr[1], m, n, k, 1.5, a, b, 0.5, c)
				if !floats.EqualApprox(c, want, 1e-12) {
					t.Errorf("gemm differs from the naive product")
				}
			})
		}
	}
}
