// Package dl is deep learning in Go with the shape of Keras: a student
// translates a Keras lecture into Go line by line and gets Keras's
// behaviour, numbers and messages, in float64 (the default) or float32.
//
// # Conventions
//
// Keras keyword arguments are struct fields, and the zero value of every
// field is the Keras default:
//
//	layers.Dense(64, activation="relu")       &dl.Dense{Units: 64, Activation: "relu"}
//	layers.Dense(1, use_bias=False)           &dl.Dense{Units: 1, NoBias: true}
//	layers.Dropout(0.4)                       &dl.Dropout{Rate: 0.4}
//	kernel_regularizer=regularizers.l2(0.01)  KernelRegularizer: dl.L2(0.01)
//	keras.optimizers.Adam(learning_rate=0.01) &dl.Adam{LearningRate: 0.01}
//
// Keyword arguments of methods are option structs: CompileOptions,
// FitOptions, EvaluateOptions, PredictOptions. Where a Keras default is true
// the Go field is its negation (NoBias, NoShuffle), and Verbose's zero value
// is Keras's "auto" progress bar; write Verbose: dl.Silent for verbose=0.
//
// # A model
//
//	model := dl.NewSequential(
//		dl.Input(30),
//		&dl.Dense{Units: 64, Activation: "relu"},
//		&dl.Dropout{Rate: 0.4},
//		&dl.Dense{Units: 1, Activation: "sigmoid"},
//	)
//	model.Summary()
//	err := model.Compile(dl.CompileOptions{Optimizer: "adam", Loss: "binary_crossentropy", Metrics: []string{"accuracy"}})
//	history, err := model.Fit(x, y, dl.FitOptions{Epochs: 50, ValidationSplit: 0.2})
//	fmt.Println(history.History["val_accuracy"])
//
// # Errors and panics
//
// The verbs a student calls with data and configuration (Compile, Fit,
// Evaluate, Predict, SetWeights) return an *Error whose message names the
// layer, the argument as written, the value received, and a fix. Tensor
// constructors and indexing panic on impossible arguments, like gonum's mat.
// Must and Check shorten error handling in notebook cells.
//
// # Dtypes
//
// A model computes in float64 unless it is told otherwise: SetFloatX
// ("float32") changes the dtype of the models built after it (Keras:
// keras.config.set_floatx), and a model's Dtype field changes its own. A
// float32 model keeps its weights, activations, gradients and optimizer
// state in float32 from the first step to the last, needs half the memory,
// and trains the large models about twice as fast; Summary counts 4 bytes a
// parameter, as Keras does. Tensors hold float64 either way: Fit, Evaluate
// and Predict convert the data once per call. Save stores the weights in
// the model's dtype, and LoadModel gives the loaded model that dtype.
//
// # Layers
//
// Dense, Dropout, the merges (Concatenate, Add, Subtract, Multiply,
// Average), the recurrent layers (SimpleRNN, LSTM, GRU), and for images and
// sequences Conv2D, Conv1D, MaxPooling2D, AveragePooling2D, MaxPooling1D,
// GlobalAveragePooling2D and Flatten:
//
//	layers.Conv2D(16, 3, activation="relu")  &dl.Conv2D{Filters: 16, KernelSize: dl.Size{3}, Activation: "relu"}
//	layers.MaxPooling2D(2)                   &dl.MaxPooling2D{PoolSize: dl.Size{2}}
//	layers.Flatten()                         &dl.Flatten{}
//
// # Reproducibility
//
// Every random choice (initial weights, dropout masks, shuffling) comes from
// a seeded source: the global seed (DefaultSeed until SetRandomSeed) or a
// model's Seed. The same program prints the same numbers on every run.
//
// # What Fit does
//
// Fit holds out the last ValidationSplit of the samples, then for each
// epoch shuffles the rest, and for each batch runs the model forward in
// training mode, computes the loss plus the weight penalties, propagates
// gradients backward through every layer, and lets the optimizer update the
// weights. The History holds the batch-size-weighted mean of the batch
// losses, each computed before its update, and the validation values
// computed in inference mode at the end of the epoch — exactly as Keras
// reports them.
package dl
