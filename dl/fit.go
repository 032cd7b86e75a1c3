package dl

import (
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"
	"time"
)

// stdout, when set (by tests), receives the progress bars and messages that
// otherwise go to os.Stdout.
var stdout io.Writer

// output returns where dl prints: os.Stdout as it is at the time of the
// call (so that redirections of os.Stdout are followed), or stdout if set.
func output() io.Writer {
	if stdout != nil {
		return stdout
	}
	return os.Stdout
}

// Silent is the Verbose value that prints nothing (Keras: verbose=0). The
// zero value of Verbose is Keras's "auto", a progress bar.
const Silent = -1

// Inputs is what Fit, Evaluate and Predict take as x and y: a *Tensor, or
// Tensors for a model with several inputs.
type Inputs interface {
	tensors() []*Tensor
}

func (t *Tensor) tensors() []*Tensor { return []*Tensor{t} }

// Tensors is a list of tensors, one per model input or output
// (Keras: a Python list of arrays).
type Tensors []*Tensor

func (ts Tensors) tensors() []*Tensor { return ts }

// CompileOptions are the arguments of Compile (Keras: model.compile).
type CompileOptions struct {
	// Optimizer is a name ("adam", "sgd", "rmsprop", "adagrad") or an
	// Optimizer such as &dl.Adam{LearningRate: 0.01}. The default is
	// "rmsprop", as in Keras.
	Optimizer any
	// Loss names the loss: "mse", "mae", "binary_crossentropy",
	// "categorical_crossentropy" or "sparse_categorical_crossentropy"
	// (Keras's aliases such as "mean_squared_error" work too). Required.
	Loss string
	// Metrics are reported during training but not optimized: "accuracy",
	// "mae", "mse" (Keras: metrics=[...]).
	Metrics []string
}

// compiled is the state Compile sets up.
type compiled struct {
	optimizer   Optimizer
	loss        *lossFn
	metricNames []string
	metrics     []*metric // resolved once the output shape is known
	train, val  []*metric // accumulators (val are copies for validation)
	dy          *Tensor   // loss gradient buffer
	xb, yb      *Tensor   // batch buffers
}

// Compile configures the model for training (Keras: model.compile).
//
//	err := model.Compile(dl.CompileOptions{Optimizer: "adam", Loss: "binary_crossentropy", Metrics: []string{"accuracy"}})
func (m *Model) Compile(opts CompileOptions) (err error) {
	defer catch(&err)
	const op = "Compile"
	c := &compiled{}
	switch o := opts.Optimizer.(type) {
	case nil:
		c.optimizer = &RMSprop{}
	case string:
		if c.optimizer = optimizerByName(o); c.optimizer == nil {
			throw(op, "unknown optimizer %q in Optimizer; use \"adam\", \"sgd\", \"rmsprop\" or \"adagrad\", or a value such as &dl.Adam{LearningRate: 0.001}", o)
		}
	case Optimizer:
		c.optimizer = o
	default:
		throw(op, "Optimizer must be a name such as \"adam\" or an optimizer such as &dl.Adam{}; received %T", opts.Optimizer)
	}
	if opts.Loss == "" {
		throw(op, "Loss is required, for example Loss: \"mse\" for regression or Loss: \"binary_crossentropy\" for two classes")
	}
	var ok bool
	if c.loss, ok = resolveLoss(opts.Loss); !ok {
		throw(op, "unknown loss %q in Loss; use one of %s", opts.Loss, lossNames())
	}
	for _, name := range opts.Metrics {
		if _, ok := metricKinds[name]; !ok {
			throw(op, "unknown metric %q in Metrics; use one of %s", name, metricNames())
		}
	}
	c.metricNames = append([]string(nil), opts.Metrics...)
	if m.seq != nil && m.seq.declaredInput() != nil && !m.built {
		if err := m.build(m.seq.declaredInput().Shape); err != nil {
			throw(op, "%v", err)
		}
	}
	m.compiled = c
	return nil
}

