package dl

import (
	"fmt"
	"math/rand/v2"

	"github.com/dlgo/dlgo/internal/kernels"
)

// Dropout randomly sets a fraction Rate of its inputs to zero during training
// and scales the others by 1/(1-Rate), so that the expected sum is unchanged
// (Keras: keras.layers.Dropout, inverted dropout). Each element is dropped
// independently. Outside training (Evaluate, Predict, validation) it passes
// its input through unchanged.
type Dropout struct {
	// Rate is the fraction of inputs to drop, in [0, 1] (Keras: rate).
	Rate float64
	// Name is the layer's name; empty means Keras's default (dropout, dropout_1, ...).
	Name string

	layerBase
}

func (d *Dropout) className() string  { return "Dropout" }
func (d *Dropout) nameField() *string { return &d.Name }

func (d *Dropout) build(in []int, _ *rand.Rand) ([]int, error) {
	if !(d.Rate >= 0 && d.Rate <= 1) {
		return nil, fmt.Errorf("received an invalid value for Rate, expected a number in [0, 1]; received Rate=%v", d.Rate)
	}
	return append([]int(nil), in...), nil
}

func (d *Dropout) newOp(dt dtype) any {
	return pick(dt, &dropoutOp[float32]{d: d}, &dropoutOp[float64]{d: d})
}

func (d *Dropout) layerConfig() (obj, error) {
	cfg := append(layerHead(d), kv{"rate", pyFloat(d.Rate)}, kv{"seed", nil}, kv{"noise_shape", nil})
	return kerasObj("keras.layers", "Dropout", cfg), nil
}

// dropoutFromConfig reads a Dropout layer.
func dropoutFromConfig(_ *loader, r *rawObj) (Layer, error) {
	d := &Dropout{Name: r.name()}
	if err := r.field("rate", &d.Rate); err != nil {
		return nil, err
	}
	return d, nil
}

// dropoutOp is one application of a Dropout layer.
type dropoutOp[T float] struct {
	d           *Dropout
	active      bool     // the last forward pass dropped values
	mask, y, dx *tens[T] // mask holds 0 or 1/(1-rate)
}

func (o *dropoutOp[T]) forward(x *tens[T], training bool, rng *rand.Rand) *tens[T] {
	rate := o.d.Rate
	o.active = training && rate > 0
	if !o.active {
		return x
	}
	mask := resize(&o.mask, x.shape...)
	y := resize(&o.y, x.shape...)
	keep := 1 - rate
	scale := 0.0
	if keep > 0 {
		scale = 1 / keep
	}
	// Each element is kept with probability keep: a 32-bit uniform draw
	// below keep·2³². The draws come from a splitmix64 stream seeded from the
	// model's generator, two per 64-bit output: several times faster than a
	// call into math/rand per element, and just as reproducible. The vector
	// kernel (AVX-512) draws sixteen at a time, the Go loop the rest, and
	// both give the same masks.
	threshold := uint64(keep * (1 << 32))
	xs, ms, ys := x.data, mask.data[:len(x.data)], y.data[:len(x.data)]
	n, state := dropoutKernel(xs, ms, ys, rng.Uint64(), threshold, scale)
	kernels.DropoutGo(xs[n:], ms[n:], ys[n:], state, threshold, scale)
	return y
}

func (o *dropoutOp[T]) backward(dy *tens[T], needDX bool) *tens[T] {
	if !needDX {
		return nil
	}
	if !o.active {
		return dy
	}
	dx := resize(&o.dx, dy.shape...)
	mask, d := o.mask.data[:len(dy.data)], dx.data[:len(dy.data)]
	for i := mulSlice(d, dy.data, mask); i < len(d); i++ {
		d[i] = dy.data[i] * mask[i]
	}
	return dx
}
