package dl_test

import (
	"fmt"

	"github.com/dlgo/dlgo/dl"
)

// Chapter 8's two-input model with the lecture's input names:
//
//	input_1 = Input(shape=(6,), name='input_1')
//	input_2 = Input(shape=(3,), name='input_2')
//
// Summary shows the names, in the layer column and in "Connected to", as
// Keras prints them.
func ExampleNode_Named() {
	dl.ClearSession()
	dl.SetRandomSeed(1)
	input1 := dl.Input(6).Named("input_1")
	input2 := dl.Input(3).Named("input_2")
	x1 := dl.Call(&dl.Dense{Units: 18, Activation: "relu", Name: "numeric"}, input1)
	x2 := dl.Call(&dl.Dense{Units: 4, Activation: "relu", Name: "origin"}, input2)
	hidden := dl.Call(&dl.Dense{Units: 8, Activation: "relu"}, dl.Concat(x1, x2))
	model := dl.Must(dl.NewModel(dl.Nodes{input1, input2}, dl.Call(&dl.Dense{Units: 1}, hidden)))
	fmt.Println(input1)
	model.Summary()
	// Output:
	// <Node shape=(None, 6), name=input_1>
	// Model: "functional"
	// ┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓
	// ┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃
	// ┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩
	// │ input_1             │ (None, 6)         │          0 │ -                 │
	// │ (InputLayer)        │                   │            │                   │
	// ├─────────────────────┼───────────────────┼────────────┼───────────────────┤
	// │ input_2             │ (None, 3)         │          0 │ -                 │
	// │ (InputLayer)        │                   │            │                   │
	// ├─────────────────────┼───────────────────┼────────────┼───────────────────┤
	// │ numeric (Dense)     │ (None, 18)        │        126 │ input_1[0][0]     │
	// ├─────────────────────┼───────────────────┼────────────┼───────────────────┤
	// │ origin (Dense)      │ (None, 4)         │         16 │ input_2[0][0]     │
	// ├─────────────────────┼───────────────────┼────────────┼───────────────────┤
	// │ concatenate         │ (None, 22)        │          0 │ numeric[0][0],    │
	// │ (Concatenate)       │                   │            │ origin[0][0]      │
	// ├─────────────────────┼───────────────────┼────────────┼───────────────────┤
	// │ dense (Dense)       │ (None, 8)         │        184 │ concatenate[0][0] │
	// ├─────────────────────┼───────────────────┼────────────┼───────────────────┤
	// │ dense_1 (Dense)     │ (None, 1)         │          9 │ dense[0][0]       │
	// └─────────────────────┴───────────────────┴────────────┴───────────────────┘
	//  Total params: 335 (2.62 KB)
	//  Trainable params: 335 (2.62 KB)
	//  Non-trainable params: 0 (0.00 B)
}

// Data passed by name, as Keras takes a dict:
//
//	model.fit({'input_1': x1, 'input_2': x2}, y, epochs=2)
//
// The order of the keys does not matter; a name the model does not have is
// an error that lists the model's input names.
func ExampleNamed() {
	dl.ClearSession()
	dl.SetRandomSeed(1)
	input1, input2 := dl.Input(6).Named("input_1"), dl.Input(3).Named("input_2")
	out := dl.Call(&dl.Dense{Units: 1}, dl.Concat(input1, input2))
	model := dl.Must(dl.NewModel(dl.Nodes{input1, input2}, out))
	dl.Check(model.Compile(dl.CompileOptions{Optimizer: "adam", Loss: "mse"}))

	x1, x2, y := dl.Zeros(20, 6), dl.Zeros(20, 3), dl.Zeros(20, 1)
	hist, err := model.Fit(dl.Named{"input_2": x2, "input_1": x1}, y, dl.FitOptions{Epochs: 2, Verbose: dl.Silent})
	fmt.Println(len(hist.Epoch), err)

	_, err = model.Predict(dl.Named{"input_1": x1, "input2": x2}, dl.PredictOptions{Verbose: dl.Silent})
	fmt.Println(err)
	// Output:
	// 2 <nil>
	// dl: Predict: the names of x do not match the model's inputs (no tensor for ['input_2']; ['input2'] is not the name of any input). Expected: ['input_1', 'input_2']; received: ['input2', 'input_1']. Give dl.Named one tensor for each input name
}