// resolveMetrics creates the metric accumulators for the built model's
// output, resolving "accuracy" as Keras does.
func (c *compiled) resolveMetrics(outUnits int) {
	if c.metrics != nil {
		return
	}
	mk := func() []*metric {
		ms := make([]*metric, len(c.metricNames))
		for i, name := range c.metricNames {
			kind := metricKinds[name]
			if kind == "" {
				kind = resolveAccuracy(outUnits, c.loss.sparse)
			}
			ms[i] = &metric{name: name, kind: kind, higher: strings.HasSuffix(kind, "accuracy")}
		}
		return ms
	}
	c.metrics, c.train, c.val = mk(), mk(), mk()
}

// FitOptions are the arguments of Fit (Keras: model.fit). The zero value of
// each field is the Keras default.
type FitOptions struct {
	// Epochs is the number of passes over the training data (default 1).
	Epochs int
	// BatchSize is the number of samples per gradient update (default 32).
	BatchSize int
	// Verbose is 1 for a progress bar (the default, Keras's "auto"), 2 for
	// one line per epoch, or Silent for nothing (Keras: verbose=0).
	Verbose int
	// Callbacks are called during training, in order, before the History.
	Callbacks []Callback
	// ValidationSplit is the fraction of the data held out for validation:
	// the LAST samples, taken before any shuffling (Keras: validation_split).
	ValidationSplit float64
	// ValidationData, if set, is used for validation instead of a split
	// (Keras: validation_data=(x_val, y_val)).
	ValidationData *Data
	// NoShuffle keeps the training samples in order (Keras: shuffle=False).
	// By default they are shuffled before every epoch.
	NoShuffle bool
	// InitialEpoch is the epoch to start from, for resuming (Keras: initial_epoch).
	InitialEpoch int
}

// Data is a pair of inputs and targets, such as validation data.
type Data struct {
	X, Y Inputs
}

// EvaluateOptions are the arguments of Evaluate (Keras: model.evaluate).
type EvaluateOptions struct {
	// BatchSize is the number of samples per batch (default 32).
	BatchSize int
	// Verbose is 1 for a progress bar (the default) or Silent.
	Verbose int
	// Callbacks receive the test hooks.
	Callbacks []Callback
}

// PredictOptions are the arguments of Predict (Keras: model.predict).
type PredictOptions struct {
	// BatchSize is the number of samples per batch (default 32).
	BatchSize int
	// Verbose is 1 for a progress bar (the default) or Silent.
	Verbose int
}

// History records the values of each epoch of a Fit (Keras: the History
// object that model.fit returns).
type History struct {
	// History maps each key ("loss", "accuracy", "val_loss", ...) to its
	// value at every epoch (Keras: history.history).
	History map[string][]float64
	// Epoch lists the epoch indices, from 0 (Keras: history.epoch).
	Epoch []int
	// Params holds "epochs", "steps" (batches per epoch) and "verbose".
	Params map[string]int

	keys []string
}

// Keys returns the recorded keys in Keras's order: loss, metrics, then the
// validation versions.
func (h *History) Keys() []string { return append([]string(nil), h.keys...) }

// record appends one epoch's logs.
func (h *History) record(epoch int, logs Logs, keys []string) {
	if h.History == nil {
		h.History = map[string][]float64{}
	}
	for _, k := range keys {
		if _, seen := h.History[k]; !seen {
			h.keys = append(h.keys, k)
		}
		h.History[k] = append(h.History[k], logs[k])
	}
	h.Epoch = append(h.Epoch, epoch)
}

// one returns the single tensor of an Inputs value for a one-input model.
func one(op, what string, in Inputs) *Tensor {
	if in == nil {
		throw(op, "%s is missing", what)
	}
	ts := in.tensors()
	if len(ts) != 1 {
		throw(op, "this model has 1 input but %s holds %d tensors; pass a single tensor", what, len(ts))
	}
	if ts[0] == nil {
		throw(op, "%s is a nil tensor", what)
	}
	return ts[0]
}

