package dl

import "math/rand/v2"

// SimpleRNN is a fully-connected recurrent layer whose output is fed back as
// its next input (Keras: keras.layers.SimpleRNN).
//
// At each timestep t, with h₀ = 0,
//
//	hₜ = activation(xₜ·kernel + hₜ₋₁·recurrent_kernel + bias)
//
// The kernel has shape (features, Units) and starts Glorot-uniform; the
// recurrent kernel has shape (Units, Units) and starts orthogonal; the bias
// has shape (Units,) and starts at zero. GetWeights lists them in that order,
// as Keras's get_weights does.
//
// Each field is a Keras argument; the zero value is the Keras default.
//
// Input shape: (batch, timesteps, features). Output shape: (batch, Units),
// the last state; (batch, timesteps, Units) with ReturnSequences.
type SimpleRNN struct {
	// Units is the dimensionality of the output space (Keras: units). It is
	// required and must be positive.
	Units int
	// Activation is applied to each new state (Keras: activation). The
	// default is tanh.
	Activation Activation
	// NoBias drops the bias vector (Keras: use_bias=False).
	NoBias bool
	// KernelRegularizer penalizes the kernel (Keras: kernel_regularizer).
	KernelRegularizer Regularizer
	// RecurrentRegularizer penalizes the recurrent kernel (Keras:
	// recurrent_regularizer).
	RecurrentRegularizer Regularizer
	// BiasRegularizer penalizes the bias (Keras: bias_regularizer).
	BiasRegularizer Regularizer
	// Dropout is the fraction of the input features to drop during training,
	// in [0, 1) (Keras: dropout). One mask is drawn per sequence and reused at
	// every timestep.
	Dropout float64
	// RecurrentDropout is the fraction of the previous state's units to drop
	// during training, in [0, 1) (Keras: recurrent_dropout), with one mask per
	// sequence as for Dropout.
	RecurrentDropout float64
	// ReturnSequences returns the state after every timestep, shape (batch,
	// timesteps, Units), instead of only the last one (Keras:
	// return_sequences). A recurrent layer that feeds another one needs it.
	ReturnSequences bool
	// ReturnState makes the layer return the final state too, [output, h]
	// (Keras: return_state). It is for the functional API: a Sequential
	// model passes on one tensor per layer.
	ReturnState bool
	// GoBackwards processes the sequence from its last timestep to its first
	// (Keras: go_backwards). With ReturnSequences the output sequence is in
	// processing order, so its last entry is the final state, as in Keras.
	GoBackwards bool
	// Name is the layer's name; empty means Keras's default (simple_rnn,
	// simple_rnn_1, ...).
	Name string

	rnnLayer
}

func (l *SimpleRNN) className() string  { return "SimpleRNN" }
func (l *SimpleRNN) nameField() *string { return &l.Name }

func (l *SimpleRNN) build(in []int, rng *rand.Rand) ([]int, error) {
	return l.cell.build(&l.layerBase, l.fields().spec(), in, rng)
}

func (l *SimpleRNN) layerConfig() (obj, error) { return rnnConfig(l, l.fields().spec()), nil }
func (l *SimpleRNN) plannedWeights(in []int) []plannedWeight {
	return l.fields().spec().plannedWeights(in)
}

func (l *SimpleRNN) fields() rnnFields {
	return rnnFields{simpleRNNKind, &l.Units, &l.Activation, nil, &l.NoBias, nil,
		[3]*Regularizer{&l.KernelRegularizer, &l.RecurrentRegularizer, &l.BiasRegularizer}, &l.Dropout, &l.RecurrentDropout,
		[3]*bool{&l.ReturnSequences, &l.ReturnState, &l.GoBackwards}}
}

// simpleStep computes h[s+1] = act(z[s] + h[s]·U), where z[s] already holds
// the input projection.
func (o *rnnOp[T]) simpleStep(s int) {
	u := o.c.units
	z := o.step(o.z, s, u)
	o.recForward(s, 0, u, z)
	actForward(o.c.act, z, o.step(o.h, s+1, u), u)
}

// simpleBackward turns dh, the gradient with respect to h[s+1], into
// dmx[s] and, for s > 0, dhn, the gradient with respect to h[s].
func (o *rnnOp[T]) simpleBackward(s int) {
	u := o.c.units
	dm := o.step(o.dmx, s, u)
	actBackward(o.c.act, o.step(o.z, s, u), o.step(o.h, s+1, u), o.dh.data, dm, u)
	if s > 0 {
		clear(o.dhn.data)
		o.recBackward(0, u, dm, o.dhn.data)
	}
}
