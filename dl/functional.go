package dl

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
)

// Node is a symbolic tensor: a placeholder for the data that will flow
// through a model (Keras: KerasTensor). Input returns one; Call applies a
// layer to nodes and returns the node of its output.
//
// A Node from Input can also start a Sequential model, as in Keras:
//
//	model := dl.NewSequential(dl.Input(30), &dl.Dense{Units: 1})
type Node struct {
	app   *application
	index int // which output of the application
	shape []int
}

// application is one call of a layer on nodes (Keras: a Node of the graph).
type application struct {
	layer     layer
	inputs    []*Node
	outShapes [][]int
	nodeIndex int   // the layer's call count before this call
	err       error // why the call failed, reported by NewModel
}

// Input returns a symbolic input for samples of the given shape, without the
// batch axis (Keras: keras.Input(shape=...)): Input(30) for 30 features,
// Input(4, 1) for 4 time steps of 1 feature. Its default name is
// input_layer, input_layer_1, ...; Named gives it another:
//
//	in1 := dl.Input(6).Named("input_1") // Keras: Input(shape=(6,), name='input_1')
func Input(shape ...int) *Node {
	return inputNode(&InputLayer{Shape: append([]int(nil), shape...)})
}

// inputNode returns the node of an input layer.
func inputNode(l *InputLayer) *Node {
	app := &application{layer: l, outShapes: [][]int{l.Shape}}
	if err := l.checkShape(); err != nil {
		app.err = fmt.Errorf("Input: %w", err)
	} else {
		if l.Name == "" {
			// Named may still name it: the default name waits (see
			// deferInputName), so that a named Input takes no number.
			deferInputName(l)
		}
		l.built, l.outShape = true, l.Shape
		l.calls = 1
	}
	return &Node{app: app, shape: l.Shape}
}

// Named gives the Input that n stands for a name, and returns n (Keras:
// Input(shape=..., name=...)):
//
//	in1 := dl.Input(6).Named("input_1") // Keras: Input(shape=(6,), name='input_1')
//
// The name appears in Summary, in the .keras file Save writes, and in the
// error messages about the input; Fit, Evaluate and Predict take the data
// of a model's inputs by these names with Named. Name an input where it is
// created: an Input named after another name was given has already taken
// its default name's number (input_layer_1, ...), which Keras never counts.
// An empty name keeps the default. Named applies to inputs only: a node
// made by Call is reported by NewModel; name a layer with its Name field,
// as in &dl.Dense{Units: 8, Name: "hidden"}.
func (n *Node) Named(name string) *Node {
	if n == nil || n.app == nil {
		return n
	}
	in, ok := n.app.layer.(*InputLayer)
	if !ok {
		app := &application{layer: &badLayer{name: "invalid_layer"}, inputs: []*Node{n}, outShapes: [][]int{nil}}
		app.err = fmt.Errorf("Named(%q) was applied to the output of layer %q; Named names inputs made by dl.Input. "+
			"Give a layer its name with its Name field, as in &dl.Dense{Units: 8, Name: %q}", name, layerName(n.app.layer), name)
		return &Node{app: app}
	}
	if name != "" && n.app.err == nil {
		renameInput(in, name)
	}
	return n
}

// Shape returns the node's shape without the batch axis.
func (n *Node) Shape() []int { return append([]int(nil), n.shape...) }

// String describes the node as Keras prints a KerasTensor.
func (n *Node) String() string {
	if n == nil || n.app == nil {
		return "<Node (not made by dl.Input or dl.Call)>"
	}
	return fmt.Sprintf("<Node shape=%s, name=%s>", formatShape(n.shape), layerName(n.app.layer))
}

func (n *Node) base() *layerBase { return n.app.layer.base() }

// badLayer stands for a value given to Call that is not a layer (nil), so
// that the node of the failed call can be passed on to NewModel, which
// reports the mistake.
type badLayer struct {
	layerBase
	name string
}

