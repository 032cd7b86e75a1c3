package dl

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"sync"
	"sync/atomic"
)

// Model is a trainable network of layers (Keras: keras.Model). Build one
// with NewSequential, or from Input and Call with NewModel (the functional
// API); then Compile, Fit, Evaluate and Predict.
//
// # Concurrent use
//
// Predict, PredictOutputs, Evaluate, GetWeights and CountParams may be
// called from several goroutines at once, for example from the handlers of
// a net/http server: each call runs with buffers of its own and gives
// exactly the result it gives alone. They may also run while Fit trains the
// model in another goroutine: a training step (one batch) and an inference
// call take turns, so each Predict or Evaluate sees the weights as they are
// between two batches, the same weights from its first sample to its last.
//
// Fit runs one at a time on a model: a second Fit while one is running (in
// another goroutine, or from a callback) returns an error, and so does
// Compile. SetWeights, LoadWeights, Save and SaveWeights may be called at
// any time; they also take turns with the training steps. Callbacks run in
// Fit's goroutine, between batches, and may call any of these methods,
// except Fit and Compile.
//
// Add, and changing the exported fields (Seed, Name, or StopTraining from
// outside a callback), must not happen while another goroutine uses the
// model. An optimizer belongs to one model (see Compile). A layer shared
// with another model, or a model used as a layer of another, shares its
// weights with it: do not train one while the other predicts.
type Model struct {
	// Name is the model's name, shown by Summary (default "sequential",
	// "functional", with _1, _2, ... for later ones).
	Name string
	// Seed, when not zero, seeds this model's dropout masks and shuffling
	// instead of the global seed (see SetRandomSeed). A Sequential model
	// also draws its initial weights from it: set it before the first
	// Compile, Fit, Evaluate, Predict, GetWeights or SetWeights, and the
	// weights are drawn as if the model had been built with it (a Sequential
	// that starts with Input is built by NewSequential, before Seed can be
	// set; its weights are drawn again from Seed when it is first used, as
	// long as nothing has changed them). The layers of a functional model
	// are built by Call, so their initial weights come from the global seed.
	Seed uint64
	// Dtype is the element type of the model's weights and computations:
	// "float64" or "float32" (Keras: the dtype argument). Empty means the
	// FloatX in effect when the model was built (see SetFloatX). Changing
	// it converts the weights at the model's next use and starts the
	// optimizer's state afresh.
	Dtype string
	// StopTraining, set by a callback, ends Fit after the current batch or
	// epoch (Keras: model.stop_training).
	StopTraining bool

	seq   *Sequential // the Sequential this model belongs to, if any
	built bool
	rng   *rand.Rand
	// nodes are the layer applications in execution order (Keras's
	// operation order for functional models), inputs first. Their ops and
	// buffers are the model's main workspace, used by training and lent to
	// one inference call at a time.
	nodes   []*gnode
	inputs  []int  // the input nodes, in the model's input order
	outputs []slot // the model's outputs, in order
	// layers are the distinct layers in Keras's model.layers order (a
	// Sequential leaves out its input layer).
	layers []layer
	// params lists the trainable weights in Keras's order (layers in order,
	// each layer's weights in its own order).
	params []*param
	lb     layerBase // for using the model as a layer of another model

	compiled *compiled
	// fitKeys lists the keys the Fit in progress logs at each epoch end,
	// so that callbacks can check their settings before training starts.
	fitKeys []string

	// mu guards the weights, the graph and the compile state: inference
	// holds it for reading, a training step, SetWeights, a build or Compile
	// for writing. It is never held while user code (a callback) runs.
	mu sync.RWMutex
	// fitting is set while a Fit runs.
	fitting atomic.Bool
	// run is the compute path in the weights' dtype, dt, replaced when the
	// graph or the dtype changes.
	run runner
	dt  dtype
	// appliedDtype is the Dtype in effect (see settle).
	appliedDtype string
	// version counts the changes of the weights.
	version uint64
	// appliedSeed is the Seed in effect; ownInit lists the layers that this
	// (Sequential) model built itself, whose initial weights it drew, and
	// touched says that a weight has changed since (see weightsChanged).
	appliedSeed uint64
	ownInit     []layer
	touched     bool
}

// slot names one output of one node of a built model.
type slot struct{ node, index int }

