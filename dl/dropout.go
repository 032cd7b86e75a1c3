package dl

import (
	"fmt"
	"math"
	"math/rand/v2"
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
	// call into math/rand per element, and just as reproducible.
	threshold := uint64(keep * (1 << 32))
	scaleBits := math.Float64bits(scale)
	state := rng.Uint64()
	// next returns the next splitmix64 output.
	next := func() uint64 {
		state += 0x9e3779b97f4a7c15
		z := state
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		return z ^ (z >> 31)
	}
	// pick returns the mask value for a draw: keep is 1 when the draw is
	// below the threshold, without a branch (which the processor would
	// mispredict on every other element), and the mask is scale or 0,
	// selected on its bits (converting keep to a float would wait on the
	// previous conversion).
	pick := func(draw uint64) T {
		keep := uint64(int64(draw-threshold)) >> 63
		return T(math.Float64frombits(scaleBits & -keep))
	}
	xs, ms, ys := x.data, mask.data[:len(x.data)], y.data[:len(x.data)]
	i := 0
	for ; i+2 <= len(xs); i += 2 {
		bits := next()
		m0, m1 := pick(bits&0xffffffff), pick(bits>>32)
		ms[i], ms[i+1] = m0, m1
		ys[i], ys[i+1] = xs[i]*m0, xs[i+1]*m1
	}
	if i < len(xs) {
		m := pick(next() & 0xffffffff)
		ms[i], ys[i] = m, xs[i]*m
	}
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
	for i, g := range dy.data {
		d[i] = g * mask[i]
	}
	return dx
}
