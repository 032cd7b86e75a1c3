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

// output returns where dl prints what no Output option directs: os.Stdout
// as it is at the time of the call, so that redirections of os.Stdout are
// followed.
func output() io.Writer { return os.Stdout }

// Silent is the Verbose value that prints nothing (Keras: verbose=0). The
// zero value of Verbose is Keras's "auto", a progress bar.
const Silent = -1

// Inputs is what Fit, Evaluate and Predict take as x and y: a *Tensor;
// Tensors for a model with several inputs or outputs, in the model's order;
// or Named, keyed by the names of the inputs or outputs.
type Inputs interface {
	// tensorsFor returns the tensors in the order of the model's inputs or
	// outputs, whose names are given; what names the argument and kind is
	// "input" or "output", for messages.
	tensorsFor(op, what, kind string, names []string) []*Tensor
}

func (t *Tensor) tensorsFor(string, string, string, []string) []*Tensor { return []*Tensor{t} }

// Tensors is a list of tensors, one per model input or output
// (Keras: a Python list of arrays).
type Tensors []*Tensor

func (ts Tensors) tensorsFor(string, string, string, []string) []*Tensor { return ts }

// Named gives the data of a model's inputs, or the targets of its outputs,
// by name (Keras: a dict, as in model.fit({"input_1": x1, "input_2": x2}, y)):
//
//	model.Fit(dl.Named{"input_1": x1, "input_2": x2}, y, dl.FitOptions{Epochs: 10})
//
// The names are those of the model's inputs (see Node.Named), or, for
// targets, of the layers that compute its outputs; the order of the keys
// does not matter. Every input needs its tensor, and a key that names no
// input is an error.
type Named map[string]*Tensor

func (nm Named) tensorsFor(op, what, kind string, names []string) []*Tensor {
	want := map[string]bool{}
	for _, n := range names {
		if want[n] {
			throw(op, "%s is a dl.Named, but the model's %ss do not have distinct names (%s); pass dl.Tensors{...} in the model's order",
				what, kind, pyList(names))
		}
		want[n] = true
	}
	var missing, unknown []string
	for _, n := range names {
		if _, ok := nm[n]; !ok {
			missing = append(missing, n)
		}
	}
	for _, k := range sortedKeys(nm) {
		if !want[k] {
			unknown = append(unknown, k)
		}
	}
	if len(missing) > 0 || len(unknown) > 0 {
		var why []string
		if len(missing) > 0 {
			why = append(why, fmt.Sprintf("no tensor for %s", pyList(missing)))
		}
		if len(unknown) > 0 {
			why = append(why, fmt.Sprintf("%s %s not the name of any %s", pyList(unknown), plural(len(unknown), "is", "are"), kind))
		}
		throw(op, "the names of %s do not match the model's %ss (%s). Expected: %s; received: %s. "+
			"Give dl.Named one tensor for each %s name",
			what, kind, strings.Join(why, "; "), pyList(names), pyList(sortedKeys(nm)), kind)
	}
	out := make([]*Tensor, len(names))
	for i, n := range names {
		out[i] = nm[n]
	}
	return out
}

// pyList writes names as Python prints a list of strings: ['a', 'b'].
func pyList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "'" + n + "'"
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// plural returns one or many by n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// CompileOptions are the arguments of Compile (Keras: model.compile).
type CompileOptions struct {
	// Optimizer is a name ("adam", "adamw", "nadam", "adamax", "sgd",
	// "rmsprop", "adagrad", in any case) or an Optimizer such as
	// &dl.Adam{LearningRate: 0.01}. The default is
	// "rmsprop", as in Keras.
	Optimizer any
	// Loss names the loss: "mse", "mae", "binary_crossentropy",
	// "categorical_crossentropy" or "sparse_categorical_crossentropy"
	// (Keras's aliases such as "mean_squared_error" work too). With several
	// outputs it applies to each of them.
	Loss string
	// Losses gives one loss per output of a model with several outputs
	// (Keras: loss=[...]), instead of Loss.
	Losses []string
	// LossWeights weighs each output's loss in the total (Keras:
	// loss_weights); the default weighs each by 1.
	LossWeights []float64
	// Metrics are reported during training but not optimized: "accuracy",
	// "mae", "mse" (Keras: metrics=[...]). With several outputs each metric
	// is reported for each output.
	Metrics []string
}

// compiled is the state Compile sets up.
type compiled struct {
	opts        CompileOptions
	optimizer   Optimizer
	losses      []*lossFn // one per output, once the outputs are known
	weights     []float64 // loss weight per output
	metricNames []string  // as the student wrote them
	// train holds Fit's metrics, per output, resolved once the output shapes
	// are known; val is the pattern that each evaluation copies (see
	// newEval), so that several can run at once.
	train, val [][]*metric
	outNames   []string // key prefixes per output ("" for a single output)
	// trainOut and valOut track each output's loss when there are several
	// (Keras logs them as "<output>_loss"; valOut is a pattern, as val);
	// lastOut holds the last batch's.
	trainOut, valOut []*lossTracker
	lastOut          []float64
}

