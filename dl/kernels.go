package dl

import (
	"gonum.org/v1/gonum/blas/blas64"

	"github.com/dlgo/dlgo/internal/kernels"
)

// The numeric kernels live in internal/kernels; these are the names the
// layers and optimizers call them by.

// impl is gonum's BLAS, which gemmStrided uses for strided operands.
var impl = blas64.Implementation()

// gemm computes c = alpha·op(a)·op(b) + beta·c for row-major slices, where
// op(a) is m×k and op(b) is k×n, ta and tb saying whether a and b are
// stored transposed; see kernels.Gemm.
func gemm(ta, tb bool, m, n, k int, alpha float64, a, b []float64, beta float64, c []float64) {
	kernels.Gemm(ta, tb, m, n, k, alpha, a, b, beta, c)
}

// adamStep applies Adam's update to w, with the vector instructions where
// the CPU has them (kernels.AdamStep) and adamStepGo for the rest.
func adamStep[T float](w, g, m, v []T, b1c, b2c, alpha, eps float64) {
	var n int
	switch w := any(w).(type) {
	case []float64:
		n = kernels.AdamStep(w, any(g).([]float64), any(m).([]float64), any(v).([]float64), b1c, b2c, alpha, eps)
	case []float32:
		n = kernels.AdamStep32(w, any(g).([]float32), any(m).([]float32), any(v).([]float32),
			float32(b1c), float32(b2c), float32(alpha), float32(eps))
	}
	adamStepGo(w[n:], g[n:len(w)], m[n:len(w)], v[n:len(w)], T(b1c), T(b2c), T(alpha), T(eps))
}

// sigmoidSlice sets y[i] = sigmoid(z[i]), four at a time where the CPU has
// AVX2 and FMA (kernels.Sigmoid).
func sigmoidSlice(z, y []float64) {
	for i := kernels.Sigmoid(z, y); i < len(z); i++ {
		y[i] = sigmoid(z[i])
	}
}

// sigmoidSlice32 is sigmoidSlice for float32, eight at a time where the
// CPU has AVX2 and FMA (kernels.Sigmoid32).
func sigmoidSlice32(z, y []float32) {
	for i := kernels.Sigmoid32(z, y); i < len(z); i++ {
		y[i] = float32(sigmoid(float64(z[i])))
	}
}
