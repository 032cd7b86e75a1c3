package dl

import (
	"math"
	"runtime"

	"github.com/dlgo/dlgo/internal/kernels"
)

// Adam is the Adam optimizer (Kingma & Ba, 2014) as Keras implements it
// (keras.optimizers.Adam):
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

var _ Optimizer = (*Adam)(nil)

// Name implements Optimizer: "Adam".
func (o *Adam) Name() string { return "Adam" }

// CurrentLearningRate implements Optimizer.
func (o *Adam) CurrentLearningRate() float64 { return o.rate(o.LearningRate, adamRate) }

// SetLearningRate implements Optimizer.
func (o *Adam) SetLearningRate(lr float64) { o.setRate(&o.LearningRate, lr) }

func (o *Adam) check() error { return checkSettings(o) }

func (o *Adam) settings() []setting {
	return append(adamSettings(&o.LearningRate, &o.Beta1, &o.Beta2, &o.Epsilon), flagSetting("amsgrad", "Amsgrad", &o.Amsgrad))
}

func (o *Adam) layout() slotLayout { return adamSlots(o.Amsgrad) }

func (o *Adam) update(params []*param) {
	byDtype(o, params, adamOptUpdate[float32], adamOptUpdate[float64])
}

// planFused implements stepFuser: without amsgrad, each value's update
// needs its own gradient alone.
func (o *Adam) planFused(params []*param, fusable []bool) {
	if o.Amsgrad {
		return
	}
	if dtypeOfParams(params) == float32Type {
		adamPlanFused[float32](o, params, fusable)
	} else {
		adamPlanFused[float64](o, params, fusable)
	}
}

// adamPlanFused is planFused in element type T: the step's coefficients are
// those update will use, the iteration count being the same.
func adamPlanFused[T float](o *Adam, params []*param, fusable []bool) {
	slots := ensureSlots[T](&o.optState, params, o)
	b1, b2, eps := adamBetas(o.Beta1, o.Beta2, o.Epsilon)
	alpha := adamAlpha(o.CurrentLearningRate(), b1, b2, o.iterations)
	fs, _ := o.fused.([]*fusedAdam[T])
	if len(fs) != len(params) {
		fs = make([]*fusedAdam[T], len(params))
		o.fused = fs
	}
	for i, p := range params {
		if !fusable[i] {
			continue
		}
		f := fs[i]
		if f == nil {
			f = &fusedAdam[T]{}
			f.each = f.rows
			fs[i] = f
		}
		f.w, f.m, f.v, f.cols = valueOf[T](p), slots[i][0], slots[i][1], p.shape[len(p.shape)-1]
		f.b1c, f.b2c, f.alpha, f.eps = 1-b1, 1-b2, alpha, eps
		p.fused = f.each
	}
}

// adamOptUpdate is Adam's update in element type T.
func adamOptUpdate[T float](o *Adam, params []*param) {
	ensureSlots[T](&o.optState, params, o)
	b1, b2, eps := adamBetas(o.Beta1, o.Beta2, o.Epsilon)
	adamUpdate[T](&o.optState, params, o.CurrentLearningRate(), b1, b2, eps, o.Amsgrad)
	o.iterations++
}

// The Keras defaults that Adam shares with its relatives (AdamW, Nadam,
// Adamax): learning_rate=0.001, beta_1=0.9, beta_2=0.999 (and epsilon=1e-7,
// kerasEpsilon).
const (
	adamRate  = 0.001
	adamBeta1 = 0.9
	adamBeta2 = 0.999
)

// adamBetas returns beta_1, beta_2 and epsilon in effect for the fields
// Beta1, Beta2 and Epsilon of Adam and its relatives.
func adamBetas(b1, b2, eps float64) (float64, float64, float64) {
	return or(b1, adamBeta1), or(b2, adamBeta2), or(eps, kerasEpsilon)
}

// adamSettings are the settings of Adam and its relatives: the learning
// rate, beta_1, beta_2 and epsilon with Adam's defaults.
func adamSettings(lr, b1, b2, eps *float64) []setting {
	return []setting{rateSetting(lr, adamRate), betaSetting("beta_1", "Beta1", b1, adamBeta1),
		betaSetting("beta_2", "Beta2", b2, adamBeta2), positiveSetting("epsilon", "Epsilon", eps, kerasEpsilon)}
}

// adamSlots is the slot layout of Adam (and AdamW): Keras creates the
// momentum and velocity of each weight together, then with amsgrad every
// weight's v̂.
func adamSlots(amsgrad bool) slotLayout {
	l := slotLayout{groups: [][]string{{"momentum", "velocity"}}}
	if amsgrad {
		l.groups = append(l.groups, []string{"velocity_hat"})
	}
	return l
}

