package dl

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"

	"github.com/dlgo/dlgo/internal/kernels"
)

// The numeric kernels live in internal/kernels; these are the names the
// layers and optimizers call them by.

// impl and impl32 are gonum's BLAS, which gemmStrided uses for strided
// operands.
var (
	impl   = blas64.Implementation()
	impl32 = blas32.Implementation()
)

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

// mulSlice sets dst[i] = x[i]·m[i] for the first values with the vector
// kernel (kernels.Mul), returning how many.
func mulSlice[T float](dst, x, m []T) int {
	switch x := any(x).(type) {
	case []float64:
		return kernels.Mul(any(dst).([]float64), x, any(m).([]float64))
	case []float32:
		return kernels.Mul32(any(dst).([]float32), x, any(m).([]float32))
	}
	return 0
}

// dropoutKernel applies dropout masks to the first values of x with the
// vector kernel (kernels.Dropout), returning how many and the generator's
// state after them.
func dropoutKernel[T float](x, mask, y []T, state, threshold uint64, scale float64) (int, uint64) {
	switch x := any(x).(type) {
	case []float64:
		return kernels.Dropout(x, any(mask).([]float64), any(y).([]float64), state, threshold, scale)
	case []float32:
		return kernels.Dropout32(x, any(mask).([]float32), any(y).([]float32), state, threshold, scale)
	}
	return 0, state
}

// sigmoidSlice sets y[i] = sigmoid(z[i]), four at a time where the CPU has
// AVX2 and FMA (kernels.Sigmoid).
func sigmoidSlice(z, y []float64) {
	for i := kernels.Sigmoid(z, y); i < len(z); i++ {
		y[i] = sigmoid(z[i])
	}
}

// tanhSlice sets y[i] = tanh(z[i]), four at a time where the CPU has AVX2
// and FMA (kernels.Tanh, bitwise math.Tanh there), and with math.Tanh
// elsewhere.
func tanhSlice(z, y []float64) {
	for i := kernels.Tanh(z, y); i < len(z); i++ {
		y[i] = math.Tanh(z[i])
	}
}

// sigmoidSlice32 is sigmoidSlice for float32, eight at a time where the
// CPU has AVX2 and FMA (kernels.Sigmoid32).
func sigmoidSlice32(z, y []float32) {
	for i := kernels.Sigmoid32(z, y); i < len(z); i++ {
		y[i] = float32(sigmoid(float64(z[i])))
	}
}

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

// Tiles of gemmStrided: gonum's Dgemm multiplies a C of fewer than four
// 64×64 blocks serially, without starting goroutines (which allocate).
const (
	stridedTileRows = 64
	stridedTileCols = 192
)

// gemmStrided is gemmT on sub-matrices: a, b and c are row-major with
// leading dimensions lda, ldb and ldc (row strides), so that a block of
// columns of a fused weight can be multiplied in place. Contiguous operands
// go to gemmT; strided ones are multiplied serially in tiles small enough
// that gonum does not start goroutines, so it does not allocate either.
func gemmStrided[T float](ta, tb bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	natA, natB := k, n
	if ta {
		natA = m
	}
	if tb {
		natB = k
	}
	if lda == natA && ldb == natB && ldc == n {
		gemmT(ta, tb, m, n, k, alpha, a, b, beta, c)
		return
	}
	if k == 0 {
		for i := 0; i < m; i++ {
			row := c[i*ldc : i*ldc+n]
			for j := range row {
				row[j] *= beta
			}
		}
		return
	}
	tA, tB := blas.NoTrans, blas.NoTrans
	if ta {
		tA = blas.Trans
	}
	if tb {
		tB = blas.Trans
	}
	for r0 := 0; r0 < m; r0 += stridedTileRows {
		r1 := min(r0+stridedTileRows, m)
		aOff := r0 * lda
		if ta {
			aOff = r0
		}
		for c0 := 0; c0 < n; c0 += stridedTileCols {
			c1 := min(c0+stridedTileCols, n)
			bOff := c0
			if tb {
				bOff = c0 * ldb
			}
			switch a := any(a).(type) {
			case []float64:
				impl.Dgemm(tA, tB, r1-r0, c1-c0, k, float64(alpha), a[aOff:], lda, any(b).([]float64)[bOff:], ldb, float64(beta), any(c).([]float64)[r0*ldc+c0:], ldc)
			case []float32:
				impl32.Sgemm(tA, tB, r1-r0, c1-c0, k, float32(alpha), a[aOff:], lda, any(b).([]float32)[bOff:], ldb, float32(beta), any(c).([]float32)[r0*ldc+c0:], ldc)
			}
		}
	}
}

// sumRows adds the column sums of m, rows of n values, to g: the columns
// that fill vector registers with kernels.AddRows (bitwise the loop), the
// rest with the loop.
func sumRows[T float](g, m []T, n int) {
	var c int
	switch g := any(g).(type) {
	case []float64:
		c = kernels.AddRows(g, any(m).([]float64), n)
	case []float32:
		c = kernels.AddRows32(g, any(m).([]float32), n)
	}
	g = g[:n]
	for r := 0; r+n <= len(m); r += n {
		for j, v := range m[r+c : r+n] {
			g[c+j] += v
		}
	}
}
