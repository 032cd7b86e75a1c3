package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSigmoid compares the vectorized sigmoids, float64 and float32, with
// the scalar formula in float64 on ordinary, tiny, huge and extreme inputs
// and on every length mod the vector width, and checks that they leave the
// values they do not compute alone.
func TestSigmoid(t *testing.T) {
	// float64: 2e-15 relative, the polynomial's error plus the rounding of
	// the division, far inside the 1e-9 of the Keras goldens.
	t.Run("float64", func(t *testing.T) {
		checkSigmoid(t, Sigmoid, 4, 2e-15, 1e-300, []float64{0, math.Copysign(0, -1), 1e-300, -1e-300, 1e-9, -1e-9,
			30, -30, 700, -700, 750, -750, 1e308, -1e308, math.Inf(1), math.Inf(-1)})
	})
	// float32: 3e-7 relative, two float32 roundings and the polynomial's
	// error; below the smallest normal float32 the result is 0 or a
	// subnormal close to it.
	t.Run("float32", func(t *testing.T) {
		checkSigmoid(t, Sigmoid32, 8, 3e-7, 1e-37, []float32{0, float32(math.Copysign(0, -1)), 1e-30, -1e-30, 1e-7,
			-1e-7, 30, -30, 87, -87, 88, -88, 100, -100, math.MaxFloat32, -math.MaxFloat32,
			float32(math.Inf(1)), float32(math.Inf(-1))})
	})
}

func checkSigmoid[T float32 | float64](t *testing.T, sigmoid func(z, y []T) int, lanes int, rel, abs float64, z []T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		z = append(z, T(rng.NormFloat64()*8))
	}
	for n := 0; n <= len(z); n += 1 + n/7 {
		y := make([]T, n)
		for i := range y {
			y[i] = -1
		}
		done := sigmoid(z[:n], y)
		if want := n &^ (lanes - 1); haveKernel && done != want || !haveKernel && done != 0 {
			t.Fatalf("the sigmoid of %d values computed %d", n, done)
		}
		for i, v := range z[:n] {
			if i >= done {
				if y[i] != -1 {
					t.Fatalf("the sigmoid of %d values computed %d but wrote y[%d]", n, done, i)
				}
				continue
			}
			want := 1 / (1 + math.Exp(-float64(v)))
			if d := math.Abs(float64(y[i]) - want); d > rel*want && d > abs {
				t.Fatalf("sigmoid(%g) = %.17g, want %.17g (n=%d)", v, y[i], want, n)
			}
		}
	}
}
