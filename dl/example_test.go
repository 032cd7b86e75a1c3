package dl_test

import (
	"fmt"

	"github.com/dlgo/dlgo/dl"
)

// A Sequential model is a list of layers, as in Keras:
//
//	model = keras.Sequential([
//	    keras.Input(shape=(30,)),
//	    layers.Dense(16, activation="relu"),
//	    layers.Dropout(0.2),
//	    layers.Dense(1, activation="sigmoid"),
//	])
func ExampleNewSequential() {
	dl.ClearSession()
	dl.SetRandomSeed(1)
	model := dl.NewSequential(
		dl.Input(30),
		&dl.Dense{Units: 16, Activation: "relu"},
		&dl.Dropout{Rate: 0.2},
		&dl.Dense{Units: 1, Activation: "sigmoid"},
	)
	fmt.Println(model.Name, model.CountParams())
	for _, l := range model.Layers() {
		switch l := l.(type) {
		case *dl.Dense:
			fmt.Println(l.Name, l.Units, l.Activation)
		case *dl.Dropout:
			fmt.Println(l.Name, l.Rate)
		}
	}
	// Output:
	// sequential 513
	// dense 16 relu
	// dropout 0.2
	// dense_1 1 sigmoid
}

// Summary prints Keras 3's table.
func ExampleModel_Summary() {
	dl.ClearSession()
	dl.SetRandomSeed(1)
	model := dl.NewSequential(
		dl.Input(3),
		&dl.Dense{Units: 64, Activation: "relu"},
		&dl.Dropout{Rate: 0.2},
		&dl.Dense{Units: 1},
	)
	model.Summary()
	// Output:
	// Model: "sequential"
	// ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
	// ┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
	// ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
	// │ dense (Dense)                   │ (None, 64)             │           256 │
	// ├─────────────────────────────────┼────────────────────────┼───────────────┤
	// │ dropout (Dropout)               │ (None, 64)             │             0 │
	// ├─────────────────────────────────┼────────────────────────┼───────────────┤
	// │ dense_1 (Dense)                 │ (None, 1)              │            65 │
	// └─────────────────────────────────┴────────────────────────┴───────────────┘
	//  Total params: 321 (2.51 KB)
	//  Trainable params: 321 (2.51 KB)
	//  Non-trainable params: 0 (0.00 B)
}

// Compile and Fit take their Keras keyword arguments as option structs:
//
//	model.compile(optimizer="adam", loss="mse", metrics=["mae"])
//	history = model.fit(x, y, epochs=20, batch_size=8, validation_split=0.25, verbose=0)
func ExampleModel_Fit() {
	dl.ClearSession()
	dl.SetRandomSeed(1)
	// y = 2·x₁ − x₂ on a grid of 40 points.
	x, y := dl.Zeros(40, 2), dl.Zeros(40, 1)
	for i := 0; i < 40; i++ {
		a, b := float64(i%8)/8, float64(i/8)/5
		x.Set(a, i, 0)
		x.Set(b, i, 1)
		y.Set(2*a-b, i, 0)
	}
	model := dl.NewSequential(dl.Input(2), &dl.Dense{Units: 1})
	dl.Check(model.Compile(dl.CompileOptions{Optimizer: &dl.Adam{LearningRate: 0.1}, Loss: "mse", Metrics: []string{"mae"}}))
	history, err := model.Fit(x, y, dl.FitOptions{Epochs: 100, BatchSize: 8, ValidationSplit: 0.25, Verbose: dl.Silent})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(history.Keys())
	last := len(history.Epoch) - 1
	fmt.Printf("epochs: %d, val_mae < 0.05: %v\n", last+1, history.History["val_mae"][last] < 0.05)

	pred, _ := model.Predict(dl.FromRows([][]float64{{0.5, 0.5}}), dl.PredictOptions{Verbose: dl.Silent})
	fmt.Printf("prediction for (0.5, 0.5): %.2f\n", pred.At(0, 0))
	// Output:
	// [loss mae val_loss val_mae]
	// epochs: 100, val_mae < 0.05: true
	// prediction for (0.5, 0.5): 0.50
}

// A Tensor is built from rows and printed with its shape.
func ExampleFromRows() {
	x := dl.FromRows([][]float64{{1, 2, 3}, {4, 5, 6}})
	fmt.Println(x)
	fmt.Println(x.Shape(), x.At(1, 2))
	// Output:
	// Tensor([[1, 2, 3],
	//         [4, 5, 6]], shape=(2, 3))
	// [2 3] 6
}