// prepareX checks x against the model's input, building the model if needed.
func (m *Model) prepareX(op, what string, x *Tensor) {
	if x.Rank() < 2 {
		throw(op, "%s must have a batch axis and a feature axis, such as (n, %d); received shape %s. Reshape it, for example x.Reshape(-1, 1)",
			what, max(1, len(m.inputShapeOrNil())), shapeString(x.shape))
	}
	if x.Len() == 0 {
		throw(op, "%s is empty (shape %s)", what, shapeString(x.shape))
	}
	if want := m.inputShape(); want != nil && !equalShape(want, x.shape[1:]) {
		name := "the input"
		if il := m.inputLayer(); il != nil {
			name = fmt.Sprintf("layer %q", il.base().name)
		}
		throw(op, "%s expects samples of shape %s, but %s has shape %s (samples of shape %s); "+
			"check the Input shape or the data's columns", name, formatShape(want), what, shapeString(x.shape), formatShape(x.shape[1:]))
	}
	if err := m.ensureBuilt(op, x.shape[1:]); err != nil {
		panic(userPanic{err})
	}
	checkFinite(op, what, x)
}

// inputShapeOrNil is inputShape for messages.
func (m *Model) inputShapeOrNil() []int { return m.inputShape() }

// inputLayer returns the declared input layer, if any.
func (m *Model) inputLayer() layer {
	if m.seq != nil {
		if il := m.seq.declaredInput(); il != nil {
			return il
		}
	}
	return nil
}

// prepareY checks targets against the model's output and the loss, and
// returns them in the layout the loss reads: the output's shape, or one
// class index per sample for sparse losses.
func (m *Model) prepareY(op, what string, y *Tensor, n int) *Tensor {
	if y.Len() != n {
		throw(op, "x and %s must have the same number of samples; received %d and %d", what, n, y.Len())
	}
	checkFinite(op, what, y)
	out := m.outputShape()
	k := out[len(out)-1]
	want := append([]int{n}, out...)
	c := m.compiled
	if c.loss.sparse {
		if !(y.Rank() == len(want)-1 && equalShape(y.shape, want[:len(want)-1])) &&
			!(y.Rank() == len(want) && y.shape[len(want)-1] == 1 && equalShape(y.shape[:len(want)-1], want[:len(want)-1])) {
			throw(op, "%s must hold one class index per sample for the loss %q, shape %s; received shape %s",
				what, c.loss.name, shapeString(want[:len(want)-1]), shapeString(y.shape))
		}
		for i, v := range y.data {
			if v != math.Trunc(v) || v < 0 || int(v) >= k {
				throw(op, "%s[%d] = %v is not a class index in [0, %d) for the loss %q; the last layer has %d units",
					what, i, v, k, c.loss.name, k)
			}
		}
		return y.Reshape(want[:len(want)-1]...)
	}
	if equalShape(y.shape, want) {
		return y
	}
	// Keras expands (n,) targets to (n, 1) when the output ends in 1.
	if k == 1 && equalShape(y.shape, want[:len(want)-1]) {
		return y.Reshape(want...)
	}
	hint := ""
	if k > 1 && y.Rank() == len(want)-1 {
		hint = fmt.Sprintf(`; for integer class labels use Loss: "sparse_categorical_crossentropy", or one-hot encode them`)
	}
	throw(op, "%s has shape %s but the model's output has shape %s, and the loss %q needs them to match%s",
		what, shapeString(y.shape), formatShape(out), c.loss.name, hint)
	return nil
}

// checkFinite rejects NaN and infinite values, naming the first one found.
func checkFinite(op, what string, t *Tensor) {
	for i, v := range t.data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			per := max(1, rowSize(t.shape))
			throw(op, "%s contains %v at sample %d (position %d of that sample); remove or fill in missing values before training",
				what, v, i/per, i%per)
		}
	}
}

