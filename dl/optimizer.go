package dl

import (
	"fmt"
	"math"
	"strings"
	"sync"
)

// Optimizer updates a model's weights from their gradients (Keras:
// keras.optimizers). Use &dl.Adam{}, &dl.SGD{}, &dl.RMSprop{} or
// &dl.Adagrad{}, or pass their names ("adam", "sgd", "rmsprop", "adagrad")
// to Compile. An optimizer keeps per-weight state, so it belongs to the
// first model compiled with it: Compile of another model with the same value
// returns an error. Its settings are checked by Compile and again by Fit.
type Optimizer interface {
	// Name returns the optimizer's Keras class name, e.g. "Adam".
	Name() string
	// Iterations returns the number of updates applied so far.
	Iterations() int
	// update applies one step to params with their current gradients.
	update(params []*param)
	// check reports a setting that Keras would reject, naming the field.
	check() error
	// state returns the bookkeeping, which records the model the optimizer
	// belongs to.
	state() *optState
}

// optState is the bookkeeping shared by every optimizer: the step counter
// and one slice of slot vectors per weight (Keras: optimizer variables).
type optState struct {
	iterations int
	built      bool          // slots exist (Keras: the optimizer is built)
	slots      [][][]float64 // slots[weight][slot]
	owner      *Model        // the model compiled with it, guarded by optOwners
}

// optOwners guards the owner of every optimizer: two models may be compiled
// at once in two goroutines.
var optOwners sync.Mutex

// claimOptimizer makes m the owner of o, or explains that o belongs to
// another model.
func claimOptimizer(o Optimizer, m *Model) error {
	optOwners.Lock()
	defer optOwners.Unlock()
	st := o.state()
	if st.owner != nil && st.owner != m {
		return fmt.Errorf("this %T is already the optimizer of the model %q; an optimizer keeps state (such as Adam's moments) for the weights of one model, "+
			"so give each model its own, such as Optimizer: &dl.%s{} or a name such as %q", o, st.owner.Name, o.Name(), strings.ToLower(o.Name()))
	}
	st.owner = m
	return nil
}

// firstError returns the first error that is not nil.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// checkBeta reports a setting that is not a number in [0, 1).
func checkBeta(class, field string, v float64) error {
	if !(v >= 0 && v < 1) {
		return fmt.Errorf("&dl.%s{%s: %v}: %s must be a number in [0, 1) (0 means the default); received %s=%v", class, field, v, field, field, v)
	}
	return nil
}

// checkRate reports a learning rate that is not a finite number ≥ 0.
func checkRate(class string, lr float64) error {
	if math.IsNaN(lr) || math.IsInf(lr, 0) || lr < 0 {
		return fmt.Errorf("&dl.%s{LearningRate: %v}: LearningRate must be a finite number ≥ 0 (0 means the default); received LearningRate=%v", class, lr, lr)
	}
	return nil
}

// checkUnit reports a setting that is not a number in [0, 1].
func checkUnit(class, field string, v float64) error {
	if !(v >= 0 && v <= 1) {
		return fmt.Errorf("&dl.%s{%s: %v}: %s must be a number between 0 and 1; received %s=%v", class, field, v, field, field, v)
	}
	return nil
}

// checkNonNegative reports a setting that is not a finite number ≥ 0.
func checkNonNegative(class, field string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return fmt.Errorf("&dl.%s{%s: %v}: %s must be a finite number ≥ 0 (0 means the default); received %s=%v", class, field, v, field, field, v)
	}
	return nil
}

// Iterations returns the number of updates applied so far (Keras: iterations).
func (s *optState) Iterations() int { return s.iterations }

// ensureSlots allocates the slot vectors of optimizer o (see slotLayout)
// for every weight on first use.
func (s *optState) ensureSlots(params []*param, o Optimizer) {
	if s.built && len(s.slots) == len(params) {
		return
	}
	n, init := slotLayout(o)
	s.built = true
	s.slots = make([][][]float64, len(params))
	for i, p := range params {
		s.slots[i] = make([][]float64, n)
		for j := range s.slots[i] {
			v := make([]float64, p.value.Size())
			if init != 0 {
				for k := range v {
					v[k] = init
				}
			}
			s.slots[i][j] = v
		}
	}
}

// or returns v, or def when v is zero (the zero value means the Keras default).
func or(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}

// Adam is the Adam optimizer (Kingma & Ba, 2014) as Keras implements it:
//
//	m ← β1·m + (1−β1)·g        v ← β2·v + (1−β2)·g²
//	w ← w − lr·√(1−β2^t)/(1−β1^t) · m / (√v + ε)
//
// Note that ε is added to the uncorrected √v, as in Keras and TensorFlow.
// The zero value of each field is the Keras default (so β1 = 0 cannot be
// expressed).
type Adam struct {
	LearningRate float64 // default 0.001
	Beta1        float64 // default 0.9 (Keras: beta_1)
	Beta2        float64 // default 0.999 (Keras: beta_2)
	Epsilon      float64 // default 1e-7
	Amsgrad      bool    // use the AMSGrad variant

	optState
}

// Name implements Optimizer.
func (o *Adam) Name() string { return "Adam" }

func (o *Adam) check() error {
	return firstError(checkRate("Adam", o.LearningRate), checkBeta("Adam", "Beta1", o.Beta1),
		checkBeta("Adam", "Beta2", o.Beta2), checkNonNegative("Adam", "Epsilon", o.Epsilon))
}