// The functional API connects layers by calling them on nodes:
//
//	il = Input(shape=(8,))
//	hl1 = Dense(18, activation='relu')(il)
//	ol = Dense(1)(hl1)
//	model = Model(inputs=il, outputs=ol)
func ExampleNewModel() {
	dl.ClearSession()
	dl.SetRandomSeed(1)
	il := dl.Input(8)
	hl1 := dl.Call(&dl.Dense{Units: 18, Activation: "relu"}, il)
	ol := dl.Call(&dl.Dense{Units: 1}, hl1)
	model, err := dl.NewModel(il, ol)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(model.Name, model.CountParams())
	// Output:
	// functional 181
}

// A model with two inputs joins its branches with Concat and takes its data
// as dl.Tensors, one tensor per input:
//
//	hl1_1 = Dense(10, activation='relu')(il_1)
//	hl1_2 = Dense(20, activation='relu')(il_2)
//	concat = concatenate([hl1_1, hl1_2])
//	model.fit([x_train1, x_train2], y_train, ...)
func ExampleConcat() {
	dl.ClearSession()
	dl.SetRandomSeed(1)
	il1, il2 := dl.Input(10), dl.Input(5)
	hl1 := dl.Call(&dl.Dense{Units: 10, Activation: "relu"}, il1)
	hl2 := dl.Call(&dl.Dense{Units: 20, Activation: "relu"}, il2)
	concat := dl.Concat(hl1, hl2)
	ol := dl.Call(&dl.Dense{Units: 1}, dl.Call(&dl.Dense{Units: 8, Activation: "relu"}, concat))
	model := dl.Must(dl.NewModel(dl.Nodes{il1, il2}, ol))
	dl.Check(model.Compile(dl.CompileOptions{Optimizer: "adam", Loss: "mse"}))

	x1, x2, y := dl.Zeros(20, 10), dl.Zeros(20, 5), dl.Zeros(20, 1)
	hist, err := model.Fit(dl.Tensors{x1, x2}, y, dl.FitOptions{Epochs: 2, Verbose: dl.Silent})
	fmt.Println(concat.Shape(), len(hist.Epoch), err)
	model.Summary()
	// Output:
	// [30] 2 <nil>
	// Model: "functional"
	// ┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓
	// ┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃
	// ┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩
	// │ input_layer         │ (None, 10)        │          0 │ -                 │
	// │ (InputLayer)        │                   │            │                   │
	// ├─────────────────────┼───────────────────┼────────────┼───────────────────┤
	// │ input_layer_1       │ (None, 5)         │          0 │ -                 │
	// │ (InputLayer)        │                   │            │                   │
	// ├─────────────────────┼───────────────────┼────────────┼───────────────────┤
	// │ dense (Dense)       │ (None, 10)        │        110 │ input_layer[0][0] │
	// ├─────────────────────┼───────────────────┼────────────┼───────────────────┤
	// │ dense_1 (Dense)     │ (None, 20)        │        120 │ input_layer_1[0]… │
	// ├─────────────────────┼───────────────────┼────────────┼───────────────────┤
	// │ concatenate         │ (None, 30)        │          0 │ dense[0][0],      │
	// │ (Concatenate)       │                   │            │ dense_1[0][0]     │
	// ├─────────────────────┼───────────────────┼────────────┼───────────────────┤
	// │ dense_2 (Dense)     │ (None, 8)         │        248 │ concatenate[0][0] │
	// ├─────────────────────┼───────────────────┼────────────┼───────────────────┤
	// │ dense_3 (Dense)     │ (None, 1)         │          9 │ dense_2[0][0]     │
	// └─────────────────────┴───────────────────┴────────────┴───────────────────┘
	//  Total params: 1,463 (11.43 KB)
	//  Trainable params: 487 (3.80 KB)
	//  Non-trainable params: 0 (0.00 B)
	//  Optimizer params: 976 (7.62 KB)
}

// ShapeString prints a shape as NumPy prints x.shape.
func ExampleShapeString() {
	x := dl.Zeros(204, 4, 1)
	fmt.Println(dl.ShapeString(x.Shape()), dl.ShapeString([]int{53}))
	// Output: (204, 4, 1) (53,)
}
