package dl_test

import (
	"fmt"

	"github.com/dlgo/dlgo/dl"
)

// A small CNN for 8×8 grey images, as in Keras:
//
//	model = keras.Sequential([
//	    keras.Input(shape=(8, 8, 1)),
//	    layers.Conv2D(16, 3, activation="relu"),
//	    layers.MaxPooling2D(2),
//	    layers.Conv2D(32, 3, activation="relu"),
//	    layers.Flatten(),
//	    layers.Dense(10, activation="softmax"),
//	])
//
// Each convolution has kernel height × width × input channels × filters
// weights plus a bias per filter: 3·3·1·16 + 16 = 160 and 3·3·16·32 + 32 =
// 4,640. The convolutions and the pooling shrink the 8×8 image to 1×1×32,
// so the Dense layer needs only 32·10 + 10 = 330.
func ExampleConv2D() {
	dl.ClearSession()
	dl.SetRandomSeed(1)
	model := dl.NewSequential(
		dl.Input(8, 8, 1),
		&dl.Conv2D{Filters: 16, KernelSize: dl.Size{3}, Activation: "relu"},
		&dl.MaxPooling2D{PoolSize: dl.Size{2}},
		&dl.Conv2D{Filters: 32, KernelSize: dl.Size{3}, Activation: "relu"},
		&dl.Flatten{},
		&dl.Dense{Units: 10, Activation: "softmax"},
	)
	model.Summary()

	// Images are (samples, height, width, channels); labels are classes.
	x, y := dl.Zeros(100, 8, 8, 1), dl.Zeros(100)
	for i := 0; i < 100; i++ {
		y.Set(float64(i%10), i)
		for p := 0; p < 8; p++ {
			x.Set(1, i, p, i%8, 0) // a vertical bar in column i%8
		}
	}
	dl.Check(model.Compile(dl.CompileOptions{Optimizer: "adam", Loss: "sparse_categorical_crossentropy", Metrics: []string{"accuracy"}}))
	history := dl.Must(model.Fit(x, y, dl.FitOptions{Epochs: 3, BatchSize: 20, Verbose: dl.Silent}))
	fmt.Println(len(history.History["loss"]), "epochs")
	p := dl.Must(model.Predict(x.Slice(0, 2), dl.PredictOptions{Verbose: dl.Silent}))
	fmt.Println(p.Shape())
	// Output:
	// Model: "sequential"
	// ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
	// ┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
	// ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
	// │ conv2d (Conv2D)                 │ (None, 6, 6, 16)       │           160 │
	// ├─────────────────────────────────┼────────────────────────┼───────────────┤
	// │ max_pooling2d (MaxPooling2D)    │ (None, 3, 3, 16)       │             0 │
	// ├─────────────────────────────────┼────────────────────────┼───────────────┤
	// │ conv2d_1 (Conv2D)               │ (None, 1, 1, 32)       │         4,640 │
	// ├─────────────────────────────────┼────────────────────────┼───────────────┤
	// │ flatten (Flatten)               │ (None, 32)             │             0 │
	// ├─────────────────────────────────┼────────────────────────┼───────────────┤
	// │ dense (Dense)                   │ (None, 10)             │           330 │
	// └─────────────────────────────────┴────────────────────────┴───────────────┘
	//  Total params: 5,130 (40.08 KB)
	//  Trainable params: 5,130 (40.08 KB)
	//  Non-trainable params: 0 (0.00 B)
	// 3 epochs
	// [2 10]
}
