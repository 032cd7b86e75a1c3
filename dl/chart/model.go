package chart

import "github.com/dlgo/dlgo/dl"

// Model is what this package uses of a model: *dl.Model and
// *dl.Sequential both satisfy it.
type Model interface {
	Predict(x dl.Inputs, opts dl.PredictOptions) (*dl.Tensor, error)
	GetWeights() []*dl.Tensor
	Layers() []dl.Layer
}

var (
	_ Model = (*dl.Model)(nil)
	_ Model = (*dl.Sequential)(nil)
)

// modelName returns the model's name, or "" for a model type it does not
// know.
func modelName(m Model) string {
	switch m := m.(type) {
	case *dl.Model:
		return m.Name
	case *dl.Sequential:
		return m.Name
	}
	return ""
}

// isNil reports whether m is nil or a nil pointer of a known model type.
func isNil(m Model) bool {
	switch m := m.(type) {
	case nil:
		return true
	case *dl.Model:
		return m == nil
	case *dl.Sequential:
		return m == nil
	}
	return false
}
