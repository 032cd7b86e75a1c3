package dl

import "math/rand/v2"

// GRU is a Gated Recurrent Unit layer (Keras: keras.layers.GRU; Cho et al.,
// 2014), in Keras's default "reset after" form.
//
// The fused weights hold three blocks of Units columns, in Keras's order
// [z | r | h] (update gate, reset gate, candidate). At each timestep t, with
// h₀ = 0, σ = RecurrentActivation and g = Activation:
//
//	mx = xₜ·kernel + b_x          mh = hₜ₋₁·recurrent_kernel + b_h
//	z = σ(mx_z + mh_z)            r = σ(mx_r + mh_r)
//	ĥ = g(mx_h + r ⊙ mh_h)
//	hₜ = z ⊙ hₜ₋₁ + (1 − z) ⊙ ĥ
//
// With NoResetAfter (Keras: reset_after=False) the reset gate is applied
// before the recurrent product and there is one bias b:
//
//	ĥ = g(xₜ·kernel_h + b_h + (r ⊙ hₜ₋₁)·recurrent_kernel_h)
//
// The kernel has shape (features, 3·Units) and starts Glorot-uniform over the
// fused matrix; the recurrent kernel has shape (Units, 3·Units) and starts
// orthogonal; the bias starts at zero and has shape (2, 3·Units), row 0 the
// input bias b_x and row 1 the recurrent bias b_h, or (3·Units,) with
// NoResetAfter. GetWeights lists them in that order, as Keras's get_weights
// does.
//
// Each field is a Keras argument; the zero value is the Keras default.
//
// Input shape: (batch, timesteps, features). Output shape: (batch, Units),
// the last state; (batch, timesteps, Units) with ReturnSequences.
type GRU struct {
	// Units is the dimensionality of the output space (Keras: units). It is
	// required and must be positive.
	Units int
	// Activation is applied to the candidate state (Keras: activation). The
	// default is tanh.
	Activation Activation
	// RecurrentActivation is applied to the update and reset gates (Keras:
	// recurrent_activation). The default is sigmoid.
	RecurrentActivation Activation
	// NoBias drops the bias (Keras: use_bias=False).
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
	// every timestep; with RecurrentDropout, one per gate, as Keras does.
	Dropout float64
	// RecurrentDropout is the fraction of the previous state's units to drop
	// during training, in [0, 1) (Keras: recurrent_dropout), with one mask per
	// gate and sequence.
	RecurrentDropout float64
	// ReturnSequences returns the state after every timestep, shape (batch,
	// timesteps, Units), instead of only the last one (Keras:
	// return_sequences). A GRU that feeds another recurrent layer needs it.
	ReturnSequences bool
	// ReturnState makes the layer return the final state too, [output, h]
	// (Keras: return_state). It is for the functional API: a Sequential
	// model passes on one tensor per layer.
	ReturnState bool
	// GoBackwards processes the sequence from its last timestep to its first
	// (Keras: go_backwards). With ReturnSequences the output sequence is in
	// processing order, so its last entry is the final state, as in Keras.
	GoBackwards bool
	// NoResetAfter applies the reset gate before the recurrent product, the
	// original formulation, with a single bias of shape (3·Units,) (Keras:
	// reset_after=False).
	NoResetAfter bool
	// Name is the layer's name; empty means Keras's default (gru, gru_1, ...).
	Name string

	rnnLayer
}

func (l *GRU) className() string  { return "GRU" }
func (l *GRU) nameField() *string { return &l.Name }

func (l *GRU) build(in []int, rng *rand.Rand) ([]int, error) {
	return l.cell.build(&l.layerBase, l.fields().spec(), in, rng)
}

func (l *GRU) layerConfig() (obj, error)               { return rnnConfig(l, l.fields().spec()), nil }
func (l *GRU) plannedWeights(in []int) []plannedWeight { return l.fields().spec().plannedWeights(in) }

func (l *GRU) fields() rnnFields {
	return rnnFields{gruKind, &l.Units, &l.Activation, &l.RecurrentActivation, &l.NoBias, &l.NoResetAfter,
		[3]*Regularizer{&l.KernelRegularizer, &l.RecurrentRegularizer, &l.BiasRegularizer}, &l.Dropout, &l.RecurrentDropout,
		[3]*bool{&l.ReturnSequences, &l.ReturnState, &l.GoBackwards}}
}

