package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSigmoid compares the vectorized sigmoids, float64 and float32, with
// the scalar formula in float64 on ordinary, tiny, huge, extreme and NaN
// inputs and on every length mod the vector width, and checks that they
// leave the values they do not compute alone.
func TestSigmoid(t *testing.T) {
	// float64: 2e-15 relative, the polynomial's error plus the rounding of
	// the division, far inside the 1e-9 of the Keras goldens.
	t.Run("float64", func(t *testing.T) {
		checkUnary(t, "sigmoid", Sigmoid, sigmoidRef, 4, 2e-15, 1e-300, []float64{0, math.Copysign(0, -1), 1e-300, -1e-300, 1e-9, -1e-9,
			30, -30, 700, -700, 750, -750, 1e308, -1e308, math.Inf(1), math.Inf(-1), math.NaN()})
	})
	// float32: 3e-7 relative, two float32 roundings and the polynomial's
	// error; below the smallest normal float32 the result is 0 or a
	// subnormal close to it.
	t.Run("float32", func(t *testing.T) {
		checkUnary(t, "sigmoid", Sigmoid32, sigmoidRef, 8, 3e-7, 1e-37, []float32{0, float32(math.Copysign(0, -1)), 1e-30, -1e-30, 1e-7,
			-1e-7, 30, -30, 87, -87, 88, -88, 100, -100, math.MaxFloat32, -math.MaxFloat32,
			float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN())})
	})
}

// TestTanh checks that the vectorized tanh is bitwise math.Tanh: on both
// sides of its formulas' boundaries (0.625 and 44.0148…), where it
// saturates, on zeros, tiny and huge values, infinities and NaN, and on
// 200,000 values of scales from 1e-3 to 100.
func TestTanh(t *testing.T) {
	z := []float64{0, math.Copysign(0, -1), 1e-300, -1e-300, 5e-324, 1e-9, -1e-9, 0.6249999999999999, 0.625,
		-0.625, 0.6250000000000001, 1, -1, 22, 44, 44.014845965556525, 44.01484596555653, -44.02, 300, -300, 710,
		1e308, -1e308, math.Inf(1), math.Inf(-1), math.NaN()}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200000 {
		z = append(z, rng.NormFloat64()*math.Pow(10, 5*rng.Float64()-3))
	}
	checkUnary(t, "tanh", Tanh, math.Tanh, 4, 0, 0, z)
}

// sigmoidRef is the logistic function in float64.
func sigmoidRef(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// checkUnary checks a vector kernel computing f on the values z and 5,000
// normal values of deviation 8: every length up to len(z) (a seventh more
// each time), within rel relative or abs absolute of ref in float64, NaN
// for NaN, and the values it does not compute left alone.
func checkUnary[T float32 | float64](t *testing.T, f string, kernel func(z, y []T) int, ref func(float64) float64, lanes int, rel, abs float64, z []T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		z = append(z, T(rng.NormFloat64()*8))
	}
	for n := 0; n <= len(z); n += 1 + n/7 {
		y := make([]T, n)
		for i := range y {
			y[i] = -1
		}
		done := kernel(z[:n], y)
		if want := n &^ (lanes - 1); haveKernel && done != want || !haveKernel && done != 0 {
			t.Fatalf("the %s of %d values computed %d", f, n, done)
		}
		for i, v := range z[:n] {
			if i >= done {
				if y[i] != -1 {
					t.Fatalf("the %s of %d values computed %d but wrote y[%d]", f, n, done, i)
				}
				continue
			}
			want := ref(float64(v))
			got := float64(y[i])
			if math.IsNaN(want) != math.IsNaN(got) || !math.IsNaN(want) && math.Signbit(want) != math.Signbit(got) {
				t.Fatalf("%s(%g) = %.17g, want %.17g (n=%d)", f, v, got, want, n)
			}
			if d := math.Abs(got - want); d > rel*math.Abs(want) && d > abs {
				t.Fatalf("%s(%g) = %.17g, want %.17g (n=%d)", f, v, got, want, n)
			}
		}
	}
}
