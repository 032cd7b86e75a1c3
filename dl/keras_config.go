package dl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
)

// The Keras version whose .keras layout dl writes. Keras 3.4 and later
// read it: dl writes only the configuration keys that all of them accept.
const kerasFormatVersion = "3.10.0"

// obj is a JSON object that keeps its keys in the order they were added,
// as Keras writes them.
type obj []kv

// kv is one key of an obj.
type kv struct {
	k string
	v any
}

// MarshalJSON writes the keys in order.
func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, e := range o {
		if i > 0 {
			b.WriteString(", ")
		}
		k, _ := json.Marshal(e.k)
		b.Write(k)
		b.WriteString(": ")
		v, err := json.Marshal(e.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// pyFloat is a float written as Python's json writes floats: always with a
// decimal point or an exponent (0.0, 0.001, 1e-07), since Keras checks some
// arguments' types (SGD rejects the integer momentum 0).
type pyFloat float64

// MarshalJSON writes the float as Python's repr.
func (f pyFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, fmt.Errorf("cannot write %v in a Keras config", v)
	}
	s := pyRepr(math.Abs(v))
	if math.Signbit(v) {
		s = "-" + s
	}
	return []byte(s), nil
}

// kerasObj is Keras's serialized-object envelope for a public class.
func kerasObj(module, class string, config any) obj {
	return obj{{"module", module}, {"class_name", class}, {"config", config}, {"registered_name", nil}}
}

// dtypePolicy is the float32 policy Keras 3.4+ writes for each layer. A
// float64 model declares it too, so that Keras opens the file as the
// ordinary float32 model a Keras user expects (a float64 policy makes
// Keras on JAX warn that float64 is unavailable); its weights are stored in
// float64, which tells dl to load it as a float64 model, unchanged.
var dtypePolicy = kerasObj("keras", "DTypePolicy", obj{{"name", "float32"}})

// batchShape is a shape with the batch axis as null.
func batchShape(shape []int) []any {
	out := []any{nil}
	for _, d := range shape {
		out = append(out, d)
	}
	return out
}

// regularizerConfig serializes a regularizer (nil → null).
func regularizerConfig(r Regularizer) any {
	p, ok := r.(*l1l2)
	if !ok {
		return nil
	}
	var cfg obj
	switch p.class {
	case "L1":
		cfg = obj{{"l1", pyFloat(p.l1)}}
	case "L2":
		cfg = obj{{"l2", pyFloat(p.l2)}}
	default:
		cfg = obj{{"l1", pyFloat(p.l1)}, {"l2", pyFloat(p.l2)}}
	}
	return kerasObj("keras.regularizers", p.class, cfg)
}

// layerHead is the start of every layer's config: its name, trainable and
// dtype. Each layer's layerConfig appends its own arguments.
func layerHead(l layer) obj {
	return obj{{"name", layerName(l)}, {"trainable", true}, {"dtype", dtypePolicy}}
}

// builtLayerObj is the serialized form of a built single-input layer: its
// config and its build_config (the input shape it was built for).
func builtLayerObj(class string, cfg obj, b *layerBase) obj {
	return append(kerasObj("keras.layers", class, cfg), kv{"build_config", obj{{"input_shape", batchShape(b.inShape)}}})
}

// Initializers dl writes: the Keras defaults, which are the ones dl uses.
var (
	glorotUniformConfig = kerasObj("keras.initializers", "GlorotUniform", obj{{"seed", nil}})
	zerosConfig         = kerasObj("keras.initializers", "Zeros", obj{})
	orthogonalConfig    = kerasObj("keras.initializers", "Orthogonal", obj{{"seed", nil}, {"gain", 1.0}})
)

// mergeConfig serializes a merge layer with its build_config (the list of
// input shapes).
func mergeConfig(class string, cfg obj, b *layerBase) obj {
	shapes := make([]any, len(b.inShapes))
	for i, s := range b.inShapes {
		shapes[i] = batchShape(s)
	}
	return append(kerasObj("keras.layers", class, cfg), kv{"build_config", obj{{"input_shape", shapes}}})
}

// kerasConfig returns the model's config.json object.
func (m *Model) kerasConfig() (obj, error) {
	out, err := m.architecture()
	if err != nil {
		return nil, err
	}
	if c := m.compiled; c != nil {
		var metrics, loss, weights any
		if len(c.metricNames) > 0 {
			metrics = c.metricNames
		}
		loss = c.opts.Loss
		if len(c.opts.Losses) > 0 {
			loss = c.opts.Losses
		}
		if c.opts.LossWeights != nil {
			ws := make([]pyFloat, len(c.opts.LossWeights))
			for i, w := range c.opts.LossWeights {
				ws[i] = pyFloat(w)
			}
			weights = ws
		}
		out = append(out, kv{"compile_config", obj{
			{"optimizer", optimizerConfig(c.optimizer)}, {"loss", loss}, {"loss_weights", weights},
			{"metrics", metrics}, {"weighted_metrics", nil}, {"run_eagerly", false},
			{"steps_per_execution", 1}, {"jit_compile", false},
		}})
	}
	return out, nil
}

// architecture serializes a built model without its compile settings.
func (m *Model) architecture() (obj, error) {
	if m.seq != nil {
		return m.sequentialConfig()
	}
	return m.functionalConfig()
}

// sequentialConfig serializes a Sequential model.
func (m *Model) sequentialConfig() (obj, error) {
	in := m.nodes[0].layer.(*InputLayer)
	inCfg, _ := (&InputLayer{Shape: in.Shape, Name: layerName(in), layerBase: layerBase{name: layerName(in)}}).layerConfig()
	layers := []any{inCfg}
	for _, l := range m.layers {
		c, err := l.layerConfig()
		if err != nil {
			return nil, err
		}
		layers = append(layers, c)
	}
	shape := batchShape(in.Shape)
	out := kerasObj("keras", "Sequential", obj{{"name", m.Name}, {"trainable", true}, {"dtype", dtypePolicy},
		{"layers", layers}, {"build_input_shape", shape}})
	return append(out, kv{"build_config", obj{{"input_shape", shape}}}), nil
}

// kerasTensor serializes a reference to output index of a layer's
// nodeIndex-th call, with its shape.
func kerasTensor(name string, nodeIndex, index int, shape []int) obj {
	return obj{{"class_name", "__keras_tensor__"}, {"config", obj{
		{"shape", batchShape(shape)}, {"dtype", "float32"}, {"keras_history", []any{name, nodeIndex, index}},
	}}}
}

// functionalConfig serializes a functional model: each layer with the
// calls ("inbound_nodes") that connect it, node indices counted within
// this model.
func (m *Model) functionalConfig() (obj, error) {
	local := make([]int, len(m.nodes)) // each node's index among its layer's calls in this model
	count := map[layer]int{}
	for i, n := range m.nodes {
		local[i] = count[n.layer]
		count[n.layer]++
	}
	ref := func(s slot) obj {
		src := m.nodes[s.node]
		return kerasTensor(layerName(src.layer), local[s.node], s.index, src.outShapes[s.index])
	}
	var layers []any
	for _, l := range m.layers {
		c, err := l.layerConfig()
		if err != nil {
			return nil, err
		}
		inbound := []any{}
		for _, n := range m.nodes {
			if n.layer != l || !n.applies {
				continue
			}
			var args []any
			if _, merge := l.(mergeLayer); merge {
				list := []any{}
				for _, s := range n.ins {
					list = append(list, ref(s))
				}
				args = []any{list}
			} else {
				args = []any{ref(n.ins[0])}
			}
			inbound = append(inbound, obj{{"args", args}, {"kwargs", obj{}}})
		}
		layers = append(layers, append(c, kv{"name", layerName(l)}, kv{"inbound_nodes", inbound}))
	}
	triples := func(slots []slot) any {
		var out []any
		for _, s := range slots {
			out = append(out, []any{layerName(m.nodes[s.node].layer), local[s.node], s.index})
		}
		if len(out) == 1 {
			return out[0]
		}
		return out
	}
	ins := make([]slot, len(m.inputs))
	for i, n := range m.inputs {
		ins[i] = slot{n, 0}
	}
	cfg := obj{{"name", m.Name}, {"trainable", true}, {"layers", layers},
		{"input_layers", triples(ins)}, {"output_layers", triples(m.outputs)}}
	return obj{{"module", "keras.src.models.functional"}, {"class_name", "Functional"}, {"config", cfg},
		{"registered_name", "Functional"}, {"build_config", obj{{"input_shape", nil}}}}, nil
}

// rawObj is a serialized Keras object as read from config.json.
type rawObj struct {
	Module        string                     `json:"module"`
	ClassName     string                     `json:"class_name"`
	Config        map[string]json.RawMessage `json:"config"`
	BuildConfig   map[string]json.RawMessage `json:"build_config"`
	CompileConfig map[string]json.RawMessage `json:"compile_config"`
}

// field decodes one config key into dst; a missing or null key leaves dst
// unchanged.
func (r *rawObj) field(key string, dst any) error {
	v, ok := r.Config[key]
	if !ok || string(v) == "null" {
		return nil
	}
	if err := json.Unmarshal(v, dst); err != nil {
		return fmt.Errorf("%s %q: config key %q: %v", r.ClassName, r.name(), key, err)
	}
	return nil
}

// name returns the object's configured name.
func (r *rawObj) name() string {
	var n string
	if v, ok := r.Config["name"]; ok {
		_ = json.Unmarshal(v, &n)
	}
	return n
}

// fields decodes config keys in the order given, each kv naming a key and
// the pointer to decode it into, and stops at the first error: a config
// with several bad keys always reports the same one.
func (r *rawObj) fields(keys ...kv) error {
	for _, f := range keys {
		if err := r.field(f.k, f.v); err != nil {
			return err
		}
	}
	return nil
}

// regularizerFromConfig reads a serialized regularizer.
func regularizerFromConfig(raw json.RawMessage) (Regularizer, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var r rawObj
	if err := json.Unmarshal(raw, &r); err != nil {
		// Keras also accepts a bare name such as "l2".
		var s string
		if json.Unmarshal(raw, &s) == nil {
			switch strings.ToLower(s) {
			case "l1":
				return L1(0.01), nil
			case "l2":
				return L2(0.01), nil
			case "l1l2":
				return L1L2(0, 0), nil
			}
		}
		return nil, fmt.Errorf("unreadable regularizer %s", raw)
	}
	var l1, l2 float64
	if err := r.field("l1", &l1); err != nil {
		return nil, err
	}
	if err := r.field("l2", &l2); err != nil {
		return nil, err
	}
	switch r.ClassName {
	case "L1":
		return L1(l1), nil
	case "L2":
		return L2(l2), nil
	case "L1L2":
		return L1L2(l1, l2), nil
	}
	return nil, fmt.Errorf("regularizer class %q is not supported (supported: L1, L2, L1L2)", r.ClassName)
}

// sampleShape turns a serialized batch shape, [null, d1, d2, ...], into
// the shape of one sample, which must be fully known.
func sampleShape(shape []*int) ([]int, error) {
	if len(shape) < 2 {
		return nil, fmt.Errorf("has no sample dimensions")
	}
	dims := make([]int, 0, len(shape)-1)
	for _, d := range shape[1:] {
		if d == nil || *d <= 0 {
			return nil, fmt.Errorf("has an unknown dimension; dl needs fixed sample shapes")
		}
		dims = append(dims, *d)
	}
	return dims, nil
}

// regularizers reads regularizer keys in the order given, each kv naming a
// key and the *Regularizer to set.
func (r *rawObj) regularizers(keys ...kv) error {
	for _, f := range keys {
		reg, err := regularizerFromConfig(r.Config[f.k])
		if err != nil {
			return fmt.Errorf("%s %q: %v", r.ClassName, r.name(), err)
		}
		*f.v.(*Regularizer) = reg
	}
	return nil
}

// checkActivations reports the first activation name dl does not have; an
// empty name stands for the layer's default.
func (r *rawObj) checkActivations(names ...string) error {
	for _, s := range names {
		if _, ok := Activation(s).resolve(Linear); !ok {
			return fmt.Errorf("%s %q: activation %q is not supported; dl has %s", r.ClassName, r.name(), s, activationNames())
		}
	}
	return nil
}

// nameOf reads a loss or metric that Keras wrote as a string or as a
// serialized object, returning the name dl uses.
func nameOf(raw json.RawMessage) (string, error) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, nil
	}
	var r rawObj
	if err := json.Unmarshal(raw, &r); err != nil {
		return "", fmt.Errorf("unreadable entry %s", raw)
	}
	var fn string
	_ = r.field("fn", &fn)
	if fn != "" {
		return fn, nil
	}
	if n := r.name(); n != "" {
		return n, nil
	}
	return toSnakeCase(r.ClassName), nil
}

