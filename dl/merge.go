package dl

import (
	"fmt"
	"math/rand/v2"
)

// mergeLayer is a layer that takes several inputs (Concatenate, Add, ...).
type mergeLayer interface {
	layer
	// buildN validates the input shapes and returns the output shape.
	buildN(in [][]int) ([]int, error)
}

// A merge op implements nodeOp with forwardN, which combines the inputs,
// and backwardN, which returns the gradient of each input (nil where needDX
// is false).
var (
	_ nodeOp[float64] = (*concatOp[float64])(nil)
	_ nodeOp[float32] = (*elementwiseOp[float32])(nil)

	_ mergeLayer = (*Concatenate)(nil)
	_ mergeLayer = (*Add)(nil)
	_ mergeLayer = (*Subtract)(nil)
	_ mergeLayer = (*Multiply)(nil)
	_ mergeLayer = (*Average)(nil)
)

// buildMerge builds a merge layer for the given input shapes, or checks
// them against an earlier build.
func buildMerge(l mergeLayer, in [][]int, _ *rand.Rand) error {
	b := l.base()
	if b.built {
		if len(in) != len(b.inShapes) {
			return fmt.Errorf("layer %q (%s) was built for %d inputs and cannot take %d", layerName(l), l.className(), len(b.inShapes), len(in))
		}
		for i := range in {
			if !equalShape(in[i], b.inShapes[i]) {
				return fmt.Errorf("layer %q (%s) was built for inputs of shapes %v and cannot take %v", layerName(l), l.className(), b.inShapes, in)
			}
		}
		return nil
	}
	out, err := l.buildN(in)
	if err != nil {
		return fmt.Errorf("layer %q (%s): %w", layerName(l), l.className(), err)
	}
	b.inShapes = in
	b.inShape = in[0]
	b.outShape = out
	b.built = true
	return nil
}

// singleInputPanic is the single-input entry of a merge op, which the
// engine never calls.
type singleInputPanic[T float] struct{}

func (singleInputPanic[T]) forward(*tens[T], bool, *rand.Rand) *tens[T] {
	panic("dl: internal error: merge layer run with one input")
}
func (singleInputPanic[T]) backward(*tens[T], bool) *tens[T] {
	panic("dl: internal error: merge layer run with one input")
}

// Concatenate joins its inputs along one axis (Keras:
// keras.layers.Concatenate). All other dimensions must match. It has no
// weights.
//
//	merged := dl.Call(&dl.Concatenate{}, a, b) // or dl.Concat(a, b)
type Concatenate struct {
	// Axis is the axis to join along, counting the batch axis as 0 as Keras
	// does: 1 is the first feature axis; negative values count from the end.
	// The default (0) means -1, the last axis, which is Keras's default.
	Axis int
	// Name is the layer's name; empty means Keras's default (concatenate, ...).
	Name string

	layerBase
	axis int // resolved, in sample coordinates (without the batch axis)
}

// Concat concatenates nodes along the last axis (Keras:
// keras.layers.concatenate([a, b])).
func Concat(inputs ...*Node) *Node { return Call(&Concatenate{}, inputs...) }

func (c *Concatenate) className() string  { return "Concatenate" }
func (c *Concatenate) nameField() *string { return &c.Name }
func (c *Concatenate) build([]int, *rand.Rand) ([]int, error) {
	return nil, fmt.Errorf("needs at least two inputs")
}
func (c *Concatenate) newOp(dt dtype) any {
	return pick(dt, &concatOp[float32]{c: c}, &concatOp[float64]{c: c})
}

func (c *Concatenate) layerConfig() (obj, error) {
	axis := c.Axis
	if axis == 0 {
		axis = -1
	}
	return mergeConfig("Concatenate", append(layerHead(c), kv{"axis", axis}), &c.layerBase), nil
}

// concatenateFromConfig reads a Concatenate layer.
func concatenateFromConfig(_ *loader, r *rawObj) (Layer, error) {
	c := &Concatenate{Name: r.name()}
	if err := r.field("axis", &c.Axis); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Concatenate) buildN(in [][]int) ([]int, error) {
	if len(in) < 2 {
		return nil, fmt.Errorf("needs at least two inputs, received %d", len(in))
	}
	rank := len(in[0])
	axis := c.Axis
	if axis == 0 {
		axis = -1
	}
	if axis < 0 {
		axis += rank + 1
	}
	if axis < 1 || axis > rank {
		return nil, fmt.Errorf("axis out of range: Axis=%d for inputs of shape %s", c.Axis, formatShape(in[0]))
	}
	c.axis = axis - 1
	out := append([]int(nil), in[0]...)
	out[c.axis] = 0
	for i, s := range in {
		if len(s) != rank {
			return nil, fmt.Errorf("all inputs must have the same rank; input 0 has shape %s, input %d has shape %s", formatShape(in[0]), i, formatShape(s))
		}
		for d := range s {
			if d != c.axis && s[d] != in[0][d] {
				return nil, fmt.Errorf("inputs must match except along the concatenation axis; received shapes %s",
					shapeList(in))
			}
		}
		out[c.axis] += s[c.axis]
	}
	return out, nil
}

