package dl_test

import (
	"math"
	"testing"

	"github.com/dlgo/dlgo/datasets"
	"github.com/dlgo/dlgo/dl"
)

// standardize scales every column of x to zero mean and unit variance using
// the statistics of the first n rows (the training part), as a student does
// with scikit-learn's StandardScaler fitted on the training data.
func standardize(x *dl.Tensor, n int) {
	rows, cols := x.Len(), x.Shape()[1]
	d := x.Data()
	for j := 0; j < cols; j++ {
		var mean, sq float64
		for i := 0; i < n; i++ {
			mean += d[i*cols+j]
		}
		mean /= float64(n)
		for i := 0; i < n; i++ {
			sq += (d[i*cols+j] - mean) * (d[i*cols+j] - mean)
		}
		std := math.Sqrt(sq / float64(n))
		for i := 0; i < rows; i++ {
			d[i*cols+j] = (d[i*cols+j] - mean) / std
		}
	}
}

// lectureDropoutModel is chapter 7's dropout model.
func lectureDropoutModel() *dl.Sequential {
	return dl.NewSequential(
		dl.Input(30),
		&dl.Dense{Units: 128, Activation: "relu"},
		&dl.Dropout{Rate: 0.4},
		&dl.Dense{Units: 64, Activation: "relu"},
		&dl.Dropout{Rate: 0.4},
		&dl.Dense{Units: 32, Activation: "relu"},
		&dl.Dropout{Rate: 0.4},
		&dl.Dense{Units: 1, Activation: "sigmoid"},
	)
}

// TestLectureDropoutModelOnBreastCancer trains chapter 7's dropout model on
// the real breast cancer data and checks that it generalizes: validation
// accuracy (last 20% of the samples, never trained on) of at least 0.95.
func TestLectureDropoutModelOnBreastCancer(t *testing.T) {
	dl.ClearSession()
	dl.SetRandomSeed(dl.DefaultSeed)
	x, y := datasets.BreastCancer()
	split := int(math.Floor(float64(x.Len()) * 0.8))
	standardize(x, split)
	model := lectureDropoutModel()
	dl.Check(model.Compile(dl.CompileOptions{Optimizer: "adam", Loss: "binary_crossentropy", Metrics: []string{"accuracy"}}))
	h, err := model.Fit(x, y, dl.FitOptions{Epochs: 50, ValidationSplit: 0.2, Verbose: dl.Silent})
	if err != nil {
		t.Fatal(err)
	}
	acc := h.History["val_accuracy"]
	if len(acc) != 50 {
		t.Fatalf("history has %d epochs of val_accuracy, want 50", len(acc))
	}
	if last := acc[len(acc)-1]; last < 0.95 {
		t.Errorf("validation accuracy after 50 epochs = %.4f, want >= 0.95 (history %v)", last, acc)
	}
	res, err := model.Evaluate(x.Slice(split, x.Len()), y.Slice(split, y.Len()), dl.EvaluateOptions{Verbose: dl.Silent})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(res[1]-acc[len(acc)-1]) > 1e-12 {
		t.Errorf("Evaluate on the validation rows gives accuracy %v, Fit's last val_accuracy is %v", res[1], acc[len(acc)-1])
	}
}
