package prep

import (
	"math"
	"slices"

	"github.com/dlgo/dlgo/dl"
)

// regTargets checks a pair of regression targets as scikit-learn's
// _check_reg_targets does and returns them as (n, outputs) row-major data.
// Shapes (n,) and (n, 1) are the same single output.
func regTargets(op string, yTrue, yPred *dl.Tensor) (n, k int, t, p []float64, err error) {
	dims := func(name string, y *dl.Tensor) (int, int, error) {
		if y == nil {
			return 0, 0, errorf(op, "%s is nil", name)
		}
		s := y.Shape()
		switch len(s) {
		case 1:
			return s[0], 1, nil
		case 2:
			return s[0], s[1], nil
		}
		return 0, 0, errorf(op, "%s must have shape (samples,) or (samples, outputs), received %s", name, dl.ShapeString(s))
	}
	n, k, err = dims("yTrue", yTrue)
	if err != nil {
		return
	}
	np, kp, err := dims("yPred", yPred)
	if err != nil {
		return
	}
	switch {
	case n != np:
		return 0, 0, nil, nil, errorf(op, "yTrue has %d samples but yPred has %d; they must be equal", n, np)
	case k != kp:
		return 0, 0, nil, nil, errorf(op, "yTrue and yPred have different numbers of outputs (%d != %d): shapes %s and %s",
			k, kp, dl.ShapeString(yTrue.Shape()), dl.ShapeString(yPred.Shape()))
	case n == 0 || k == 0:
		return 0, 0, nil, nil, errorf(op, "yTrue of shape %s is empty", dl.ShapeString(yTrue.Shape()))
	}
	if err = checkFinite(op, "yTrue", yTrue, k); err != nil {
		return
	}
	if err = checkFinite(op, "yPred", yPred, k); err != nil {
		return
	}
	return n, k, yTrue.Data(), yPred.Data(), nil
}

// checkFinite reports the first NaN or infinity in y, which scikit-learn's
// metrics reject.
func checkFinite(op, name string, y *dl.Tensor, k int) error {
	for i, v := range y.Data() {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errorf(op, "%s contains %v at row %d (did a shift leave NaN in the data? Frame.DropNA removes those rows)", name, v, i/k)
		}
	}
	return nil
}

// perOutput averages f(yTrue, yPred) over the samples of each output, then
// over the outputs (scikit-learn: multioutput='uniform_average').
func perOutput(op string, yTrue, yPred *dl.Tensor, f func(t, p float64) float64, finish func(float64) float64) (float64, error) {
	n, k, t, p, err := regTargets(op, yTrue, yPred)
	if err != nil {
		return math.NaN(), err
	}
	total := 0.0
	for j := range k {
		sum := 0.0
		for i := range n {
			sum += f(t[i*k+j], p[i*k+j])
		}
		total += finish(sum / float64(n))
	}
	return total / float64(k), nil
}

func identity(v float64) float64 { return v }

// MeanAbsoluteError returns the mean of |yTrue − yPred| (scikit-learn:
// sklearn.metrics.mean_absolute_error). yTrue and yPred have shape (n,) or
// (n, outputs), and (n,) matches (n, 1); with several outputs the result is
// the mean of the per-output errors. NaN in either is an error.
func MeanAbsoluteError(yTrue, yPred *dl.Tensor) (float64, error) {
	return perOutput("MeanAbsoluteError", yTrue, yPred, func(t, p float64) float64 { return math.Abs(p - t) }, identity)
}

// MeanSquaredError returns the mean of (yTrue − yPred)² (scikit-learn:
// sklearn.metrics.mean_squared_error), with shapes as in MeanAbsoluteError.
func MeanSquaredError(yTrue, yPred *dl.Tensor) (float64, error) {
	return perOutput("MeanSquaredError", yTrue, yPred, func(t, p float64) float64 { return (p - t) * (p - t) }, identity)
}

// RootMeanSquaredError returns √MSE (scikit-learn:
// sklearn.metrics.root_mean_squared_error). With several outputs it is the
// mean of the per-output roots, not the root of the overall mean, as in
// scikit-learn.
func RootMeanSquaredError(yTrue, yPred *dl.Tensor) (float64, error) {
	return perOutput("RootMeanSquaredError", yTrue, yPred, func(t, p float64) float64 { return (p - t) * (p - t) }, math.Sqrt)
}

// R2Score returns the coefficient of determination 1 − Σ(y−ŷ)² / Σ(y−ȳ)²
// (scikit-learn: sklearn.metrics.r2_score): 1 for a perfect prediction, 0
// for always predicting the mean, negative for worse. Shapes are as in
// MeanAbsoluteError, and several outputs are averaged. As in scikit-learn,
// a constant yTrue scores 1 if predicted exactly and 0 otherwise. With
// fewer than two samples the score is undefined: it returns NaN and an
// error.
func R2Score(yTrue, yPred *dl.Tensor) (float64, error) {
	const op = "R2Score"
	n, k, t, p, err := regTargets(op, yTrue, yPred)
	if err != nil {
		return math.NaN(), err
	}
	if n < 2 {
		return math.NaN(), errorf(op, "the R² score is not defined for fewer than two samples, received %d", n)
	}
	total := 0.0
	for j := range k {
		mean := 0.0
		for i := range n {
			mean += t[i*k+j]
		}
		mean /= float64(n)
		num, den := 0.0, 0.0
		for i := range n {
			d := t[i*k+j] - p[i*k+j]
			num += d * d
			c := t[i*k+j] - mean
			den += c * c
		}
		switch {
		case num == 0:
			total++ // perfect, even for a constant yTrue
		case den == 0:
			// a constant yTrue predicted imperfectly scores 0
		default:
			total += 1 - num/den
		}
	}
	return total / float64(k), nil
}

