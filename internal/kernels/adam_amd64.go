package kernels

// adamStepAVX2 is Adam's update of n values (n a multiple of 4) in AVX2.
//
//go:noescape
func adamStepAVX2(w, grad, m, v *float64, n int, b1c, b2c, alpha, eps float64)

// adamStepAVX512 is Adam's update of n values (n a multiple of 8) in
// AVX-512, bitwise adamStepAVX2's.
//
//go:noescape
func adamStepAVX512(w, grad, m, v *float64, n int, b1c, b2c, alpha, eps float64)

// AdamStep applies Adam's update (b1c = 1-β1, b2c = 1-β2, alpha the
// bias-corrected learning rate) to the first n values of w, m and v, n the
// largest multiple of 4 up to len(w), with the vector instructions where
// the CPU has AVX2 and FMA, and returns n; elsewhere it returns 0. With
// AVX-512, it takes eight values at a time and computes the quotient with
// multiply-adds, proving it correctly rounded (see adam_amd64.s), which
// takes a third off the time the divider bounds. The caller updates the
// rest, in the same order of operations:
//
//	m += (g - m)·b1c;  v += (g² - v)·b2c;  w -= m·alpha / (√v + eps)
//
// The results are bitwise those of that Go loop, except that subnormal
// values count as zero (see AdamStep32). g, m and v must be at least as
// long as w.
func AdamStep(w, g, m, v []float64, b1c, b2c, alpha, eps float64) (n int) {
	if !haveKernel || len(w) < 4 {
		return 0
	}
	n = len(w) &^ 3
	_, _, _ = g[n-1], m[n-1], v[n-1]
	if haveAVX512 && n >= 8 {
		n8 := n &^ 7
		adamStepAVX512(&w[0], &g[0], &m[0], &v[0], n8, b1c, b2c, alpha, eps)
		if n == n8 {
			return n
		}
		w, g, m, v = w[n8:], g[n8:], m[n8:], v[n8:]
	}
	adamStepAVX2(&w[0], &g[0], &m[0], &v[0], len(w)&^3, b1c, b2c, alpha, eps)
	return n
}

// adamStep32AVX2 is Adam's update of n float32 values (n a multiple of 8)
// in AVX2.
//
//go:noescape
func adamStep32AVX2(w, grad, m, v *float32, n int, b1c, b2c, alpha, eps float32)

// AdamStep32 is AdamStep for float32: it updates the first n values, n the
// largest multiple of 8 up to len(w), eight at a time where the CPU has
// AVX2 and FMA, and returns n (0 elsewhere). The results are bitwise those
// of the Go loop in float32, square root included, except that subnormal
// values count as zero, as in XLA: the CPU computes with them many times
// slower, and the moments of weights whose gradient stays zero decay into
// them.
func AdamStep32(w, g, m, v []float32, b1c, b2c, alpha, eps float32) (n int) {
	if haveKernel && len(w) >= 8 {
		n = len(w) &^ 7
		_, _, _ = g[n-1], m[n-1], v[n-1]
		adamStep32AVX2(&w[0], &g[0], &m[0], &v[0], n, b1c, b2c, alpha, eps)
	}
	return n
}

// adamCheck8 returns the lanes whose q adamStepAVX512's check proves to be
// a/b rounded to nearest, having set q to ±0 where a is ±0, as the check
// does, and with quotient having first computed q as adamStepAVX512 does
// before it resorts to the divider: for the tests.
//
//go:noescape
func adamCheck8(a, b, q *[8]float64, quotient bool) (proven uint8)
