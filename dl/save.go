package dl

import (
	"archive/zip"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/dlgo/dlgo/internal/filekind"
)

// Save writes the model to a Keras 3 ".keras" file (Keras: model.save): a
// zip archive with metadata.json, config.json (the architecture and the
// compile settings) and model.weights.h5 (the weights and the optimizer's
// state), which Keras 3.4 and later open with keras.models.load_model.
//
// The write is atomic: if it fails, or the program is killed while it
// writes, a file already at path is unchanged. A program killed during the
// write leaves a hidden temporary file (".<name>.tmp-<digits>") behind,
// which the next Save, LoadModel or LoadWeights of the same path removes
// (on systems without flock, such as Windows, once it is an hour old).
// The new file keeps the permissions of the file it replaces, and a file
// that did not exist gets 0666 less the umask, as os.Create gives; when
// path is a symbolic link, the file it points to is replaced.
func (m *Model) Save(path string) error {
	const op = "Save"
	if !strings.HasSuffix(path, ".keras") {
		return errorf(op, "the file name must end in .keras (the Keras 3 format), received %q; use SaveWeights for .weights.h5", path)
	}
	if m == nil {
		return nilModelError(op)
	}
	m.rlock()
	defer m.mu.RUnlock()
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
		return errorf(op, "writing %s: %w", path, err)
	}
	return nil
}

// SaveWeights writes the model's weights (and the optimizer's state) to a
// Keras ".weights.h5" file (Keras: model.save_weights). The write is atomic
// and keeps permissions, as Save's.
func (m *Model) SaveWeights(path string) error {
	const op = "SaveWeights"
	if !strings.HasSuffix(path, ".weights.h5") {
		return errorf(op, "the file name must end in .weights.h5, received %q; use Save for a whole .keras model", path)
	}
	if m == nil {
		return nilModelError(op)
	}
	m.rlock()
	defer m.mu.RUnlock()
	if !m.built {
		return errorf(op, "the model %q is not built yet, so it has no weights to save", m.Name)
	}
	b, err := m.encodeWeights()
	if err != nil {
		return errorf(op, "%v", err)
	}
	if err := writeFileAtomic(path, func(f *os.File) error { _, err := f.Write(b); return err }); err != nil {
		return errorf(op, "writing %s: %w", path, err)
	}
	return nil
}

