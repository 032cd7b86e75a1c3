package dl

import (
	"sort"
	"strings"
	"testing"
)

// sequentialJSON wraps one layer's serialized form in a Sequential
// config.json whose input has samples of shape (3, 2).
func sequentialJSON(layer string) []byte {
	return []byte(`{"class_name": "Sequential", "config": {"name": "s", "layers": [` +
		`{"class_name": "InputLayer", "config": {"batch_shape": [null, 3, 2], "name": "in"}}, ` + layer + `]}}`)
}

// TestLoadBadConfigSameError checks that a layer config with several bad
// keys reports the same one every time: keys are read in Keras's order, not
// in a map's random order. Fifty loads make a random order all but certain
// to show.
func TestLoadBadConfigSameError(t *testing.T) {
	for _, c := range []struct {
		name, layer, want string
	}{
		{"Dense", `{"class_name": "Dense", "config": {"name": "d", "use_bias": "yes", "activation": 3, "units": "four"}}`,
			`Dense "d": config key "units"`},
		{"SimpleRNN", `{"class_name": "SimpleRNN", "config": {"name": "r", "dropout": "x", "units": "four", "go_backwards": 1}}`,
			`SimpleRNN "r": config key "go_backwards"`},
		{"LSTM", `{"class_name": "LSTM", "config": {"name": "l", "unit_forget_bias": "no", "recurrent_activation": 1, "units": 4.5}}`,
			`LSTM "l": config key "units"`},
		{"GRU", `{"class_name": "GRU", "config": {"name": "g", "recurrent_dropout": "x", "reset_after": "no"}}`,
			`GRU "g": config key "reset_after"`},
		{"Conv1D", `{"class_name": "Conv1D", "config": {"name": "c", "strides": "x", "use_bias": 1, "padding": 3, "filters": "two"}}`,
			`Conv1D "c": config key "filters"`},
		{"MaxPooling1D", `{"class_name": "MaxPooling1D", "config": {"name": "p", "strides": "x", "pool_size": "y", "padding": 1}}`,
			`MaxPooling1D "p": config key "padding"`},
		{"regularizers", `{"class_name": "GRU", "config": {"name": "g", "units": 2, "bias_regularizer": "l3", "kernel_regularizer": "l4"}}`,
			`GRU "g": unreadable regularizer "l4"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			config := sequentialJSON(c.layer)
			var first string
			for i := range 50 {
				_, err := modelFromConfig(config)
				if err == nil {
					t.Fatal("a config with bad keys loaded")
				}
				if i == 0 {
					first = err.Error()
					if !strings.Contains(first, c.want) {
						t.Fatalf("error %q does not contain %q", first, c.want)
					}
				} else if err.Error() != first {
					t.Fatalf("load %d reported %q, the first load %q", i, err, first)
				}
			}
		})
	}
}

// TestSupportedLayersFromRegistry checks that the message for an unknown
// class lists the registered classes, sorted.
func TestSupportedLayersFromRegistry(t *testing.T) {
	_, err := modelFromConfig(sequentialJSON(`{"class_name": "BatchNormalization", "config": {"name": "c"}}`))
	if err == nil {
		t.Fatal("a BatchNormalization layer loaded")
	}
	var classes []string
	for k := range layerRegistry {
		classes = append(classes, k)
	}
	sort.Strings(classes)
	want := `layer "c" has the Keras class BatchNormalization, which dl does not support yet (supported: ` + strings.Join(classes, ", ") + ")"
	if err.Error() != want {
		t.Errorf("got  %s\nwant %s", err, want)
	}
	for _, c := range []string{"Dense", "LSTM", "Sequential", "InputLayer", "Add"} {
		if layerRegistry[c] == nil {
			t.Errorf("%s is not registered", c)
		}
	}
}
