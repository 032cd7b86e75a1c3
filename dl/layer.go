package dl

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dlgo/dlgo/internal/h5"
)

// Layer is one of dl's layers: *Dense, *Dropout, *InputLayer, ... Layers
// are configured with struct literals whose fields are Keras's constructor
// arguments, and are built (their weights created) when the model that holds
// them learns its input shape.
//
// Layer is closed: its method is unexported, so only dl's layers implement
// it. A model needs more from a layer than a public interface could promise
// without freezing dl's internals: building against an input shape, a
// per-call worker with its own buffers that runs forward and backward on the
// layer's shared weights, and the Keras config that Save writes and
// LoadModel reads back. Keeping these unexported leaves dl free to change
// them without breaking programs that use its layers.
type Layer interface {
	// base gives the model access to the layer's bookkeeping. It is
	// unexported: dl's layers are the only implementations.
	base() *layerBase
}

// layerBase is the bookkeeping every layer embeds: its resolved name, its
// built state and its weights.
type layerBase struct {
	name     string
	built    bool
	inShape  []int   // input shape without the batch axis, once built
	outShape []int   // output shape without the batch axis, once built
	inShapes [][]int // all input shapes of a merge layer, once built
	params   []*param
	calls    int // how many times the layer has been applied (Call)
}

func (b *layerBase) base() *layerBase { return b }

// layer is what the model needs from each layer implementation. A layer
// with several inputs is also a mergeLayer; one that can return several
// tensors is also a multiOutputLayer; one with weights is also a
// weightPlanner. A new layer is a file that implements these, next to its
// maths, and a line in layerRegistry that reads its config back.
type layer interface {
	Layer
	// className is the Keras class name, e.g. "Dense".
	className() string
	// nameField points at the user's Name field (may be empty).
	nameField() *string
	// build validates the configuration against the input shape (without
	// the batch axis), creates the weights from rng, and returns the output
	// shape. Errors name the argument as the student wrote it.
	build(in []int, rng *rand.Rand) ([]int, error)
	// newOp returns a fresh per-call-site worker that runs the layer forward
	// and backward with its own buffers and the layer's shared weights: an
	// op[T] or nodeOp[T] for the T of dt (see pick).
	newOp(dt dtype) any
	// layerConfig serializes the built layer as Keras writes it in a .keras
	// file's config.json. The function that reads it back is registered
	// under className in layerRegistry.
	layerConfig() (obj, error)
}

// multiOutputLayer is a layer whose calls can return several tensors (a
// recurrent layer with ReturnState, a model used as a layer): a call to it
// has one node per output.
type multiOutputLayer interface {
	layer
	// outputShapes returns the shapes, without the batch axis, of every
	// output of the built layer.
	outputShapes() [][]int
}

// stateLayer is a recurrent layer, which returns its final states as extra
// outputs when ReturnState is set. A Sequential model cannot pass them on.
type stateLayer interface {
	layer
	// returnsState reports whether the built layer returns its final
	// states too.
	returnsState() bool
}

// op runs one application of a single-input, single-output layer in
// element type T. forward keeps what backward needs; backward accumulates
// weight gradients into the layer's params and returns the gradient with
// respect to the input (nil if needDX is false).
type op[T float] interface {
	forward(x *tens[T], training bool, rng *rand.Rand) *tens[T]
	backward(dy *tens[T], needDX bool) *tens[T]
}

// nodeOp is the contract between the model graph and an op: forwardNode
// receives the outputs of the nodes the call takes (xs, one per input) and
// stores the call's outputs in outs (one per output); backwardNode
// receives the gradient of each output (nil means zero) and returns the
// gradient of each input, nil where needDX is false. The returned slice
// belongs to the op. An op with several inputs (a merge) or several outputs
// (a recurrent layer) implements nodeOp itself; bindOp adapts every other
// op.
type nodeOp[T float] interface {
	forwardNode(xs, outs []*tens[T], training bool, rng *rand.Rand)
	backwardNode(dys []*tens[T], needDX []bool) []*tens[T]
}

// newNodeOp returns a fresh op of l in element type T, as the graph sees it.
func newNodeOp[T float](l layer) nodeOp[T] { return bindOp[T](l.newOp(dtypeOf[T]())) }

