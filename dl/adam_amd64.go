package dl

// adamStepAVX2 is Adam's update of n values (n a multiple of 4) in AVX2.
//
//go:noescape
func adamStepAVX2(w, grad, m, v *float64, n int, b1c, b2c, alpha, eps float64)

// adamStep applies Adam's update to w, with the vector instructions where
// the CPU has them and Go for the rest.
func adamStep(w, g, m, v []float64, b1c, b2c, alpha, eps float64) {
	n := 0
	if haveKernel && len(w) >= 4 {
		n = len(w) &^ 3
		adamStepAVX2(&w[0], &g[0], &m[0], &v[0], n, b1c, b2c, alpha, eps)
	}
	adamStepGo(w[n:], g[n:len(w)], m[n:len(w)], v[n:len(w)], b1c, b2c, alpha, eps)
}
