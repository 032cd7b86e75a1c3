package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAdamStep checks that AdamStep's and AdamStep32's values are bitwise
// those of Adam's update in Go, in Keras's order of operations, on every
// length mod 8, and that they leave the values they do not update alone.
func TestAdamStep(t *testing.T) {
	t.Run("float64", func(t *testing.T) { checkAdamStep(t, AdamStep, 4) })
	t.Run("float32", func(t *testing.T) { checkAdamStep(t, AdamStep32, 8) })
}

func checkAdamStep[T float32 | float64](t *testing.T, step func(w, g, m, v []T, b1c, b2c, alpha, eps T) int, lanes int) {
	rng := rand.New(rand.NewPCG(3, 4))
	const b1c, b2c, alpha, eps = 0.1, 0.001, 0.0007, 1e-7
	rand := func(n int) []T {
		s := make([]T, n)
		for i := range s {
			s[i] = T(2*rng.Float64() - 1)
		}
		return s
	}
	for n := 0; n <= 67; n++ {
		w, g, m, v := rand(n), rand(n), rand(n), rand(n)
		for i := range v {
			v[i] = T(math.Abs(float64(v[i])))
		}
		ww, wm, wv := append([]T(nil), w...), append([]T(nil), m...), append([]T(nil), v...)
		done := step(w, g, m, v, b1c, b2c, alpha, eps)
		if want := n &^ (lanes - 1); haveKernel && done != want || !haveKernel && done != 0 {
			t.Fatalf("AdamStep of %d values updated %d", n, done)
		}
		for j := range done {
			wm[j] += (g[j] - wm[j]) * b1c
			wv[j] += (g[j]*g[j] - wv[j]) * b2c
			ww[j] -= wm[j] * alpha / (T(math.Sqrt(float64(wv[j]))) + eps)
		}
		for j := range n {
			if w[j] != ww[j] || m[j] != wm[j] || v[j] != wv[j] {
				t.Fatalf("n=%d, value %d of %d updated: w, m, v = %v, %v, %v, want %v, %v, %v",
					n, j, done, w[j], m[j], v[j], ww[j], wm[j], wv[j])
			}
		}
	}
}

// BenchmarkAdamStep times AdamStep on the 8,256 values of chapter 7's
// second Dense layer (128×64 and 64 biases), in ns per value.
func BenchmarkAdamStep(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 8256
	w, g, m, v := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range w {
		w[i], g[i] = 0.1*rng.NormFloat64(), 0.01*rng.NormFloat64()
	}
	for b.Loop() {
		AdamStep(w, g, m, v, 0.1, 0.001, 0.001, 1e-7)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/value")
}