// bindOp returns the graph's view of o, an op[T] or a nodeOp[T]: o itself
// if it is a nodeOp, else o as an op with one input and one output.
func bindOp[T float](o any) nodeOp[T] {
	if n, ok := o.(nodeOp[T]); ok {
		return n
	}
	return &singleOp[T]{op: o.(op[T])}
}

// singleOp is a nodeOp for an op with one input and one output.
type singleOp[T float] struct {
	op[T]
	dxs [1]*tens[T]
}

func (s *singleOp[T]) forwardNode(xs, outs []*tens[T], training bool, rng *rand.Rand) {
	outs[0] = s.forward(xs[0], training, rng)
}

func (s *singleOp[T]) backwardNode(dys []*tens[T], needDX []bool) []*tens[T] {
	s.dxs[0] = s.backward(dys[0], needDX[0])
	return s.dxs[:]
}

// param is a trainable weight with its gradient and optional regularizer
// (Keras: a trainable Variable). Its values are float64 (value and grad)
// until a float32 model takes it (setDtype), which keeps them in v32 and
// g32 instead, so that training converts nothing.
type param struct {
	name     string // "kernel", "bias", ...
	shape    []int
	value    *Tensor   // the float64 weight, nil in float32
	grad     *Tensor   // its gradient
	v32, g32 []float32 // the float32 weight and gradient, nil in float64
	reg      Regularizer
	// fresh says that the gradient holds the previous step's values, to be
	// overwritten rather than added to (see gradOf and gradBeta): a
	// training step does not clear the gradients up front.
	fresh bool
	// fused is the optimizer's update of this weight for the training step
	// in progress, to be applied inside the product that computes the
	// gradient (see fused.go), or nil; stepped says it was applied, and
	// the gradient was not stored.
	fused   any
	stepped bool
}

// maxWeights bounds the size of one weight array (2 GiB of float64): a
// larger one is a mistake, such as a wrong Units or a damaged file.
const maxWeights = 1 << 28

// newParam allocates a weight of the given shape and its gradient, in
// float64 (a float32 model converts it when it takes the layer). A shape
// that is not positive or too large, or a regularizer with a bad factor,
// aborts the running verb with an error.
func newParam(name string, reg Regularizer, shape ...int) *param {
	if reg != nil {
		if err := reg.check(); err != nil {
			throw("build", "%s: %v", regularizerField(name), err)
		}
	}
	n := 1
	for _, d := range shape {
		if d <= 0 || n > maxWeights/d {
			throw("build", "the %s would have shape %s, which is too large or empty; check Units and the input shape", name, ShapeString(shape))
		}
		n *= d
	}
	return &param{name: name, shape: append([]int(nil), shape...), value: Zeros(shape...), grad: Zeros(shape...), reg: reg}
}

// dtype returns the element type the weight is kept in.
func (p *param) dtype() dtype {
	if p.value == nil {
		return float32Type
	}
	return float64Type
}

// size returns the number of values.
func (p *param) size() int {
	if p.value == nil {
		return len(p.v32)
	}
	return len(p.value.data)
}

// setDtype keeps the weight in dt from now on, converting its values.
func (p *param) setDtype(dt dtype) {
	if dt == p.dtype() {
		return
	}
	if dt == float32Type {
		p.v32, p.g32 = make([]float32, p.size()), make([]float32, p.size())
		convert(p.v32, p.value.data)
		p.value, p.grad = nil, nil
		return
	}
	p.value, p.grad = Zeros(p.shape...), Zeros(p.shape...)
	convert(p.value.data, p.v32)
	p.v32, p.g32 = nil, nil
}

// float64s returns a float64 copy of the weight.
func (p *param) float64s() *Tensor {
	if p.value != nil {
		return p.value.Clone()
	}
	t := Zeros(p.shape...)
	convert(t.data, p.v32)
	return t
}

// float64Data returns the weight's values as float64: its own for a
// float64 weight, a copy for a float32 one.
func (p *param) float64Data() []float64 {
	if p.value != nil {
		return p.value.data
	}
	return p.float64s().data
}

