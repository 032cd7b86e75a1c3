package dl

// SGD is stochastic gradient descent with optional momentum (Keras:
// keras.optimizers.SGD):
//
//	without momentum: w ← w − lr·g
//	with momentum:    v ← momentum·v − lr·g;  w ← w + v
//	Nesterov:         v ← momentum·v − lr·g;  w ← w + momentum·v − lr·g
type SGD struct {
	LearningRate float64 // default 0.01
	Momentum     float64 // default 0
	Nesterov     bool

	optState
}

var _ Optimizer = (*SGD)(nil)

// sgdRate is SGD's default learning rate in Keras.
const sgdRate = 0.01

// Name implements Optimizer: "SGD".
func (o *SGD) Name() string { return "SGD" }

// CurrentLearningRate implements Optimizer.
func (o *SGD) CurrentLearningRate() float64 { return o.rate(o.LearningRate, sgdRate) }

// SetLearningRate implements Optimizer.
func (o *SGD) SetLearningRate(lr float64) { o.setRate(&o.LearningRate, lr) }

func (o *SGD) check() error { return checkSettings(o) }

func (o *SGD) settings() []setting {
	return []setting{rateSetting(&o.LearningRate, sgdRate), unitSetting("momentum", "Momentum", &o.Momentum, 0),
		flagSetting("nesterov", "Nesterov", &o.Nesterov)}
}

// layout: Keras creates the momentums only with momentum.
func (o *SGD) layout() slotLayout {
	if o.Momentum == 0 {
		return slotLayout{}
	}
	return slotLayout{groups: [][]string{{"momentum"}}}
}

func (o *SGD) update(params []*param) { byDtype(o, params, sgdUpdate[float32], sgdUpdate[float64]) }

// sgdUpdate is SGD's update in element type T.
func sgdUpdate[T float](o *SGD, params []*param) {
	lr, mom := T(o.CurrentLearningRate()), T(o.Momentum)
	slots := ensureSlots[T](&o.optState, params, o)
	for i, p := range params {
		w, g := weightsOf[T](p)
		if o.Momentum == 0 {
			for j, gj := range g {
				w[j] -= lr * gj
			}
			continue
		}
		v := slots[i][0]
		for j, gj := range g {
			v[j] = mom*v[j] - lr*gj
			if o.Nesterov {
				w[j] += mom*v[j] - lr*gj
			} else {
				w[j] += v[j]
			}
		}
	}
	o.iterations++
}