// gnode is one layer application inside a built model: the structure of
// the graph, which the runners' graphs (see graph) execute.
type gnode struct {
	layer     layer
	applies   bool    // the node runs an op: false for an input node
	ins       []slot  // where the inputs come from
	needDX    []bool  // backward must compute the gradient of each input
	outShapes [][]int // without the batch axis
	nodeIndex int     // which application of the layer this is (Keras's node index)
}

// Sequential is a linear stack of layers (Keras: keras.Sequential). Start it
// with Input to fix the input shape and build the weights at once; without
// Input it is built when it first sees data.
type Sequential struct {
	Model
	stack []Layer
	// stackErr is the first layer that NewSequential or Add could not take
	// (nil, or not a dl layer); Compile, Fit, Evaluate and Predict report it.
	stackErr error
}

// NewSequential returns a model that applies layers in order (Keras:
// keras.Sequential([...])).
//
//	model := dl.NewSequential(
//		dl.Input(30),
//		&dl.Dense{Units: 64, Activation: "relu"},
//		&dl.Dense{Units: 1, Activation: "sigmoid"},
//	)
//
// A mistake in the layers (a nil layer, a bad setting, two layers with the
// same name) is reported by the first Compile, Fit, Evaluate or Predict.
func NewSequential(layers ...Layer) *Sequential {
	s := &Sequential{}
	for i, l := range layers {
		s.push(l, fmt.Sprintf("layer %d of NewSequential(...) (counting from 0, dl.Input included)", i))
	}
	s.Name = uniqueName("sequential")
	s.seq = s
	s.tryBuild()
	return s
}

// Add appends a layer to the stack (Keras: model.add). A nil layer, or a
// call during Fit (which leaves the model as it is), is reported by the
// next Compile, Fit, Evaluate or Predict.
func (s *Sequential) Add(l Layer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fitting.Load() {
		if s.stackErr == nil {
			s.stackErr = fmt.Errorf("model.Add was called while Fit was training the model %q, so the layer was not added; build the model with all its layers before Fit", s.Name)
		}
		return
	}
	s.push(l, "the layer given to Add")
	s.built = false
	s.tryBuild()
}

// push appends l to the stack, or records why it cannot.
func (s *Sequential) push(l Layer, what string) {
	if _, ok := toLayer(l); !ok {
		if s.stackErr == nil {
			if isNil(l) {
				s.stackErr = fmt.Errorf("%s is nil (%T); pass a layer such as &dl.Dense{Units: 8}", what, l)
			} else {
				s.stackErr = fmt.Errorf("%s is a %T, which is not a dl layer", what, l)
			}
		}
		return
	}
	s.stack = append(s.stack, l)
}

// isNil reports whether v is nil or a nil pointer, map, slice or func
// inside an interface.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	switch r := reflect.ValueOf(v); r.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Interface, reflect.Chan:
		return r.IsNil()
	}
	return false
}

// tryBuild builds the model now if its input shape is declared, as Keras
// does, so that Summary shows shapes and counts before Fit. Errors are kept
// for Compile and Fit to report.
func (s *Sequential) tryBuild() {
	if in := s.declaredInput(); in != nil && s.stackErr == nil {
		_ = s.buildSeq(in.Shape)
	}
}

// declaredInput returns the InputLayer that starts the stack, if any.
func (s *Sequential) declaredInput() *InputLayer {
	if len(s.stack) == 0 {
		return nil
	}
	if in, ok := asLayer(s.stack[0]).(*InputLayer); ok {
		return in
	}
	return nil
}

// Layers returns the model's layers (Keras: model.layers). A Sequential
// leaves out its input; a functional model starts with its InputLayers.
func (m *Model) Layers() []Layer {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var out []Layer
	if !m.built && m.seq != nil {
		for _, l := range m.seq.stack {
			if _, isIn := asLayer(l).(*InputLayer); !isIn {
				out = append(out, l)
			}
		}
		return out
	}
	for _, l := range m.layers {
		out = append(out, l)
	}
	return out
}

// asLayer unwraps a Node to its layer; l must be a dl layer (see toLayer).
func asLayer(l Layer) layer {
	ll, ok := toLayer(l)
	if !ok {
		panic(fmt.Sprintf("dl: %T is not a dl layer", l))
	}
	return ll
}