// labels checks that y holds class labels, shape (n,) or (n, 1) with whole
// numbers, and returns them. Probabilities and one-hot rows get an error
// that shows how to turn them into labels.
func labels(op, name string, y *dl.Tensor) ([]float64, error) {
	if y == nil {
		return nil, errorf(op, "%s is nil", name)
	}
	s := y.Shape()
	switch {
	case len(s) == 2 && s[1] > 1:
		return nil, errorf(op, "%s has shape %s: one row of %d scores per sample, not labels; "+
			"turn class probabilities or one-hot rows into labels with prep.Argmax(%s)", name, dl.ShapeString(s), s[1], name)
	case len(s) != 1 && !(len(s) == 2 && s[1] == 1):
		return nil, errorf(op, "%s must have shape (samples,) or (samples, 1), received %s", name, dl.ShapeString(s))
	}
	for i, v := range y.Data() {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, errorf(op, "%s contains %v at row %d", name, v, i)
		}
		if v != math.Trunc(v) {
			return nil, errorf(op, "%s holds continuous values such as %v at row %d, not class labels; "+
				"turn probabilities into labels with prep.Threshold(%s, 0.5) (a sigmoid output) or prep.Argmax(%s) (a softmax output)",
				name, v, i, name, name)
		}
	}
	return y.Data(), nil
}

// labelPairs checks yTrue and yPred as labels of the same samples.
func labelPairs(op string, yTrue, yPred *dl.Tensor) (t, p []float64, err error) {
	if t, err = labels(op, "yTrue", yTrue); err != nil {
		return nil, nil, err
	}
	if p, err = labels(op, "yPred", yPred); err != nil {
		return nil, nil, err
	}
	if len(t) != len(p) {
		return nil, nil, errorf(op, "yTrue has %d samples but yPred has %d; they must be equal", len(t), len(p))
	}
	if len(t) == 0 {
		return nil, nil, errorf(op, "yTrue and yPred are empty")
	}
	return t, p, nil
}

// AccuracyScore returns the fraction of samples whose predicted label
// equals the true label (scikit-learn: sklearn.metrics.accuracy_score).
// yTrue and yPred hold labels, shape (n,) or (n, 1); predicted
// probabilities are an error that points to Threshold and Argmax.
func AccuracyScore(yTrue, yPred *dl.Tensor) (float64, error) {
	t, p, err := labelPairs("AccuracyScore", yTrue, yPred)
	if err != nil {
		return math.NaN(), err
	}
	hits := 0
	for i := range t {
		if t[i] == p[i] {
			hits++
		}
	}
	return float64(hits) / float64(len(t)), nil
}

// ConfusionMatrix counts, for each true label and each predicted label,
// the samples that have them (scikit-learn:
// sklearn.metrics.confusion_matrix): cm[i][j] is the number of samples of
// class labels[i] predicted as labels[j]. labels is the sorted union of the
// labels in yTrue and yPred, so for 0/1 labels the matrix is
// [[TN, FP], [FN, TP]]. Inputs are as in AccuracyScore.
func ConfusionMatrix(yTrue, yPred *dl.Tensor) (cm [][]int, labels []float64, err error) {
	t, p, err := labelPairs("ConfusionMatrix", yTrue, yPred)
	if err != nil {
		return nil, nil, err
	}
	labels = slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(t), p...))))
	pos := make(map[float64]int, len(labels))
	for i, l := range labels {
		pos[l] = i
	}
	cm = make([][]int, len(labels))
	for i := range cm {
		cm[i] = make([]int, len(labels))
	}
	for i := range t {
		cm[pos[t[i]]][pos[p[i]]]++
	}
	return cm, labels, nil
}

// Threshold turns probabilities into 0/1 labels: 1 where p > threshold, 0
// elsewhere (NaN included), in p's shape. It is the lectures'
// (model.predict(x) > 0.5).astype("int32") for a sigmoid output. A nil p
// gives nil.
func Threshold(p *dl.Tensor, threshold float64) *dl.Tensor {
	if p == nil {
		return nil
	}
	out := dl.Zeros(p.Shape()...)
	d := out.Data()
	for i, v := range p.Data() {
		if v > threshold {
			d[i] = 1
		}
	}
	return out
}

// Argmax returns, for each row of p, the index of its largest value, the
// first one on ties (NumPy: np.argmax(p, axis=1)). It turns a softmax
// output of shape (n, classes) into labels of shape (n,), and one-hot
// targets back into labels. It is an error if p is not 2-D or has a single
// column (a sigmoid output: use Threshold).
func Argmax(p *dl.Tensor) (*dl.Tensor, error) {
	const op = "Argmax"
	if p == nil {
		return nil, errorf(op, "p is nil")
	}
	s := p.Shape()
	if len(s) != 2 {
		return nil, errorf(op, "p must have shape (samples, classes), received %s", dl.ShapeString(s))
	}
	if s[1] == 1 {
		return nil, errorf(op, "p has shape %s: a single column (a sigmoid output) has no classes to choose from; use prep.Threshold(p, 0.5)", dl.ShapeString(s))
	}
	if s[1] == 0 {
		return nil, errorf(op, "p of shape %s has no classes", dl.ShapeString(s))
	}
	out := dl.Zeros(s[0])
	d := p.Data()
	for i := range s[0] {
		row := d[i*s[1] : (i+1)*s[1]]
		best := 0
		for j, v := range row {
			if math.IsNaN(row[best]) {
				break // NumPy's argmax stops at the first NaN
			}
			if v > row[best] || math.IsNaN(v) {
				best = j
			}
		}
		out.Data()[i] = float64(best)
	}
	return out, nil
}
