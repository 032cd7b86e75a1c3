package prep

import (
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/dlgo/dlgo/dl"
)

// SplitOptions are the keyword arguments of TrainTestSplit (scikit-learn:
// train_test_split). The zero value is scikit-learn's default: a shuffled
// split with a quarter of the samples in the test set.
type SplitOptions struct {
	// TestSize is the size of the test set: a fraction in (0, 1) of the
	// samples, rounded up (test_size=0.2 → TestSize: 0.2), or a whole number
	// of samples (test_size=53 → TestSize: 53). Zero means unset: the
	// complement of TrainSize, or 0.25 when both are unset. Unlike Python,
	// TestSize: 1 means one sample (scikit-learn rejects the float 1.0).
	TestSize float64
	// TrainSize is the size of the training set: a fraction in (0, 1) of the
	// samples, rounded down, or a whole number of samples. Zero means the
	// samples not in the test set.
	TrainSize float64
	// NoShuffle keeps the samples in order, the training set first
	// (scikit-learn: shuffle=False), as a time series needs.
	NoShuffle bool
	// RandomState seeds the shuffle (scikit-learn: random_state=42 →
	// RandomState: 42). The same seed always picks the same rows, and the
	// zero value is seed 0, so every split is reproducible; the rows picked
	// differ from NumPy's for the same seed.
	RandomState uint64
}

// TrainTestSplit splits each of arrays along its first axis into a
// training and a test part, picking the same rows from every array, and
// returns them in scikit-learn's order: x_train, x_test, y_train, y_test,
// and so on for further arrays.
//
//	x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, random_state=42)
//
//	parts, err := prep.TrainTestSplit([]*dl.Tensor{x, y}, prep.SplitOptions{TestSize: 0.2, RandomState: 42})
//	xTrain, xTest, yTrain, yTest := parts[0], parts[1], parts[2], parts[3]
//
// The sizes follow scikit-learn: a test fraction is rounded up
// (ceil(TestSize·n)), a training fraction down, and it is an error if the
// training set would be empty, if the two sizes add up to more than the
// samples, or if the arrays differ in length. With NoShuffle the training
// set is the first rows and the test set the rows after it; otherwise the
// rows are drawn by a permutation seeded with RandomState, the test rows
// first as in scikit-learn's ShuffleSplit. The parts are copies.
//
// TrainTestSplitXY is the same for the common case of one x and one y.
func TrainTestSplit(arrays []*dl.Tensor, opts SplitOptions) ([]*dl.Tensor, error) {
	const op = "TrainTestSplit"
	if len(arrays) == 0 {
		return nil, errorf(op, "at least one array is required")
	}
	lengths := make([]int, len(arrays))
	for k, a := range arrays {
		if a == nil {
			return nil, errorf(op, "array %d is nil", k)
		}
		if a.Rank() == 0 {
			return nil, errorf(op, "array %d is a scalar; it needs a first axis of samples", k)
		}
		lengths[k] = a.Len()
	}
	for _, l := range lengths {
		if l != lengths[0] {
			return nil, errorf(op, "the arrays have different numbers of samples: %v; they must be equal", lengths)
		}
	}
	if lengths[0] == 0 {
		return nil, errorf(op, "the arrays have no samples")
	}
	nTrain, nTest, err := splitSizes(op, lengths[0], opts)
	if err != nil {
		return nil, err
	}
	train, test := rowsOf(nTrain), make([]int, nTest)
	if opts.NoShuffle {
		for i := range test {
			test[i] = nTrain + i
		}
	} else {
		perm := rand.New(rand.NewPCG(opts.RandomState, 0x5851f42d4c957f2d)).Perm(lengths[0])
		copy(test, perm[:nTest])
		copy(train, perm[nTest:nTest+nTrain])
	}
	out := make([]*dl.Tensor, 0, 2*len(arrays))
	for _, a := range arrays {
		out = append(out, takeRows(a, train), takeRows(a, test))
	}
	return out, nil
}

// TrainTestSplitXY splits x and y as TrainTestSplit does and returns the
// four parts in scikit-learn's order:
//
//	x_train, x_val, y_train, y_val = train_test_split(x2, y2, test_size=53, shuffle=False)
//	xTrain, xVal, yTrain, yVal, err := prep.TrainTestSplitXY(x2, y2, prep.SplitOptions{TestSize: 53, NoShuffle: true})
func TrainTestSplitXY(x, y *dl.Tensor, opts SplitOptions) (xTrain, xTest, yTrain, yTest *dl.Tensor, err error) {
	parts, err := TrainTestSplit([]*dl.Tensor{x, y}, opts)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	return parts[0], parts[1], parts[2], parts[3], nil
}

// splitSizes computes the training and test set sizes for n samples with
// scikit-learn's _validate_shuffle_split rules.
func splitSizes(op string, n int, opts SplitOptions) (nTrain, nTest int, err error) {
	test, train := opts.TestSize, opts.TrainSize
	for _, s := range []struct {
		name string
		v    float64
	}{{"TestSize", test}, {"TrainSize", train}} {
		if math.IsNaN(s.v) || s.v < 0 || (s.v >= 1 && s.v != math.Trunc(s.v)) || math.IsInf(s.v, 0) {
			return 0, 0, errorf(op, "%s=%v must be a fraction in (0, 1) or a whole number of samples", s.name, s.v)
		}
		if s.v >= 1 && s.v >= float64(n) {
			return 0, 0, errorf(op, "%s=%v should be either positive and smaller than the number of samples %d or a fraction in (0, 1)", s.name, s.v, n)
		}
	}
	if test == 0 && train == 0 {
		test = 0.25
	}
	if test > 0 && test < 1 && train > 0 && train < 1 && test+train > 1 {
		return 0, 0, errorf(op, "the sum of TestSize and TrainSize = %v, should be in the (0, 1) range; reduce TestSize and/or TrainSize", test+train)
	}
	size := func(v float64, round func(float64) float64) int {
		if v < 1 {
			return int(round(v * float64(n)))
		}
		return int(v)
	}
	switch {
	case train == 0:
		nTest = size(test, math.Ceil)
		nTrain = n - nTest
	case test == 0:
		nTrain = size(train, math.Floor)
		nTest = n - nTrain
	default:
		nTest = size(test, math.Ceil)
		nTrain = size(train, math.Floor)
	}
	if nTrain+nTest > n {
		return 0, 0, errorf(op, "the sum of the training and test sizes = %d, should be smaller than the number of samples %d; reduce TestSize and/or TrainSize", nTrain+nTest, n)
	}
	if nTrain == 0 {
		samples := "samples"
		if n == 1 {
			samples = "sample"
		}
		return 0, 0, errorf(op, "with %d %s, TestSize=%s and TrainSize=%s, the training set would be empty; adjust TestSize or TrainSize",
			n, samples, sizeString(opts.TestSize), sizeString(opts.TrainSize))
	}
	return nTrain, nTest, nil
}

// sizeString formats a size option, "unset" for the zero value.
func sizeString(v float64) string {
	if v == 0 {
		return "unset"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// takeRows returns a copy of the rows of a at the given positions.
func takeRows(a *dl.Tensor, rows []int) *dl.Tensor {
	shape := a.Shape()
	per := rowSize(shape)
	shape[0] = len(rows)
	out := dl.Zeros(shape...)
	src, dst := a.Data(), out.Data()
	for k, i := range rows {
		copy(dst[k*per:(k+1)*per], src[i*per:(i+1)*per])
	}
	return out
}
