package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestKeepPositive checks KeepPositive and KeepPositive32 against the
// definition on the bits, on every length up to 70, on random values and
// on ±0, ±Inf, NaNs of both signs and subnormals, with dst apart from x
// and m and dst being x and m (ReLU in place).
func TestKeepPositive(t *testing.T) {
	t.Run("float64", func(t *testing.T) {
		checkKeepPositive(t, KeepPositive, 8, func(v float64) bool { return int64(math.Float64bits(v)) > 0 },
			func(v float64) uint64 { return math.Float64bits(v) })
	})
	t.Run("float32", func(t *testing.T) {
		checkKeepPositive(t, KeepPositive32, 16, func(v float32) bool { return int32(math.Float32bits(v)) > 0 },
			func(v float32) uint64 { return uint64(math.Float32bits(v)) })
	})
}

func checkKeepPositive[T gemmFloat](t *testing.T, keep func(dst, x, m []T) int, lanes int, positive func(T) bool, bits func(T) uint64) {
	rng := rand.New(rand.NewPCG(1, 2))
	special := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), -math.NaN(),
		math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64, 0x1p-140, -0x1p-140, 1, -1}
	for n := 0; n <= 70; n++ {
		x, m := operands[T](rng, n, special)
		check := func(what string, got, x, m []T, done int) {
			if want := n / lanes * lanes; haveKernel && done != want || !haveKernel && done != 0 {
				t.Fatalf("%s: %d values, %d done", what, n, done)
			}
			for i := range done {
				want := x[i]
				if !positive(m[i]) {
					want = 0
				}
				if bits(got[i]) != bits(want) {
					t.Fatalf("%s: n=%d, value %d: %v for x %v, m %v", what, n, i, got[i], x[i], m[i])
				}
			}
		}
		dst := make([]T, n)
		check("apart", dst, x, m, keep(dst, x, m))
		in := append([]T(nil), m...)
		check("in place", in, m, m, keep(in, in, in))
	}
}

// TestMul checks Mul and Mul32 against the Go product, bitwise, on every
// length up to 70, with ±0, ±Inf, NaN and subnormal factors, apart and in
// place.
func TestMul(t *testing.T) {
	t.Run("float64", func(t *testing.T) { checkMul(t, Mul, 8) })
	t.Run("float32", func(t *testing.T) { checkMul(t, Mul32, 16) })
}

func checkMul[T gemmFloat](t *testing.T, mul func(dst, x, m []T) int, lanes int) {
	rng := rand.New(rand.NewPCG(5, 6))
	special := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 0x1p-1070, 0x1p-140, 1e300, 2.5}
	for n := 0; n <= 70; n++ {
		x, m := operands[T](rng, n, special)
		want := make([]T, n)
		for i := range n {
			want[i] = x[i] * m[i]
		}
		same := func(a, b T) bool {
			return math.Float64bits(float64(a)) == math.Float64bits(float64(b)) || a != a && b != b
		}
		for _, inPlace := range []bool{false, true} {
			dst, xs := make([]T, n), x
			if inPlace {
				dst = append([]T(nil), x...)
				xs = dst
			}
			done := mul(dst, xs, m)
			if w := n / lanes * lanes; haveKernel && done != w || !haveKernel && done != 0 {
				t.Fatalf("n=%d: %d values done", n, done)
			}
			for i := range done {
				if !same(dst[i], want[i]) {
					t.Fatalf("n=%d, in place %v, value %d: %v·%v = %v, want %v", n, inPlace, i, x[i], m[i], dst[i], want[i])
				}
			}
		}
	}
}

// operands returns n standard-normal values x and m, a third of m replaced
// by values drawn from special.
func operands[T gemmFloat](rng *rand.Rand, n int, special []float64) (x, m []T) {
	x, m = make([]T, n), make([]T, n)
	for i := range n {
		x[i], m[i] = T(rng.NormFloat64()), T(rng.NormFloat64())
		if rng.IntN(3) == 0 {
			m[i] = T(special[rng.IntN(len(special))])
		}
	}
	return x, m
}
