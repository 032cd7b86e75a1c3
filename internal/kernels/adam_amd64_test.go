package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// wideFloat returns ±(1+u)·2^e, u uniform in [0, 1) and e uniform in
// [lo, hi].
func wideFloat(rng *rand.Rand, lo, hi int) float64 {
	x := math.Ldexp(1+rng.Float64(), lo+rng.IntN(hi-lo+1))
	if rng.IntN(2) == 0 {
		x = -x
	}
	return x
}

// TestAdamCheck checks the proof adamStepAVX512 gives its quotients
// without the divider: that it proves no quotient but a/b rounded to
// nearest, among the neighbours of a/b, powers of two, zeros, subnormals,
// infinities and NaNs, and that it proves a/b rounded wherever that is a
// normal number, not a power of two, with a threshold (and the step to
// it) that does not underflow, or ±0 (setting it) where a is.
func TestAdamCheck(t *testing.T) {
	if !haveAVX512 {
		t.Skip("no AVX-512")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	var a, b, q [8]float64
	check := func(exact [8]float64) {
		t.Helper()
		candidates := q
		proven := adamCheck8(&a, &b, &q, false)
		for i := range 8 {
			if a[i] != 0 && math.Float64bits(q[i]) != math.Float64bits(candidates[i]) {
				t.Fatalf("changed the quotient %v of %v/%v to %v", candidates[i], a[i], b[i], q[i])
			}
			got := proven>>i&1 == 1
			if got && math.Float64bits(q[i]) != math.Float64bits(exact[i]) {
				t.Fatalf("proved %v = %v/%v, which is %v", q[i], a[i], b[i], exact[i])
			}
			e := exact[i]
			frac, exp := math.Frexp(math.Abs(e))
			// The check computes b·ulp(e)/2 as (b·2⁻⁵³)·2^e(q).
			threshold := math.Ldexp(b[i], exp-54)
			complete := a[i] == 0 || q[i] == e && frac != 0.5 && math.Abs(e) >= 0x1p-1022 && !math.IsInf(e, 0) &&
				b[i]*0x1p-53 >= 0x1p-1022 && threshold >= 0x1p-1022
			if complete && !got {
				t.Fatalf("did not prove %v = %v/%v", q[i], a[i], b[i])
			}
		}
	}
	specials := []float64{0, math.Copysign(0, -1), 0x1p-1074, 0x1p-1030, math.Inf(1), math.Inf(-1), math.NaN()}
	for range 20000 {
		var exact [8]float64
		for i := range 8 {
			switch rng.IntN(5) {
			case 4: // a zero numerator, as a moment of 0 gives
				a[i], b[i] = math.Copysign(0, wideFloat(rng, 0, 0)), math.Abs(wideFloat(rng, -60, 60))
			case 0: // a quotient that is a power of two
				b[i] = math.Abs(wideFloat(rng, -60, 60))
				a[i] = b[i] * math.Ldexp(math.Copysign(1, wideFloat(rng, 0, 0)), rng.IntN(40)-20)
			case 1: // across the range of normal numbers (the kernel's a and b
				// are results with subnormals flushed to zero)
				a[i], b[i] = wideFloat(rng, -1022, 1020), math.Abs(wideFloat(rng, -1022, 1020))
			default: // Adam's range
				a[i], b[i] = wideFloat(rng, -60, 0), math.Abs(wideFloat(rng, -30, 5))
			}
			exact[i] = a[i] / b[i]
		}
		for _, delta := range []int64{0, 1, -1, 2, -2, 1 << 20} {
			for i := range 8 {
				q[i] = math.Float64frombits(math.Float64bits(exact[i]) + uint64(delta))
			}
			check(exact)
		}
		for i := range 8 {
			q[i] = specials[rng.IntN(len(specials))]
		}
		check(exact)
	}
}

// TestAdamQuotient checks that the quotients adamStepAVX512 computes
// without the divider are proven all but rarely, and rightly.
func TestAdamQuotient(t *testing.T) {
	if !haveAVX512 {
		t.Skip("no AVX-512")
	}
	rng := rand.New(rand.NewPCG(7, 8))
	var a, b, q [8]float64
	const rounds = 50000
	failed := 0
	for range rounds {
		for i := range 8 {
			a[i], b[i] = wideFloat(rng, -60, 0), math.Abs(wideFloat(rng, -30, 5))
		}
		proven := adamCheck8(&a, &b, &q, true)
		for i := range 8 {
			if proven>>i&1 == 0 {
				failed++
			} else if q[i] != a[i]/b[i] {
				t.Fatalf("proved %v = %v/%v, which is %v", q[i], a[i], b[i], a[i]/b[i])
			}
		}
	}
	if failed > rounds*8/10000 {
		t.Errorf("%d of %d quotients left to the divider, want at most 1 in 10,000", failed, rounds*8)
	}
}

// TestAdamStepWide checks AdamStep bitwise against the Go loop on values
// across a wide range of magnitudes, zero moments and gradients among
// them, and a quotient that is a power of two, all of which the vector
// quotient leaves to the divider.
func TestAdamStepWide(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	const n = 4099
	w, g, m, v := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		w[i], g[i], m[i], v[i] = wideFloat(rng, -20, 4), wideFloat(rng, -60, 4), wideFloat(rng, -60, 4), math.Abs(wideFloat(rng, -120, 8))
		switch rng.IntN(8) {
		case 0:
			g[i], m[i] = 0, 0
		case 1:
			g[i] = 0
		case 2:
			v[i] = 0
		}
	}
	ww, wm, wv := append([]float64(nil), w...), append([]float64(nil), m...), append([]float64(nil), v...)
	const b1c, b2c, alpha, eps = 0.1, 0.001, 0.0007, 1e-7
	done := AdamStep(w, g, m, v, b1c, b2c, alpha, eps)
	adamStepGoRef(ww[:done], g, wm, wv, b1c, b2c, alpha, eps)
	for j := range n {
		if math.Float64bits(w[j]) != math.Float64bits(ww[j]) || m[j] != wm[j] || v[j] != wv[j] {
			t.Fatalf("value %d: w, m, v = %v, %v, %v, want %v, %v, %v", j, w[j], m[j], v[j], ww[j], wm[j], wv[j])
		}
	}

	// m = v = 0, b1c = b2c = alpha = 1 and g = ±eps: a = g and b = 2|g|,
	// a quotient of ±1/2.
	for i := range n {
		g[i], m[i], v[i], w[i] = math.Copysign(eps, wideFloat(rng, 0, 0)), 0, 0, 1
	}
	done = AdamStep(w, g, m, v, 1, 1, 1, eps)
	for j := range done {
		if want := 1 - math.Copysign(0.5, g[j]); w[j] != want {
			t.Fatalf("value %d: w = %v, want %v", j, w[j], want)
		}
	}
}

// adamStepGoRef is Adam's update in Go, as the kernels' tests state it.
func adamStepGoRef(w, g, m, v []float64, b1c, b2c, alpha, eps float64) {
	for j := range w {
		m[j] += (g[j] - m[j]) * b1c
		v[j] += (g[j]*g[j] - v[j]) * b2c
		w[j] -= m[j] * alpha / (math.Sqrt(v[j]) + eps)
	}
}