// shapeList formats several shapes as Keras prints them.
func shapeList(shapes [][]int) string {
	s := "["
	for i, sh := range shapes {
		if i > 0 {
			s += ", "
		}
		s += formatShape(sh)
	}
	return s + "]"
}

// concatOp is one application of a Concatenate layer.
type concatOp[T float] struct {
	singleInputPanic[T]
	c     *Concatenate
	y     *tens[T]
	dxs   []*tens[T]
	out   []*tens[T]
	shape []int
	xs    []*tens[T]
}

// blocks returns the number of outer blocks and the inner size for axis.
func (o *concatOp[T]) blocks(x *tens[T]) (outer, inner int) {
	outer, inner = 1, 1
	for d := 0; d <= o.c.axis; d++ {
		outer *= x.shape[d]
	}
	for _, d := range x.shape[o.c.axis+2:] {
		inner *= d
	}
	return outer, inner
}

func (o *concatOp[T]) forwardNode(xs, outs []*tens[T], training bool, _ *rand.Rand) {
	outs[0] = o.forwardN(xs, training)
}

func (o *concatOp[T]) backwardNode(dys []*tens[T], needDX []bool) []*tens[T] {
	return o.backwardN(dys[0], needDX)
}

func (o *concatOp[T]) forwardN(xs []*tens[T], _ bool) *tens[T] {
	o.xs = xs
	ax := o.c.axis + 1
	o.shape = append(o.shape[:0], xs[0].shape...)
	o.shape[ax] = 0
	for _, x := range xs {
		o.shape[ax] += x.shape[ax]
	}
	y := resize(&o.y, o.shape...)
	outer, inner := o.blocks(xs[0])
	pos := 0
	for b := 0; b < outer; b++ {
		for _, x := range xs {
			n := x.shape[ax] * inner
			copy(y.data[pos:pos+n], x.data[b*n:(b+1)*n])
			pos += n
		}
	}
	return y
}

func (o *concatOp[T]) backwardN(dy *tens[T], needDX []bool) []*tens[T] {
	xs := o.xs
	if len(o.dxs) != len(xs) {
		o.dxs = make([]*tens[T], len(xs))
		o.out = make([]*tens[T], len(xs))
	}
	ax := o.c.axis + 1
	outer, inner := o.blocks(xs[0])
	for i, x := range xs {
		o.out[i] = nil
		if needDX[i] {
			o.out[i] = resize(&o.dxs[i], x.shape...)
		}
	}
	pos := 0
	for b := 0; b < outer; b++ {
		for i, x := range xs {
			n := x.shape[ax] * inner
			if o.out[i] != nil {
				copy(o.out[i].data[b*n:(b+1)*n], dy.data[pos:pos+n])
			}
			pos += n
		}
	}
	return o.out
}

// elementwise merges: Add, Subtract, Multiply, Average.

// mergeKind says how an elementwise merge combines its inputs.
type mergeKind int

const (
	mergeAdd mergeKind = iota
	mergeSubtract
	mergeMultiply
	mergeAverage
)

// elementwiseMerge is the shared implementation of Add, Subtract, Multiply
// and Average: all inputs have the same shape.
type elementwiseMerge struct {
	layerBase
	kind mergeKind
}

func (e *elementwiseMerge) build([]int, *rand.Rand) ([]int, error) {
	return nil, fmt.Errorf("needs at least two inputs")
}

func (e *elementwiseMerge) buildN(in [][]int) ([]int, error) {
	if len(in) < 2 || (e.kind == mergeSubtract && len(in) != 2) {
		if e.kind == mergeSubtract {
			return nil, fmt.Errorf("needs exactly two inputs, received %d", len(in))
		}
		return nil, fmt.Errorf("needs at least two inputs, received %d", len(in))
	}
	for _, s := range in[1:] {
		if !equalShape(s, in[0]) {
			return nil, fmt.Errorf("inputs must all have the same shape; received shapes %s", shapeList(in))
		}
	}
	return append([]int(nil), in[0]...), nil
}

// elementwiseOp is one application of an elementwise merge.
type elementwiseOp[T float] struct {
	singleInputPanic[T]
	kind mergeKind
	xs   []*tens[T]
	y    *tens[T]
	dxs  []*tens[T]
	out  []*tens[T]
}

