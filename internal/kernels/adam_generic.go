//go:build !amd64

package kernels

// AdamStep updates no values on this architecture, which has no vector
// kernel, and returns 0: the caller's Go loop updates them all.
func AdamStep(w, g, m, v []float64, b1c, b2c, alpha, eps float64) (n int) {
	return 0
}

// AdamStep32 updates no values on this architecture and returns 0.
func AdamStep32(w, g, m, v []float32, b1c, b2c, alpha, eps float32) (n int) {
	return 0
}
