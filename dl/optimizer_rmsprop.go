package dl

import "math"

// RMSprop divides the gradient by a running root mean square (Keras:
// keras.optimizers.RMSprop):
//
//	v ← ρ·v + (1−ρ)·g²;  w ← w − lr·g/√(v + ε)
//
// Centered subtracts the square of a running mean gradient from v; Momentum
// accumulates the increments.
type RMSprop struct {
	LearningRate float64 // default 0.001
	Rho          float64 // default 0.9
	Momentum     float64 // default 0
	Epsilon      float64 // default 1e-7
	Centered     bool

	optState
}

var _ Optimizer = (*RMSprop)(nil)

// RMSprop's defaults in Keras (and epsilon=1e-7, kerasEpsilon).
const (
	rmspropRate = 0.001
	rmspropRho  = 0.9
)

// Name implements Optimizer: "RMSprop".
func (o *RMSprop) Name() string { return "RMSprop" }

// CurrentLearningRate implements Optimizer.
func (o *RMSprop) CurrentLearningRate() float64 { return o.rate(o.LearningRate, rmspropRate) }

// SetLearningRate implements Optimizer.
func (o *RMSprop) SetLearningRate(lr float64) { o.setRate(&o.LearningRate, lr) }

func (o *RMSprop) check() error { return checkSettings(o) }

func (o *RMSprop) settings() []setting {
	return []setting{rateSetting(&o.LearningRate, rmspropRate), unitSetting("rho", "Rho", &o.Rho, rmspropRho),
		unitSetting("momentum", "Momentum", &o.Momentum, 0), positiveSetting("epsilon", "Epsilon", &o.Epsilon, kerasEpsilon),
		flagSetting("centered", "Centered", &o.Centered)}
}

// layout, as Keras creates them: all velocities, then all momentums if
// Momentum > 0, then all average gradients if Centered.
func (o *RMSprop) layout() slotLayout {
	l := slotLayout{groups: [][]string{{"velocity"}}}
	if o.Momentum > 0 {
		l.groups = append(l.groups, []string{"momentum"})
	}
	if o.Centered {
		l.groups = append(l.groups, []string{"average_gradient"})
	}
	return l
}

func (o *RMSprop) update(params []*param) {
	byDtype(o, params, rmspropUpdate[float32], rmspropUpdate[float64])
}

// rmspropUpdate is RMSprop's update in element type T.
func rmspropUpdate[T float](o *RMSprop, params []*param) {
	// The slots' indexes (see layout); 0 for one it does not have.
	mi, ai := 0, 0
	if o.Momentum > 0 {
		mi = 1
	}
	if o.Centered {
		ai = mi + 1
	}
	slots := ensureSlots[T](&o.optState, params, o)
	lr, rho, eps, mu := T(o.CurrentLearningRate()), T(or(o.Rho, rmspropRho)), T(or(o.Epsilon, kerasEpsilon)), T(o.Momentum)
	for i, p := range params {
		vel, mom, avg := slots[i][0], slots[i][mi], slots[i][ai]
		w, g := weightsOf[T](p)
		for j, gj := range g {
			vel[j] = rho*vel[j] + (1-rho)*gj*gj
			den := vel[j] + eps
			if o.Centered {
				avg[j] = rho*avg[j] + (1-rho)*gj
				den = vel[j] - avg[j]*avg[j] + eps
			}
			inc := lr * gj / T(math.Sqrt(float64(den)))
			if o.Momentum > 0 {
				mom[j] = mu*mom[j] + inc
				w[j] -= mom[j]
			} else {
				w[j] -= inc
			}
		}
	}
	o.iterations++
}
