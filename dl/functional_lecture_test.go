package dl_test

import (
	"testing"

	"github.com/dlgo/dlgo/datasets"
	"github.com/dlgo/dlgo/dl"
	"github.com/dlgo/dlgo/dl/prep"
)

// carsInputs prepares chapter 8's two inputs from the cars data: the
// numeric features (standardized on the training rows) and the one-hot
// origin, with miles per gallon as the target, split 80/20 at random.
func carsInputs(t testing.TB) (train, val [3]*dl.Tensor) {
	f := datasets.Cars().DropNA()
	num := dl.Must(f.Tensor("Cylinders", "Displacement", "Horsepower", "Weight_in_lbs", "Acceleration", "Year"))
	origin := dl.Must(f.Strings("Origin"))
	oneHot := dl.Zeros(len(origin), 3)
	for i, o := range origin {
		oneHot.Set(1, i, map[string]int{"USA": 0, "Europe": 1, "Japan": 2}[o])
	}
	mpg := dl.Must(f.Tensor("Miles_per_Gallon"))
	parts, err := prep.TrainTestSplit([]*dl.Tensor{num, oneHot, mpg}, prep.SplitOptions{TestSize: 0.2, RandomState: 42})
	if err != nil {
		t.Fatal(err)
	}
	scaler := &prep.StandardScaler{}
	xTrain := dl.Must(scaler.FitTransform(parts[0]))
	xVal := dl.Must(scaler.Transform(parts[1]))
	return [3]*dl.Tensor{xTrain, parts[2], parts[4]}, [3]*dl.Tensor{xVal, parts[3], parts[5]}
}

// TestLectureTwoInputModelOnCars trains chapter 8's two-input model —
// numeric features through one branch, the one-hot origin through another,
// joined with Concat — on the real cars data, to a validation MAE below
// 2.5 mpg (about what a linear model on all features reaches).
func TestLectureTwoInputModelOnCars(t *testing.T) {
	dl.ClearSession()
	dl.SetRandomSeed(dl.DefaultSeed)
	train, val := carsInputs(t)
	in1, in2 := dl.Input(6), dl.Input(3)
	h1 := dl.Call(&dl.Dense{Units: 18, Activation: "relu"}, in1)
	h2 := dl.Call(&dl.Dense{Units: 4, Activation: "relu"}, in2)
	h := dl.Call(&dl.Dense{Units: 8, Activation: "relu"}, dl.Concat(h1, h2))
	out := dl.Call(&dl.Dense{Units: 1}, h)
	model := dl.Must(dl.NewModel(dl.Nodes{in1, in2}, out))
	dl.Check(model.Compile(dl.CompileOptions{Optimizer: &dl.Adam{LearningRate: 0.01}, Loss: "mse", Metrics: []string{"mae"}}))
	hist, err := model.Fit(dl.Tensors{train[0], train[1]}, train[2], dl.FitOptions{
		Epochs: 150, BatchSize: 16, Verbose: dl.Silent,
		ValidationData: &dl.Data{X: dl.Tensors{val[0], val[1]}, Y: val[2]},
		Callbacks:      []dl.Callback{&dl.EarlyStopping{Monitor: "val_mae", Patience: 20, RestoreBestWeights: true}},
	})
	if err != nil {
		t.Fatal(err)
	}
	res := dl.Must(model.Evaluate(dl.Tensors{val[0], val[1]}, val[2], dl.EvaluateOptions{Verbose: dl.Silent}))
	t.Logf("%d epochs, validation MAE %.3f mpg", len(hist.Epoch), res[1])
	if res[1] >= 2.5 {
		t.Errorf("validation MAE %.3f mpg, want < 2.5", res[1])
	}
	pred := dl.Must(model.Predict(dl.Tensors{val[0], val[1]}, dl.PredictOptions{Verbose: dl.Silent}))
	if got := pred.Shape(); got[0] != val[2].Len() || got[1] != 1 {
		t.Errorf("prediction shape %v", got)
	}
}
