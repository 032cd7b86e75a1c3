package dl

import (
	"fmt"
	"strings"
)

// layerFromConfig creates a layer from its serialized Keras form. ld builds
// the layers of a nested model; most layers need only r.
type layerFromConfig func(ld *loader, r *rawObj) (Layer, error)

// layerRegistry maps each Keras class name that dl loads to the function
// that creates the layer from its config. Each layer keeps its config code
// next to its maths: layerConfig writes it, and the function registered
// here reads it back. Adding a layer takes its own file and one line here.
var layerRegistry map[string]layerFromConfig

// The registry is filled in init: Sequential's entry loads the layers it
// holds through the registry, which a variable's initializer cannot refer
// to.
func init() {
	layerRegistry = map[string]layerFromConfig{
		"Add":                    namedLayerFromConfig[Add],
		"Average":                namedLayerFromConfig[Average],
		"AveragePooling2D":       poolFromConfig,
		"Concatenate":            concatenateFromConfig,
		"Conv1D":                 convFromConfig,
		"Conv2D":                 convFromConfig,
		"Dense":                  denseFromConfig,
		"Dropout":                dropoutFromConfig,
		"Flatten":                flattenFromConfig,
		"GRU":                    rnnFromConfig[GRU],
		"GlobalAveragePooling2D": globalAvgPoolFromConfig,
		"InputLayer":             inputLayerFromConfig,
		"LSTM":                   rnnFromConfig[LSTM],
		"MaxPooling1D":           poolFromConfig,
		"MaxPooling2D":           poolFromConfig,
		"Multiply":               namedLayerFromConfig[Multiply],
		"Sequential":             sequentialFromConfig,
		"SimpleRNN":              rnnFromConfig[SimpleRNN],
		"Subtract":               namedLayerFromConfig[Subtract],
	}
}

// supportedLayers lists the Keras classes dl can load, sorted, for
// messages.
func supportedLayers() string {
	return strings.Join(sortedKeys(layerRegistry), ", ")
}

// layer creates a layer from its serialized form (a nested Sequential
// model is built).
func (ld *loader) layer(r *rawObj) (Layer, error) {
	fromConfig, ok := layerRegistry[r.ClassName]
	if !ok {
		return nil, fmt.Errorf("layer %q has the Keras class %s, which dl does not support yet (supported: %s)",
			r.name(), r.ClassName, supportedLayers())
	}
	return fromConfig(ld, r)
}

// namedLayerFromConfig creates a layer whose only setting is its name, such
// as Add.
func namedLayerFromConfig[T any, P interface {
	*T
	layer
}](_ *loader, r *rawObj) (Layer, error) {
	l := P(new(T))
	*l.nameField() = r.name()
	return l, nil
}
