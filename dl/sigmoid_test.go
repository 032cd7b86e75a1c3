package dl

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSigmoidSlice compares the vectorized sigmoid with the scalar formula
// on ordinary, tiny, huge and extreme inputs and on every length mod 4.
func TestSigmoidSlice(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	z := []float64{0, math.Copysign(0, -1), 1e-300, -1e-300, 1e-9, -1e-9, 30, -30, 700, -700, 750, -750, 1e308, -1e308, math.Inf(1), math.Inf(-1)}
	for range 5000 {
		z = append(z, rng.NormFloat64()*8)
	}
	for n := 0; n <= len(z); n += 1 + n/7 {
		y := make([]float64, n)
		sigmoidSlice(z[:n], y)
		for i, v := range z[:n] {
			want := 1 / (1 + math.Exp(-v))
			// 2e-15 relative: the polynomial's error plus the rounding of
			// the division, far inside the 1e-9 of the Keras goldens.
			if d := math.Abs(y[i] - want); d > 2e-15*want && d > 1e-300 {
				t.Fatalf("sigmoid(%g) = %.17g, want %.17g (n=%d)", v, y[i], want, n)
			}
		}
	}
}