// Fit trains the model for a fixed number of epochs (Keras: model.fit) and
// returns the History of loss and metric values.
//
// Fit is a loop over batches of the public primitives: for each batch it
// runs the model forward in training mode, computes the loss (plus any
// weight penalties), back-propagates, and lets the optimizer update the
// weights. The epoch's loss is the batch-size-weighted mean of the batch
// losses, each taken before that batch's update, as in Keras.
//
// It stops with an error, naming the epoch and batch, if the loss becomes
// NaN or infinite.
func (m *Model) Fit(x, y Inputs, opts FitOptions) (h *History, err error) {
	defer catch(&err)
	const op = "Fit"
	c := m.compiled
	if c == nil {
		throw(op, "you must call Compile before calling Fit")
	}
	xt := one(op, "x", x)
	yt := one(op, "y", y)
	m.prepareX(op, "x", xt)
	yt = m.prepareY(op, "y", yt, xt.Len())
	out := m.outputShape()
	c.resolveMetrics(out[len(out)-1])

	epochs := max(opts.Epochs, 1)
	if opts.Epochs < 0 {
		throw(op, "Epochs must be positive, received Epochs=%d", opts.Epochs)
	}
	bs := opts.BatchSize
	if bs < 0 {
		throw(op, "BatchSize must be positive, received BatchSize=%d", bs)
	}
	if bs == 0 {
		bs = 32
	}
	verbose := opts.Verbose
	if verbose == 0 {
		verbose = 1
	}

	// Validation data: explicit, or the last fraction before shuffling.
	var xv, yv *Tensor
	xTrain, yTrain := xt, yt
	switch {
	case opts.ValidationData != nil:
		xv = one(op, "ValidationData.X", opts.ValidationData.X)
		m.prepareX(op, "ValidationData.X", xv)
		yv = m.prepareY(op, "ValidationData.Y", one(op, "ValidationData.Y", opts.ValidationData.Y), xv.Len())
	case opts.ValidationSplit != 0:
		vs := opts.ValidationSplit
		if !(vs > 0 && vs < 1) {
			throw(op, "ValidationSplit must be between 0 and 1, received ValidationSplit=%v", vs)
		}
		n := xt.Len()
		split := int(math.Floor(float64(n) * (1 - vs)))
		if split == 0 || split == n {
			throw(op, "the data has %d samples, which is not enough to split it with ValidationSplit=%v (%d for training, %d for validation); provide more data or a different ValidationSplit",
				n, vs, split, n-split)
		}
		xTrain, yTrain = xt.Slice(0, split), yt.Slice(0, split)
		xv, yv = xt.Slice(split, n), yt.Slice(split, n)
	}

	nTrain := xTrain.Len()
	steps := (nTrain + bs - 1) / bs
	h = &History{Params: map[string]int{"verbose": verbose, "epochs": epochs, "steps": steps}}
	cbs := opts.Callbacks
	for _, cb := range cbs {
		cb.SetModel(m)
	}
	m.StopTraining = false
	keys := m.logKeys(xv != nil)
	m.fitKeys = keys
	logs := Logs{}
	dispatch := func(f func(Callback) error) {
		for _, cb := range cbs {
			if err := f(cb); err != nil {
				panic(userPanic{err})
			}
		}
	}
	dispatch(func(cb Callback) error { return cb.OnTrainBegin(logs) })

	perm := make([]int, nTrain)
	for i := range perm {
		perm[i] = i
	}
	var bar *progbar
	var barValues []logValue
	for epoch := opts.InitialEpoch; epoch < epochs; epoch++ {
		for _, mt := range c.train {
			mt.reset()
		}
		clear(logs)
		dispatch(func(cb Callback) error { return cb.OnEpochBegin(epoch, logs) })
		if verbose > 0 {
			if epochs > 1 {
				fmt.Fprintf(output(), "Epoch %d/%d\n", epoch+1, epochs)
			}
			bar = newProgbar(output(), steps, verbose, time.Now)
		}
		if !opts.NoShuffle {
			m.rng.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		}
		var lossSum float64
		seen := 0
		for b := 0; b < steps; b++ {
			idx := perm[b*bs : min((b+1)*bs, nTrain)]
			if len(cbs) > 0 {
				dispatch(func(cb Callback) error { return cb.OnTrainBatchBegin(b, logs) })
			}
			xb := gather(&c.xb, xTrain, idx)
			yb := gather(&c.yb, yTrain, idx)
			loss := m.trainStep(xb, yb)
			if math.IsNaN(loss) || math.IsInf(loss, 0) {
				throw(op, "epoch %d, batch %d: the loss became %v, so training stopped; try a smaller learning rate (for example &dl.Adam{LearningRate: 1e-4}), scale the inputs (dl.StandardScaler), or check the data for extreme values",
					epoch+1, b+1, loss)
			}
			lossSum += loss * float64(len(idx))
			seen += len(idx)
			if len(cbs) > 0 || bar != nil {
				logs["loss"] = lossSum / float64(seen)
				for _, mt := range c.train {
					logs[mt.name] = mt.result()
				}
				dispatch(func(cb Callback) error { return cb.OnTrainBatchEnd(b, logs) })
				if bar != nil && b < steps-1 {
					barValues = m.barValues(barValues[:0], logs, keys, false)
					bar.update(b+1, barValues, false)
				}
			}
			if m.StopTraining {
				break
			}
		}
		logs["loss"] = lossSum / float64(max(seen, 1))
		for _, mt := range c.train {
			logs[mt.name] = mt.result()
		}
		if xv != nil {
			vl := m.testLoop(xv, yv, bs, cbs, c.val)
			logs["val_loss"] = vl
			for _, mt := range c.val {
				logs["val_"+mt.name] = mt.result()
			}
		}
		dispatch(func(cb Callback) error { return cb.OnEpochEnd(epoch, logs) })
		h.record(epoch, logs, keys)
		if bar != nil {
			barValues = m.barValues(barValues[:0], logs, keys, true)
			bar.update(steps, barValues, true)
		}
		if m.StopTraining {
			break
		}
	}
	dispatch(func(cb Callback) error { return cb.OnTrainEnd(logs) })
	return h, nil
}