// toLayer unwraps a Node to its layer, and reports false for nil and for
// values that are not dl layers.
func toLayer(l Layer) (layer, bool) {
	if isNil(l) {
		return nil, false
	}
	switch l := l.(type) {
	case *Node:
		if l.app == nil || l.app.layer == nil {
			return nil, false
		}
		return l.app.layer, true
	case *Sequential:
		return &l.Model, true
	case layer:
		return l, true
	}
	return nil, false
}

// newRNG returns the generator for a model's random choices.
func newRNG(seed uint64) *rand.Rand {
	if seed == 0 {
		seed = nextSeed()
	}
	return rand.New(rand.NewPCG(seed, seed^0xda3e39cb94b95bdb))
}

// buildSeq creates a Sequential model for samples of shape in (without the
// batch axis).
func (m *Model) buildSeq(in []int) error {
	s := m.seq
	if s.stackErr != nil {
		return s.stackErr
	}
	if len(s.stack) == 0 {
		return fmt.Errorf("the Sequential model %q has no layers; add some with NewSequential(layers...) or model.Add(layer)", m.Name)
	}
	if m.rng == nil {
		m.rng = newRNG(m.Seed)
		m.appliedSeed = m.Seed
	}
	// Keras builds a Sequential through an internal functional model, which
	// takes a name from the same counter: mirror it, so that the names of
	// later functional models match Keras's.
	uniqueName("functional")
	first := 0
	inLayer := &InputLayer{Shape: append([]int(nil), in...), Name: "input_layer"}
	if il := s.declaredInput(); il != nil {
		layerName(il)
		if err := il.checkShape(); err != nil {
			return fmt.Errorf("layer %q (InputLayer): %w", il.base().name, err)
		}
		if !equalShape(il.Shape, in) {
			return fmt.Errorf("the model's Input has shape %s but the data has samples of shape %s",
				formatShape(il.Shape), formatShape(in))
		}
		inLayer, first = il, 1
	}
	inLayer.base().outShape = inLayer.Shape
	nodes := []*gnode{{layer: inLayer, outShapes: [][]int{inLayer.Shape}}}
	var layers, own []layer
	names := map[string]bool{}
	if first == 1 {
		names[layerName(inLayer)] = true
	}
	shape := inLayer.Shape
	for i, l := range s.stack[first:] {
		ll := asLayer(l)
		if _, isIn := ll.(*InputLayer); isIn {
			return fmt.Errorf("layer %d of the Sequential model %q is an Input; only the first layer may be one", first+i, m.Name)
		}
		if ll == layer(&m.seq.Model) {
			return fmt.Errorf("the Sequential model %q contains itself", m.Name)
		}
		for _, prev := range layers {
			if prev == ll {
				return fmt.Errorf("layer %q appears twice in the Sequential model %q; a layer can be used once in a Sequential model", layerName(ll), m.Name)
			}
		}
		name := layerName(ll)
		if names[name] {
			return fmt.Errorf("all layers added to a Sequential model should have unique names; the name %q is already the name of a layer in the model %q. "+
				"Change the Name of one of them, or leave it empty for a default name", name, m.Name)
		}
		names[name] = true
		_, isModel := ll.(*Model)
		fresh := !ll.base().built && !isModel
		if err := buildLayer(ll, shape, m.rng); err != nil {
			return err
		}
		if fresh {
			own = append(own, ll)
		}
		if sl, ok := ll.(stateLayer); ok && sl.returnsState() {
			return fmt.Errorf("layer %q (%s) has ReturnState set, which returns several tensors; use it in a functional model (dl.Call, dl.NewModel)", layerName(ll), ll.className())
		}
		prev := len(nodes) - 1
		nodes = append(nodes, &gnode{layer: ll, applies: true, ins: []slot{{prev, 0}}, needDX: []bool{prev > 0},
			outShapes: [][]int{ll.base().outShape}})
		layers = append(layers, ll)
		shape = ll.base().outShape
	}
	m.setGraph(nodes, []int{0}, []slot{{len(nodes) - 1, 0}}, layers)
	m.ownInit = append(m.ownInit, own...)
	return nil
}

