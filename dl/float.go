package dl

import (
	"fmt"
	"strings"
	"sync/atomic"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"

	"github.com/dlgo/dlgo/internal/kernels"
)

// float is the element type of the compute path: float64, the default and
// the path of the Keras parity goldens, or float32, Keras's default.
// Layers write their maths once, generic over float; a model runs the
// instantiation of its dtype.
type float interface{ float32 | float64 }

// dtype is a model's element type.
type dtype uint8

const (
	float64Type dtype = iota
	float32Type
)

// String returns the dtype as Keras names it.
func (d dtype) String() string {
	if d == float32Type {
		return "float32"
	}
	return "float64"
}

// bytes returns the size of one value.
func (d dtype) bytes() int {
	if d == float32Type {
		return 4
	}
	return 8
}

// dtypeOf returns the dtype of T.
func dtypeOf[T float]() dtype {
	var z T
	if _, ok := any(z).(float32); ok {
		return float32Type
	}
	return float64Type
}

// parseDtype reads a dtype as Keras spells it; field is the argument as
// the student wrote it, for the error.
func parseDtype(field, s string) (dtype, error) {
	switch strings.ToLower(s) {
	case "float64":
		return float64Type, nil
	case "float32":
		return float32Type, nil
	}
	return 0, fmt.Errorf("unknown %s %q; use \"float32\" (Keras's default) or \"float64\"", field, s)
}

// floatX is the dtype of models that do not set their own (see SetFloatX).
var floatX atomic.Uint32

// SetFloatX sets the element type of the weights and computations of the
// models built from now on that do not set Model.Dtype: "float64" (dl's
// default) or "float32" (Keras's default) (Keras:
// keras.config.set_floatx). Models already built keep their dtype.
//
// float32 halves the memory of the weights, of the optimizer's state and of
// the activations, and runs the large matrix products about twice as fast;
// float64 computes with about 16 digits instead of 7. See the README's
// section on dtypes.
func SetFloatX(dt string) error {
	d, err := parseDtype("dtype", dt)
	if err != nil {
		return &Error{Op: "SetFloatX", Msg: err.Error()}
	}
	floatX.Store(uint32(d))
	return nil
}

// FloatX returns the dtype that SetFloatX set: "float64" unless changed
// (Keras: keras.config.floatx).
func FloatX() string { return dtype(floatX.Load()).String() }

// pick returns f32 for float32 and f64 for float64: a layer's newOp builds
// its op for both element types with it.
func pick(dt dtype, f32, f64 any) any {
	if dt == float32Type {
		return f32
	}
	return f64
}

// tens is a tensor of either element type, the values that flow through a
// model's ops. A *Tensor is a *tens[float64] (see tensOf).
type tens[T float] struct {
	shape []int
	data  []T
}

// tensOf returns t as the ops see it, sharing its data.
func tensOf(t *Tensor) *tens[float64] { return (*tens[float64])(t) }

// resize makes *t a tensor of the given shape, reusing its storage when it
// is large enough. The contents are unspecified.
func resize[T float](t **tens[T], shape ...int) *tens[T] {
	n := 1
	for _, d := range shape {
		n *= d
	}
	if *t == nil {
		*t = &tens[T]{}
	}
	x := *t
	if cap(x.data) < n {
		x.data = make([]T, n)
	}
	x.data = x.data[:n]
	if len(x.shape) != len(shape) {
		x.shape = make([]int, len(shape))
	}
	copy(x.shape, shape)
	return x
}

// view makes *t a tensor of the given shape over data (no copy), reusing
// the tens value.
func view[T float](t **tens[T], data []T, shape ...int) *tens[T] {
	if *t == nil {
		*t = &tens[T]{}
	}
	v := *t
	if len(v.shape) != len(shape) {
		v.shape = make([]int, len(shape))
	}
	copy(v.shape, shape)
	n := 1
	for _, d := range shape {
		n *= d
	}
	v.data = data[:n]
	return v
}

// rows makes *dst a view of rows [from, to) of t along the first axis,
// sharing t's data and reusing *dst.
func (t *tens[T]) rows(dst **tens[T], from, to int) *tens[T] {
	if *dst == nil {
		*dst = &tens[T]{}
	}
	v, per := *dst, rowSize(t.shape)
	v.shape = append(v.shape[:0], t.shape...)
	v.shape[0] = to - from
	v.data = t.data[from*per : to*per : to*per]
	return v
}

// convert copies src into dst, converting each value.
func convert[D, S float](dst []D, src []S) {
	if d, ok := any(dst).([]S); ok {
		copy(d, src)
		return
	}
	for i, v := range src {
		dst[i] = D(v)
	}
}

// toTens returns t in element type T: t itself for float64, a converted
// copy for float32.
func toTens[T float](t *Tensor) *tens[T] {
	if v, ok := any(tensOf(t)).(*tens[T]); ok {
		return v
	}
	out := &tens[T]{shape: append([]int(nil), t.shape...), data: make([]T, len(t.data))}
	convert(out.data, t.data)
	return out
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

// impl32 is gonum's float32 BLAS, which gemmStrided uses for strided operands.
var impl32 = blas32.Implementation()
