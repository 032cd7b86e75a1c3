//go:build !amd64

package kernels

// Sigmoid computes no values on this architecture, which has no vector
// kernel, and returns 0: the caller computes them all.
func Sigmoid(z, y []float64) (n int) {
	return 0
}

// Tanh computes no values on this architecture and returns 0.
func Tanh(z, y []float64) (n int) { return 0 }

// Sigmoid32 computes no values on this architecture and returns 0.
func Sigmoid32(z, y []float32) (n int) { return 0 }

// KeepPositive computes no values on this architecture and returns 0.
func KeepPositive(dst, x, m []float64) (n int) { return 0 }

// KeepPositive32 computes no values on this architecture and returns 0.
func KeepPositive32(dst, x, m []float32) (n int) { return 0 }

// Mul computes no values on this architecture and returns 0.
func Mul(dst, x, m []float64) (n int) { return 0 }

// Mul32 computes no values on this architecture and returns 0.
func Mul32(dst, x, m []float32) (n int) { return 0 }

// AddRows adds no columns on this architecture and returns 0.
func AddRows(g, m []float64, n int) (c int) { return 0 }

// AddRows32 adds no columns on this architecture and returns 0.
func AddRows32(g, m []float32, n int) (c int) { return 0 }