// logKeys returns the History keys in Keras 3's order: the training keys
// ("loss" and the metric names) sorted, then their "val_" versions, as in
// ['accuracy', 'loss', 'val_accuracy', 'val_loss'].
func (m *Model) logKeys(validation bool) []string {
	keys := append([]string{"loss"}, m.compiled.metricNames...)
	sort.Strings(keys)
	if validation {
		for _, k := range keys[:len(keys):len(keys)] {
			keys = append(keys, "val_"+k)
		}
	}
	return keys
}

// barValues lists the values a progress line shows, reusing dst.
func (m *Model) barValues(dst []logValue, logs Logs, keys []string, withVal bool) []logValue {
	for _, k := range keys {
		if !withVal && strings.HasPrefix(k, "val_") {
			continue
		}
		dst = append(dst, logValue{Key: k, Value: logs[k]})
	}
	return dst
}

// gather copies the samples idx of src into the buffer *dst.
func gather(dst **Tensor, src *Tensor, idx []int) *Tensor {
	per := rowSize(src.shape)
	t := resize(dst, src.shape...)
	t.shape[0] = len(idx)
	t.data = t.data[:len(idx)*per]
	for i, r := range idx {
		copy(t.data[i*per:(i+1)*per], src.data[r*per:(r+1)*per])
	}
	return t
}

// trainStep runs one gradient update on a batch and returns its loss,
// including weight penalties, computed before the update.
func (m *Model) trainStep(xb, yb *Tensor) float64 {
	c := m.compiled
	for _, p := range m.params {
		clear(p.grad.data)
	}
	yp := m.forward(xb, true)
	k := yp.shape[len(yp.shape)-1]
	dy := resize(&c.dy, yp.shape...)
	loss := c.loss.compute(yb.data, yp.data, dy.data, k)
	for _, mt := range c.train {
		mt.update(yb.data, yp.data, k)
	}
	m.backward(dy)
	loss += m.penalty(true)
	c.optimizer.update(m.params)
	return loss
}

// penalty returns the sum of the weight penalties; with grads it also adds
// their gradients to the weights' gradients.
func (m *Model) penalty(grads bool) float64 {
	var s float64
	for _, p := range m.params {
		if p.reg == nil {
			continue
		}
		s += p.reg.Penalty(p.value.data)
		if grads {
			p.reg.addGrad(p.value.data, p.grad.data)
		}
	}
	return s
}