// adamUpdate applies one Adam step to params with learning rate lr, in
// Keras's order of operations; s holds the slots (see adamSlots) and the
// iteration count, which the caller increments.
func adamUpdate[T float](s *optState, params []*param, lr, b1, b2, eps float64, amsgrad bool) {
	alpha := adamAlpha(lr, b1, b2, s.iterations)
	slots := slotsOf[T](s)
	if !amsgrad {
		j, _ := s.job.(*adamJob[T])
		if j == nil {
			j = &adamJob[T]{}
			s.job = j
		}
		j.set(params, slots, 1-b1, 1-b2, alpha, eps)
		kernels.Parallel(j, j.chunks())
		clear(j.params) // let the weights go
		clear(j.slots)
		return
	}
	for i, p := range params {
		m, v, vh := slots[i][0], slots[i][1], slots[i][2]
		w, g := weightsOf[T](p)
		for j, gj := range g {
			adamMoments(&m[j], &v[j], gj, T(1-b1), T(1-b2))
			vh[j] = max(vh[j], v[j])
			w[j] -= m[j] * T(alpha) / (T(math.Sqrt(float64(vh[j]))) + T(eps))
		}
	}
}

// adamAlpha is Adam's bias-corrected learning rate for the step after the
// iterations-th.
func adamAlpha(lr, b1, b2 float64, iterations int) float64 {
	t := float64(iterations + 1)
	return lr * math.Sqrt(1-math.Pow(b2, t)) / (1 - math.Pow(b1, t))
}

// adamJob is one Adam step over all the weights but those a fused step
// updated, cut into chunks of about equal size that run on every core
// (kernels.Parallel); each value's update is the same, whatever the chunk
// it falls in.
type adamJob[T float] struct {
	params               []*param
	slots                [][][]T
	ends                 []int // ends[i] is the number of values of params[:i+1]
	b1c, b2c, alpha, eps float64
}

// adamParallelValues is the number of values from which an Adam step is
// shared between cores: below it, waking a worker costs more than it saves.
const adamParallelValues = 1 << 16

// set prepares the step of the weights of params that no fused step
// updated.
func (j *adamJob[T]) set(params []*param, slots [][][]T, b1c, b2c, alpha, eps float64) {
	j.b1c, j.b2c, j.alpha, j.eps = b1c, b2c, alpha, eps
	j.params, j.slots, j.ends = j.params[:0], j.slots[:0], j.ends[:0]
	n := 0
	for i, p := range params {
		if p.stepped {
			continue
		}
		n += p.size()
		j.params, j.slots, j.ends = append(j.params, p), append(j.slots, slots[i]), append(j.ends, n)
	}
}

// chunks returns the number of chunks to cut the step into.
func (j *adamJob[T]) chunks() int {
	if len(j.ends) == 0 || j.ends[len(j.ends)-1] < adamParallelValues {
		return 1
	}
	return 2 * runtime.GOMAXPROCS(0)
}

// Chunk updates the values [i·N/n, (i+1)·N/n) of the N values of all the
// weights.
func (j *adamJob[T]) Chunk(i, n int) {
	if len(j.ends) == 0 {
		return
	}
	total := j.ends[len(j.ends)-1]
	lo, hi := i*total/n, (i+1)*total/n
	start := 0
	for k, p := range j.params {
		end := j.ends[k]
		if a, b := max(lo, start)-start, min(hi, end)-start; a < b {
			w, g := weightsOf[T](p)
			m, v := j.slots[k][0], j.slots[k][1]
			adamStep(w[a:b], g[a:b], m[a:b], v[a:b], j.b1c, j.b2c, j.alpha, j.eps)
		}
		start = end
	}
}

// adamMoments updates Adam's running moments m and v of a weight with its
// gradient g (b1c = 1-β1, b2c = 1-β2), in Keras's order of operations.
func adamMoments[T float](m, v *T, g, b1c, b2c T) {
	*m += (g - *m) * b1c
	*v += (g*g - *v) * b2c
}

// adamStepGo is Adam's update of w, m and v (b1c = 1-β1, b2c = 1-β2, alpha
// the bias-corrected learning rate), in Keras's order of operations.
func adamStepGo[T float](w, g, m, v []T, b1c, b2c, alpha, eps T) {
	for j, gj := range g {
		m[j] += (gj - m[j]) * b1c
		v[j] += (gj*gj - v[j]) * b2c
		w[j] -= m[j] * alpha / (T(math.Sqrt(float64(v[j]))) + eps)
	}
}
