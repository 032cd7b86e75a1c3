package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAdamStep checks that AdamStep's values are bitwise those of Adam's
// update in Go, in Keras's order of operations, on every length mod 4, and
// that it leaves the values it does not update alone.
func TestAdamStep(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const b1c, b2c, alpha, eps = 0.1, 0.001, 0.0007, 1e-7
	for n := 0; n <= 67; n++ {
		w, g, m, v := randSlice(rng, n), randSlice(rng, n), randSlice(rng, n), randSlice(rng, n)
		for i := range v {
			v[i] = math.Abs(v[i])
		}
		ww, wm, wv := append([]float64(nil), w...), append([]float64(nil), m...), append([]float64(nil), v...)
		done := AdamStep(w, g, m, v, b1c, b2c, alpha, eps)
		if want := n &^ 3; haveKernel && done != want || !haveKernel && done != 0 {
			t.Fatalf("AdamStep of %d values updated %d", n, done)
		}
		for j := range done {
			wm[j] += (g[j] - wm[j]) * b1c
			wv[j] += (g[j]*g[j] - wv[j]) * b2c
			ww[j] -= wm[j] * alpha / (math.Sqrt(wv[j]) + eps)
		}
		for j := range n {
			if w[j] != ww[j] || m[j] != wm[j] || v[j] != wv[j] {
				t.Fatalf("n=%d, value %d of %d updated: w, m, v = %v, %v, %v, want %v, %v, %v",
					n, j, done, w[j], m[j], v[j], ww[j], wm[j], wv[j])
			}
		}
	}
}