// settle applies a Seed set since the model was built: the dropout masks
// and shuffling draw from it from then on, and the initial weights of the
// layers that a Sequential model built itself are drawn again from it, as
// if the model had been built with it, unless a weight has changed since
// (training, SetWeights, LoadWeights). It runs under m.mu held for writing.
func (m *Model) settle() {
	m.settleDtype()
	if m.Seed == m.appliedSeed || m.rng == nil {
		return
	}
	m.appliedSeed = m.Seed
	m.rng = newRNG(m.Seed)
	if m.touched || len(m.ownInit) == 0 {
		return
	}
	for _, l := range m.ownInit {
		redraw(l, m.rng)
	}
	m.version++
}

// redraw draws the initial weights of a built layer again from rng, as
// building it with rng draws them: it builds a copy of the layer and copies
// the copy's weights into the layer's own, so that everything that refers
// to the weights (the model's list, an optimizer) keeps referring to them.
func redraw(l layer, rng *rand.Rand) {
	b := l.base()
	v := reflect.New(reflect.TypeOf(l).Elem())
	v.Elem().Set(reflect.ValueOf(l).Elem())
	cp := v.Interface().(layer)
	cb := cp.base()
	cb.built, cb.params = false, nil
	if _, err := safeBuild(cp, b.inShape, rng); err != nil || len(cb.params) != len(b.params) {
		// It was built for this shape before, so it builds again.
		panic(fmt.Sprintf("dl: internal error: rebuilding layer %q: %v", b.name, err))
	}
	for i, p := range cb.params {
		b.params[i].load(p.value.data, false)
	}
}

// setGraph installs a built graph, collects its weights and keeps them in
// the model's dtype: Dtype, or FloatX when the model was first built.
func (m *Model) setGraph(nodes []*gnode, inputs []int, outputs []slot, layers []layer) {
	var params []*param
	for _, l := range layers {
		params = append(params, l.base().params...)
	}
	m.nodes, m.inputs, m.outputs, m.layers, m.params = nodes, inputs, outputs, layers, params
	if !m.built {
		m.dt = dtype(floatX.Load())
	}
	m.built = true
	m.appliedDtype = ""
	m.settleDtype()
	m.run = newRunner(m, m.dt)
}

// settled reports whether the Seed and Dtype in effect are the fields'
// values (see settle).
func (m *Model) settled() bool {
	return m.Seed == m.appliedSeed && (!m.built || m.Dtype == m.appliedDtype && m.sameDtype())
}

// effectiveDtype returns the dtype the model computes in, or will once
// built or settled: a valid Dtype, else the dtype it was built with, else
// FloatX.
func (m *Model) effectiveDtype() dtype {
	if dt, err := parseDtype("Dtype", m.Dtype); m.Dtype != "" && err == nil {
		return dt
	}
	if m.built {
		return m.dt
	}
	return dtype(floatX.Load())
}

// settleDtype applies a Dtype set since the model was built (or since the
// last call): the weights are converted to it, and the compute path
// follows. An invalid Dtype is left to checkStack to report. It runs under
// m.mu held for writing.
func (m *Model) settleDtype() {
	if !m.built || (m.Dtype == m.appliedDtype && m.run != nil && m.sameDtype()) {
		return
	}
	if m.Dtype != "" {
		dt, err := parseDtype("Dtype", m.Dtype)
		if err != nil {
			return // checkStack reports it
		}
		m.dt = dt
	}
	m.appliedDtype = m.Dtype
	changed := m.run == nil || m.run.dtype() != m.dt
	for _, p := range m.params {
		changed = changed || p.dtype() != m.dt
		p.setDtype(m.dt)
	}
	if changed {
		if m.compiled != nil {
			m.compiled.optimizer.state().reset()
		}
		m.run = newRunner(m, m.dt)
		m.version++
	}
}

// sameDtype reports whether the weights are all kept in the model's dtype:
// a model used as a layer of a model of another dtype has its weights
// converted by that model.
func (m *Model) sameDtype() bool {
	for _, p := range m.params {
		if p.dtype() != m.dt {
			return false
		}
	}
	return true
}

// ensureBuilt builds a Sequential model for samples of shape in if it is
// not built yet.
func (m *Model) ensureBuilt(op string, in []int) error {
	if m.built {
		return nil
	}
	if err := m.buildSeq(in); err != nil {
		return &Error{Op: op, Msg: err.Error()}
	}
	return nil
}

