package dl

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"
)

// Save writes the model to a Keras 3 ".keras" file (Keras: model.save): a
// zip archive with metadata.json, config.json (the architecture and the
// compile settings) and model.weights.h5 (the weights and the optimizer's
// state), which Keras 3.4 and later open with keras.models.load_model.
//
// The write is atomic: if it fails, a file already at path is unchanged.
func (m *Model) Save(path string) error {
	const op = "Save"
	if !strings.HasSuffix(path, ".keras") {
		return errorf(op, "the file name must end in .keras (the Keras 3 format), received %q; use SaveWeights for .weights.h5", path)
	}
	if !m.built {
		return errorf(op, "the model %q is not built yet, so it has no weights to save; start it with dl.Input(...) or call Fit first", m.Name)
	}
	cfg, err := m.kerasConfig()
	if err != nil {
		return errorf(op, "%v", err)
	}
	config, err := json.Marshal(cfg)
	if err != nil {
		return errorf(op, "%v", err)
	}
	weights, err := m.encodeWeights()
	if err != nil {
		return errorf(op, "%v", err)
	}
	now := time.Now()
	meta, _ := json.Marshal(obj{{"keras_version", kerasFormatVersion}, {"date_saved", now.Format("2006-01-02@15:04:05")}, {"producer", "dlgo"}})
	err = writeFileAtomic(path, func(f *os.File) error {
		z := zip.NewWriter(f)
		for _, e := range []struct {
			name string
			data []byte
		}{{"metadata.json", meta}, {"config.json", config}, {"model.weights.h5", weights}} {
			w, err := z.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Store, Modified: now})
			if err != nil {
				return err
			}
			if _, err := w.Write(e.data); err != nil {
				return err
			}
		}
		return z.Close()
	})
	if err != nil {
		return errorf(op, "writing %s: %v", path, err)
	}
	return nil
}

// SaveWeights writes the model's weights (and the optimizer's state) to a
// Keras ".weights.h5" file (Keras: model.save_weights). The write is atomic.
func (m *Model) SaveWeights(path string) error {
	const op = "SaveWeights"
	if !strings.HasSuffix(path, ".weights.h5") {
		return errorf(op, "the file name must end in .weights.h5, received %q; use Save for a whole .keras model", path)
	}
	if !m.built {
		return errorf(op, "the model %q is not built yet, so it has no weights to save", m.Name)
	}
	b, err := m.encodeWeights()
	if err != nil {
		return errorf(op, "%v", err)
	}
	if err := writeFileAtomic(path, func(f *os.File) error { _, err := f.Write(b); return err }); err != nil {
		return errorf(op, "writing %s: %v", path, err)
	}
	return nil
}

// LoadWeights reads weights written by SaveWeights or by Keras's
// model.save_weights into a model of the same architecture (Keras:
// model.load_weights).
func (m *Model) LoadWeights(path string) error {
	const op = "LoadWeights"
	if !m.built {
		return errorf(op, "the model %q is not built yet; start it with dl.Input(...) so that its weights exist", m.Name)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return errorf(op, "%v", err)
	}
	if err := m.decodeWeights(b, path); err != nil {
		return errorf(op, "%v", err)
	}
	return nil
}

// maxEntry bounds what LoadModel reads from one archive entry.
const maxEntry = 1 << 32

// LoadModel reads a model saved by Save or by Keras 3.4 or later
// (Keras: keras.models.load_model). The model comes back compiled if it was
// saved compiled, with its optimizer's state, so it predicts identically
// and can continue training.
//
// A file that is not a Keras archive, is damaged, or holds a layer dl does
// not support is an error that says which.
func LoadModel(path string) (m *Model, err error) {
	const op = "LoadModel"
	defer catch(&err)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, errorf(op, "%v", err)
	}
	if bytes.HasPrefix(data, []byte("\x89HDF\r\n\x1a\n")) {
		return nil, errorf(op, "%s is an HDF5 file, not a .keras archive: a legacy Keras .h5 model or a .weights.h5 file. "+
			"Re-save a legacy model in Keras with model.save(\"name.keras\"), or load weights with model.LoadWeights", path)
	}
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, errorf(op, "%s is not a .keras archive (a zip file): %v", path, err)
	}
	entries := map[string][]byte{}
	for _, f := range z.File {
		if f.Name != "config.json" && f.Name != "model.weights.h5" {
			continue
		}
		if f.UncompressedSize64 > maxEntry {
			return nil, errorf(op, "%s: %s is implausibly large (%d bytes)", path, f.Name, f.UncompressedSize64)
		}
		r, err := f.Open()
		if err != nil {
			return nil, errorf(op, "%s: %s: %v", path, f.Name, err)
		}
		b, err := io.ReadAll(io.LimitReader(r, int64(f.UncompressedSize64)+1))
		r.Close()
		if err != nil {
			return nil, errorf(op, "%s is damaged: %s: %v", path, f.Name, err)
		}
		entries[f.Name] = b
	}
	for _, need := range []string{"config.json", "model.weights.h5"} {
		if entries[need] == nil {
			return nil, errorf(op, "%s is not a Keras model archive: it has no %s", path, need)
		}
	}
	m, err = modelFromConfig(entries["config.json"])
	if err != nil {
		return nil, errorf(op, "%s: %v", path, err)
	}
	if err := m.decodeWeights(entries["model.weights.h5"], path); err != nil {
		return nil, errorf(op, "%v", err)
	}
	return m, nil
}

