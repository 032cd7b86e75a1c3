package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestDropout checks that Dropout and Dropout32 give bitwise DropoutGo's
// masks, values and state for every length up to 70, for keep rates from
// 0 to nearly 1 and thresholds that do not fit 32 bits (declined), with y
// apart from x and in place, and that DropoutGo continues their stream.
func TestDropout(t *testing.T) {
	t.Run("float64", func(t *testing.T) { checkDropout(t, Dropout, 16) })
	t.Run("float32", func(t *testing.T) { checkDropout(t, Dropout32, 16) })
}

func checkDropout[T gemmFloat](t *testing.T, kernel func(x, mask, y []T, state, threshold uint64, scale float64) (int, uint64), lanes int) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, keep := range []float64{0, 0.1, 0.6, 0.5, 0.999999, 1} {
		threshold := uint64(keep * (1 << 32))
		scale := 0.0
		if keep > 0 {
			scale = 1 / keep
		}
		for n := 0; n <= 70; n++ {
			x := make([]T, n)
			for i := range x {
				x[i] = T(rng.NormFloat64())
			}
			if n > 3 {
				x[1], x[2], x[3] = T(math.Inf(-1)), T(math.NaN()), T(math.Copysign(0, -1))
			}
			state := rng.Uint64()
			wantMask, wantY := make([]T, n), make([]T, n)
			wantState := DropoutGo(x, wantMask, wantY, state, threshold, scale)
			for _, inPlace := range []bool{false, true} {
				mask, y := make([]T, n), make([]T, n)
				xs := x
				if inPlace {
					y = append([]T(nil), x...)
					xs = y
				}
				done, next := kernel(xs, mask, y, state, threshold, scale)
				want := n / lanes * lanes
				if !haveDropout || threshold > 1<<32-1 {
					want = 0
				}
				if done != want {
					t.Fatalf("keep %v, n=%d: %d values done, want %d", keep, n, done, want)
				}
				next = DropoutGo(xs[done:], mask[done:], y[done:], next, threshold, scale)
				if next != wantState {
					t.Fatalf("keep %v, n=%d: state %#x, want %#x", keep, n, next, wantState)
				}
				for i := range n {
					if math.Float64bits(float64(mask[i])) != math.Float64bits(float64(wantMask[i])) ||
						math.Float64bits(float64(y[i])) != math.Float64bits(float64(wantY[i])) {
						t.Fatalf("keep %v, n=%d, in place %v, value %d: mask %v y %v, want %v %v",
							keep, n, inPlace, i, mask[i], y[i], wantMask[i], wantY[i])
					}
				}
			}
		}
	}
}