// inputShapes returns the shape of one sample of each input, or nil for a
// Sequential model whose input is not known yet.
func (m *Model) inputShapes() [][]int {
	if m.built {
		out := make([][]int, len(m.inputs))
		for i, n := range m.inputs {
			out[i] = m.nodes[n].outShapes[0]
		}
		return out
	}
	if il := m.seq.declaredInput(); il != nil {
		return [][]int{il.Shape}
	}
	return nil
}

// outputShapes returns the shape of one sample of each output of a built model.
func (m *Model) outputShapes() [][]int {
	out := make([][]int, len(m.outputs))
	for i, s := range m.outputs {
		out[i] = m.nodes[s.node].outShapes[s.index]
	}
	return out
}

// inputNames returns the names of the model's inputs (Keras:
// [t.name for t in model.inputs]); a Sequential model not built yet has
// the name of its declared Input, or the input_layer it will be built with.
func (m *Model) inputNames() []string {
	if !m.built {
		if il := m.seq.declaredInput(); il != nil {
			return []string{layerName(il)}
		}
		return []string{"input_layer"}
	}
	out := make([]string, len(m.inputs))
	for i, n := range m.inputs {
		out[i] = layerName(m.nodes[n].layer)
	}
	return out
}

// outputNames returns the names of the layers that compute the model's
// outputs (Keras: model.output_names).
func (m *Model) outputNames() []string {
	out := make([]string, len(m.outputs))
	for i, s := range m.outputs {
		out[i] = layerName(m.nodes[s.node].layer)
	}
	return out
}

// inputName names input i for messages.
func (m *Model) inputName(i int) string {
	if m.built {
		return fmt.Sprintf("layer %q", layerName(m.nodes[m.inputs[i]].layer))
	}
	return "the input"
}

// CountParams returns the number of weights in the model (Keras:
// model.count_params()). It is 0 for a model that is not built yet. It may
// be called from several goroutines at once.
func (m *Model) CountParams() int {
	if m == nil {
		return 0
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.numParams()
}

// numParams is CountParams for a caller that holds m.mu.
func (m *Model) numParams() int {
	n := 0
	for _, p := range m.params {
		n += p.size()
	}
	return n
}

// rlock takes m.mu for reading, having first applied a changed Seed.
func (m *Model) rlock() {
	m.mu.RLock()
	if m.settled() {
		return
	}
	m.mu.RUnlock()
	m.mu.Lock()
	m.settle()
	m.mu.Unlock()
	m.mu.RLock()
}

// weightsChanged records, under m.mu held for writing, that the weights
// have changed: they are no longer the initial ones that a new Seed draws
// again.
func (m *Model) weightsChanged() {
	m.touched = true
	m.version++
}

// GetWeights returns copies of all weights, layer by layer, kernel before
// bias (Keras: model.get_weights()). It may be called from several
// goroutines at once, and while Fit runs (see Model).
func (m *Model) GetWeights() []*Tensor {
	if m == nil {
		return nil
	}
	m.rlock()
	defer m.mu.RUnlock()
	out := make([]*Tensor, len(m.params))
	for i, p := range m.params {
		out[i] = p.float64s()
	}
	return out
}

// SetWeights replaces all weights with copies of w, in GetWeights's order
// (Keras: model.set_weights()). It waits for the Predict and Evaluate calls
// in progress to finish; the calls after it see the new weights (see Model).
func (m *Model) SetWeights(w []*Tensor) error {
	if m == nil {
		return nilModelError("SetWeights")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.settle()
	if !m.built {
		return errorf("SetWeights", "the model %q is not built yet; start it with dl.Input(...) or call Fit first", m.Name)
	}
	if len(w) != len(m.params) {
		return errorf("SetWeights", "the model %q has %d weight arrays, received %d", m.Name, len(m.params), len(w))
	}
	for i, p := range m.params {
		if w[i] == nil || !equalShape(w[i].shape, p.shape) {
			got := "nil"
			if w[i] != nil {
				got = ShapeString(w[i].shape)
			}
			return errorf("SetWeights", "weight %d (%s) has shape %s, received shape %s", i, p.name, ShapeString(p.shape), got)
		}
	}
	for i, p := range m.params {
		p.load(w[i].data, false)
	}
	m.weightsChanged()
	return nil
}
