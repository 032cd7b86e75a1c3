package dl

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Tensor is an n-dimensional array of float64 values stored in row-major
// order (the last axis varies fastest), like a NumPy array.
//
// The first axis is the batch (sample) axis: a (569, 30) tensor holds 569
// rows of 30 features, a (200, 4, 1) tensor holds 200 windows of 4 time
// steps with 1 feature each.
//
// Constructors panic on impossible shapes, as make and gonum's mat.NewDense
// do; the model methods that take tensors return errors instead.
type Tensor struct {
	shape []int
	data  []float64
}

// Zeros returns a tensor of the given shape filled with zeros.
// It panics if a dimension is negative.
func Zeros(shape ...int) *Tensor {
	n := checkShape("Zeros", shape)
	return &Tensor{shape: append([]int(nil), shape...), data: make([]float64, n)}
}

// FromSlice returns a tensor of the given shape that uses data as its backing
// array (no copy), like mat.NewDense. With no shape it is one-dimensional.
// It panics if len(data) is not the product of the dimensions.
func FromSlice(data []float64, shape ...int) *Tensor {
	if len(shape) == 0 {
		shape = []int{len(data)}
	}
	n := checkShape("FromSlice", shape)
	if n != len(data) {
		panic(fmt.Sprintf("dl: FromSlice: shape %s needs %d values, received %d", ShapeString(shape), n, len(data)))
	}
	return &Tensor{shape: append([]int(nil), shape...), data: data}
}

// FromRows returns a 2-D tensor with one row per element of rows (copied).
// It panics if the rows differ in length.
func FromRows(rows [][]float64) *Tensor {
	cols := 0
	if len(rows) > 0 {
		cols = len(rows[0])
	}
	t := Zeros(len(rows), cols)
	for i, r := range rows {
		if len(r) != cols {
			panic(fmt.Sprintf("dl: FromRows: row %d has %d values, row 0 has %d", i, len(r), cols))
		}
		copy(t.data[i*cols:], r)
	}
	return t
}

// From3D returns a 3-D tensor (samples, timesteps, features) copied from x.
// It panics if x is ragged.
func From3D(x [][][]float64) *Tensor {
	var d1, d2 int
	if len(x) > 0 {
		d1 = len(x[0])
		if d1 > 0 {
			d2 = len(x[0][0])
		}
	}
	t := Zeros(len(x), d1, d2)
	for i, m := range x {
		if len(m) != d1 {
			panic(fmt.Sprintf("dl: From3D: x[%d] has %d rows, x[0] has %d", i, len(m), d1))
		}
		for j, r := range m {
			if len(r) != d2 {
				panic(fmt.Sprintf("dl: From3D: x[%d][%d] has %d values, x[0][0] has %d", i, j, len(r), d2))
			}
			copy(t.data[(i*d1+j)*d2:], r)
		}
	}
	return t
}

// FromMatrix returns a 2-D tensor holding a copy of m.
func FromMatrix(m mat.Matrix) *Tensor {
	r, c := m.Dims()
	t := Zeros(r, c)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			t.data[i*c+j] = m.At(i, j)
		}
	}
	return t
}

// Shape returns a copy of the tensor's dimensions.
func (t *Tensor) Shape() []int { return append([]int(nil), t.shape...) }

// Rank returns the number of dimensions (NumPy: ndim).
func (t *Tensor) Rank() int { return len(t.shape) }

// Len returns the size of the first axis, the number of samples (Python: len(x)).
func (t *Tensor) Len() int {
	if len(t.shape) == 0 {
		return 0
	}
	return t.shape[0]
}

// Size returns the number of elements.
func (t *Tensor) Size() int { return len(t.data) }

// Data returns the backing slice in row-major order. Changing it changes the tensor.
func (t *Tensor) Data() []float64 { return t.data }

// offset returns the position of the element at idx, panicking on a bad index.
func (t *Tensor) offset(idx []int) int {
	if len(idx) != len(t.shape) {
		panic(fmt.Sprintf("dl: Tensor of shape %s needs %d indices, received %d", ShapeString(t.shape), len(t.shape), len(idx)))
	}
	off := 0
	for i, v := range idx {
		if v < 0 || v >= t.shape[i] {
			panic(fmt.Sprintf("dl: index %d out of range for axis %d of a tensor of shape %s", v, i, ShapeString(t.shape)))
		}
		off = off*t.shape[i] + v
	}
	return off
}

// At returns the element at the given indices, one per axis.
// It panics if an index is out of range.
func (t *Tensor) At(idx ...int) float64 { return t.data[t.offset(idx)] }

// Set sets the element at the given indices to v.
// It panics if an index is out of range.
func (t *Tensor) Set(v float64, idx ...int) { t.data[t.offset(idx)] = v }

// Clone returns a deep copy of t.
func (t *Tensor) Clone() *Tensor {
	return &Tensor{shape: append([]int(nil), t.shape...), data: append([]float64(nil), t.data...)}
}

