package dl_test

import (
	"fmt"

	"github.com/dlgo/dlgo/dl"
)

// A SimpleRNN reads a sequence of shape (timesteps, features) and returns its
// last state, as in Keras:
//
//	model = keras.Sequential([
//	    keras.Input(shape=(4, 1)),
//	    layers.SimpleRNN(8),
//	    layers.Dense(1),
//	])
func ExampleSimpleRNN() {
	dl.ClearSession()
	dl.SetRandomSeed(1)
	model := dl.NewSequential(
		dl.Input(4, 1),
		&dl.SimpleRNN{Units: 8},
		&dl.Dense{Units: 1},
	)
	fmt.Println(model.CountParams())
	for _, w := range model.GetWeights() {
		fmt.Println(w.Shape())
	}
	// Output:
	// 89
	// [1 8]
	// [8 8]
	// [8]
	// [8 1]
	// [1]
}

// Stacked LSTMs: every recurrent layer that feeds another one returns its
// whole output sequence (ReturnSequences), the last one only its final
// state.
//
//	model = keras.Sequential([
//	    keras.Input(shape=(10, 1)),
//	    layers.LSTM(64, return_sequences=True),
//	    layers.LSTM(32),
//	    layers.Dense(1),
//	])
func ExampleLSTM() {
	dl.ClearSession()
	dl.SetRandomSeed(1)
	model := dl.NewSequential(
		dl.Input(10, 1),
		&dl.LSTM{Units: 64, ReturnSequences: true},
		&dl.LSTM{Units: 32},
		&dl.Dense{Units: 1},
	)
	fmt.Println(model.CountParams())
	model.Summary()

	x := dl.Zeros(3, 10, 1) // 3 sequences of 10 steps
	y, err := model.Predict(x, dl.PredictOptions{Verbose: dl.Silent})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(y.Shape())
	// Output:
	// 29345
	// Model: "sequential"
	// ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
	// ┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
	// ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
	// │ lstm (LSTM)                     │ (None, 10, 64)         │        16,896 │
	// ├─────────────────────────────────┼────────────────────────┼───────────────┤
	// │ lstm_1 (LSTM)                   │ (None, 32)             │        12,416 │
	// ├─────────────────────────────────┼────────────────────────┼───────────────┤
	// │ dense (Dense)                   │ (None, 1)              │            33 │
	// └─────────────────────────────────┴────────────────────────┴───────────────┘
	//  Total params: 29,345 (229.26 KB)
	//  Trainable params: 29,345 (229.26 KB)
	//  Non-trainable params: 0 (0.00 B)
	// [3 1]
}

// A GRU with ReturnState returns its final state as a second output; such a
// layer is used through the functional API.
//
//	inputs = keras.Input(shape=(5, 2))
//	seq, h = layers.GRU(4, return_sequences=True, return_state=True)(inputs)
func ExampleGRU() {
	dl.ClearSession()
	dl.SetRandomSeed(1)
	inputs := dl.Input(5, 2)
	outs := dl.CallMulti(&dl.GRU{Units: 4, ReturnSequences: true, ReturnState: true}, inputs)
	fmt.Println(outs[0].Shape(), outs[1].Shape())
	// Output:
	// [5 4] [4]
}
