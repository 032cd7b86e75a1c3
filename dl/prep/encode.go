package prep

import (
	"math"
	"slices"

	"github.com/dlgo/dlgo/dl"
)

// maxCategories (65536) bounds the number of classes ToCategorical encodes: a
// larger label is almost surely not a class label (a price, an identifier,
// a value read from the wrong column), and its one-hot rows would fill the
// memory.
const maxCategories = 1 << 16

// maxValues bounds the size of what ToCategorical and Temporalize
// return (2 GiB of float64).
const maxValues = 1 << 28

// ToCategorical one-hot encodes integer class labels (Keras:
// keras.utils.to_categorical): y of shape (n,) or (n, 1) with values 0 …
// numClasses-1 becomes (n, numClasses). numClasses 0 means 1 + the largest
// label, as in Keras. Labels must be whole numbers from 0 to 65535: a larger
// one is an error, since its one-hot rows would hardly be class labels and
// could fill the memory.
func ToCategorical(y *dl.Tensor, numClasses int) (*dl.Tensor, error) {
	const op = "ToCategorical"
	if y == nil {
		return nil, errorf(op, "y is nil")
	}
	if numClasses < 0 || numClasses > maxCategories {
		return nil, errorf(op, "numClasses must be 0 (1 + the largest label) or a number of classes up to %d; received numClasses=%d", maxCategories, numClasses)
	}
	s := y.Shape()
	if len(s) == 0 || len(s) > 2 || (len(s) == 2 && s[1] != 1) {
		return nil, errorf(op, "y must hold one label per sample, shape (n,) or (n, 1); received %s", dl.ShapeString(s))
	}
	data := y.Data()
	largest := -1
	for i, v := range data {
		if v != math.Trunc(v) || v < 0 || math.IsInf(v, 0) {
			return nil, errorf(op, "y[%d] = %v is not a class label (a whole number from 0)", i, v)
		}
		if v >= maxCategories {
			return nil, errorf(op, "y[%d] = %v is too large for a class label: ToCategorical encodes at most %d classes (0 to %d); "+
				"check that y holds class labels, or map its values to 0, 1, 2, ... first", i, v, maxCategories, maxCategories-1)
		}
		largest = max(largest, int(v))
	}
	if numClasses == 0 {
		numClasses = largest + 1
	}
	if largest >= numClasses {
		return nil, errorf(op, "y holds the label %d, which needs numClasses > %d; received numClasses=%d", largest, largest, numClasses)
	}
	if numClasses == 0 {
		return nil, errorf(op, "y is empty, so numClasses cannot be inferred; pass numClasses")
	}
	if len(data) > maxValues/numClasses {
		return nil, errorf(op, "the result would have %d × %d values, more than %d; encode fewer samples at a time", len(data), numClasses, maxValues)
	}
	out := dl.Zeros(len(data), numClasses)
	for i, v := range data {
		out.Set(1, i, int(v))
	}
	return out, nil
}

// OneHot encodes text categories as one-hot columns, the categories sorted
// (pandas: pd.get_dummies on one column). It returns the (n, categories)
// tensor and the categories in column order.
func OneHot(values []string) (*dl.Tensor, []string) {
	cats := slices.Clone(values)
	slices.Sort(cats)
	cats = slices.Compact(cats)
	out := dl.Zeros(len(values), len(cats))
	for i, v := range values {
		j, _ := slices.BinarySearch(cats, v)
		out.Set(1, i, j)
	}
	return out, cats
}

// LogLoss is the binary cross-entropy of predicted probabilities against
// 0/1 labels, averaged over samples (scikit-learn: log_loss for two
// classes). Probabilities are clipped to [1e-15, 1-1e-15] as scikit-learn
// does, so it stays finite. Unlike a model's val_loss it holds no weight
// penalty, which makes it the fair number to compare regularized models.
func LogLoss(yTrue, yPred *dl.Tensor) (float64, error) {
	n, k, t, p, err := regTargets("LogLoss", yTrue, yPred)
	if err != nil {
		return 0, err
	}
	if k != 1 {
		return 0, errorf("LogLoss", "needs one probability per sample (two classes); received %d per sample", k)
	}
	const eps = 1e-15
	var s float64
	for i, y := range t {
		if y != 0 && y != 1 {
			return 0, errorf("LogLoss", "yTrue[%d] = %v is not a 0/1 label", i, y)
		}
		q := min(max(p[i], eps), 1-eps)
		s -= y*math.Log(q) + (1-y)*math.Log(1-q)
	}
	return s / float64(n), nil
}
