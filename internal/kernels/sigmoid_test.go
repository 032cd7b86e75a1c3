package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSigmoid compares the vectorized sigmoid with the scalar formula on
// ordinary, tiny, huge and extreme inputs and on every length mod 4, and
// checks that it leaves the values it does not compute alone.
func TestSigmoid(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	z := []float64{0, math.Copysign(0, -1), 1e-300, -1e-300, 1e-9, -1e-9, 30, -30, 700, -700, 750, -750, 1e308, -1e308, math.Inf(1), math.Inf(-1)}
	for range 5000 {
		z = append(z, rng.NormFloat64()*8)
	}
	for n := 0; n <= len(z); n += 1 + n/7 {
		y := make([]float64, n)
		for i := range y {
			y[i] = -1
		}
		done := Sigmoid(z[:n], y)
		if want := n &^ 3; haveKernel && done != want || !haveKernel && done != 0 {
			t.Fatalf("Sigmoid of %d values computed %d", n, done)
		}
		for i, v := range z[:n] {
			if i >= done {
				if y[i] != -1 {
					t.Fatalf("Sigmoid of %d values computed %d but wrote y[%d]", n, done, i)
				}
				continue
			}
			want := 1 / (1 + math.Exp(-v))
			// 2e-15 relative: the polynomial's error plus the rounding of
			// the division, far inside the 1e-9 of the Keras goldens.
			if d := math.Abs(y[i] - want); d > 2e-15*want && d > 1e-300 {
				t.Fatalf("sigmoid(%g) = %.17g, want %.17g (n=%d)", v, y[i], want, n)
			}
		}
	}
}

// TestSigmoid32 compares the float32 kernel with the formula in float64 on
// ordinary, tiny, huge and extreme inputs and on every length mod 8, and
// checks that it leaves the values it does not compute alone.
func TestSigmoid32(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	z := []float32{0, float32(math.Copysign(0, -1)), 1e-30, -1e-30, 1e-7, -1e-7, 30, -30, 87, -87, 88, -88, 100, -100,
		math.MaxFloat32, -math.MaxFloat32, float32(math.Inf(1)), float32(math.Inf(-1))}
	for range 5000 {
		z = append(z, float32(rng.NormFloat64()*8))
	}
	for n := 0; n <= len(z); n += 1 + n/7 {
		y := make([]float32, n)
		for i := range y {
			y[i] = -1
		}
		done := Sigmoid32(z[:n], y)
		if want := n &^ 7; haveKernel && done != want || !haveKernel && done != 0 {
			t.Fatalf("Sigmoid32 of %d values computed %d", n, done)
		}
		for i, v := range z[:n] {
			if i >= done {
				if y[i] != -1 {
					t.Fatalf("Sigmoid32 of %d values computed %d but wrote y[%d]", n, done, i)
				}
				continue
			}
			want := 1 / (1 + math.Exp(-float64(v)))
			// 3e-7 relative: two float32 roundings and the polynomial's
			// error; below the smallest normal float32 the result is 0 or
			// a subnormal close to it.
			if d := math.Abs(float64(y[i]) - want); d > 3e-7*want && d > 1e-37 {
				t.Fatalf("sigmoid32(%g) = %.9g, want %.9g (n=%d)", v, y[i], want, n)
			}
		}
	}
}