func (o *Adam) update(params []*param) {
	o.ensureSlots(params, o)
	lr, b1, b2, eps := or(o.LearningRate, 0.001), or(o.Beta1, 0.9), or(o.Beta2, 0.999), or(o.Epsilon, 1e-7)
	t := float64(o.iterations + 1)
	alpha := lr * math.Sqrt(1-math.Pow(b2, t)) / (1 - math.Pow(b1, t))
	for i, p := range params {
		m, v := o.slots[i][0], o.slots[i][1]
		w, g := p.value.data, p.grad.data
		if !o.Amsgrad {
			adamStep(w, g, m, v, 1-b1, 1-b2, alpha, eps)
			continue
		}
		vh := o.slots[i][2]
		for j, gj := range g {
			m[j] += (gj - m[j]) * (1 - b1)
			v[j] += (gj*gj - v[j]) * (1 - b2)
			vh[j] = max(vh[j], v[j])
			w[j] -= m[j] * alpha / (math.Sqrt(vh[j]) + eps)
		}
	}
	o.iterations++
}

// adamStepGo is Adam's update of w, m and v (b1c = 1-β1, b2c = 1-β2, alpha
// the bias-corrected learning rate), in Keras's order of operations.
func adamStepGo(w, g, m, v []float64, b1c, b2c, alpha, eps float64) {
	for j, gj := range g {
		m[j] += (gj - m[j]) * b1c
		v[j] += (gj*gj - v[j]) * b2c
		w[j] -= m[j] * alpha / (math.Sqrt(v[j]) + eps)
	}
}

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

// Name implements Optimizer.
func (o *SGD) Name() string { return "SGD" }

func (o *SGD) check() error {
	return firstError(checkRate("SGD", o.LearningRate), checkUnit("SGD", "Momentum", o.Momentum))
}

func (o *SGD) update(params []*param) {
	lr := or(o.LearningRate, 0.01)
	o.ensureSlots(params, o)
	for i, p := range params {
		w, g := p.value.data, p.grad.data
		if o.Momentum == 0 {
			for j, gj := range g {
				w[j] -= lr * gj
			}
			continue
		}
		v := o.slots[i][0]
		for j, gj := range g {
			v[j] = o.Momentum*v[j] - lr*gj
			if o.Nesterov {
				w[j] += o.Momentum*v[j] - lr*gj
			} else {
				w[j] += v[j]
			}
		}
	}
	o.iterations++
}

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

// Name implements Optimizer.
func (o *RMSprop) Name() string { return "RMSprop" }

func (o *RMSprop) check() error {
	return firstError(checkRate("RMSprop", o.LearningRate), checkUnit("RMSprop", "Rho", o.Rho),
		checkUnit("RMSprop", "Momentum", o.Momentum), checkNonNegative("RMSprop", "Epsilon", o.Epsilon))
}

func (o *RMSprop) update(params []*param) {
	// Slots, as Keras creates them: velocity, then momentum if Momentum > 0,
	// then the average gradient if Centered.
	mi, ai := 0, 0
	if o.Momentum > 0 {
		mi = 1
	}
	if o.Centered {
		ai = mi + 1
	}
	o.ensureSlots(params, o)
	lr, rho, eps := or(o.LearningRate, 0.001), or(o.Rho, 0.9), or(o.Epsilon, 1e-7)
	for i, p := range params {
		vel, mom, avg := o.slots[i][0], o.slots[i][mi], o.slots[i][ai]
		w, g := p.value.data, p.grad.data
		for j, gj := range g {
			vel[j] = rho*vel[j] + (1-rho)*gj*gj
			den := vel[j] + eps
			if o.Centered {
				avg[j] = rho*avg[j] + (1-rho)*gj
				den = vel[j] - avg[j]*avg[j] + eps
			}
			inc := lr * gj / math.Sqrt(den)
			if o.Momentum > 0 {
				mom[j] = o.Momentum*mom[j] + inc
				w[j] -= mom[j]
			} else {
				w[j] -= inc
			}
		}
	}
	o.iterations++
}

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

// Name implements Optimizer.
func (o *Adagrad) Name() string { return "Adagrad" }

func (o *Adagrad) check() error {
	return firstError(checkRate("Adagrad", o.LearningRate),
		checkNonNegative("Adagrad", "InitialAccumulatorValue", o.InitialAccumulatorValue), checkNonNegative("Adagrad", "Epsilon", o.Epsilon))
}

func (o *Adagrad) update(params []*param) {
	o.ensureSlots(params, o)
	lr, eps := or(o.LearningRate, 0.001), or(o.Epsilon, 1e-7)
	for i, p := range params {
		acc := o.slots[i][0]
		w, g := p.value.data, p.grad.data
		for j, gj := range g {
			acc[j] += gj * gj
			w[j] -= lr * gj / math.Sqrt(acc[j]+eps)
		}
	}
	o.iterations++
}

// optimizerByName returns a new optimizer with Keras's defaults for one of
// the names Keras accepts (case-insensitive).
func optimizerByName(name string) Optimizer {
	switch strings.ToLower(name) {
	case "adam":
		return &Adam{}
	case "sgd":
		return &SGD{}
	case "rmsprop":
		return &RMSprop{}
	case "adagrad":
		return &Adagrad{}
	}
	return nil
}