// Compile configures the model for training (Keras: model.compile).
//
//	err := model.Compile(dl.CompileOptions{Optimizer: "adam", Loss: "binary_crossentropy", Metrics: []string{"accuracy"}})
//
// An optimizer value keeps state for the weights of one model, so it
// belongs to the first model compiled with it: giving it to another model is
// an error, as in Keras (which refuses to apply an optimizer to the
// variables of a second model). Compiling the same model again with it is
// fine. Compile returns an error while Fit runs.
func (m *Model) Compile(opts CompileOptions) (err error) {
	defer catch(&err)
	const op = "Compile"
	checkModel(op, m)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fitting.Load() {
		throw(op, "Fit is training the model %q; Compile it before or after Fit, not during", m.Name)
	}
	c := &compiled{opts: opts}
	switch o := opts.Optimizer.(type) {
	case nil:
		c.optimizer = &RMSprop{}
	case string:
		if c.optimizer = optimizerByName(o); c.optimizer == nil {
			throw(op, "unknown optimizer %q in Optimizer; use one of %s (in any case) or a value such as &dl.Adam{LearningRate: 0.001}", o, optimizerNames())
		}
	case Optimizer:
		if isNil(o) {
			throw(op, "Optimizer is a nil %T; use a value such as &dl.Adam{} or a name such as \"adam\"", o)
		}
		c.optimizer = o
	default:
		throw(op, "Optimizer must be a name such as \"adam\" or an optimizer such as &dl.Adam{}; received %T", opts.Optimizer)
	}
	if err := c.optimizer.check(); err != nil {
		throw(op, "Optimizer %s", err)
	}
	if opts.Loss == "" && len(opts.Losses) == 0 {
		throw(op, "Loss is required, for example Loss: \"mse\" for regression or Loss: \"binary_crossentropy\" for two classes")
	}
	if opts.Loss != "" && len(opts.Losses) > 0 {
		throw(op, "set Loss (one loss for every output) or Losses (one per output), not both")
	}
	if _, ok := resolveLoss(opts.Loss); !ok && opts.Loss != "" {
		throw(op, "unknown loss %q in Loss; use one of %s", opts.Loss, lossNames())
	}
	for i, name := range opts.Losses {
		if _, ok := resolveLoss(name); !ok {
			throw(op, "unknown loss %q in Losses[%d]; use one of %s", name, i, lossNames())
		}
	}
	for i, w := range opts.LossWeights {
		if math.IsNaN(w) || math.IsInf(w, 0) {
			throw(op, "LossWeights[%d] = %v is not a finite number; each output's loss needs a finite weight, such as 1", i, w)
		}
	}
	for _, name := range opts.Metrics {
		if _, ok := metricKinds[name]; !ok {
			throw(op, "unknown metric %q in Metrics; use one of %s", name, metricNames())
		}
	}
	c.metricNames = append([]string(nil), opts.Metrics...)
	if m.seq != nil && m.seq.stackErr != nil {
		throw(op, "%v", m.seq.stackErr)
	}
	m.settle()
	if m.seq != nil && m.seq.declaredInput() != nil && !m.built {
		if err := m.buildSeq(m.seq.declaredInput().Shape); err != nil {
			throw(op, "%v", err)
		}
	}
	if m.built {
		c.resolve(op, m)
	}
	if err := claimOptimizer(c.optimizer, m); err != nil {
		throw(op, "%v", err)
	}
	m.compiled = c
	return nil
}

// resolve matches the losses, loss weights and metrics to the built
// model's outputs, resolving "accuracy" as Keras does.
func (c *compiled) resolve(op string, m *Model) {
	if c.losses != nil {
		return
	}
	outs := m.outputShapes()
	n := len(outs)
	names := c.opts.Losses
	if len(names) == 0 {
		for range outs {
			names = append(names, c.opts.Loss)
		}
	}
	if len(names) != n {
		throw(op, "the model has %d outputs but Losses has %d entries", n, len(names))
	}
	weights := c.opts.LossWeights
	if weights == nil {
		for range outs {
			weights = append(weights, 1)
		}
	}
	if len(weights) != n {
		throw(op, "the model has %d outputs but LossWeights has %d entries", n, len(weights))
	}
	losses := make([]*lossFn, n)
	for i, name := range names {
		losses[i], _ = resolveLoss(name)
	}
	c.outNames = make([]string, n)
	if n > 1 {
		for i, s := range m.outputs {
			c.outNames[i] = layerName(m.nodes[s.node].layer) + "_"
		}
	}
	mk := func() [][]*metric {
		all := make([][]*metric, n)
		for i, shape := range outs {
			for _, name := range c.metricNames {
				kind := metricKinds[name]
				if kind == "" {
					kind = resolveAccuracy(shape[len(shape)-1], losses[i].sparse)
				}
				all[i] = append(all[i], &metric{name: c.outNames[i] + name, kind: kind, higher: strings.HasSuffix(kind, "accuracy")})
			}
		}
		return all
	}
	c.losses, c.weights = losses, weights
	c.train, c.val = mk(), mk()
	c.lastOut = make([]float64, n)
	if n > 1 {
		for i := range outs {
			c.trainOut = append(c.trainOut, &lossTracker{name: c.outNames[i] + "loss"})
			c.valOut = append(c.valOut, &lossTracker{name: c.outNames[i] + "loss"})
		}
	}
}