func (b *badLayer) className() string  { return "InvalidLayer" }
func (b *badLayer) nameField() *string { return &b.name }
func (b *badLayer) build([]int, *rand.Rand) ([]int, error) {
	return nil, fmt.Errorf("not a layer")
}
func (b *badLayer) newOp(dt dtype) any { return pick(dt, identityOp[float32]{}, identityOp[float64]{}) }
func (b *badLayer) layerConfig() (obj, error) {
	return nil, fmt.Errorf("layer %q (%s) cannot be saved in the Keras format", layerName(b), b.className())
}

// Call applies a layer to one or more nodes and returns the node of its
// output (Keras: layer(x), or layer([a, b]) for merge layers):
//
//	hidden := dl.Call(&dl.Dense{Units: 18, Activation: "relu"}, input)
//
// The layer is built by its first call. Calling the same layer value again
// shares its weights. A layer that returns several tensors (a recurrent
// layer with ReturnState) is called with CallMulti.
//
// A mistake (a shape the layer cannot take, a bad setting) is reported by
// NewModel, which names the layer.
func Call(l Layer, inputs ...*Node) *Node {
	return CallMulti(l, inputs...)[0]
}

// CallMulti is Call for layers that return several tensors, such as LSTM
// with ReturnState (Keras: output, h, c = LSTM(..., return_state=True)(x)).
// It returns one node per output.
func CallMulti(l Layer, inputs ...*Node) []*Node {
	ll, ok := toLayer(l)
	if !ok {
		app := &application{layer: &badLayer{name: "invalid_layer"}, inputs: inputs, outShapes: [][]int{nil}}
		if isNil(l) {
			app.err = fmt.Errorf("Call received a nil layer (%T); pass a layer such as &dl.Dense{Units: 8}", l)
		} else {
			app.err = fmt.Errorf("Call received a %T, which is not a dl layer", l)
		}
		return []*Node{{app: app}}
	}
	app := &application{layer: ll, inputs: inputs}
	app.err = app.build()
	if app.err != nil || len(app.outShapes) == 0 {
		app.outShapes = [][]int{nil}
	}
	out := make([]*Node, len(app.outShapes))
	for i, s := range app.outShapes {
		out[i] = &Node{app: app, index: i, shape: s}
	}
	return out
}

// build builds the layer for the inputs' shapes and records the output
// shapes.
func (a *application) build() error {
	l := a.layer
	if in, isIn := l.(*InputLayer); isIn {
		expr := inputExpr(in)
		return fmt.Errorf("layer %q is an InputLayer, which starts a model and is not called on nodes; "+
			"create the input with %s", layerName(in), expr)
	}
	name := layerName(l)
	if len(a.inputs) == 0 {
		return fmt.Errorf("layer %q (%s) was called with no inputs", name, l.className())
	}
	shapes := make([][]int, len(a.inputs))
	for i, in := range a.inputs {
		if in == nil || in.app == nil {
			return fmt.Errorf("layer %q (%s): input %d is nil or was not made by dl.Input or dl.Call", name, l.className(), i)
		}
		if in.app.err != nil {
			return fmt.Errorf("layer %q (%s) takes the output of a call that failed: %w", name, l.className(), in.app.err)
		}
		shapes[i] = in.shape
	}
	rng := rand.New(rand.NewPCG(nextSeed(), 0x5851f42d4c957f2d))
	b := l.base()
	if ml, ok := l.(mergeLayer); ok {
		if err := buildMerge(ml, shapes, rng); err != nil {
			return err
		}
	} else {
		if len(shapes) != 1 {
			return fmt.Errorf("layer %q (%s) takes one input, received %d; merge several with a layer such as &dl.Concatenate{}", name, l.className(), len(shapes))
		}
		if err := buildLayer(l, shapes[0], rng); err != nil {
			return err
		}
	}
	a.outShapes = [][]int{b.outShape}
	if mo, ok := l.(multiOutputLayer); ok {
		if s := mo.outputShapes(); len(s) > 1 {
			a.outShapes = s
		}
	}
	a.nodeIndex = b.calls
	b.calls++
	return nil
}