// compileFromConfig reads a compile_config into CompileOptions.
func compileFromConfig(cc map[string]json.RawMessage) (CompileOptions, error) {
	var opts CompileOptions
	var err error
	if raw, ok := cc["optimizer"]; ok && string(raw) != "null" {
		if opts.Optimizer, err = optimizerFromConfig(raw); err != nil {
			return opts, err
		}
	}
	if raw, ok := cc["loss"]; ok && string(raw) != "null" {
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) == nil {
			for _, l := range list {
				n, err := nameOf(l)
				if err != nil {
					return opts, fmt.Errorf("loss: %v", err)
				}
				opts.Losses = append(opts.Losses, n)
			}
		} else if opts.Loss, err = nameOf(raw); err != nil {
			return opts, fmt.Errorf("loss: %v", err)
		}
	}
	if raw, ok := cc["loss_weights"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &opts.LossWeights); err != nil {
			return opts, fmt.Errorf("loss_weights: only a list of numbers is supported: %v", err)
		}
	}
	if raw, ok := cc["metrics"]; ok && string(raw) != "null" {
		var list []json.RawMessage
		if err := json.Unmarshal(raw, &list); err != nil {
			return opts, fmt.Errorf("metrics: %v", err)
		}
		for _, m := range list {
			n, err := nameOf(m)
			if err != nil {
				return opts, fmt.Errorf("metrics: %v", err)
			}
			opts.Metrics = append(opts.Metrics, n)
		}
	}
	return opts, nil
}

// sortedKeys returns a map's keys in order, for messages.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