// gruStep computes the gates and h[s+1] of step s, where z[s] already holds
// the input projection mx (with the input bias).
func (o *rnnOp[T]) gruStep(s int) {
	c := o.c
	u, g := c.units, 3*c.units
	z, a, aux := o.step(o.z, s, g), o.step(o.a, s, g), o.step(o.aux, s, u)
	if c.resetAfter {
		// mh = h·U + b_h; the z and r blocks add to z, the candidate's
		// block is kept in aux for the reset gate.
		mh := o.mh.data
		if c.bias != nil {
			bh := valueOf[T](c.bias)[g:]
			for b := 0; b < o.nb; b++ {
				copy(mh[b*g:(b+1)*g], bh)
			}
		} else {
			clear(mh)
		}
		o.recForward(s, 0, g, mh)
		for b := 0; b < o.nb; b++ {
			zr, mr := z[b*g:b*g+2*u], mh[b*g:b*g+2*u]
			for j := range zr {
				zr[j] += mr[j]
			}
			copy(aux[b*u:(b+1)*u], mh[b*g+2*u:(b+1)*g])
		}
		o.forwardGate(c.recAct, 0, z, a)
		o.forwardGate(c.recAct, 1, z, a)
		for b := 0; b < o.nb; b++ {
			for j := 0; j < u; j++ {
				z[b*g+2*u+j] += a[b*g+u+j] * aux[b*u+j]
			}
		}
	} else {
		// The z and r blocks first; then r ⊙ h, kept in aux, times the
		// candidate's block of U.
		o.recForward(s, 0, 2*u, z)
		o.forwardGate(c.recAct, 0, z, a)
		o.forwardGate(c.recAct, 1, z, a)
		hq := o.recIn(2, s)
		for b := 0; b < o.nb; b++ {
			for j := 0; j < u; j++ {
				aux[b*u+j] = a[b*g+u+j] * hq[b*u+j]
			}
		}
		gemmStrided(false, false, o.nb, u, u, 1, aux, u, valueOf[T](c.recurrent)[2*u:], g, 1, z[2*u:], g)
	}
	o.forwardGate(c.act, 2, z, a)
	hp, hn := o.step(o.h, s, u), o.step(o.h, s+1, u)
	for b := 0; b < o.nb; b++ {
		for j := 0; j < u; j++ {
			k, gz := b*u+j, a[b*g+j]
			hn[k] = gz*hp[k] + (1-gz)*a[b*g+2*u+j]
		}
	}
}

// gruBackward turns dh, the gradient with respect to h[s+1], into dmx[s]
// (and dmh[s] with reset_after) and, for s > 0, dhn, the gradient with
// respect to h[s].
func (o *rnnOp[T]) gruBackward(s int) {
	c := o.c
	u, g := c.units, 3*c.units
	z, a, aux, dm := o.step(o.z, s, g), o.step(o.a, s, g), o.step(o.aux, s, u), o.step(o.dmx, s, g)
	hp, dh, dhn := o.step(o.h, s, u), o.dh.data, o.dhn.data
	for b := 0; b < o.nb; b++ {
		for j := 0; j < u; j++ {
			k, r := b*u+j, b*g+j
			dm[r] = dh[k] * (hp[k] - a[r+2*u]) // d z
			dm[r+2*u] = dh[k] * (1 - a[r])     // d ĥ
		}
	}
	o.backwardGate(c.act, 2, z, a, dm)
	if c.resetAfter {
		for b := 0; b < o.nb; b++ {
			for j := 0; j < u; j++ {
				dm[b*g+u+j] = dm[b*g+2*u+j] * aux[b*u+j] // d r
			}
		}
		o.backwardGate(c.recAct, 0, z, a, dm)
		o.backwardGate(c.recAct, 1, z, a, dm)
		dmh := o.step(o.dmh, s, g)
		for b := 0; b < o.nb; b++ {
			copy(dmh[b*g:b*g+2*u], dm[b*g:b*g+2*u])
			for j := 0; j < u; j++ {
				dmh[b*g+2*u+j] = dm[b*g+2*u+j] * a[b*g+u+j]
			}
		}
		if s > 0 {
			for b := 0; b < o.nb; b++ {
				for j := 0; j < u; j++ {
					dhn[b*u+j] = dh[b*u+j] * a[b*g+j]
				}
			}
			o.recBackward(0, g, dmh, dhn)
		}
		return
	}
	// d(r ⊙ h) = dĥ_pre · U_hᵀ, in tmp.
	drh := o.tmp.data
	gemmStrided(false, true, o.nb, u, u, 1, dm[2*u:], g, valueOf[T](c.recurrent)[2*u:], g, 0, drh, u)
	hq, m := o.recIn(2, s), o.recMask(2)
	for b := 0; b < o.nb; b++ {
		for j := 0; j < u; j++ {
			k, r := b*u+j, b*g+j
			dm[r+u] = drh[k] * hq[k] // d r
			if s > 0 {
				d := drh[k] * a[r+u]
				if m != nil {
					d *= m[k]
				}
				dhn[k] = dh[k]*a[r] + d
			}
		}
	}
	o.backwardGate(c.recAct, 0, z, a, dm)
	o.backwardGate(c.recAct, 1, z, a, dm)
	if s > 0 {
		o.recBackward(0, 2*u, dm, dhn)
	}
}