// h5Type returns the HDF5 element type of the weight in a weights file:
// the dtype it is kept in, as Keras writes it.
func (p *param) h5Type() h5.DType {
	if p.value == nil {
		return h5.Float32
	}
	return h5.Float64
}

// load sets the weight from float64 values, len(src) == p.size(). With
// adopt a float64 weight takes src itself.
func (p *param) load(src []float64, adopt bool) {
	switch {
	case p.value == nil:
		convert(p.v32, src)
	case adopt:
		p.value.data = src
	default:
		copy(p.value.data, src)
	}
}

// weightsOf returns the weight's values and gradient in element type T,
// which must be the dtype it is kept in.
func weightsOf[T float](p *param) (w, g []T) {
	if v, ok := any(p.v32).([]T); ok && p.value == nil {
		return v, any(p.g32).([]T)
	}
	return any(p.value.data).([]T), any(p.grad.data).([]T)
}

// valueOf returns the weight's values in element type T.
func valueOf[T float](p *param) []T {
	w, _ := weightsOf[T](p)
	return w
}

// gradOf returns the weight's gradient in element type T, for adding to
// it; the first time in a training step it clears it.
func gradOf[T float](p *param) []T {
	_, g := weightsOf[T](p)
	if p.fresh {
		clear(g)
		p.fresh = false
	}
	return g
}

// gradBeta returns the weight's gradient in element type T and the factor
// to scale its values by before adding to them: 0 the first time in a
// training step (the values are the previous step's), 1 after, so that a
// product can write the gradient without its being cleared first.
func gradBeta[T float](p *param) ([]T, T) {
	_, g := weightsOf[T](p)
	if p.fresh {
		p.fresh = false
		return g, 0
	}
	return g, 1
}

// layerName returns the layer's name, assigning the Keras default
// (dense, dense_1, ...) the first time.
func layerName(l layer) string {
	if in, ok := l.(*InputLayer); ok {
		return inputName(in)
	}
	b := l.base()
	if b.name == "" {
		if n := l.nameField(); *n != "" {
			b.name = *n
		} else {
			b.name = uniqueName(toSnakeCase(l.className()))
			*n = b.name
		}
	}
	return b.name
}

// buildLayer builds l for inputs of shape in unless it is already built for
// that shape.
func buildLayer(l layer, in []int, rng *rand.Rand) error {
	b := l.base()
	if b.built {
		if !equalShape(b.inShape, in) {
			return fmt.Errorf("layer %q (%s) was built for inputs of shape %s and cannot take shape %s; "+
				"use a new layer, or the same input shape", layerName(l), l.className(), formatShape(b.inShape), formatShape(in))
		}
		return nil
	}
	out, err := safeBuild(l, in, rng)
	if err != nil {
		return fmt.Errorf("layer %q (%s): %w", layerName(l), l.className(), err)
	}
	b.inShape = append([]int(nil), in...)
	b.outShape = out
	b.built = true
	return nil
}

// safeBuild runs l.build, turning an aborted build (a weight too large)
// into an error.
func safeBuild(l layer, in []int, rng *rand.Rand) (out []int, err error) {
	defer func() {
		if r := recover(); r != nil {
			u, ok := r.(userPanic)
			if !ok {
				panic(r)
			}
			err = errors.New(u.err.(*Error).Msg)
		}
	}()
	return l.build(in, rng)
}

// countParams returns the number of trainable scalars in l.
func countParams(l Layer) int {
	n := 0
	for _, p := range l.base().params {
		n += p.size()
	}
	return n
}

// equalShape reports whether two shapes are identical.
func equalShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// glorotUniform fills w, a (fanIn, fanOut) matrix, from U(-L, L) with
// L = √(6/(fanIn+fanOut)) (Keras: GlorotUniform). A nil rng leaves w as it
// is: the weights are about to be overwritten (LoadModel).
func glorotUniform(w []float64, fanIn, fanOut int, rng *rand.Rand) {
	if rng == nil {
		return
	}
	limit := math.Sqrt(6 / float64(fanIn+fanOut))
	for i := range w {
		w[i] = limit * (2*rng.Float64() - 1)
	}
}
