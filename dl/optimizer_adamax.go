package dl

import "math"

// Adamax is the variant of Adam based on the infinity norm (Kingma & Ba,
// 2014, section 7.1) as Keras implements it (keras.optimizers.Adamax):
//
//	m ← β1·m + (1−β1)·g        u ← max(β2·u, |g|)
//	w ← w − lr·m / ((1−β1^t)·(u + ε))
//
// The zero value of each field is the Keras default.
type Adamax struct {
	LearningRate float64 // default 0.001
	Beta1        float64 // default 0.9 (Keras: beta_1)
	Beta2        float64 // default 0.999 (Keras: beta_2)
	Epsilon      float64 // default 1e-7

	optState
}

var _ Optimizer = (*Adamax)(nil)

// Name implements Optimizer: "Adamax".
func (o *Adamax) Name() string { return "Adamax" }

// CurrentLearningRate implements Optimizer.
func (o *Adamax) CurrentLearningRate() float64 { return o.rate(o.LearningRate, adamRate) }

// SetLearningRate implements Optimizer.
func (o *Adamax) SetLearningRate(lr float64) { o.setRate(&o.LearningRate, lr) }

func (o *Adamax) check() error { return checkSettings(o) }

func (o *Adamax) settings() []setting {
	return adamSettings(&o.LearningRate, &o.Beta1, &o.Beta2, &o.Epsilon)
}

// layout, as Keras creates them: the momentum and the norm u of each weight
// together.
func (o *Adamax) layout() slotLayout { return slotLayout{groups: [][]string{{"momentum", "norm"}}} }

func (o *Adamax) update(params []*param) {
	byDtype(o, params, adamaxUpdate[float32], adamaxUpdate[float64])
}

// adamaxUpdate is Adamax's update in element type T.
func adamaxUpdate[T float](o *Adamax, params []*param) {
	slots := ensureSlots[T](&o.optState, params, o)
	b1f, b2f, epsf := adamBetas(o.Beta1, o.Beta2, o.Epsilon)
	lr, b1, b2, eps := T(o.CurrentLearningRate()), T(b1f), T(b2f), T(epsf)
	b1p := T(math.Pow(b1f, float64(o.iterations+1)))
	for i, p := range params {
		m, u := slots[i][0], slots[i][1]
		w, g := weightsOf[T](p)
		for j, gj := range g {
			m[j] += (gj - m[j]) * (1 - b1)
			u[j] = max(b2*u[j], T(math.Abs(float64(gj))))
			w[j] -= lr * m[j] / ((1 - b1p) * (u[j] + eps))
		}
	}
	o.iterations++
}
