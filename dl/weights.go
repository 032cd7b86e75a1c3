package dl

import (
	"errors"
	"fmt"
	"os"
	"strconv"

	"github.com/dlgo/dlgo/internal/h5"
)

// Keras's weights file (model.weights.h5, or a standalone .weights.h5) is a
// tree: "vars" for the model itself, "layers/<key>/vars" with datasets "0",
// "1", ... for each layer's weights (recurrent layers keep theirs under
// "layers/<key>/cell/vars"), and "optimizer/vars" for the optimizer's
// iteration count, learning rate and slots. Layer keys come from the class
// name, numbered by position (dense, dense_1, ...), not from layer names.

// layerKeys returns the Keras group key of each layer: the snake_case class
// name, with _1, _2, ... for later layers of the same class.
func layerKeys(layers []layer) []string {
	seen := map[string]int{}
	keys := make([]string, len(layers))
	for i, l := range layers {
		k := toSnakeCase(l.className())
		if n := seen[k]; n > 0 {
			keys[i] = k + "_" + strconv.Itoa(n)
		} else {
			keys[i] = k
		}
		seen[k]++
	}
	return keys
}

// cellName returns the name of the cell that holds a recurrent layer's
// weights ("lstm_cell"), or "" for other layers.
func cellName(l layer) string {
	switch l.className() {
	case "SimpleRNN", "LSTM", "GRU":
		return toSnakeCase(l.className()) + "_cell"
	}
	return ""
}

// encodeLayers writes the weights of layers under g ("layers/<key>/...").
func encodeLayers(g *h5.Group, layers []layer) {
	for i, key := range layerKeys(layers) {
		l := layers[i]
		lg := g.RequireGroup("layers/" + key)
		vars := lg.RequireGroup("vars")
		vars.SetAttr("name", layerName(l))
		if inner, ok := l.(*Model); ok {
			encodeLayers(lg, inner.layers)
			continue
		}
		if cell := cellName(l); cell != "" {
			vars = lg.RequireGroup("cell/vars")
			vars.SetAttr("name", cell)
		}
		for j, p := range l.base().params {
			vars.AddDataset(strconv.Itoa(j), p.h5Type(), append([]int(nil), p.shape...), p.float64Data())
		}
	}
}

// encodeWeights returns the model's weights file.
func (m *Model) encodeWeights() ([]byte, error) {
	root := &h5.Group{}
	root.RequireGroup("vars").SetAttr("name", m.Name)
	encodeLayers(root, m.layers)
	if c := m.compiled; c != nil {
		vars := root.RequireGroup("optimizer/vars")
		vars.SetAttr("name", toSnakeCase(c.optimizer.Name()))
		st := c.optimizer.state()
		vars.AddDataset("0", h5.Int64, nil, []float64{float64(st.iterations)})
		vars.AddDataset("1", h5.Float64, nil, []float64{c.optimizer.CurrentLearningRate()})
		if st.built {
			for _, ref := range c.optimizer.layout().kerasOrder(len(m.params)) {
				shape := append([]int(nil), m.params[ref.param].shape...)
				vars.AddDataset(strconv.Itoa(len(vars.Datasets)), m.params[ref.param].h5Type(), shape, st.slot(ref.param, ref.slot))
			}
			for _, v := range st.scalars {
				vars.AddDataset(strconv.Itoa(len(vars.Datasets)), h5.Float64, nil, []float64{v})
			}
		}
	}
	return h5.Encode(root)
}

// assignment is one weight to set from the file, checked before any is set.
type assignment struct {
	dst   *param
	src   []float64
	dtype h5.DType // how the file stores it
}

// decodeLayers matches the file's layer groups under g to layers and
// appends the copies to make.
func decodeLayers(g *h5.Group, prefix string, layers []layer, out []assignment) ([]assignment, error) {
	for i, key := range layerKeys(layers) {
		l := layers[i]
		path := "layers/" + key
		if inner, ok := l.(*Model); ok {
			lg, found := g.Group(path)
			if !found {
				return nil, fmt.Errorf("the file has no weights for the nested model %q (no group %s%s)", layerName(l), prefix, path)
			}
			var err error
			if out, err = decodeLayers(lg, prefix+path+"/", inner.layers, out); err != nil {
				return nil, err
			}
			continue
		}
		if cellName(l) != "" {
			path += "/cell"
		}
		params := l.base().params
		vars, found := g.Group(path + "/vars")
		n := 0
		if found {
			n = len(vars.Datasets)
		}
		if n != len(params) {
			return nil, fmt.Errorf("layer %q (%s) expects %d weight arrays, but the file has %d under %s%s/vars; "+
				"the file was saved from a model with different layers", layerName(l), l.className(), len(params), n, prefix, path)
		}
		for j, p := range params {
			ds, ok := vars.Dataset(strconv.Itoa(j))
			if !ok {
				return nil, fmt.Errorf("layer %q (%s): the file has no dataset %s%s/vars/%d", layerName(l), l.className(), prefix, path, j)
			}
			if !equalShape(ds.Shape, p.shape) || len(ds.Data) != p.size() {
				return nil, fmt.Errorf("layer %q (%s): weight %d (%s) has shape %s in the model but %s in the file",
					layerName(l), l.className(), j, p.name, ShapeString(p.shape), ShapeString(ds.Shape))
			}
			out = append(out, assignment{dst: p, src: ds.Data, dtype: ds.DType})
		}
	}
	return out, nil
}

