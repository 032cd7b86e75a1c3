package dl

import "math/rand/v2"

// LSTM is a Long Short-Term Memory layer (Keras: keras.layers.LSTM;
// Hochreiter & Schmidhuber, 1997).
//
// At each timestep t, with h₀ = c₀ = 0, the fused projection
//
//	z = xₜ·kernel + hₜ₋₁·recurrent_kernel + bias
//
// is split into four blocks of Units columns, in Keras's order [i | f | c | o]:
//
//	i = σ(z_i)   f = σ(z_f)   o = σ(z_o)          (σ = RecurrentActivation)
//	cₜ = f ⊙ cₜ₋₁ + i ⊙ activation(z_c)
//	hₜ = o ⊙ activation(cₜ)
//
// The kernel has shape (features, 4·Units) and starts Glorot-uniform over
// the whole fused matrix; the recurrent kernel has shape (Units, 4·Units) and
// starts orthogonal (orthonormal rows); the bias has shape (4·Units,) and
// starts at zero except the forget block f, which starts at 1. GetWeights
// lists them in that order, as Keras's get_weights does.
//
// Each field is a Keras argument; the zero value is the Keras default.
//
// Input shape: (batch, timesteps, features). Output shape: (batch, Units),
// the last h; (batch, timesteps, Units) with ReturnSequences.
type LSTM struct {
	// Units is the dimensionality of the output space (Keras: units). It is
	// required and must be positive.
	Units int
	// Activation is applied to the candidate and to the carry state (Keras:
	// activation). The default is tanh.
	Activation Activation
	// RecurrentActivation is applied to the input, forget and output gates
	// (Keras: recurrent_activation). The default is sigmoid.
	RecurrentActivation Activation
	// NoBias drops the bias vector (Keras: use_bias=False).
	NoBias bool
	// NoUnitForgetBias starts the forget gate's bias at 0 instead of 1
	// (Keras: unit_forget_bias=False).
	NoUnitForgetBias bool
	// KernelRegularizer penalizes the kernel (Keras: kernel_regularizer).
	KernelRegularizer Regularizer
	// RecurrentRegularizer penalizes the recurrent kernel (Keras:
	// recurrent_regularizer).
	RecurrentRegularizer Regularizer
	// BiasRegularizer penalizes the bias (Keras: bias_regularizer).
	BiasRegularizer Regularizer
	// Dropout is the fraction of the input features to drop during training,
	// in [0, 1) (Keras: dropout). One mask is drawn per sequence and reused at
	// every timestep; with RecurrentDropout, one per gate, as Keras does.
	Dropout float64
	// RecurrentDropout is the fraction of the previous state's units to drop
	// during training, in [0, 1) (Keras: recurrent_dropout), with one mask per
	// gate and sequence.
	RecurrentDropout float64
	// ReturnSequences returns h after every timestep, shape (batch,
	// timesteps, Units), instead of only the last one (Keras:
	// return_sequences). An LSTM that feeds another one needs it.
	ReturnSequences bool
	// ReturnState makes the layer return the final states too, [output, h, c]
	// (Keras: return_state). It is for the functional API: a Sequential
	// model passes on one tensor per layer.
	ReturnState bool
	// GoBackwards processes the sequence from its last timestep to its first
	// (Keras: go_backwards). With ReturnSequences the output sequence is in
	// processing order, so its last entry is the final h, as in Keras.
	GoBackwards bool
	// Name is the layer's name; empty means Keras's default (lstm, lstm_1, ...).
	Name string

	rnnLayer
}

func (l *LSTM) className() string  { return "LSTM" }
func (l *LSTM) nameField() *string { return &l.Name }

func (l *LSTM) build(in []int, rng *rand.Rand) ([]int, error) {
	return l.cell.build(&l.layerBase, l.fields().spec(), in, rng)
}

func (l *LSTM) layerConfig() (obj, error)               { return rnnConfig(l, l.fields().spec()), nil }
func (l *LSTM) plannedWeights(in []int) []plannedWeight { return l.fields().spec().plannedWeights(in) }

func (l *LSTM) fields() rnnFields {
	return rnnFields{lstmKind, &l.Units, &l.Activation, &l.RecurrentActivation, &l.NoBias, &l.NoUnitForgetBias,
		[3]*Regularizer{&l.KernelRegularizer, &l.RecurrentRegularizer, &l.BiasRegularizer}, &l.Dropout, &l.RecurrentDropout,
		[3]*bool{&l.ReturnSequences, &l.ReturnState, &l.GoBackwards}}
}

// lstmStep computes the gates, c[s+1] and h[s+1] of step s, where z[s]
// already holds the input projection.
func (o *rnnOp[T]) lstmStep(s int) {
	c := o.c
	u, g := c.units, 4*c.units
	z, a := o.step(o.z, s, g), o.step(o.a, s, g)
	o.recForward(s, 0, g, z)
	o.forwardGate(c.recAct, 0, z, a)
	o.forwardGate(c.recAct, 1, z, a)
	o.forwardGate(c.act, 2, z, a)
	o.forwardGate(c.recAct, 3, z, a)
	cp, cn := o.step(o.cs, s, u), o.step(o.cs, s+1, u)
	for b := 0; b < o.nb; b++ {
		gi, gf, gc := a[b*g:b*g+u], a[b*g+u:b*g+2*u], a[b*g+2*u:b*g+3*u]
		row := cn[b*u : (b+1)*u]
		for j := range row {
			row[j] = gf[j]*cp[b*u+j] + gi[j]*gc[j]
		}
	}
	ac := o.step(o.ac, s, u)
	actForward(c.act, cn, ac, u)
	hn := o.step(o.h, s+1, u)
	for b := 0; b < o.nb; b++ {
		gateO := a[b*g+3*u : b*g+4*u]
		for j := range gateO {
			hn[b*u+j] = gateO[j] * ac[b*u+j]
		}
	}
}

// lstmBackward turns dh and dcn, the gradients with respect to h[s+1] and
// c[s+1], into dmx[s] and the gradients with respect to c[s] (in dcn) and,
// for s > 0, h[s] (in dhn).
func (o *rnnOp[T]) lstmBackward(s int) {
	c := o.c
	u, g := c.units, 4*c.units
	z, a, dm := o.step(o.z, s, g), o.step(o.a, s, g), o.step(o.dmx, s, g)
	cp, cn, ac := o.step(o.cs, s, u), o.step(o.cs, s+1, u), o.step(o.ac, s, u)
	dh, dcn, dac := o.dh.data, o.dcn.data, o.tmp.data
	for b := 0; b < o.nb; b++ {
		for j := 0; j < u; j++ {
			dac[b*u+j] = dh[b*u+j] * a[b*g+3*u+j]
		}
	}
	actBackward(c.act, cn, ac, dac, dac, u)
	for b := 0; b < o.nb; b++ {
		for j := 0; j < u; j++ {
			k, r := b*u+j, b*g+j
			dc := dac[k] + dcn[k]
			dm[r] = dc * a[r+2*u]     // d i
			dm[r+u] = dc * cp[k]      // d f
			dm[r+2*u] = dc * a[r]     // d activation(z_c)
			dm[r+3*u] = dh[k] * ac[k] // d o
			dcn[k] = dc * a[r+u]
		}
	}
	o.backwardGate(c.recAct, 0, z, a, dm)
	o.backwardGate(c.recAct, 1, z, a, dm)
	o.backwardGate(c.act, 2, z, a, dm)
	o.backwardGate(c.recAct, 3, z, a, dm)
	if s > 0 {
		clear(o.dhn.data)
		o.recBackward(0, g, dm, o.dhn.data)
	}
}