// modelFromConfig builds (and compiles) a model from config.json.
func modelFromConfig(b []byte) (*Model, error) {
	var top rawObj
	if err := json.Unmarshal(b, &top); err != nil {
		return nil, fmt.Errorf("config.json is not valid JSON: %v", err)
	}
	var m *Model
	switch top.ClassName {
	case "Sequential":
		s, err := sequentialFromConfig(&top)
		if err != nil {
			return nil, err
		}
		m = &s.Model
	case "Functional", "Model":
		var err error
		if m, err = functionalFromConfig(&top); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("the model class is %q; dl loads Sequential and Functional models", top.ClassName)
	}
	if len(top.CompileConfig) > 0 {
		opts, err := compileFromConfig(top.CompileConfig)
		if err != nil {
			return nil, fmt.Errorf("compile_config: %v", err)
		}
		if opts.Loss != "" || len(opts.Losses) > 0 {
			if err := m.Compile(opts); err != nil {
				return nil, fmt.Errorf("compile_config: %v", err)
			}
		}
	}
	return m, nil
}

// sequentialFromConfig builds a Sequential model from its config.
func sequentialFromConfig(top *rawObj) (*Sequential, error) {
	var raws []rawObj
	if err := top.field("layers", &raws); err != nil {
		return nil, err
	}
	var layers []Layer
	for i := range raws {
		l, err := layerFromConfig(&raws[i])
		if err != nil {
			return nil, err
		}
		layers = append(layers, l)
	}
	if len(layers) == 0 {
		return nil, fmt.Errorf("the Sequential model has no layers")
	}
	if _, ok := layers[0].(*InputLayer); !ok {
		var shape []*int
		if err := top.field("build_input_shape", &shape); err != nil || shape == nil {
			return nil, fmt.Errorf("the Sequential model has no input shape (no InputLayer and no build_input_shape)")
		}
		dims, err := sampleShape(shape)
		if err != nil {
			return nil, fmt.Errorf("the Sequential model's build_input_shape %v", err)
		}
		layers = append([]Layer{&InputLayer{Shape: dims, Name: "input_layer"}}, layers...)
	}
	s := &Sequential{stack: layers}
	s.seq = s
	s.Name = top.name()
	if s.Name == "" {
		s.Name = "sequential"
	}
	if err := s.buildSeq(layers[0].(*InputLayer).Shape); err != nil {
		return nil, err
	}
	return s, nil
}

// rawLayer is one entry of a functional model's layer list.
type rawLayer struct {
	rawObj
	Name         string            `json:"name"`
	InboundNodes []json.RawMessage `json:"inbound_nodes"`
}

// rawTensor is a serialized KerasTensor reference.
type rawTensor struct {
	ClassName string `json:"class_name"`
	Config    struct {
		History []json.RawMessage `json:"keras_history"`
	} `json:"config"`
}

// history returns the (layer name, node index, tensor index) a tensor
// reference points to.
func (t *rawTensor) history() (string, int, int, error) {
	if t.ClassName != "__keras_tensor__" || len(t.Config.History) != 3 {
		return "", 0, 0, fmt.Errorf("unreadable tensor reference")
	}
	var name string
	var node, index int
	if json.Unmarshal(t.Config.History[0], &name) != nil || json.Unmarshal(t.Config.History[1], &node) != nil ||
		json.Unmarshal(t.Config.History[2], &index) != nil {
		return "", 0, 0, fmt.Errorf("unreadable keras_history")
	}
	return name, node, index, nil
}

// layerRefs reads input_layers or output_layers: one [name, node, index]
// triple or a list of them.
func layerRefs(raw json.RawMessage) ([][3]any, error) {
	var one [3]any
	if json.Unmarshal(raw, &one) == nil {
		if _, ok := one[0].(string); ok {
			return [][3]any{one}, nil
		}
	}
	var list [][3]any
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("unreadable layer list %s", raw)
	}
	return list, nil
}