// testLoop runs the model in inference mode over x in batches and returns
// the batch-size-weighted mean loss (with weight penalties); metrics are
// accumulated into ms.
func (m *Model) testLoop(x, y *Tensor, bs int, cbs []Callback, ms []*metric) float64 {
	c := m.compiled
	for _, mt := range ms {
		mt.reset()
	}
	logs := Logs{}
	dispatch := func(f func(Callback) error) {
		for _, cb := range cbs {
			if err := f(cb); err != nil {
				panic(userPanic{err})
			}
		}
	}
	dispatch(func(cb Callback) error { return cb.OnTestBegin(logs) })
	n := x.Len()
	penalty := m.penalty(false)
	var lossSum float64
	for b, start := 0, 0; start < n; b, start = b+1, start+bs {
		end := min(start+bs, n)
		dispatch(func(cb Callback) error { return cb.OnTestBatchBegin(b, logs) })
		yp := m.forward(x.Slice(start, end), false)
		yb := y.Slice(start, end)
		k := yp.shape[len(yp.shape)-1]
		loss := c.loss.compute(yb.data, yp.data, nil, k) + penalty
		for _, mt := range ms {
			mt.update(yb.data, yp.data, k)
		}
		lossSum += loss * float64(end-start)
		if len(cbs) > 0 {
			logs["loss"] = lossSum / float64(end)
			dispatch(func(cb Callback) error { return cb.OnTestBatchEnd(b, logs) })
		}
	}
	logs["loss"] = lossSum / float64(n)
	for _, mt := range ms {
		logs[mt.name] = mt.result()
	}
	dispatch(func(cb Callback) error { return cb.OnTestEnd(logs) })
	return lossSum / float64(n)
}

// Evaluate returns the loss and metrics of the model on x and y (Keras:
// model.evaluate): [loss, metric1, metric2, ...] in Compile's order. Keras
// returns a bare number when there are no metrics; dl always returns the
// list, so the loss is always element 0.
func (m *Model) Evaluate(x, y Inputs, opts EvaluateOptions) (res []float64, err error) {
	defer catch(&err)
	const op = "Evaluate"
	c := m.compiled
	if c == nil {
		throw(op, "you must call Compile before calling Evaluate")
	}
	xt := one(op, "x", x)
	m.prepareX(op, "x", xt)
	yt := m.prepareY(op, "y", one(op, "y", y), xt.Len())
	out := m.outputShape()
	c.resolveMetrics(out[len(out)-1])
	bs := opts.BatchSize
	if bs <= 0 {
		bs = 32
	}
	cbs := opts.Callbacks
	for _, cb := range cbs {
		cb.SetModel(m)
	}
	steps := (xt.Len() + bs - 1) / bs
	var bar *progbar
	if opts.Verbose >= 0 {
		bar = newProgbar(output(), steps, max(opts.Verbose, 1), time.Now)
	}
	loss := m.testLoop(xt, yt, bs, cbs, c.val)
	res = []float64{loss}
	vals := []logValue{{Key: "loss", Value: loss}}
	for _, mt := range c.val {
		res = append(res, mt.result())
		vals = append(vals, logValue{Key: mt.name, Value: mt.result()})
	}
	if bar != nil {
		bar.update(steps, vals, true)
	}
	return res, nil
}

// Predict returns the model's outputs for x, computed in batches in
// inference mode (dropout off) (Keras: model.predict).
func (m *Model) Predict(x Inputs, opts PredictOptions) (out *Tensor, err error) {
	defer catch(&err)
	const op = "Predict"
	xt := one(op, "x", x)
	m.prepareX(op, "x", xt)
	bs := opts.BatchSize
	if bs <= 0 {
		bs = 32
	}
	n := xt.Len()
	steps := (n + bs - 1) / bs
	var bar *progbar
	if opts.Verbose >= 0 {
		bar = newProgbar(output(), steps, max(opts.Verbose, 1), time.Now)
	}
	oshape := m.outputShape()
	out = Zeros(append([]int{n}, oshape...)...)
	per := rowSize(out.shape)
	for start := 0; start < n; start += bs {
		end := min(start+bs, n)
		yp := m.forward(xt.Slice(start, end), false)
		copy(out.data[start*per:end*per], yp.data)
	}
	if bar != nil {
		bar.update(steps, nil, true)
	}
	return out, nil
}
