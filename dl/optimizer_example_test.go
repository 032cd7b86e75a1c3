package dl_test

import (
	"fmt"

	"github.com/dlgo/dlgo/dl"
)

// fitLineWith trains a one-neuron model with optimizer (a value such as
// &dl.AdamW{} or a name such as "adamw") on y = 2·x₁ − x₂ for 100 epochs,
// and returns the training loss of the first and the last epoch.
func fitLineWith(optimizer any) (first, last float64) {
	dl.ClearSession()
	dl.SetRandomSeed(1)
	var rows, targets [][]float64
	for a := range 8 {
		for b := range 5 {
			x1, x2 := float64(a)/8, float64(b)/5
			rows, targets = append(rows, []float64{x1, x2}), append(targets, []float64{2*x1 - x2})
		}
	}
	x, y := dl.FromRows(rows), dl.FromRows(targets)
	model := dl.NewSequential(dl.Input(2), &dl.Dense{Units: 1})
	dl.Check(model.Compile(dl.CompileOptions{Optimizer: optimizer, Loss: "mse"}))
	h := dl.Must(model.Fit(x, y, dl.FitOptions{Epochs: 100, BatchSize: 8, Verbose: dl.Silent}))
	loss := h.History["loss"]
	return loss[0], loss[len(loss)-1]
}

// reportOptimizer trains with opt and prints what it did.
func reportOptimizer(opt dl.Optimizer) {
	first, last := fitLineWith(opt)
	fmt.Printf("%s: %d steps at learning rate %g, loss %.2f → below 0.01: %v\n", opt.Name(), opt.Iterations(), opt.CurrentLearningRate(), first, last < 0.01)
}

// AdamW is Adam that also shrinks every weight a little at each step
// (keras.optimizers.AdamW). Compile takes it as a value with its settings,
// or by its Keras name with Keras's defaults (learning rate 0.001, weight
// decay 0.004).
func ExampleAdamW() {
	reportOptimizer(&dl.AdamW{LearningRate: 0.1, WeightDecay: 0.001})
	first, last := fitLineWith("adamw")
	fmt.Println(`"adamw": the loss falls:`, last < first)
	// Output:
	// AdamW: 500 steps at learning rate 0.1, loss 0.19 → below 0.01: true
	// "adamw": the loss falls: true
}

// Nadam is Adam with Nesterov momentum (keras.optimizers.Nadam). Compile
// takes it as a value with its settings, or by its Keras name with Keras's
// defaults (learning rate 0.001).
func ExampleNadam() {
	reportOptimizer(&dl.Nadam{LearningRate: 0.1})
	first, last := fitLineWith("nadam")
	fmt.Println(`"nadam": the loss falls:`, last < first)
	// Output:
	// Nadam: 500 steps at learning rate 0.1, loss 0.21 → below 0.01: true
	// "nadam": the loss falls: true
}

// Adamax is the variant of Adam based on the infinity norm
// (keras.optimizers.Adamax). Compile takes it as a value with its
// settings, or by its Keras name with Keras's defaults (learning rate
// 0.001).
func ExampleAdamax() {
	reportOptimizer(&dl.Adamax{LearningRate: 0.1})
	first, last := fitLineWith("adamax")
	fmt.Println(`"adamax": the loss falls:`, last < first)
	// Output:
	// Adamax: 500 steps at learning rate 0.1, loss 0.20 → below 0.01: true
	// "adamax": the loss falls: true
}