// functionalFromConfig rebuilds a functional model by replaying its layer
// calls in an order where every call's inputs exist.
func functionalFromConfig(top *rawObj) (*Model, error) {
	var raws []rawLayer
	if err := top.field("layers", &raws); err != nil {
		return nil, err
	}
	layers := map[string]Layer{}
	outputs := map[string][][]*Node{} // layer name → its calls → their outputs
	type call struct {
		layer int
		args  json.RawMessage
	}
	var pending []call
	for i := range raws {
		r := &raws[i]
		l, err := layerFromConfig(&r.rawObj)
		if err != nil {
			return nil, err
		}
		name := r.Name
		if name == "" {
			name = r.name()
		}
		if _, dup := layers[name]; dup {
			return nil, fmt.Errorf("two layers are named %q", name)
		}
		layers[name] = l
		if il, ok := l.(*InputLayer); ok {
			outputs[name] = [][]*Node{{inputNode(il)}}
			continue
		}
		for _, n := range r.InboundNodes {
			pending = append(pending, call{i, n})
		}
	}
	resolve := func(raw json.RawMessage) (*Node, bool, error) {
		var t rawTensor
		if err := json.Unmarshal(raw, &t); err != nil {
			return nil, false, fmt.Errorf("unreadable call argument")
		}
		name, node, index, err := t.history()
		if err != nil {
			return nil, false, err
		}
		if _, ok := layers[name]; !ok {
			return nil, false, fmt.Errorf("a call refers to the unknown layer %q", name)
		}
		calls := outputs[name]
		if node < 0 || index < 0 {
			return nil, false, fmt.Errorf("a call refers to %s[%d][%d], which cannot exist", name, node, index)
		}
		if node >= len(calls) {
			return nil, false, nil
		}
		if index < 0 || index >= len(calls[node]) {
			return nil, false, fmt.Errorf("a call refers to output %d of layer %q, which has %d", index, name, len(calls[node]))
		}
		return calls[node][index], true, nil
	}
	for len(pending) > 0 {
		var next []call
		for _, c := range pending {
			r := &raws[c.layer]
			var node struct {
				Args []json.RawMessage `json:"args"`
			}
			if err := json.Unmarshal(c.args, &node); err != nil || len(node.Args) == 0 {
				return nil, fmt.Errorf("layer %q has a call in an unsupported format (Keras 2 files are not supported; re-save the model with Keras 3)", r.Name)
			}
			var argList []json.RawMessage
			if json.Unmarshal(node.Args[0], &argList) != nil {
				argList = []json.RawMessage{node.Args[0]}
			}
			var inputs []*Node
			ready := true
			for _, a := range argList {
				n, ok, err := resolve(a)
				if err != nil {
					return nil, fmt.Errorf("layer %q: %v", r.Name, err)
				}
				ready = ready && ok
				inputs = append(inputs, n)
			}
			if !ready {
				next = append(next, c)
				continue
			}
			outs := CallMulti(layers[r.Name], inputs...)
			if err := outs[0].app.err; err != nil {
				return nil, err
			}
			outputs[r.Name] = append(outputs[r.Name], outs)
		}
		if len(next) == len(pending) {
			return nil, fmt.Errorf("the layers' calls refer to each other in a cycle or to calls that do not exist (first: layer %q)", raws[next[0].layer].Name)
		}
		pending = next
	}
	nodesOf := func(key string) (Nodes, error) {
		refs, err := layerRefs(top.Config[key])
		if err != nil {
			return nil, fmt.Errorf("%s: %v", key, err)
		}
		var ns Nodes
		for _, ref := range refs {
			name, _ := ref[0].(string)
			node, _ := ref[1].(float64)
			index, _ := ref[2].(float64)
			calls := outputs[name]
			if node < 0 || node >= float64(len(calls)) || node != math.Trunc(node) ||
				index < 0 || index >= float64(len(calls[int(node)])) || index != math.Trunc(index) {
				return nil, fmt.Errorf("%s refers to %s[%v][%v], which does not exist", key, name, node, index)
			}
			ns = append(ns, calls[int(node)][int(index)])
		}
		return ns, nil
	}
	ins, err := nodesOf("input_layers")
	if err != nil {
		return nil, err
	}
	outs, err := nodesOf("output_layers")
	if err != nil {
		return nil, err
	}
	m, err := NewModel(ins, outs)
	if err != nil {
		return nil, err
	}
	if name := top.name(); name != "" {
		m.Name = name
	}
	return m, nil
}
