package dl

import (
	"fmt"
	"math"
)

// Regularizer is a weight penalty added to the training loss (Keras:
// keras.regularizers). Build one with L1, L2 or L1L2 and set it as a layer's
// KernelRegularizer or BiasRegularizer.
//
// As in Keras, the penalty of every regularized weight is added once per
// batch to the loss (not divided by the batch size), so it is part of the
// reported loss and val_loss, and of Evaluate's loss, but not of metrics
// such as mae.
//
// Regularizer is closed: its addGrad and check methods are unexported, so
// L1, L2 and L1L2 are its only implementations. Training needs the
// gradient of the penalty, not only its value, and Save must write each
// regularizer as a Keras class that Keras and LoadModel read back; a
// penalty defined outside dl could offer neither.
type Regularizer interface {
	// Penalty returns the penalty for the weights w.
	Penalty(w []float64) float64
	// addGrad adds the gradient of the penalty at w to g.
	addGrad(w, g []float64)
	// penalty32 and addGrad32 are Penalty and addGrad for the weights of a
	// float32 model.
	penalty32(w []float32) float64
	addGrad32(w, g []float32)
	// check reports a factor that Keras rejects: negative, NaN or infinite.
	check() error
}

// l1l2 is the one implementation: l1·Σ|w| + l2·Σw².
type l1l2 struct {
	class  string // Keras class: "L1", "L2" or "L1L2"
	l1, l2 float64
}

// L1 returns the penalty l1·Σ|w| (Keras: regularizers.L1(l1), also l1(...)).
func L1(l1 float64) Regularizer { return &l1l2{class: "L1", l1: l1} }

// L2 returns the penalty l2·Σw² (Keras: regularizers.L2(l2), also l2(...)).
func L2(l2 float64) Regularizer { return &l1l2{class: "L2", l2: l2} }

// L1L2 returns the penalty l1·Σ|w| + l2·Σw² (Keras: regularizers.L1L2).
func L1L2(l1, l2 float64) Regularizer { return &l1l2{class: "L1L2", l1: l1, l2: l2} }

// String returns the call that made r, such as dl.L2(0.01).
func (r *l1l2) String() string {
	switch r.class {
	case "L1":
		return fmt.Sprintf("dl.L1(%v)", r.l1)
	case "L2":
		return fmt.Sprintf("dl.L2(%v)", r.l2)
	}
	return fmt.Sprintf("dl.L1L2(%v, %v)", r.l1, r.l2)
}

// check implements Regularizer, as Keras's validate_float_arg.
func (r *l1l2) check() error {
	for _, a := range []struct {
		name string
		v    float64
	}{{"l1", r.l1}, {"l2", r.l2}} {
		if a.v < 0 || math.IsNaN(a.v) || math.IsInf(a.v, 0) {
			return fmt.Errorf("invalid value for argument %s of %s, expected a non-negative float; received %s=%v", a.name, r, a.name, a.v)
		}
	}
	return nil
}

// regularizerField names the layer field that sets the regularizer of the
// weight called name.
func regularizerField(name string) string {
	switch name {
	case "kernel":
		return "KernelRegularizer"
	case "recurrent_kernel":
		return "RecurrentRegularizer"
	case "bias":
		return "BiasRegularizer"
	}
	return name + " regularizer"
}

// Penalty implements Regularizer.
func (r *l1l2) Penalty(w []float64) float64 { return l1l2Penalty(r, w) }

func (r *l1l2) penalty32(w []float32) float64 { return l1l2Penalty(r, w) }

// l1l2Penalty is Penalty for either element type, summed in float64.
func l1l2Penalty[T float](r *l1l2, w []T) float64 {
	var a, s float64
	for _, t := range w {
		v := float64(t)
		a += math.Abs(v)
		s += v * v
	}
	return r.l1*a + r.l2*s
}

// addGrad implements Regularizer. The derivative of |w| at w = 0 is taken
// as +1, as the automatic differentiation of Keras's JAX backend does (so a
// zero bias with an L1 penalty moves on the first step, as in Keras).
func (r *l1l2) addGrad(w, g []float64) { l1l2Grad(r, w, g) }

func (r *l1l2) addGrad32(w, g []float32) { l1l2Grad(r, w, g) }

// l1l2Grad is addGrad for either element type.
func l1l2Grad[T float](r *l1l2, w, g []T) {
	for i, t := range w {
		v := float64(t)
		d := 2 * r.l2 * v
		if v >= 0 {
			d += r.l1
		} else {
			d -= r.l1
		}
		g[i] += T(d)
	}
}

// regPenalty returns r's penalty on w.
func regPenalty[T float](r Regularizer, w []T) float64 {
	if v, ok := any(w).([]float64); ok {
		return r.Penalty(v)
	}
	return r.penalty32(any(w).([]float32))
}

// regGrad adds the gradient of r's penalty on w to g.
func regGrad[T float](r Regularizer, w, g []T) {
	if v, ok := any(w).([]float64); ok {
		r.addGrad(v, any(g).([]float64))
		return
	}
	r.addGrad32(any(w).([]float32), any(g).([]float32))
}
