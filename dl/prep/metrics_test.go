package prep

import (
	"math"
	"slices"
	"testing"

	"github.com/dlgo/dlgo/dl"
)

func vec(v ...float64) *dl.Tensor { return dl.FromSlice(v) }

func TestRegressionMetrics(t *testing.T) {
	// Expected values from scikit-learn 1.9 (sklearn.metrics): the
	// documented examples of mean_absolute_error, mean_squared_error,
	// root_mean_squared_error and r2_score.
	yt, yp := vec(3, -0.5, 2, 7), vec(2.5, 0, 2, 8)
	mt := dl.FromRows([][]float64{{0.5, 1}, {-1, 1}, {7, -6}})
	mp := dl.FromRows([][]float64{{0, 2}, {-1, 2}, {8, -5}})
	type metric func(a, b *dl.Tensor) (float64, error)
	cases := []struct {
		name   string
		f      metric
		yt, yp *dl.Tensor
		want   float64
	}{
		{"MAE", MeanAbsoluteError, yt, yp, 0.5},
		{"MAE 2 outputs", MeanAbsoluteError, mt, mp, 0.75},
		{"MAE (n,1) vs (n,)", MeanAbsoluteError, dl.FromSlice([]float64{1, 2}, 2, 1), vec(1, 4), 1},
		{"MSE", MeanSquaredError, yt, yp, 0.375},
		{"MSE 2 outputs", MeanSquaredError, mt, mp, 0.7083333333333334},
		{"RMSE", RootMeanSquaredError, yt, yp, 0.6123724356957945},
		// Mean of the per-output roots [0.64549722, 1.0].
		{"RMSE 2 outputs", RootMeanSquaredError, mt, mp, 0.8227486121839513},
		{"R2", R2Score, yt, yp, 0.9486081370449679},
		{"R2 2 outputs", R2Score, mt, mp, 0.9368005266622779},
		{"R2 perfect", R2Score, vec(1, 2, 3), vec(1, 2, 3), 1},
		{"R2 mean", R2Score, vec(1, 2, 3), vec(2, 2, 2), 0},
		{"R2 reversed", R2Score, vec(1, 2, 3), vec(3, 2, 1), -3},
		{"R2 constant exact", R2Score, vec(-2, -2, -2), vec(-2, -2, -2), 1},
		{"R2 constant missed", R2Score, vec(-2, -2, -2), vec(-2, -2, -2+1e-8), 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.f(c.yt, c.yp)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-c.want) > 1e-12 {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestRegressionMetricErrors(t *testing.T) {
	cases := []struct {
		name   string
		f      func(a, b *dl.Tensor) (float64, error)
		yt, yp *dl.Tensor
		want   string
	}{
		{"lengths", MeanAbsoluteError, vec(1, 2, 3), vec(1, 2),
			"prep: MeanAbsoluteError: yTrue has 3 samples but yPred has 2; they must be equal"},
		{"outputs", MeanSquaredError, vec(1, 2), dl.FromRows([][]float64{{1, 2}, {3, 4}}),
			"prep: MeanSquaredError: yTrue and yPred have different numbers of outputs (1 != 2): shapes (2,) and (2, 2)"},
		{"NaN", MeanAbsoluteError, vec(1, 2), vec(1, math.NaN()),
			"prep: MeanAbsoluteError: yPred contains NaN at row 1 (did a shift leave NaN in the data? Frame.DropNA removes those rows)"},
		{"empty", RootMeanSquaredError, dl.Zeros(0), dl.Zeros(0), "prep: RootMeanSquaredError: yTrue of shape (0,) is empty"},
		{"3-D", R2Score, dl.Zeros(2, 1, 1), vec(1, 2),
			"prep: R2Score: yTrue must have shape (samples,) or (samples, outputs), received (2, 1, 1)"},
		{"nil", R2Score, vec(1, 2), nil, "prep: R2Score: yPred is nil"},
		{"R2 one sample", R2Score, vec(1), vec(2), "prep: R2Score: the R² score is not defined for fewer than two samples, received 1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.f(c.yt, c.yp)
			if err == nil || err.Error() != c.want {
				t.Errorf("got  %v\nwant %s", err, c.want)
			}
			if !math.IsNaN(got) {
				t.Errorf("value %v with an error, want NaN", got)
			}
		})
	}
}

func TestClassificationMetrics(t *testing.T) {
	// Expected values from scikit-learn 1.9: the documented examples of
	// accuracy_score and confusion_matrix.
	acc, err := AccuracyScore(vec(0, 2, 1, 3), vec(0, 1, 2, 3))
	if err != nil || acc != 0.5 {
		t.Errorf("AccuracyScore = %v, %v; want 0.5", acc, err)
	}
	acc, err = AccuracyScore(dl.FromSlice([]float64{1, 0}, 2, 1), vec(1, 1))
	if err != nil || acc != 0.5 {
		t.Errorf("AccuracyScore with (n,1) = %v, %v; want 0.5", acc, err)
	}
	cases := []struct {
		name   string
		yt, yp *dl.Tensor
		cm     [][]int
		labels []float64
	}{
		{"docs", vec(2, 0, 2, 2, 0, 1), vec(0, 0, 2, 2, 0, 2), [][]int{{2, 0, 0}, {0, 0, 1}, {1, 0, 2}}, []float64{0, 1, 2}},
		// tn, fp, fn, tp = confusion_matrix([0, 1, 0, 1], [1, 1, 1, 0]).ravel() → (0, 2, 1, 1)
		{"binary", vec(0, 1, 0, 1), vec(1, 1, 1, 0), [][]int{{0, 2}, {1, 1}}, []float64{0, 1}},
		// Labels are the sorted union of both inputs.
		{"union", vec(1, 3, 3), vec(2, 2, 5), [][]int{{0, 1, 0, 0}, {0, 0, 0, 0}, {0, 1, 0, 1}, {0, 0, 0, 0}}, []float64{1, 2, 3, 5}},
		{"negative labels", vec(-1, 1, 1), vec(-1, -1, 1), [][]int{{1, 0}, {1, 1}}, []float64{-1, 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cm, labels, err := ConfusionMatrix(c.yt, c.yp)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.EqualFunc(cm, c.cm, slices.Equal) || !slices.Equal(labels, c.labels) {
				t.Errorf("got %v %v, want %v %v", cm, labels, c.cm, c.labels)
			}
		})
	}
}

func TestClassificationMetricErrors(t *testing.T) {
	probs := dl.FromRows([][]float64{{0.1, 0.9}, {0.8, 0.2}})
	cases := []struct {
		name   string
		yt, yp *dl.Tensor
		want   string
	}{
		{"probabilities", vec(0, 1, 1), vec(0.2, 0.7, 0.9),
			"prep: AccuracyScore: yPred holds continuous values such as 0.2 at row 0, not class labels; " +
				"turn probabilities into labels with prep.Threshold(yPred, 0.5) (a sigmoid output) or prep.Argmax(yPred) (a softmax output)"},
		{"softmax rows", vec(0, 1), probs,
			"prep: AccuracyScore: yPred has shape (2, 2): one row of 2 scores per sample, not labels; " +
				"turn class probabilities or one-hot rows into labels with prep.Argmax(yPred)"},
		{"one-hot truth", probs, vec(0, 1),
			"prep: AccuracyScore: yTrue has shape (2, 2): one row of 2 scores per sample, not labels; " +
				"turn class probabilities or one-hot rows into labels with prep.Argmax(yTrue)"},
		{"lengths", vec(0, 1, 1), vec(0, 1), "prep: AccuracyScore: yTrue has 3 samples but yPred has 2; they must be equal"},
		{"NaN", vec(0, math.NaN()), vec(0, 1), "prep: AccuracyScore: yTrue contains NaN at row 1"},
		{"empty", dl.Zeros(0), dl.Zeros(0), "prep: AccuracyScore: yTrue and yPred are empty"},
		{"3-D", dl.Zeros(2, 1, 1), vec(0, 1), "prep: AccuracyScore: yTrue must have shape (samples,) or (samples, 1), received (2, 1, 1)"},
		{"nil", nil, vec(0, 1), "prep: AccuracyScore: yTrue is nil"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := AccuracyScore(c.yt, c.yp)
			if err == nil || err.Error() != c.want {
				t.Errorf("got  %v\nwant %s", err, c.want)
			}
			_, _, cmErr := ConfusionMatrix(c.yt, c.yp)
			if cmErr == nil {
				t.Error("ConfusionMatrix accepted what AccuracyScore rejects")
			}
		})
	}
}

func TestThresholdArgmax(t *testing.T) {
	p := dl.FromSlice([]float64{0.2, 0.5, 0.51, math.NaN()}, 4, 1)
	got := Threshold(p, 0.5)
	if !slices.Equal(got.Shape(), []int{4, 1}) || !slices.Equal(got.Data(), []float64{0, 0, 1, 0}) {
		t.Errorf("Threshold = %v, want [0 0 1 0] in shape (4, 1)", got)
	}
	if Threshold(nil, 0.5) != nil {
		t.Error("Threshold(nil) is not nil")
	}
	cases := []struct {
		name string
		p    *dl.Tensor
		want []float64
		err  string
	}{
		{"softmax", dl.FromRows([][]float64{{0.1, 0.7, 0.2}, {0.5, 0.2, 0.3}, {0.2, 0.2, 0.6}}), []float64{1, 0, 2}, ""},
		{"ties take the first", dl.FromRows([][]float64{{0.4, 0.4, 0.2}}), []float64{0}, ""},
		{"NaN wins as in NumPy", dl.FromRows([][]float64{{0.9, math.NaN(), 1}}), []float64{1}, ""},
		{"sigmoid column", dl.Zeros(3, 1), nil, "prep: Argmax: p has shape (3, 1): a single column (a sigmoid output) has no classes to choose from; use prep.Threshold(p, 0.5)"},
		{"1-D", dl.Zeros(3), nil, "prep: Argmax: p must have shape (samples, classes), received (3,)"},
		{"nil", nil, nil, "prep: Argmax: p is nil"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Argmax(c.p)
			if c.err != "" {
				if err == nil || err.Error() != c.err {
					t.Fatalf("got %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Data(), c.want) {
				t.Errorf("got %v, want %v", got.Data(), c.want)
			}
		})
	}
}
