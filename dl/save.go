package dl

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
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
	if top.ClassName != "Sequential" {
		return nil, fmt.Errorf("the model class is %q; dl loads Sequential models", top.ClassName)
	}
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
		if err := top.field("build_input_shape", &shape); err != nil || len(shape) < 2 {
			return nil, fmt.Errorf("the Sequential model has no input shape (no InputLayer and no build_input_shape)")
		}
		dims := []int{}
		for _, d := range shape[1:] {
			if d == nil || *d <= 0 {
				return nil, fmt.Errorf("the model's input shape has an unknown dimension; dl needs fixed sample shapes")
			}
			dims = append(dims, *d)
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
	if len(top.CompileConfig) > 0 {
		opts, err := compileFromConfig(top.CompileConfig)
		if err != nil {
			return nil, fmt.Errorf("compile_config: %v", err)
		}
		if opts.Loss != "" {
			if err := s.Compile(opts); err != nil {
				return nil, fmt.Errorf("compile_config: %v", err)
			}
		}
	}
	return &s.Model, nil
}