// decodeWeights loads a weights file into the built model, checking
// everything before changing anything. The optimizer's state is restored
// when the file has it in the layout this model's optimizer uses. With
// adopt, the model is new (LoadModel) and takes the decoded arrays as its
// weights instead of copies, which saves the memory and time of a copy.
func (m *Model) decodeWeights(b []byte, path string, adopt bool) error {
	root, err := h5.DecodeLimited(b, weightsFileValues(m.numParams()))
	if errors.Is(err, h5.ErrTooManyValues) {
		return fmt.Errorf("%s holds more numbers than the %d weights of the model %q and its optimizer's state (%v): "+
			"it holds the weights of another model, or is damaged", path, m.numParams(), m.Name, err)
	}
	if err != nil {
		return fmt.Errorf("%s: the weights are not a readable HDF5 file: %v", path, err)
	}
	as, err := decodeLayers(root, "", m.layers, nil)
	if err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	if adopt && len(as) > 0 {
		// A loaded model computes in the dtype its weights were saved in.
		m.Dtype = float64Type.String()
		if as[0].dtype == h5.Float32 {
			m.Dtype = float32Type.String()
		}
		m.settleDtype()
	}
	for _, a := range as {
		a.dst.load(a.src, adopt)
	}
	if c := m.compiled; c != nil {
		if vars, ok := root.Group("optimizer/vars"); ok {
			m.restoreOptimizer(vars, adopt)
		}
	}
	m.weightsChanged()
	return nil
}

// weightsFileValues is the largest number of values that a weights file
// of a model of params weights holds: the weights, up to three optimizer
// slots per weight (Adam with amsgrad), and room for the iteration count,
// the learning rate and small variables of Keras's own. A file that
// declares more is not this model's, and decoding stops before it decodes
// the excess (each value takes 8 bytes once decoded, whatever its type in
// the file).
func weightsFileValues(params int) int { return 4*params + 1<<16 }

// restoreOptimizer loads the iteration count and slots, if the file's
// optimizer has the same variables as the model's; otherwise it says that
// it skips them, as Keras does. With adopt, the slots are the decoded
// arrays themselves (see decodeWeights).
func (m *Model) restoreOptimizer(vars *h5.Group, adopt bool) {
	o := m.compiled.optimizer
	layout := o.layout()
	order := layout.kerasOrder(len(m.params))
	want := 2 + len(order) + len(layout.scalars)
	skip := func(why string) {
		// a warning, as Keras's (warnings.warn), on stderr
		fmt.Fprintf(os.Stderr, "Skipping variable loading for optimizer %q: %s. The model loads without its optimizer's state and training starts it afresh.\n",
			toSnakeCase(o.Name()), why)
	}
	if len(vars.Datasets) != want {
		if len(vars.Datasets) > 2 {
			skip(fmt.Sprintf("it has %d variables whereas the saved optimizer has %d", want, len(vars.Datasets)))
		}
		return
	}
	get := func(i int) *h5.Dataset { d, _ := vars.Dataset(strconv.Itoa(i)); return d }
	for i, ref := range order {
		d := get(i + 2)
		p := m.params[ref.param]
		if d == nil || !equalShape(d.Shape, p.shape) || len(d.Data) != p.size() {
			skip(fmt.Sprintf("its variable %d does not fit the weight %q", i+2, p.name))
			return
		}
	}
	for i, name := range layout.scalars {
		if d := get(2 + len(order) + i); d == nil || len(d.Shape) != 0 || len(d.Data) != 1 {
			skip(fmt.Sprintf("its variable %d is not the scalar %s", 2+len(order)+i, name))
			return
		}
	}
	it := get(0)
	if it == nil || len(it.Data) != 1 || it.Data[0] < 0 || it.Data[0] > 1<<53 {
		skip("its iteration count is unreadable")
		return
	}
	st := o.state()
	st.ensureSlotsFor(m.params, o)
	st.iterations = int(it.Data[0])
	for i, ref := range order {
		st.setSlot(ref.param, ref.slot, get(i+2).Data, adopt)
	}
	for i := range st.scalars {
		st.scalars[i] = get(2 + len(order) + i).Data[0]
	}
}
