package dl

import (
	"fmt"
	"strings"
	"sync/atomic"
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
// its op for both element types with it, and returns the one of dt (an op
// is a few words until its first call sizes its buffers).
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
