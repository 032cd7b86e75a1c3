package dl

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

var impl = blas64.Implementation()

// gemm computes c = alpha·op(a)·op(b) + beta·c for row-major slices, where
// op(a) is m×k and op(b) is k×n. ta and tb say whether a and b are stored
// transposed.
func gemm(ta, tb bool, m, n, k int, alpha float64, a, b []float64, beta float64, c []float64) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		if beta == 0 {
			clear(c[:m*n])
		} else {
			for i := range c[:m*n] {
				c[i] *= beta
			}
		}
		return
	}
	tA, lda := blas.NoTrans, k
	if ta {
		tA, lda = blas.Trans, m
	}
	tB, ldb := blas.NoTrans, n
	if tb {
		tB, ldb = blas.Trans, k
	}
	impl.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, n)
}
