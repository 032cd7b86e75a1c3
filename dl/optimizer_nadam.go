package dl

import "math"

// Nadam is Adam with Nesterov momentum (Dozat, 2015) as Keras implements it
// (keras.optimizers.Nadam), with the momentum schedule
// μ_t = β1·(1 − ½·0.96^t) and its running product Π_t = μ_1·…·μ_t:
//
//	m ← β1·m + (1−β1)·g        v ← β2·v + (1−β2)·g²
//	m̂ = μ_{t+1}·m/(1 − Π_t·μ_{t+1}) + (1−μ_t)·g/(1 − Π_t)
//	w ← w − lr·m̂ / (√(v/(1−β2^t)) + ε)
//
// Keras keeps Π_t as a scalar optimizer variable of its own (the attribute
// _u_product, a variable named "variable"), created and saved after the
// slots; dl writes and reads it there too. The zero value of each field is
// the Keras default.
type Nadam struct {
	LearningRate float64 // default 0.001
	Beta1        float64 // default 0.9 (Keras: beta_1)
	Beta2        float64 // default 0.999 (Keras: beta_2)
	Epsilon      float64 // default 1e-7

	optState
}

var _ Optimizer = (*Nadam)(nil)

// Name implements Optimizer: "Nadam".
func (o *Nadam) Name() string { return "Nadam" }

// CurrentLearningRate implements Optimizer.
func (o *Nadam) CurrentLearningRate() float64 { return o.rate(o.LearningRate, adamRate) }

// SetLearningRate implements Optimizer.
func (o *Nadam) SetLearningRate(lr float64) { o.setRate(&o.LearningRate, lr) }

func (o *Nadam) check() error { return checkSettings(o) }

func (o *Nadam) settings() []setting {
	return adamSettings(&o.LearningRate, &o.Beta1, &o.Beta2, &o.Epsilon)
}

// layout, as Keras creates them: the momentum and velocity of each weight
// together, then the scalar u_product (Π_t), which starts at 1.
func (o *Nadam) layout() slotLayout {
	return slotLayout{groups: [][]string{{"momentum", "velocity"}}, scalars: []string{"u_product"}}
}

func (o *Nadam) update(params []*param) {
	byDtype(o, params, nadamUpdate[float32], nadamUpdate[float64])
}

// nadamUpdate is Nadam's update in element type T.
func nadamUpdate[T float](o *Nadam, params []*param) {
	slots := ensureSlots[T](&o.optState, params, o)
	lr := o.CurrentLearningRate()
	b1, b2, eps := adamBetas(o.Beta1, o.Beta2, o.Epsilon)
	t := float64(o.iterations + 1)
	// Keras updates u_product once per step, before the weights.
	o.scalars[0] = o.scalars[0] * b1 * (1 - 0.5*math.Pow(0.96, t))
	ut := b1 * (1 - 0.5*math.Pow(0.96, t))
	ut1 := b1 * (1 - 0.5*math.Pow(0.96, t+1))
	up := o.scalars[0]
	up1 := up * ut1
	b2p := math.Pow(b2, t)
	for i, p := range params {
		m, vel := slots[i][0], slots[i][1]
		w, g := weightsOf[T](p)
		for j, gj := range g {
			adamMoments(&m[j], &vel[j], gj, T(1-b1), T(1-b2))
			mHat := T(ut1)*m[j]/T(1-up1) + T(1-ut)*gj/T(1-up)
			vHat := vel[j] / T(1-b2p)
			w[j] -= mHat * T(lr) / (T(math.Sqrt(float64(vHat))) + T(eps))
		}
	}
	o.iterations++
}
