package dl

import (
	"fmt"
	"math/rand/v2"
)

var _ weightPlanner = (*Dense)(nil)

// Dense is a densely-connected layer: output = activation(input·kernel + bias)
// (Keras: keras.layers.Dense).
//
// The kernel has shape (input features, Units) and starts Glorot-uniform;
// the bias has shape (Units,) and starts at zero. On inputs of rank 3,
// (batch, timesteps, features), the product runs over the last axis only.
//
// Each field is a Keras argument; the zero value is the Keras default.
type Dense struct {
	// Units is the dimensionality of the output space (Keras: units). It is
	// required and must be positive.
	Units int
	// Activation is applied to the output (Keras: activation). The default
	// is linear: no activation.
	Activation Activation
	// NoBias drops the bias vector (Keras: use_bias=False).
	NoBias bool
	// KernelRegularizer penalizes the kernel (Keras: kernel_regularizer).
	KernelRegularizer Regularizer
	// BiasRegularizer penalizes the bias (Keras: bias_regularizer).
	BiasRegularizer Regularizer
	// Name is the layer's name; empty means Keras's default (dense, dense_1, ...).
	Name string

	layerBase
	act          *actFn
	kernel, bias *param
}

func (d *Dense) className() string  { return "Dense" }
func (d *Dense) nameField() *string { return &d.Name }

func (d *Dense) build(in []int, rng *rand.Rand) ([]int, error) {
	if d.Units <= 0 {
		return nil, fmt.Errorf("received an invalid value for Units, expected a positive integer; received Units=%d", d.Units)
	}
	act, ok := d.Activation.resolve(Linear)
	if !ok {
		return nil, fmt.Errorf("unknown activation %q; use one of %s", d.Activation, activationNames())
	}
	if len(in) == 0 {
		return nil, fmt.Errorf("needs inputs with a feature axis, received inputs of shape %s", formatShape(in))
	}
	d.act = act
	inDim := in[len(in)-1]
	d.kernel = newParam("kernel", d.KernelRegularizer, inDim, d.Units)
	glorotUniform(d.kernel.value.data, inDim, d.Units, rng)
	d.params = []*param{d.kernel}
	if !d.NoBias {
		d.bias = newParam("bias", d.BiasRegularizer, d.Units)
		d.params = append(d.params, d.bias)
	}
	out := append([]int(nil), in...)
	out[len(out)-1] = d.Units
	return out, nil
}

func (d *Dense) newOp(dt dtype) any {
	return pick(dt, &denseOp[float32]{d: d}, &denseOp[float64]{d: d})
}

func (d *Dense) layerConfig() (obj, error) {
	act, _ := d.Activation.resolve(Linear)
	cfg := append(layerHead(d),
		kv{"units", d.Units}, kv{"activation", string(act.name)}, kv{"use_bias", !d.NoBias},
		kv{"kernel_initializer", glorotUniformConfig}, kv{"bias_initializer", zerosConfig},
		kv{"kernel_regularizer", regularizerConfig(d.KernelRegularizer)},
		kv{"bias_regularizer", regularizerConfig(d.BiasRegularizer)},
		kv{"kernel_constraint", nil}, kv{"bias_constraint", nil})
	return builtLayerObj("Dense", cfg, &d.layerBase), nil
}

func (d *Dense) plannedWeights(in []int) []plannedWeight {
	if d.Units <= 0 || len(in) == 0 {
		return nil
	}
	u := float64(d.Units)
	ws := []plannedWeight{{"kernel", []float64{float64(in[len(in)-1]), u}}}
	if !d.NoBias {
		ws = append(ws, plannedWeight{"bias", []float64{u}})
	}
	return ws
}

// denseFromConfig reads a Dense layer.
func denseFromConfig(_ *loader, r *rawObj) (Layer, error) {
	d := &Dense{Name: r.name()}
	useBias := true
	var act string
	if err := r.fields(kv{"units", &d.Units}, kv{"activation", &act}, kv{"use_bias", &useBias}); err != nil {
		return nil, err
	}
	d.Activation, d.NoBias = Activation(act), !useBias
	if err := r.regularizers(kv{"kernel_regularizer", &d.KernelRegularizer}, kv{"bias_regularizer", &d.BiasRegularizer}); err != nil {
		return nil, err
	}
	if err := r.checkActivations(act); err != nil {
		return nil, err
	}
	return d, nil
}

// denseOp is one application of a Dense layer.
type denseOp[T float] struct {
	d        *Dense
	x        *tens[T] // the input of the last forward pass
	z, y, dx *tens[T] // pre-activation, output, input gradient
	dz       *tens[T]
	shape    []int // scratch for the output shape
}

func (o *denseOp[T]) forward(x *tens[T], _ bool, _ *rand.Rand) *tens[T] {
	d := o.d
	o.x = x
	inDim := x.shape[len(x.shape)-1]
	rows := len(x.data) / inDim
	o.shape = append(o.shape[:0], x.shape...)
	o.shape[len(o.shape)-1] = d.Units
	z := resize(&o.z, o.shape...)
	var beta T
	if d.bias != nil {
		b := valueOf[T](d.bias)
		for r := 0; r < rows; r++ {
			copy(z.data[r*d.Units:(r+1)*d.Units], b)
		}
		beta = 1
	}
	gemmT(false, false, rows, d.Units, inDim, 1, x.data, valueOf[T](d.kernel), beta, z.data)
	y := resize(&o.y, o.shape...)
	actForward(d.act, z.data, y.data, d.Units)
	return y
}

func (o *denseOp[T]) backward(dy *tens[T], needDX bool) *tens[T] {
	d := o.d
	inDim := o.x.shape[len(o.x.shape)-1]
	rows := len(o.x.data) / inDim
	dz := resize(&o.dz, dy.shape...)
	actBackward(d.act, o.z.data, o.y.data, dy.data, dz.data, d.Units)
	var dx *tens[T]
	if needDX { // before the kernel's gradient, whose fused step changes the kernel
		dx = resize(&o.dx, o.x.shape...)
		gemmT(false, true, rows, inDim, d.Units, 1, dz.data, valueOf[T](d.kernel), 0, dx.data)
	}
	if d.kernel.fresh && fusedGradient(d.kernel, inDim, d.Units, rows, o.x.data, dz.data) {
		d.kernel.fresh = false
	} else {
		dw, beta := gradBeta[T](d.kernel)
		gemmT(true, false, inDim, d.Units, rows, 1, o.x.data, dz.data, beta, dw)
	}
	if d.bias != nil {
		sumRows(gradOf[T](d.bias), dz.data, d.Units)
	}
	return dx
}
