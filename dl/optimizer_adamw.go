package dl

// AdamW is Adam with decoupled weight decay (Loshchilov & Hutter, 2019) as
// Keras implements it (keras.optimizers.AdamW): before each Adam step
// (see Adam) every weight shrinks in proportion to the learning rate,
//
//	w ← w − w·λ·lr
//
// where λ is WeightDecay. The zero value of each field is the Keras
// default, so a decay of 0 cannot be expressed: use Adam for that.
type AdamW struct {
	LearningRate float64 // default 0.001
	WeightDecay  float64 // default 0.004 (Keras: weight_decay)
	Beta1        float64 // default 0.9 (Keras: beta_1)
	Beta2        float64 // default 0.999 (Keras: beta_2)
	Epsilon      float64 // default 1e-7
	Amsgrad      bool    // use the AMSGrad variant

	optState
}

var _ Optimizer = (*AdamW)(nil)

// adamwDecay is AdamW's default weight_decay in Keras.
const adamwDecay = 0.004

// Name implements Optimizer: "AdamW".
func (o *AdamW) Name() string { return "AdamW" }

// CurrentLearningRate implements Optimizer.
func (o *AdamW) CurrentLearningRate() float64 { return o.rate(o.LearningRate, adamRate) }

// SetLearningRate implements Optimizer.
func (o *AdamW) SetLearningRate(lr float64) { o.setRate(&o.LearningRate, lr) }

func (o *AdamW) check() error { return checkSettings(o) }

func (o *AdamW) settings() []setting {
	s := adamSettings(&o.LearningRate, &o.Beta1, &o.Beta2, &o.Epsilon)
	// In Keras's order: learning_rate, weight_decay, beta_1, beta_2, epsilon, amsgrad.
	return []setting{s[0], positiveSetting("weight_decay", "WeightDecay", &o.WeightDecay, adamwDecay), s[1], s[2], s[3],
		flagSetting("amsgrad", "Amsgrad", &o.Amsgrad)}
}

func (o *AdamW) layout() slotLayout { return adamSlots(o.Amsgrad) }

func (o *AdamW) update(params []*param) {
	byDtype(o, params, adamwUpdate[float32], adamwUpdate[float64])
}

// adamwUpdate is AdamW's update in element type T: the weight decay, then
// Adam's step.
func adamwUpdate[T float](o *AdamW, params []*param) {
	ensureSlots[T](&o.optState, params, o)
	lr, decay := o.CurrentLearningRate(), or(o.WeightDecay, adamwDecay)
	for _, p := range params {
		w := valueOf[T](p)
		for j := range w {
			w[j] -= w[j] * T(decay) * T(lr)
		}
	}
	b1, b2, eps := adamBetas(o.Beta1, o.Beta2, o.Epsilon)
	adamUpdate[T](&o.optState, params, lr, b1, b2, eps, o.Amsgrad)
	o.iterations++
}
