//go:build linux

package dl

import (
	"bytes"
	"strings"
	"testing"
)

// TestConvHostileConfigs loads .keras files whose config.json was edited
// to declare impossible or enormous convolution and pooling layers: each
// is refused with an error that names the problem, before anything of the
// declared size is allocated, and never with a panic.
func TestConvHostileConfigs(t *testing.T) {
	cnnFile := func(t *testing.T, oneD bool) (config, weights []byte) {
		if oneD {
			return smallModelFile(t, []int{8, 1}, &Conv1D{Filters: 2, KernelSize: Size{3}}, &MaxPooling1D{}, &Flatten{}, &Dense{Units: 1})
		}
		return smallModelFile(t, []int{8, 8, 1}, &Conv2D{Filters: 2, KernelSize: Size{3}}, &MaxPooling2D{},
			&GlobalAveragePooling2D{}, &Dense{Units: 1})
	}
	for _, c := range []struct {
		name, old, new string
		want           string
		oneD           bool
	}{
		{"filters", `"filters":2,"kernel_size":[3,3]`, `"filters":1073741824,"kernel_size":[3,3]`, "model.weights.h5 holds only", false},
		{"kernel", `"kernel_size":[3,3]`, `"kernel_size":[65536,65536]`, "model.weights.h5 holds only", false},
		{"kernel overflow", `"kernel_size":[3,3]`, `"kernel_size":[4611686018427387904,4611686018427387904]`, "model.weights.h5 holds only", false},
		{"kernel zero", `"kernel_size":[3,3]`, `"kernel_size":[0,3]`, "received KernelSize=[0 3]", false},
		{"kernel text", `"kernel_size":[3,3]`, `"kernel_size":"big"`, `config key "kernel_size": expected an int or a list of ints`, false},
		{"kernel three", `"kernel_size":[3,3]`, `"kernel_size":[3,3,3]`, "received KernelSize=[3 3 3]", false},
		{"strides", `"strides":[1,1]`, `"strides":[-1,1]`, "received Strides=[-1 1]", false},
		{"dilation", `"dilation_rate":[1,1]`, `"dilation_rate":[2,2]`, "dilation_rate [2 2], which dl does not support", false},
		{"groups", `"groups":1`, `"groups":2`, "groups=2, which dl does not support", false},
		{"padding", `"padding":"valid","data_format":"channels_last","dilation_rate":[1,1]`,
			`"padding":"full","data_format":"channels_last","dilation_rate":[1,1]`, `received Padding="full"`, false},
		{"channels first", `"data_format":"channels_last","dilation_rate":[1,1]`,
			`"data_format":"channels_first","dilation_rate":[1,1]`, `dl supports only DataFormat "channels_last"`, false},
		{"pool size", `"pool_size":[2,2]`, `"pool_size":[9223372036854775807,2]`, "does not fit", false},
		{"huge input", `"batch_shape":[null,8,8,1]`, `"batch_shape":[null,1000000,1000000,1]`, "which is too large", false},
		{"1D kernel", `"kernel_size":[3]`, `"kernel_size":[3,3]`, "received KernelSize=[3 3]", true},
		{"1D kernel int", `"kernel_size":[3]`, `"kernel_size":1099511627776`, "model.weights.h5 holds only", true},
		{"1D causal pooling", `"pool_size":[2],"padding":"valid"`, `"pool_size":[2],"padding":"causal"`, `received Padding="causal"`, true},
		{"1D huge input", `"batch_shape":[null,8,1]`, `"batch_shape":[null,4294967296,1]`, "which is too large", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			config, weights := cnnFile(t, c.oneD)
			if !bytes.Contains(config, []byte(c.old)) {
				t.Fatalf("config.json has no %s:\n%s", c.old, config)
			}
			config = bytes.Replace(config, []byte(c.old), []byte(c.new), 1)
			path := writeRawZip(t, t.TempDir(), "m.keras", storedMember("config.json", config), storedMember("model.weights.h5", weights))
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("LoadModel panicked: %v", r)
					}
				}()
				_, err = LoadModel(path)
			}()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("LoadModel: %v\nwant an error containing %q", err, c.want)
			}
		})
	}
}
