package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestKeepPositive checks KeepPositive and KeepPositive32 against the
// definition on the bits, on every length up to 70, on random values and
// on ±0, ±Inf, NaNs of both signs and subnormals, with dst apart from x
// and m and dst being x (ReLU in place).
func TestKeepPositive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	special := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), -math.NaN(),
		math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64, 1, -1}
	for n := 0; n <= 70; n++ {
		x, m := make([]float64, n), make([]float64, n)
		for i := range n {
			x[i], m[i] = rng.NormFloat64(), rng.NormFloat64()
			if rng.IntN(3) == 0 {
				m[i] = special[rng.IntN(len(special))]
			}
		}
		check64 := func(dst, x, m []float64, got []float64, done int) {
			for i := range done {
				want := x[i]
				if int64(math.Float64bits(m[i])) <= 0 {
					want = 0
				}
				if math.Float64bits(got[i]) != math.Float64bits(want) {
					t.Fatalf("n=%d, value %d: %v for x %v, m %v", n, i, got[i], x[i], m[i])
				}
			}
		}
		dst := make([]float64, n)
		done := KeepPositive(dst, x, m)
		if want := n &^ 7; haveKernel && done != want || !haveKernel && done != 0 {
			t.Fatalf("KeepPositive of %d values did %d", n, done)
		}
		check64(dst, x, m, dst, done)
		in := append([]float64(nil), m...)
		KeepPositive(in, in, in)
		check64(in, m, m, in, done)

		x32, m32 := make([]float32, n), make([]float32, n)
		for i := range n {
			x32[i], m32[i] = float32(x[i]), float32(m[i])
		}
		dst32 := make([]float32, n)
		done = KeepPositive32(dst32, x32, m32)
		if want := n &^ 15; haveKernel && done != want || !haveKernel && done != 0 {
			t.Fatalf("KeepPositive32 of %d values did %d", n, done)
		}
		for i := range done {
			want := x32[i]
			if int32(math.Float32bits(m32[i])) <= 0 {
				want = 0
			}
			if math.Float32bits(dst32[i]) != math.Float32bits(want) {
				t.Fatalf("float32 n=%d, value %d: %v for x %v, m %v", n, i, dst32[i], x32[i], m32[i])
			}
		}
	}
}
