package dl

import "math"

// Adagrad adapts the learning rate of each weight to the sum of its squared
// gradients (Keras: keras.optimizers.Adagrad):
//
//	a ← a + g²;  w ← w − lr·g/√(a + ε)
type Adagrad struct {
	LearningRate            float64 // default 0.001
	InitialAccumulatorValue float64 // default 0.1
	Epsilon                 float64 // default 1e-7

	optState
}

var _ Optimizer = (*Adagrad)(nil)

// Adagrad's defaults in Keras (and epsilon=1e-7, kerasEpsilon).
const (
	adagradRate    = 0.001
	adagradInitial = 0.1 // initial_accumulator_value
)

// Name implements Optimizer: "Adagrad".
func (o *Adagrad) Name() string { return "Adagrad" }

// CurrentLearningRate implements Optimizer.
func (o *Adagrad) CurrentLearningRate() float64 { return o.rate(o.LearningRate, adagradRate) }

// SetLearningRate implements Optimizer.
func (o *Adagrad) SetLearningRate(lr float64) { o.setRate(&o.LearningRate, lr) }

func (o *Adagrad) check() error { return checkSettings(o) }

func (o *Adagrad) settings() []setting {
	return []setting{rateSetting(&o.LearningRate, adagradRate),
		positiveSetting("initial_accumulator_value", "InitialAccumulatorValue", &o.InitialAccumulatorValue, adagradInitial),
		positiveSetting("epsilon", "Epsilon", &o.Epsilon, kerasEpsilon)}
}

func (o *Adagrad) layout() slotLayout {
	return slotLayout{groups: [][]string{{"accumulator"}}, init: or(o.InitialAccumulatorValue, adagradInitial)}
}

func (o *Adagrad) update(params []*param) {
	byDtype(o, params, adagradUpdate[float32], adagradUpdate[float64])
}

// adagradUpdate is Adagrad's update in element type T.
func adagradUpdate[T float](o *Adagrad, params []*param) {
	slots := ensureSlots[T](&o.optState, params, o)
	lr, eps := T(o.CurrentLearningRate()), T(or(o.Epsilon, kerasEpsilon))
	for i, p := range params {
		acc := slots[i][0]
		w, g := weightsOf[T](p)
		for j, gj := range g {
			acc[j] += gj * gj
			w[j] -= lr * gj / T(math.Sqrt(float64(acc[j]+eps)))
		}
	}
	o.iterations++
}