// LoadWeights reads weights written by SaveWeights or by Keras's
// model.save_weights into a model of the same architecture (Keras:
// model.load_weights).
//
// It reads only regular files, and at most what the model's weights and
// its optimizer's state can take (see weightsFileLimit): a larger file is
// not this model's and is refused before it is read.
func (m *Model) LoadWeights(path string) error {
	const op = "LoadWeights"
	if m == nil {
		return nilModelError(op)
	}
	if !m.built {
		return errorf(op, "the model %q is not built yet; start it with dl.Input(...) so that its weights exist", m.Name)
	}
	f, size, err := openRegular(path)
	if err != nil {
		return errorf(op, "%w", err)
	}
	defer f.Close()
	removeStaleTemps(path)
	if limit := weightsFileLimit(m.CountParams(), len(m.params)); size > limit {
		return errorf(op, "%s holds %d bytes, more than the %d that the %d weights of the model %q (and its optimizer's state) can take: "+
			"it holds the weights of another model, or is damaged", path, size, limit, m.CountParams(), m.Name)
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(f, b); err != nil {
		return errorf(op, "reading %s: %w", path, err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.settle()
	if err := m.decodeWeights(b, path, false); err != nil {
		return errorf(op, "%v", err)
	}
	return nil
}

// LoadOptions bounds what LoadModelWith reads and builds, for the rare
// model larger than LoadModel accepts. Every field's zero value is the
// default that LoadModel uses. The bounds keep a damaged or hostile file
// (students swap .keras files) from exhausting memory or time: LoadModel
// refuses such a file with an error before it allocates what the file
// declares.
type LoadOptions struct {
	// MaxParams is the largest number of weights (scalars, as CountParams
	// counts them) the loaded model may have; 0 means DefaultMaxParams.
	// It also bounds the weights file, which a model of n weights reads
	// only up to what n weights and their optimizer's state can take.
	// Loading a model of n weights takes about 16·n bytes of memory at its
	// peak (the file's bytes and the decoded values), up to 64·n when the
	// file holds an optimizer's state too.
	MaxParams int
	// MaxConfigBytes is the largest config.json (the architecture, as JSON)
	// that is read; 0 means DefaultMaxConfigBytes.
	MaxConfigBytes int64
}

// The defaults of LoadOptions.
const (
	// DefaultMaxParams is 2²⁵ weights (256 MiB of float64): a Dense layer
	// of 4096×4096 holds 2²⁴, an LSTM(1024) on one feature about 2²².
	DefaultMaxParams = 1 << 25
	// DefaultMaxConfigBytes is 16 MiB; the config.json of a lecture model
	// is a few kilobytes, a thousand layers take about 2 MB.
	DefaultMaxConfigBytes = 16 << 20
)

// LoadModel reads a model saved by Save or by Keras 3.4 or later
// (Keras: keras.models.load_model). The model comes back compiled if it was
// saved compiled, with its optimizer's state, so it predicts identically
// and can continue training.
//
// A file that is not a Keras archive, is damaged, or holds a layer dl does
// not support is an error that says which. LoadModel reads only regular
// files and checks what the file declares before it allocates anything:
// the model may have at most DefaultMaxParams weights, config.json may
// take at most DefaultMaxConfigBytes, and model.weights.h5 at most what
// the model's weights and its optimizer's state take. The weights are
// not initialized, since the file's replace them. LoadModelWith raises the
// limits.
func LoadModel(path string) (*Model, error) {
	return loadModel("LoadModel", path, LoadOptions{})
}

// LoadModelWith is LoadModel with other limits on what it reads, for a
// model larger than LoadModel accepts:
//
//	m, err := dl.LoadModelWith("big.keras", dl.LoadOptions{MaxParams: 1 << 28})
func LoadModelWith(path string, opts LoadOptions) (*Model, error) {
	return loadModel("LoadModelWith", path, opts)
}

// loadModel implements LoadModel and LoadModelWith.
func loadModel(op, path string, opts LoadOptions) (m *Model, err error) {
	defer catch(&err)
	maxParams, maxConfig := opts.MaxParams, opts.MaxConfigBytes
	switch {
	case maxParams < 0:
		return nil, errorf(op, "LoadOptions.MaxParams must be positive, or 0 for the default %d; received %d", DefaultMaxParams, maxParams)
	case maxConfig < 0:
		return nil, errorf(op, "LoadOptions.MaxConfigBytes must be positive, or 0 for the default %d; received %d", DefaultMaxConfigBytes, maxConfig)
	}
	maxParams, maxConfig = cmp.Or(maxParams, DefaultMaxParams), cmp.Or(maxConfig, DefaultMaxConfigBytes)

	f, size, err := openRegular(path)
	if err != nil {
		return nil, errorf(op, "%w", err)
	}
	defer f.Close()
	removeStaleTemps(path)
	var head [8]byte
	if n, _ := f.ReadAt(head[:], 0); n == len(head) && string(head[:]) == "\x89HDF\r\n\x1a\n" {
		return nil, errorf(op, "%s is an HDF5 file, not a .keras archive: a legacy Keras .h5 model or a .weights.h5 file. "+
			"Re-save a legacy model in Keras with model.save(\"name.keras\"), or load weights with model.LoadWeights", path)
	}
	z, err := zip.NewReader(f, size)
	if err != nil {
		return nil, errorf(op, "%s is not a .keras archive (a zip file): %v", path, err)
	}
	members := map[string]*zip.File{}
	for _, zf := range z.File {
		if members[zf.Name] != nil {
			return nil, errorf(op, "%s holds two members named %q; a .keras archive holds one of each, and which one Keras would read "+
				"is unclear: the file is damaged or was made by hand", path, zf.Name)
		}
		members[zf.Name] = zf
	}
	cf, wf := members["config.json"], members["model.weights.h5"]
	for _, need := range []struct {
		name string
		f    *zip.File
	}{{"config.json", cf}, {"model.weights.h5", wf}} {
		if need.f == nil {
			return nil, errorf(op, "%s is not a Keras model archive: it has no %s", path, need.name)
		}
	}
	if cf.UncompressedSize64 > uint64(maxConfig) {
		return nil, errorf(op, "%s: config.json takes %d bytes, more than the %d that %s reads (LoadOptions.MaxConfigBytes); "+
			"the file is damaged or hostile, or, for a model this large, use dl.LoadModelWith", path, cf.UncompressedSize64, maxConfig, op)
	}
	config, err := readMember(cf)
	if err != nil {
		return nil, errorf(op, "%s is damaged: config.json: %v", path, err)
	}
	// Every weight takes at least a byte of model.weights.h5, so the file's
	// size bounds what the config may declare, as MaxParams does.
	ld := &loader{budget: min(float64(maxParams), float64(wf.UncompressedSize64)), maxParams: maxParams, weightsBytes: wf.UncompressedSize64, op: op}
	m, err = ld.model(config)
	if err != nil {
		return nil, errorf(op, "%s: %v", path, err)
	}
	if limit := weightsFileLimit(m.CountParams(), len(m.params)); wf.UncompressedSize64 > uint64(limit) {
		return nil, errorf(op, "%s: model.weights.h5 takes %d bytes, more than the %d that the model's %d weights (and its optimizer's state) "+
			"can take: the file is damaged or was made by hand", path, wf.UncompressedSize64, limit, m.CountParams())
	}
	weights, err := readMember(wf)
	if err != nil {
		return nil, errorf(op, "%s is damaged: model.weights.h5: %v", path, err)
	}
	if err := m.decodeWeights(weights, path, true); err != nil {
		return nil, errorf(op, "%v", err)
	}
	return m, nil
}

// weightsFileLimit is the largest weights file (model.weights.h5, or a
// .weights.h5) that a model of params weights in arrays arrays can have:
// each weight with up to three optimizer slots (Adam with amsgrad), in
// float64, plus the iteration count and learning rate, and generous room
// for HDF5's object headers and the group tree.
func weightsFileLimit(params, arrays int) int64 {
	return 8*(4*int64(params)+2) + 1<<20 + 64<<10*int64(4*arrays+4)
}

// openRegular opens path for reading if it is a regular file (not a
// directory, a device such as /dev/zero, a named pipe or a socket, which
// could be read forever or block), and returns its size.
func openRegular(path string) (*os.File, int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, 0, err
	}
	if err := checkRegular(path, fi); err != nil {
		return nil, 0, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	// The file may have been replaced between Stat and Open.
	if fi, err = f.Stat(); err == nil {
		err = checkRegular(path, fi)
	}
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, fi.Size(), nil
}

// checkRegular says what path is if it is not a regular file.
func checkRegular(path string, fi fs.FileInfo) error {
	what := filekind.Of(fi.Mode())
	if what == "" {
		return nil
	}
	return fmt.Errorf("%s is %s, not a file that can be loaded; give the path of a saved file", path, what)
}

// readMember reads a zip member whose declared size has been checked. The
// zip reader stops at the declared size and checks the checksum at the
// end, so a member cannot inflate beyond what it declares.
func readMember(zf *zip.File) ([]byte, error) {
	r, err := zf.Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b := make([]byte, zf.UncompressedSize64)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, err
	}
	// Read to the end, where the checksum is checked.
	var one [1]byte
	for {
		n, err := r.Read(one[:])
		if n > 0 {
			return nil, zip.ErrFormat
		}
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// loader builds a model from config.json for LoadModel. It creates the
// layers' weights without initializing them, since the weights file
// replaces them, and checks each weight against a budget before it creates
// it, so that a config that declares more weights than the limit, or than
// the weights file can hold, is refused before anything is allocated.
type loader struct {
	budget       float64 // weights that may still be created
	used         float64 // weights created so far
	maxParams    int     // the limit (LoadOptions.MaxParams), for messages
	weightsBytes uint64  // the size of model.weights.h5, for messages
	op           string  // the verb, for messages
}

// modelFromConfig builds (and compiles) a model from config.json, without
// limits and without initializing its weights.
func modelFromConfig(b []byte) (*Model, error) {
	return (&loader{budget: math.Inf(1)}).model(b)
}

// model builds (and compiles) a model from config.json.
func (ld *loader) model(b []byte) (*Model, error) {
	var top rawObj
	if err := json.Unmarshal(b, &top); err != nil {
		return nil, fmt.Errorf("config.json is not valid JSON: %v", err)
	}
	var m *Model
	switch top.ClassName {
	case "Sequential":
		s, err := ld.sequential(&top)
		if err != nil {
			return nil, err
		}
		m = &s.Model
	case "Functional", "Model":
		var err error
		if m, err = ld.functional(&top); err != nil {
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

// plannedWeight is a weight that building a layer will create.
type plannedWeight struct {
	name string
	dims []float64 // the shape, in float64 so that no product overflows
}

// size returns the number of values of the weight.
func (w plannedWeight) size() float64 {
	n := 1.0
	for _, d := range w.dims {
		n *= d
	}
	return n
}

// shape formats the weight's shape as ShapeString does.
func (w plannedWeight) shape() string {
	parts := make([]string, len(w.dims))
	for i, d := range w.dims {
		parts[i] = strconv.FormatFloat(d, 'f', -1, 64)
	}
	if len(parts) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// weightPlanner is a layer that can list the weights that building it
// creates, without building it, so that a loader can refuse a file that
// declares more weights than it accepts before allocating them.
type weightPlanner interface {
	layer
	// plannedWeights lists the weights that building the layer for inputs
	// of shape in (without the batch axis) creates. It lists none when the
	// configuration or the shape is invalid: building then says why.
	plannedWeights(in []int) []plannedWeight
}

// plannedWeights lists the weights that building l for inputs of shape in
// (without the batch axis) creates, without building it. It lists none for
// a layer that is built already or has no weights.
func plannedWeights(l layer, in []int) []plannedWeight {
	if p, ok := l.(weightPlanner); ok && !l.base().built {
		return p.plannedWeights(in)
	}
	return nil
}

// reserve charges the weights that building l for inputs of shape in
// creates against the budget, or says which weight goes beyond it.
func (ld *loader) reserve(l layer, in []int) error {
	for _, w := range plannedWeights(l, in) {
		n := w.size()
		if n <= ld.budget {
			ld.budget -= n
			ld.used += n
			continue
		}
		what := fmt.Sprintf("layer %q (%s): its %s would have shape %s, %.0f weight", layerName(l), l.className(), w.name, w.shape(), n)
		if n != 1 {
			what += "s"
		}
		if ld.used > 0 {
			what += fmt.Sprintf(" (%.0f with the weights before it)", ld.used+n)
		}
		if ld.used+n > float64(ld.weightsBytes) {
			return fmt.Errorf("%s, but model.weights.h5 holds only %d bytes, less than a byte per weight: "+
				"config.json declares a larger model than the file holds (a damaged or hand-made file)", what, ld.weightsBytes)
		}
		return fmt.Errorf("%s, which takes the model beyond the %d weights that %s accepts (LoadOptions.MaxParams); the file is damaged "+
			"or hostile, or, for a model this large, load it with dl.LoadModelWith(path, dl.LoadOptions{MaxParams: ...})", what, ld.maxParams, ld.op)
	}
	return nil
}

// prebuild builds l, which a model applies to inputs of shape in, without
// initializing its weights, once the budget allows them. A layer that
// cannot be built is left unbuilt, for the model's own build to report the
// mistake as it does for any model.
func (ld *loader) prebuild(l layer, in []int) error {
	if l.base().built {
		return nil
	}
	switch l.(type) {
	case *InputLayer, mergeLayer:
		return nil
	}
	if err := ld.reserve(l, in); err != nil {
		return err
	}
	_ = buildLayer(l, in, nil)
	return nil
}

// sequential builds a Sequential model from its config.
func (ld *loader) sequential(top *rawObj) (*Sequential, error) {
	var raws []rawObj
	if err := top.field("layers", &raws); err != nil {
		return nil, err
	}
	var layers []Layer
	for i := range raws {
		l, err := ld.layer(&raws[i])
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
	in := layers[0].(*InputLayer)
	if in.checkShape() == nil {
		shape := in.Shape
		for _, l := range layers[1:] {
			ll := asLayer(l)
			if err := ld.prebuild(ll, shape); err != nil {
				return nil, err
			}
			if !ll.base().built {
				break
			}
			shape = ll.base().outShape
		}
	}
	if err := s.buildSeq(in.Shape); err != nil {
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

// tensorRef is a call argument: output index of the node-th call of the
// layer called name.
type tensorRef struct {
	name        string
	node, index int
}

// callRefs reads the arguments of one serialized call of the layer
// called name.
func callRefs(name string, raw json.RawMessage) ([]tensorRef, error) {
	var node struct {
		Args []json.RawMessage `json:"args"`
	}
	if err := json.Unmarshal(raw, &node); err != nil || len(node.Args) == 0 {
		return nil, fmt.Errorf("layer %q has a call in an unsupported format (Keras 2 files are not supported; re-save the model with Keras 3)", name)
	}
	var argList []json.RawMessage
	if json.Unmarshal(node.Args[0], &argList) != nil {
		argList = []json.RawMessage{node.Args[0]}
	}
	refs := make([]tensorRef, 0, len(argList))
	for _, a := range argList {
		var t rawTensor
		if err := json.Unmarshal(a, &t); err != nil {
			return nil, fmt.Errorf("layer %q: unreadable call argument", name)
		}
		src, node, index, err := t.history()
		if err != nil {
			return nil, fmt.Errorf("layer %q: %v", name, err)
		}
		refs = append(refs, tensorRef{src, node, index})
	}
	return refs, nil
}

// functional rebuilds a functional model by replaying its layer calls in
// an order where every call's inputs exist: each layer's calls in order,
// as Keras does, a call waiting for the call of another layer that
// produces its input. The work is linear in the number of calls, whatever
// their order in the file.
func (ld *loader) functional(top *rawObj) (*Model, error) {
	var raws []rawLayer
	if err := top.field("layers", &raws); err != nil {
		return nil, err
	}
	layers := map[string]Layer{}
	outputs := map[string][][]*Node{} // layer name → its calls → their outputs
	queues := make([][][]tensorRef, len(raws))
	for i := range raws {
		r := &raws[i]
		l, err := ld.layer(&r.rawObj)
		if err != nil {
			return nil, err
		}
		if r.Name == "" {
			r.Name = r.name()
		}
		if _, dup := layers[r.Name]; dup {
			return nil, fmt.Errorf("two layers are named %q", r.Name)
		}
		layers[r.Name] = l
		if il, ok := l.(*InputLayer); ok {
			outputs[r.Name] = [][]*Node{{inputNode(il)}}
			continue
		}
		for _, n := range r.InboundNodes {
			refs, err := callRefs(r.Name, n)
			if err != nil {
				return nil, err
			}
			queues[i] = append(queues[i], refs)
		}
	}
	pending := 0
	for i, q := range queues {
		for _, refs := range q {
			for _, t := range refs {
				if _, ok := layers[t.name]; !ok {
					return nil, fmt.Errorf("layer %q: a call refers to the unknown layer %q", raws[i].Name, t.name)
				}
				if t.node < 0 || t.index < 0 {
					return nil, fmt.Errorf("layer %q: a call refers to %s[%d][%d], which cannot exist", raws[i].Name, t.name, t.node, t.index)
				}
			}
			pending++
		}
	}
	// waiting[name][k] lists the layers whose next call waits for the k-th
	// call of the layer called name.
	waiting := map[string]map[int][]int{}
	work := make([]int, len(raws))
	for i := range work {
		work[i] = i
	}
	for len(work) > 0 {
		i := work[0]
		work = work[1:]
		r := &raws[i]
	calls:
		for len(queues[i]) > 0 {
			refs := queues[i][0]
			inputs := make([]*Node, 0, len(refs))
			for _, t := range refs {
				calls := outputs[t.name]
				if t.node >= len(calls) {
					if waiting[t.name] == nil {
						waiting[t.name] = map[int][]int{}
					}
					waiting[t.name][t.node+1] = append(waiting[t.name][t.node+1], i)
					break calls
				}
				if t.index >= len(calls[t.node]) {
					return nil, fmt.Errorf("layer %q: a call refers to output %d of layer %q, which has %d", r.Name, t.index, t.name, len(calls[t.node]))
				}
				inputs = append(inputs, calls[t.node][t.index])
			}
			queues[i] = queues[i][1:]
			pending--
			l := layers[r.Name]
			if len(inputs) == 1 && inputs[0].app.err == nil {
				if err := ld.prebuild(asLayer(l), inputs[0].shape); err != nil {
					return nil, err
				}
			}
			outs := CallMulti(l, inputs...)
			if err := outs[0].app.err; err != nil {
				return nil, err
			}
			outputs[r.Name] = append(outputs[r.Name], outs)
			if w := waiting[r.Name]; w != nil {
				k := len(outputs[r.Name])
				work = append(work, w[k]...)
				delete(w, k)
			}
		}
	}
	if pending > 0 {
		for i, q := range queues {
			if len(q) > 0 {
				return nil, fmt.Errorf("the layers' calls refer to each other in a cycle or to calls that do not exist (first: layer %q)", raws[i].Name)
			}
		}
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