func (o *elementwiseOp[T]) forwardNode(xs, outs []*tens[T], training bool, _ *rand.Rand) {
	outs[0] = o.forwardN(xs, training)
}

func (o *elementwiseOp[T]) backwardNode(dys []*tens[T], needDX []bool) []*tens[T] {
	return o.backwardN(dys[0], needDX)
}

func (o *elementwiseOp[T]) forwardN(xs []*tens[T], _ bool) *tens[T] {
	o.xs = xs
	y := resize(&o.y, xs[0].shape...)
	copy(y.data, xs[0].data)
	for _, x := range xs[1:] {
		for i, v := range x.data {
			switch o.kind {
			case mergeSubtract:
				y.data[i] -= v
			case mergeMultiply:
				y.data[i] *= v
			default:
				y.data[i] += v
			}
		}
	}
	if o.kind == mergeAverage {
		inv := 1 / T(len(xs))
		for i := range y.data {
			y.data[i] *= inv
		}
	}
	return y
}

func (o *elementwiseOp[T]) backwardN(dy *tens[T], needDX []bool) []*tens[T] {
	if len(o.dxs) != len(o.xs) {
		o.dxs = make([]*tens[T], len(o.xs))
		o.out = make([]*tens[T], len(o.xs))
	}
	for k, x := range o.xs {
		o.out[k] = nil
		if !needDX[k] {
			continue
		}
		dx := resize(&o.dxs[k], x.shape...)
		for i, g := range dy.data {
			switch o.kind {
			case mergeSubtract:
				if k == 1 {
					g = -g
				}
			case mergeMultiply:
				for j, other := range o.xs {
					if j != k {
						g *= other.data[i]
					}
				}
			case mergeAverage:
				g /= T(len(o.xs))
			}
			dx.data[i] = g
		}
		o.out[k] = dx
	}
	return o.out
}

// Add sums its inputs elementwise (Keras: keras.layers.Add); they must have
// the same shape.
type Add struct {
	// Name is the layer's name; empty means Keras's default (add, add_1, ...).
	Name string
	elementwiseMerge
}

// Subtract returns its first input minus its second (Keras:
// keras.layers.Subtract).
type Subtract struct {
	// Name is the layer's name; empty means Keras's default.
	Name string
	elementwiseMerge
}

// Multiply multiplies its inputs elementwise (Keras: keras.layers.Multiply).
type Multiply struct {
	// Name is the layer's name; empty means Keras's default.
	Name string
	elementwiseMerge
}

// Average averages its inputs elementwise (Keras: keras.layers.Average).
type Average struct {
	// Name is the layer's name; empty means Keras's default.
	Name string
	elementwiseMerge
}

func (l *Add) className() string       { return "Add" }
func (l *Add) nameField() *string      { return &l.Name }
func (l *Add) newOp(dt dtype) any      { return newElementwiseOp(dt, mergeAdd) }
func (l *Subtract) className() string  { return "Subtract" }
func (l *Subtract) nameField() *string { return &l.Name }
func (l *Subtract) newOp(dt dtype) any { return newElementwiseOp(dt, mergeSubtract) }
func (l *Multiply) className() string  { return "Multiply" }
func (l *Multiply) nameField() *string { return &l.Name }
func (l *Multiply) newOp(dt dtype) any { return newElementwiseOp(dt, mergeMultiply) }
func (l *Average) className() string   { return "Average" }
func (l *Average) nameField() *string  { return &l.Name }
func (l *Average) newOp(dt dtype) any  { return newElementwiseOp(dt, mergeAverage) }

func (l *Add) layerConfig() (obj, error)      { return elementwiseConfig(l) }
func (l *Subtract) layerConfig() (obj, error) { return elementwiseConfig(l) }
func (l *Multiply) layerConfig() (obj, error) { return elementwiseConfig(l) }
func (l *Average) layerConfig() (obj, error)  { return elementwiseConfig(l) }

// elementwiseConfig serializes an elementwise merge, which has no arguments
// besides its name.
// newElementwiseOp returns the op of an elementwise merge in dt.
func newElementwiseOp(dt dtype, kind mergeKind) any {
	return pick(dt, &elementwiseOp[float32]{kind: kind}, &elementwiseOp[float64]{kind: kind})
}

func elementwiseConfig(l layer) (obj, error) {
	return mergeConfig(l.className(), layerHead(l), l.base()), nil
}

// buildN for each elementwise layer sets its kind first.
func (l *Subtract) buildN(in [][]int) ([]int, error) {
	l.kind = mergeSubtract
	return l.elementwiseMerge.buildN(in)
}