// metricsOf lists all metrics of a set, output by output.
func metricsOf(ms [][]*metric) []*metric {
	var out []*metric
	for _, o := range ms {
		out = append(out, o...)
	}
	return out
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
	// Callbacks are called during training, in order, before the one that
	// records the History and the progress display. A ProgressCallback
	// among them (such as &dl.ProgbarLogger{}) replaces the default display.
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
	// Output receives the progress bar and the messages of the callbacks
	// (see Params); nil means os.Stdout.
	Output io.Writer
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
	// Output receives the progress bar; nil means os.Stdout.
	Output io.Writer
}

// PredictOptions are the arguments of Predict (Keras: model.predict).
type PredictOptions struct {
	// BatchSize is the number of samples per batch (default 32).
	BatchSize int
	// Verbose is 1 for a progress bar (the default) or Silent.
	Verbose int
	// Output receives the progress bar; nil means os.Stdout.
	Output io.Writer
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

// Keys returns the recorded keys in Keras 3's order: the training keys
// sorted, then their "val_" versions.
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

// tensorsOf returns the tensors of an Inputs value in the order of names,
// the names of the model's inputs or outputs, checking their number. It
// also returns how messages name each tensor: x, x[1] or x["input_2"].
func tensorsOf(op, what string, in Inputs, names []string, kind string) ([]*Tensor, []string) {
	if in == nil {
		throw(op, "%s is missing", what)
	}
	want := len(names)
	ts := in.tensorsFor(op, what, kind, names)
	if len(ts) != want {
		if want == 1 {
			throw(op, "the model has 1 %s but %s holds %d tensors; pass a single tensor", kind, what, len(ts))
		}
		throw(op, "the model has %d %ss but %s holds %d; pass dl.Tensors{...} with one tensor per %s, in the model's order, "+
			"or dl.Named{...} with one tensor per %s name (%s)", want, kind, what, len(ts), kind, kind, pyList(names))
	}
	labels := make([]string, len(ts))
	_, named := in.(Named)
	for i, t := range ts {
		switch {
		case named:
			labels[i] = fmt.Sprintf("%s[%q]", what, names[i])
		case len(ts) > 1:
			labels[i] = fmt.Sprintf("%s[%d]", what, i)
		default:
			labels[i] = what
		}
		if t == nil && named {
			throw(op, "%s is a nil tensor", labels[i])
		}
		if t == nil {
			throw(op, "%s[%d] is a nil tensor", what, i)
		}
	}
	return ts, labels
}

// prepareX checks the inputs against the model, building a Sequential
// model from the first input's shape if needed, and returns the tensors
// and their common number of samples.
func (m *Model) prepareX(op, what string, x Inputs) ([]*Tensor, int) {
	xs, labels := tensorsOf(op, what, x, m.inputNames(), "input")
	n := xs[0].Len()
	for i, t := range xs {
		name := labels[i]
		if t.Rank() < 2 {
			throw(op, "%s must have a batch axis and a feature axis, such as (n, features); received shape %s. Reshape it, for example x.Reshape(-1, 1)",
				name, ShapeString(t.shape))
		}
		if t.Len() == 0 {
			throw(op, "%s is empty (shape %s)", name, ShapeString(t.shape))
		}
		if t.Len() != n {
			throw(op, "all inputs must have the same number of samples; %s has %d, %s has %d", labels[0], n, name, t.Len())
		}
		if shapes := m.inputShapes(); shapes != nil && !equalShape(shapes[i], t.shape[1:]) {
			throw(op, "%s expects samples of shape %s, but %s has shape %s (samples of shape %s); "+
				"check the Input shape or the data's columns", m.inputName(i), formatShape(shapes[i]), name, ShapeString(t.shape), formatShape(t.shape[1:]))
		}
		checkFinite(op, name, t)
	}
	if err := m.ensureBuilt(op, xs[0].shape[1:]); err != nil {
		panic(userPanic{err})
	}
	return xs, n
}

// prepareY checks the targets against the model's outputs and losses, and
// returns them in the layout each loss reads: the output's shape, or one
// class index per sample for sparse losses.
func (m *Model) prepareY(op, what string, y Inputs, n int) []*Tensor {
	c := m.compiled
	ys, labels := tensorsOf(op, what, y, m.outputNames(), "output")
	out := make([]*Tensor, len(ys))
	for i, t := range ys {
		out[i] = conformTarget(op, labels[i], t, n, m.outputShapes()[i], c.losses[i])
	}
	return out
}

// conformTarget checks one target tensor against an output of shape out
// (without batch) and its loss.
func conformTarget(op, what string, y *Tensor, n int, out []int, loss *lossFn) *Tensor {
	if y.Len() != n {
		throw(op, "x and %s must have the same number of samples; received %d and %d", what, n, y.Len())
	}
	checkFinite(op, what, y)
	k := out[len(out)-1]
	want := append([]int{n}, out...)
	if loss.sparse {
		if !(y.Rank() == len(want)-1 && equalShape(y.shape, want[:len(want)-1])) &&
			!(y.Rank() == len(want) && y.shape[len(want)-1] == 1 && equalShape(y.shape[:len(want)-1], want[:len(want)-1])) {
			throw(op, "%s must hold one class index per sample for the loss %q, shape %s; received shape %s",
				what, loss.name, ShapeString(want[:len(want)-1]), ShapeString(y.shape))
		}
		for i, v := range y.data {
			if v != math.Trunc(v) || v < 0 || int(v) >= k {
				throw(op, "%s[%d] = %v is not a class index in [0, %d) for the loss %q; the output has %d units",
					what, i, v, k, loss.name, k)
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
		hint = `; for integer class labels use Loss: "sparse_categorical_crossentropy", or one-hot encode them`
	}
	throw(op, "%s has shape %s but the model's output has shape %s, and the loss %q needs them to match%s",
		what, ShapeString(y.shape), formatShape(out), loss.name, hint)
	return nil
}

// checkFinite rejects NaN and infinite values, naming the first one found.
func checkFinite(op, what string, t *Tensor) {
	if i := firstNonFinite(t.data); i >= 0 {
		per := max(1, rowSize(t.shape))
		throw(op, "%s contains %v at sample %d (position %d of that sample); remove or fill in missing values before training",
			what, t.data[i], i/per, i%per)
	}
}

// firstNonFinite returns the index of the first NaN or infinity in data,
// or -1. It looks at the exponent bits, all ones only in those, four
// values at a time: the scan of a large data set before training or
// inference stays a small part of it.
func firstNonFinite(data []float64) int {
	const exp = 0x7ff0000000000000
	i := 0
	for ; i+4 <= len(data); i += 4 {
		a, b := math.Float64bits(data[i])&exp, math.Float64bits(data[i+1])&exp
		c, d := math.Float64bits(data[i+2])&exp, math.Float64bits(data[i+3])&exp
		if a == exp || b == exp || c == exp || d == exp {
			break
		}
	}
	for ; i < len(data); i++ {
		if math.Float64bits(data[i])&exp == exp {
			return i
		}
	}
	return -1
}

// sliceAll returns rows [from, to) of every tensor.
func sliceAll(ts []*Tensor, from, to int) []*Tensor {
	out := make([]*Tensor, len(ts))
	for i, t := range ts {
		out[i] = t.Slice(from, to)
	}
	return out
}

// Fit trains the model for a fixed number of epochs (Keras: model.fit) and
// returns the History of loss and metric values. x and y are a *Tensor
// each, or dl.Tensors for a model with several inputs or outputs, or
// dl.Named to give them by name (Keras: a dict).
//
// Fit is a loop over batches: for each batch it runs the model forward in
// training mode, computes the loss (plus any weight penalties),
// back-propagates, and lets the optimizer update the weights. The epoch's
// loss is the batch-size-weighted mean of the batch losses, each taken
// before that batch's update, as in Keras.
//
// The callbacks run in the order of FitOptions.Callbacks, then the one
// that records the History, then the progress display (see
// ProgressCallback), as in Keras.
//
// It stops with an error, naming the epoch and batch, if the loss becomes
// NaN or infinite (unless a TerminateOnNaN callback is given), and with the
// error of a callback that returns one. One Fit runs at a time on a model;
// Predict and Evaluate may run meanwhile in other goroutines (see Model).
func (m *Model) Fit(x, y Inputs, opts FitOptions) (h *History, err error) {
	defer catch(&err)
	const op = "Fit"
	checkModel(op, m)
	if !m.fitting.CompareAndSwap(false, true) {
		throw(op, "the model %q is already being trained by another Fit (in another goroutine, or a callback of this Fit called Fit); "+
			"a model trains in one Fit at a time", m.Name)
	}
	defer m.fitting.Store(false)
	r := m.newFitRun(op, x, y, opts)
	r.train()
	return r.history, nil
}

// fitRun is one Fit: its resolved options, its data and its callbacks.
type fitRun struct {
	op   string
	m    *Model
	c    *compiled
	args runArgs
	opts FitOptions

	epochs, steps          int
	xTrain, yTrain, xv, yv []*Tensor
	trainData, valData     [2]dataSet       // x and y in the model's dtype
	cbs                    []Callback       // the user's, the History recorder, the progress display
	user                   int              // how many of cbs are the user's
	progress               ProgressCallback // the display Fit added, or nil
	trainMetrics           []*metric        // the compiled training metrics, in order
	nanStops               bool             // a callback handles a NaN loss (TerminateOnNaN)
	history                *History
	logs                   Logs
}

// newFitRun checks Fit's arguments and data and resolves its options: the
// model may be built now, and the validation data split off.
func (m *Model) newFitRun(op string, x, y Inputs, opts FitOptions) *fitRun {
	r := &fitRun{op: op, m: m, opts: opts, logs: Logs{}}
	r.args = checkRunArgs(op, opts.Verbose, opts.BatchSize, opts.Callbacks)
	if opts.Epochs < 0 {
		throw(op, "Epochs must be positive, received Epochs=%d", opts.Epochs)
	}
	r.epochs = max(opts.Epochs, 1)
	if opts.InitialEpoch < 0 {
		throw(op, "InitialEpoch must be 0 or more (the epoch to start from), received InitialEpoch=%d", opts.InitialEpoch)
	}
	// Check and prepare everything under the lock: the model may be built
	// now, and Predict may be running in other goroutines.
	func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		if r.c = m.compiled; r.c == nil {
			throw(op, "you must call Compile before calling Fit")
		}
		if err := r.c.optimizer.check(); err != nil {
			throw(op, "the optimizer given to Compile has changed since: %s", err)
		}
		m.checkStack(op)
		m.settle()
		xs, n := m.prepareX(op, "x", x)
		r.c.resolve(op, m)
		r.trainMetrics = metricsOf(r.c.train)
		ys := m.prepareY(op, "y", y, n)
		r.splitValidation(xs, ys, n)
		m.fitKeys = m.logKeys(r.xv != nil)
		r.trainData = [2]dataSet{m.run.data(r.xTrain), m.run.data(r.yTrain)}
		if r.xv != nil {
			r.valData = [2]dataSet{m.run.data(r.xv), m.run.data(r.yv)}
		}
	}()
	r.steps = (r.xTrain[0].Len() + r.args.bs - 1) / r.args.bs
	r.history = &History{Params: map[string]int{"verbose": r.args.verbose, "epochs": r.epochs, "steps": r.steps}}
	r.cbs = append(r.cbs, r.args.cbs...)
	r.user = len(r.cbs)
	r.cbs = append(r.cbs, &historyRecorder{h: r.history})
	hasProgress := false
	for _, cb := range r.args.cbs {
		_, isProgress := cb.(ProgressCallback)
		hasProgress = hasProgress || isProgress
		_, isNaN := cb.(*TerminateOnNaN)
		r.nanStops = r.nanStops || isNaN
	}
	if r.args.verbose > 0 && !hasProgress {
		r.progress = defaultProgress()
		r.cbs = append(r.cbs, r.progress)
	}
	params := Params{Epochs: r.epochs, Steps: r.steps, Verbose: r.args.verbose, Keys: m.fitKeys, Output: writerOr(opts.Output)}
	for _, cb := range r.cbs {
		cb.SetModel(m)
		cb.SetParams(params)
	}
	return r
}

// splitValidation sets the training and validation data: the
// ValidationData, or the last fraction of x and y (before shuffling).
func (r *fitRun) splitValidation(xs, ys []*Tensor, n int) {
	m, op, opts := r.m, r.op, r.opts
	r.xTrain, r.yTrain = xs, ys
	switch {
	case opts.ValidationData != nil:
		var nv int
		r.xv, nv = m.prepareX(op, "ValidationData.X", opts.ValidationData.X)
		r.yv = m.prepareY(op, "ValidationData.Y", opts.ValidationData.Y, nv)
	case opts.ValidationSplit != 0:
		vs := opts.ValidationSplit
		if !(vs > 0 && vs < 1) {
			throw(op, "ValidationSplit must be between 0 and 1, received ValidationSplit=%v", vs)
		}
		split := int(math.Floor(float64(n) * (1 - vs)))
		if split == 0 || split == n {
			throw(op, "the data has %d samples, which is not enough to split it with ValidationSplit=%v (%d for training, %d for validation); provide more data or a different ValidationSplit",
				n, vs, split, n-split)
		}
		r.xTrain, r.yTrain = sliceAll(xs, 0, split), sliceAll(ys, 0, split)
		r.xv, r.yv = sliceAll(xs, split, n), sliceAll(ys, split, n)
	}
}

// dispatch calls f for each callback.
func (r *fitRun) dispatch(f func(Callback) error) { dispatchAll(r.op, r.cbs, f) }

// train runs the epochs.
func (r *fitRun) train() {
	m := r.m
	m.StopTraining = false
	ended := false
	if r.progress != nil {
		// The display shows its final state even when Fit fails.
		defer func() {
			if !ended {
				r.progress.OnTrainEnd(r.logs)
			}
		}()
	}
	r.dispatch(func(cb Callback) error { return cb.OnTrainBegin(r.logs) })
	perm := make([]int, r.xTrain[0].Len())
	for i := range perm {
		perm[i] = i
	}
	for epoch := r.opts.InitialEpoch; epoch < r.epochs; epoch++ {
		r.epoch(epoch, perm)
		if m.StopTraining {
			break
		}
	}
	ended = true
	r.dispatch(func(cb Callback) error { return cb.OnTrainEnd(r.logs) })
}

// epoch runs one epoch: its batches, the validation and the epoch's
// callbacks.
func (r *fitRun) epoch(epoch int, perm []int) {
	m, c, logs, bs := r.m, r.c, r.logs, r.args.bs
	for _, mt := range r.trainMetrics {
		mt.reset()
	}
	for _, t := range c.trainOut {
		*t = lossTracker{name: t.name}
	}
	clear(logs)
	r.dispatch(func(cb Callback) error { return cb.OnEpochBegin(epoch, logs) })
	if !r.opts.NoShuffle {
		m.shuffle(perm)
	}
	// The History recorder needs no batch hooks.
	batchHooks := r.user > 0 || r.progress != nil
	var lossSum float64
	seen := 0
	for b := 0; b < r.steps; b++ {
		idx := perm[b*bs : min((b+1)*bs, len(perm))]
		if batchHooks {
			r.dispatch(func(cb Callback) error { return cb.OnTrainBatchBegin(b, logs) })
		}
		loss := m.lockedTrainStep(r.trainData, idx)
		if (math.IsNaN(loss) || math.IsInf(loss, 0)) && !r.nanStops {
			throw(r.op, "epoch %d, batch %d: the loss became %v, so training stopped; try a smaller learning rate (for example &dl.Adam{LearningRate: 1e-4}), scale the inputs (prep.StandardScaler), or check the data for extreme values",
				epoch+1, b+1, loss)
		}
		lossSum += loss * float64(len(idx))
		seen += len(idx)
		for i, t := range c.trainOut {
			t.add(c.lastOut[i], len(idx))
		}
		if batchHooks {
			r.setTrainLogs(lossSum / float64(seen))
			r.dispatch(func(cb Callback) error { return cb.OnTrainBatchEnd(b, logs) })
		}
		if m.StopTraining {
			break
		}
	}
	r.setTrainLogs(lossSum / float64(max(seen, 1)))
	if r.xv != nil {
		r.setValLogs(m.lockedTestLoop(r.op, c, r.valData, bs, r.cbs[:r.user]))
	}
	r.dispatch(func(cb Callback) error { return cb.OnEpochEnd(epoch, logs) })
}

// setTrainLogs sets the training values in the logs: the loss given, each
// output's loss and the metrics.
func (r *fitRun) setTrainLogs(loss float64) {
	r.logs["loss"] = loss
	for _, t := range r.c.trainOut {
		r.logs[t.name] = t.result()
	}
	for _, mt := range r.trainMetrics {
		r.logs[mt.name] = mt.result()
	}
}

// setValLogs sets the validation values in the logs, with a "val_" prefix.
func (r *fitRun) setValLogs(e *evaluation) {
	r.logs["val_loss"] = e.loss
	for _, t := range e.outs {
		r.logs["val_"+t.name] = t.result()
	}
	for _, mt := range metricsOf(e.metrics) {
		r.logs["val_"+mt.name] = mt.result()
	}
}

// shuffle permutes perm with the model's generator, under the lock (a
// changed Seed replaces the generator).
func (m *Model) shuffle(perm []int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.rng.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
}

// lockedTrainStep runs a training step on the samples idx of data (x and
// y) holding m.mu for writing.
func (m *Model) lockedTrainStep(data [2]dataSet, idx []int) float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.run.trainStep(m.compiled, data[0], data[1], idx)
}

// runArgs are the options Fit, Evaluate and Predict share, checked and
// with their defaults applied.
type runArgs struct {
	verbose int        // 1, 2 or Silent
	bs      int        // the batch size
	cbs     []Callback // none nil
}

// checkRunArgs checks the options Fit, Evaluate and Predict share, in this
// order: Verbose, BatchSize, Callbacks.
func checkRunArgs(op string, verbose, batchSize int, cbs []Callback) runArgs {
	return runArgs{verbose: checkVerbose(op, verbose), bs: checkBatchSize(op, batchSize), cbs: checkCallbacks(op, cbs)}
}

// checkVerbose returns the Verbose setting in effect (0 means 1), or
// aborts op for a value Keras does not have.
func checkVerbose(op string, v int) int {
	switch v {
	case Silent:
	case 0:
		v = 1
	case 1, 2:
	default:
		throw(op, "Verbose must be 1 for a progress bar (the default), 2 for one line per epoch, or dl.Silent for nothing; received Verbose=%d", v)
	}
	return v
}

// checkBatchSize returns the batch size in effect (0 means 32), or aborts
// op for a negative one.
func checkBatchSize(op string, bs int) int {
	if bs < 0 {
		throw(op, "BatchSize must be positive, received BatchSize=%d", bs)
	}
	if bs == 0 {
		bs = 32
	}
	return bs
}

// checkCallbacks aborts op for a nil callback, which would fail at its
// first hook.
func checkCallbacks(op string, cbs []Callback) []Callback {
	for i, cb := range cbs {
		if isNil(cb) {
			throw(op, "Callbacks[%d] is nil (%T); pass a callback value such as &dl.EarlyStopping{Patience: 5}", i, cb)
		}
	}
	return cbs
}

// checkModel aborts op when called on a nil *Model, typically the result
// of a NewModel or LoadModel whose error was not checked.
func checkModel(op string, m *Model) {
	if m == nil {
		panic(userPanic{nilModelError(op)})
	}
}

// nilModelError is the error of op called on a nil *Model.
func nilModelError(op string) error {
	return errorf(op, "the model is nil; did the call that made it (NewModel, LoadModel) return an error?")
}

// checkStack reports a layer that NewSequential or Add could not take, and
// an invalid Dtype.
func (m *Model) checkStack(op string) {
	if m.seq != nil && m.seq.stackErr != nil {
		throw(op, "%v", m.seq.stackErr)
	}
	if m.Dtype != "" {
		if _, err := parseDtype("Dtype", m.Dtype); err != nil {
			throw(op, "the model %q has %v", m.Name, err)
		}
	}
}

// logKeys returns the History keys in Keras 3's order: the training keys
// ("loss" and the metric names) sorted, then their "val_" versions, as in
// ['accuracy', 'loss', 'val_accuracy', 'val_loss'].
func (m *Model) logKeys(validation bool) []string {
	keys := []string{"loss"}
	for _, t := range m.compiled.trainOut {
		keys = append(keys, t.name)
	}
	for _, mt := range metricsOf(m.compiled.train) {
		keys = append(keys, mt.name)
	}
	sort.Strings(keys)
	if validation {
		for _, k := range keys[:len(keys):len(keys)] {
			keys = append(keys, "val_"+k)
		}
	}
	return keys
}

// evaluation is what one run of testLoop accumulates: its own copies of
// the compiled metrics and per-output loss trackers, so that several
// evaluations can run at once.
type evaluation struct {
	loss    float64
	metrics [][]*metric
	outs    []*lossTracker
	// graph is the runner's graph that holds the outputs of rows
	// [from, to) during the loop (see testBatch), released by endTest.
	graph    any
	from, to int
}

// newEval returns fresh copies of the validation metrics and trackers.
func (c *compiled) newEval() *evaluation {
	e := &evaluation{metrics: make([][]*metric, len(c.val))}
	for i, ms := range c.val {
		for _, mt := range ms {
			e.metrics[i] = append(e.metrics[i], &metric{name: mt.name, kind: mt.kind, higher: mt.higher})
		}
	}
	for _, t := range c.valOut {
		e.outs = append(e.outs, &lossTracker{name: t.name})
	}
	return e
}

// lockedTestLoop runs testLoop holding m.mu for reading.
func (m *Model) lockedTestLoop(op string, c *compiled, data [2]dataSet, bs int, cbs []Callback) *evaluation {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.testLoop(op, c, data, bs, cbs)
}

// testLoop runs the model in inference mode over x in batches and returns
// the batch-size-weighted mean loss (with weight penalties), the metrics
// and each output's loss (several outputs). The caller holds m.mu for
// reading; testLoop lets it go while callbacks run, and fails if the
// weights changed meanwhile.
func (m *Model) testLoop(op string, c *compiled, data [2]dataSet, bs int, cbs []Callback) *evaluation {
	e := c.newEval()
	defer m.run.endTest(e)
	all := metricsOf(e.metrics)
	logs := Logs{}
	dispatch := func(f func(Callback) error) { m.dispatchUnlocked(op, cbs, f) }
	dispatch(func(cb Callback) error { return cb.OnTestBegin(logs) })
	n := data[0].samples()
	penalty := m.run.penalty()
	var lossSum float64
	for b, start := 0, 0; start < n; b, start = b+1, start+bs {
		end := min(start+bs, n)
		dispatch(func(cb Callback) error { return cb.OnTestBatchBegin(b, logs) })
		loss := penalty + m.run.testBatch(c, e, data[0], data[1], start, end)
		lossSum += loss * float64(end-start)
		if len(cbs) > 0 {
			logs["loss"] = lossSum / float64(end)
			dispatch(func(cb Callback) error { return cb.OnTestBatchEnd(b, logs) })
		}
	}
	e.loss = lossSum / float64(n)
	logs["loss"] = e.loss
	for _, t := range e.outs {
		logs[t.name] = t.result()
	}
	for _, mt := range all {
		logs[mt.name] = mt.result()
	}
	dispatch(func(cb Callback) error { return cb.OnTestEnd(logs) })
	return e
}

// dispatchUnlocked calls f for each callback with m.mu (held for reading
// by the caller) let go, so that a callback may use the model, and aborts
// op if the weights changed meanwhile: the evaluation would mix two models.
func (m *Model) dispatchUnlocked(op string, cbs []Callback, f func(Callback) error) {
	if len(cbs) == 0 {
		return
	}
	version := m.version
	m.mu.RUnlock()
	relocked := false
	defer func() {
		if !relocked {
			m.mu.RLock()
		}
	}()
	dispatchAll(op, cbs, f)
	m.mu.RLock()
	relocked = true
	if m.version != version {
		throw(op, "the weights changed during the evaluation (a callback, or another goroutine, called SetWeights, LoadWeights or Fit); "+
			"the result would mix two sets of weights")
	}
}

// Evaluate returns the loss and metrics of the model on x and y (Keras:
// model.evaluate): [loss, metric1, metric2, ...] in Compile's order; for
// several outputs [loss, each output's loss, then the metrics output by
// output], as Keras orders them. Keras returns a bare number when there are
// no metrics; dl always returns the list, so the loss is always element 0.
//
// Evaluate may be called from several goroutines at once, and while Fit
// trains the model in another goroutine (see Model).
func (m *Model) Evaluate(x, y Inputs, opts EvaluateOptions) (res []float64, err error) {
	defer catch(&err)
	const op = "Evaluate"
	checkModel(op, m)
	args := checkRunArgs(op, opts.Verbose, opts.BatchSize, opts.Callbacks)
	verbose, bs, cbs := args.verbose, args.bs, args.cbs
	m.rlockReady(op, x, true)
	defer m.mu.RUnlock()
	c := m.compiled
	if c == nil {
		throw(op, "you must call Compile before calling Evaluate")
	}
	xs, n := m.prepareX(op, "x", x)
	ys := m.prepareY(op, "y", y, n)
	steps := (n + bs - 1) / bs
	params := Params{Epochs: 1, Steps: steps, Verbose: verbose, Keys: c.evalKeys(), Output: writerOr(opts.Output)}
	for _, cb := range cbs {
		cb.SetModel(m)
		cb.SetParams(params)
	}
	var bar *progbar
	if verbose > 0 {
		bar = newProgbar(writerOr(opts.Output), steps, verbose, time.Now)
	}
	e := m.testLoop(op, c, [2]dataSet{m.run.data(xs), m.run.data(ys)}, bs, cbs)
	res = []float64{e.loss}
	vals := []logValue{{Key: "loss", Value: e.loss}}
	for _, t := range e.outs {
		res = append(res, t.result())
		vals = append(vals, logValue{Key: t.name, Value: t.result()})
	}
	for _, mt := range metricsOf(e.metrics) {
		res = append(res, mt.result())
		vals = append(vals, logValue{Key: mt.name, Value: mt.result()})
	}
	if bar != nil {
		bar.update(steps, vals, true)
	}
	return res, nil
}

// rlockReady takes m.mu for reading, having first, under the write lock if
// needed, reported a bad layer, applied a changed Seed, built a Sequential
// model for x, and resolved the compiled losses (with resolve).
func (m *Model) rlockReady(op string, x Inputs, resolve bool) {
	m.mu.RLock()
	if m.built && m.settled() && (!resolve || m.compiled == nil || m.compiled.losses != nil) && (m.seq == nil || m.seq.stackErr == nil) {
		return
	}
	m.mu.RUnlock()
	func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		m.checkStack(op)
		m.settle()
		if !m.built {
			m.prepareX(op, "x", x)
		}
		if resolve && m.compiled != nil {
			m.compiled.resolve(op, m)
		}
	}()
	m.mu.RLock()
}