// Reshape returns a tensor with the same data (not copied) and a new shape.
// One dimension may be -1, meaning "whatever is left", as in NumPy.
// It panics if the sizes do not match.
func (t *Tensor) Reshape(shape ...int) *Tensor {
	shape = append([]int(nil), shape...)
	known, free := 1, -1
	for i, d := range shape {
		if d == -1 && free < 0 {
			free = i
			continue
		}
		if d < 0 {
			panic(fmt.Sprintf("dl: Reshape: invalid shape %v", shape))
		}
		known *= d
	}
	if free >= 0 && known > 0 {
		shape[free] = len(t.data) / known
		known *= shape[free]
	}
	if known != len(t.data) {
		panic(fmt.Sprintf("dl: Reshape: cannot reshape a tensor of shape %s (%d values) into %v", ShapeString(t.shape), len(t.data), shape))
	}
	return &Tensor{shape: shape, data: t.data}
}

// Slice returns the samples [from, to) along the first axis as a view that
// shares t's data, like x[from:to] in NumPy. It panics if the range is invalid.
func (t *Tensor) Slice(from, to int) *Tensor {
	if len(t.shape) == 0 || from < 0 || to < from || to > t.shape[0] {
		panic(fmt.Sprintf("dl: Slice(%d, %d) out of range for a tensor of shape %s", from, to, ShapeString(t.shape)))
	}
	per := rowSize(t.shape)
	shape := append([]int{to - from}, t.shape[1:]...)
	return &Tensor{shape: shape, data: t.data[from*per : to*per : to*per]}
}

// Matrix returns t as a gonum matrix (copied). A tensor of rank 1 becomes a
// column; higher ranks keep the first axis and flatten the rest.
func (t *Tensor) Matrix() *mat.Dense {
	r, c := 1, 1
	switch len(t.shape) {
	case 0:
	case 1:
		r = t.shape[0]
	default:
		r, c = t.shape[0], rowSize(t.shape)
	}
	if r == 0 || c == 0 {
		panic(fmt.Sprintf("dl: Matrix: a tensor of shape %s is empty", ShapeString(t.shape)))
	}
	return mat.NewDense(r, c, append([]float64(nil), t.data...))
}

// String formats the tensor like NumPy, followed by its shape. Large tensors
// are summarized with "..." after three leading and trailing entries per axis.
func (t *Tensor) String() string {
	var b strings.Builder
	b.WriteString("Tensor(")
	t.format(&b, 0, 0, 7)
	fmt.Fprintf(&b, ", shape=%s)", ShapeString(t.shape))
	return b.String()
}

// format writes the sub-array at axis starting at off; indent is the column of its '['.
func (t *Tensor) format(b *strings.Builder, axis, off, indent int) {
	if len(t.shape) == 0 {
		if len(t.data) > 0 {
			b.WriteString(formatFloat(t.data[0]))
		}
		return
	}
	n := t.shape[axis]
	stride := 1
	for _, d := range t.shape[axis+1:] {
		stride *= d
	}
	b.WriteByte('[')
	const edge = 3
	for i := 0; i < n; i++ {
		if n > 2*edge+1 && i == edge {
			if axis == len(t.shape)-1 {
				b.WriteString("..., ")
			} else {
				b.WriteString("...,\n" + strings.Repeat(" ", indent+1))
			}
			i = n - edge - 1
			continue
		}
		if axis == len(t.shape)-1 {
			b.WriteString(formatFloat(t.data[off+i]))
			if i < n-1 {
				b.WriteString(", ")
			}
			continue
		}
		t.format(b, axis+1, off+i*stride, indent+1)
		if i < n-1 {
			b.WriteString(",\n" + strings.Repeat("\n", len(t.shape)-axis-2) + strings.Repeat(" ", indent+1))
		}
	}
	b.WriteByte(']')
}

// formatFloat prints a value compactly with up to 6 significant digits.
func formatFloat(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Sprint(v)
	}
	return fmt.Sprintf("%.6g", v)
}

// checkShape panics on a negative dimension and returns the element count.
func checkShape(fn string, shape []int) int {
	n := 1
	for _, d := range shape {
		if d < 0 {
			panic(fmt.Sprintf("dl: %s: negative dimension in shape %v", fn, shape))
		}
		n *= d
	}
	return n
}

// rowSize is the number of elements per sample: the product of all axes but the first.
func rowSize(shape []int) int {
	n := 1
	for _, d := range shape[1:] {
		n *= d
	}
	return n
}

// ShapeString formats a shape as NumPy prints x.shape, a Python tuple:
// (3,), (569, 30), (204, 4, 1).
func ShapeString(shape []int) string {
	if len(shape) == 1 {
		return fmt.Sprintf("(%d,)", shape[0])
	}
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = fmt.Sprint(d)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}
