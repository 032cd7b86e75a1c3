package dl

import "github.com/dlgo/dlgo/internal/kernels"

// float is the element type of the compute path: float64, the default and
// the path of the Keras parity goldens, or float32, Keras's default.
// Layers write their maths once, generic over float; the model runs one
// instantiation, chosen by its dtype.
type float interface{ float32 | float64 }

// gemmT computes c = alpha·op(a)·op(b) + beta·c for row-major slices of
// either element type, where op(a) is m×k and op(b) is k×n, ta and tb
// saying whether a and b are stored transposed; see kernels.Gemm and
// kernels.Sgemm.
func gemmT[T float](ta, tb bool, m, n, k int, alpha T, a, b []T, beta T, c []T) {
	switch a := any(a).(type) {
	case []float64:
		kernels.Gemm(ta, tb, m, n, k, float64(alpha), a, any(b).([]float64), float64(beta), any(c).([]float64))
	case []float32:
		kernels.Sgemm(ta, tb, m, n, k, float32(alpha), a, any(b).([]float32), float32(beta), any(c).([]float32))
	}
}
