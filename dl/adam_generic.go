//go:build !amd64

package dl

// adamStep applies Adam's update to w.
func adamStep(w, g, m, v []float64, b1c, b2c, alpha, eps float64) {
	adamStepGo(w, g, m, v, b1c, b2c, alpha, eps)
}