// inputExpr writes the dl.Input expression that creates the input l
// declares, for messages: dl.Input(6).Named("input_1").
func inputExpr(l *InputLayer) string {
	dims := make([]string, len(l.Shape))
	for i, d := range l.Shape {
		dims[i] = strconv.Itoa(d)
	}
	if len(dims) == 0 {
		dims = []string{"features"}
	}
	expr := "dl.Input(" + strings.Join(dims, ", ") + ")"
	if l.Name != "" {
		expr += fmt.Sprintf(".Named(%q)", l.Name)
	}
	return expr
}

// NodeList is one node or several: a *Node, or Nodes.
type NodeList interface {
	nodeList() []*Node
}

func (n *Node) nodeList() []*Node { return []*Node{n} }

// Nodes is a list of nodes, such as the inputs of a model with several
// inputs (Keras: a Python list of KerasTensors).
type Nodes []*Node

func (ns Nodes) nodeList() []*Node { return ns }

// NewModel returns the model that computes outputs from inputs, each one
// node or Nodes (Keras: keras.Model(inputs=..., outputs=...)):
//
//	in := dl.Input(8)
//	hidden := dl.Call(&dl.Dense{Units: 18, Activation: "relu"}, in)
//	out := dl.Call(&dl.Dense{Units: 1}, hidden)
//	model, err := dl.NewModel(in, out)
//
// It checks the graph: every output must be computed from the given inputs
// only, and every input must be an Input.
func NewModel(inputs, outputs NodeList) (*Model, error) {
	const op = "NewModel"
	if inputs == nil || outputs == nil {
		return nil, errorf(op, "both inputs and outputs are required, as in dl.NewModel(input, output)")
	}
	ins, outs := inputs.nodeList(), outputs.nodeList()
	if len(ins) == 0 || len(outs) == 0 {
		return nil, errorf(op, "the model needs at least one input and one output")
	}
	inputIndex := map[*application]int{}
	for i, n := range ins {
		if n == nil || n.app == nil {
			return nil, errorf(op, "input %d is nil or was not made by dl.Input", i)
		}
		if _, ok := n.app.layer.(*InputLayer); !ok {
			return nil, errorf(op, "input %d is the output of layer %q, not an Input; model inputs must come from dl.Input(...)", i, layerName(n.app.layer))
		}
		if n.app.err != nil {
			return nil, errorf(op, "%v", n.app.err)
		}
		if _, dup := inputIndex[n.app]; dup {
			return nil, errorf(op, "input %d (%q) is listed twice", i, layerName(n.app.layer))
		}
		inputIndex[n.app] = i
	}
	// Depth-first from the outputs, as Keras's map_graph: operation indices
	// in pre-order, applications in post-order.
	opIndex := map[layer]int{}
	var post []*application
	state := map[*application]int{} // 1 in progress, 2 done
	used := map[*application]bool{}
	var visit func(n *Node) error
	visit = func(n *Node) error {
		a := n.app
		if a.err != nil {
			return a.err
		}
		switch state[a] {
		case 2:
			return nil
		case 1:
			return fmt.Errorf("the output of layer %q depends on itself (a cycle)", layerName(a.layer))
		}
		if _, ok := opIndex[a.layer]; !ok {
			opIndex[a.layer] = len(opIndex)
		}
		state[a] = 1
		if _, isIn := a.layer.(*InputLayer); isIn {
			if _, declared := inputIndex[a]; !declared {
				return fmt.Errorf("the graph uses the Input %q, which is not among the model's inputs; add it to the inputs list", layerName(a.layer))
			}
			used[a] = true
		}
		for _, in := range a.inputs {
			if err := visit(in); err != nil {
				return err
			}
		}
		state[a] = 2
		post = append(post, a)
		return nil
	}
	for i, n := range outs {
		if n == nil || n.app == nil {
			return nil, errorf(op, "output %d is nil or was not made by dl.Call", i)
		}
		if err := visit(n); err != nil {
			return nil, errorf(op, "%v", err)
		}
	}
	for i, n := range ins {
		if !used[n.app] {
			return nil, errorf(op, "input %d (%q) is not connected to any output; remove it or use it", i, layerName(n.app.layer))
		}
	}
	// Depths: the distance from the outputs, taking the longest path.
	depth := map[*application]int{}
	layerDepth := map[layer]int{}
	for i := len(post) - 1; i >= 0; i-- {
		a := post[i]
		d := max(depth[a], layerDepth[a.layer])
		depth[a], layerDepth[a.layer] = d, d
		for _, in := range a.inputs {
			depth[in.app] = max(depth[in.app], d+1)
		}
	}
	// Inputs sit at the deepest level, as Keras places them.
	maxDepth := 0
	for _, d := range depth {
		maxDepth = max(maxDepth, d)
	}
	apps := append([]*application(nil), post...)
	sort.SliceStable(apps, func(i, j int) bool {
		di, dj := depth[apps[i]], depth[apps[j]]
		if di != dj {
			return di > dj
		}
		return opIndex[apps[i].layer] < opIndex[apps[j].layer]
	})
	// Execution order must respect dependencies; Keras's order does, since
	// every application is deeper than the ones that consume it.
	index := map[*application]int{}
	nodes := make([]*gnode, len(apps))
	var layers []layer
	seen := map[layer]bool{}
	inputNodes := make([]int, len(ins))
	for i, a := range apps {
		index[a] = i
		g := &gnode{layer: a.layer, outShapes: a.outShapes, nodeIndex: a.nodeIndex}
		if j, isIn := inputIndex[a]; isIn {
			inputNodes[j] = i
		} else {
			g.applies = true
			for _, in := range a.inputs {
				g.ins = append(g.ins, slot{index[in.app], in.index})
				_, fromInput := in.app.layer.(*InputLayer)
				g.needDX = append(g.needDX, !fromInput)
			}
		}
		nodes[i] = g
		if !seen[a.layer] {
			seen[a.layer] = true
			layers = append(layers, a.layer)
		}
	}
	// Names must be unique, as Keras requires: the saved file refers to
	// layers by name.
	names := map[string]int{}
	for _, l := range layers {
		names[layerName(l)]++
	}
	for _, l := range layers {
		if k := names[layerName(l)]; k > 1 {
			fix := "Change the Name of one of them, or leave it empty for a default name"
			if _, isIn := l.(*InputLayer); isIn {
				fix = "Give each input its own name, as in dl.Input(6).Named(\"input_1\") and dl.Input(3).Named(\"input_2\")"
			}
			return nil, errorf(op, "the name %q is used by %d layers of the model; all layer names should be unique. %s", layerName(l), k, fix)
		}
	}
	outSlots := make([]slot, len(outs))
	for i, n := range outs {
		outSlots[i] = slot{index[n.app], n.index}
	}
	m := &Model{Name: uniqueName("functional")}
	m.rng = newRNG(0)
	m.setGraph(nodes, inputNodes, outSlots, layers)
	return m, nil
}

// sequentialLike reports whether a functional model is a simple chain, in
// which case Summary uses the three-column layout (Keras: a graph with one
// application per depth, each with one input, and no shared layers).
func (m *Model) sequentialLike() bool {
	if m.seq != nil {
		return true
	}
	calls := map[layer]int{}
	for _, n := range m.nodes {
		if len(n.ins) > 1 {
			return false
		}
		calls[n.layer]++
		if calls[n.layer] > 1 {
			return false
		}
	}
	return len(m.inputs) == 1 && len(m.outputs) == 1 && m.isChain()
}

// isChain reports whether every node feeds the next one only.
func (m *Model) isChain() bool {
	for i, n := range m.nodes[1:] {
		if len(n.ins) != 1 || n.ins[0].node != i {
			return false
		}
	}
	return true
}

// connectedTo lists where a node's inputs come from, as Summary's
// "Connected to" column shows them: name[node_index][tensor_index].
func (m *Model) connectedTo(n *gnode) []string {
	var out []string
	for _, s := range n.ins {
		src := m.nodes[s.node]
		out = append(out, fmt.Sprintf("%s[%d][%d]", layerName(src.layer), src.nodeIndex, s.index))
	}
	return out
}