// Predict returns the model's output for x, computed in batches in
// inference mode (dropout off) (Keras: model.predict). For a model with
// several outputs use PredictOutputs.
//
// Predict may be called from several goroutines at once, and while Fit
// trains the model in another goroutine (see Model).
func (m *Model) Predict(x Inputs, opts PredictOptions) (*Tensor, error) {
	outs, err := m.predict("Predict", x, opts)
	if err != nil {
		return nil, err
	}
	if len(outs) != 1 {
		return nil, errorf("Predict", "the model has %d outputs; use PredictOutputs to get all of them", len(outs))
	}
	return outs[0], nil
}

// PredictOutputs returns every output of the model for x (Keras:
// model.predict on a model with several outputs returns a list). It may be
// called from several goroutines at once, as Predict.
func (m *Model) PredictOutputs(x Inputs, opts PredictOptions) (Tensors, error) {
	return m.predict("PredictOutputs", x, opts)
}

// predict runs the model over x in batches.
func (m *Model) predict(op string, x Inputs, opts PredictOptions) (outs Tensors, err error) {
	defer catch(&err)
	checkModel(op, m)
	args := checkRunArgs(op, opts.Verbose, opts.BatchSize, nil)
	verbose, bs := args.verbose, args.bs
	m.rlockReady(op, x, false)
	defer m.mu.RUnlock()
	xs, n := m.prepareX(op, "x", x)
	steps := (n + bs - 1) / bs
	var bar *progbar
	if verbose > 0 {
		bar = newProgbar(writerOr(opts.Output), steps, verbose, time.Now)
	}
	shapes := m.outputShapes()
	outs = make(Tensors, len(shapes))
	for i, s := range shapes {
		outs[i] = Zeros(append([]int{n}, s...)...)
	}
	data := m.run.data(xs)
	for start, chunk := 0, m.run.inferChunk(bs); start < n; start += chunk {
		m.run.predictBatch(outs, data, start, min(start+chunk, n))
	}
	if bar != nil {
		bar.update(steps, nil, true)
	}
	return outs, nil
}

// evalKeys returns the keys an evaluation logs, in Evaluate's order: the
// loss, each output's loss, then the metrics output by output.
func (c *compiled) evalKeys() []string {
	keys := []string{"loss"}
	for _, t := range c.valOut {
		keys = append(keys, t.name)
	}
	for _, mt := range metricsOf(c.val) {
		keys = append(keys, mt.name)
	}
	return keys
}
