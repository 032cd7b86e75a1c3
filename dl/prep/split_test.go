package prep

import (
	"slices"
	"testing"

	"github.com/dlgo/dlgo/dl"
)

// arange returns the (n,) tensor 0, 1, ..., n-1.
func arange(n int) *dl.Tensor {
	x := dl.Zeros(n)
	for i := range n {
		x.Data()[i] = float64(i)
	}
	return x
}

func TestTrainTestSplitSizes(t *testing.T) {
	// Sizes from scikit-learn 1.9: train_test_split(np.arange(n), shuffle=False, **kw).
	cases := []struct {
		name          string
		n             int
		opts          SplitOptions
		nTrain, nTest int
	}{
		{"default", 10, SplitOptions{}, 7, 3},
		{"test_size=0.25", 10, SplitOptions{TestSize: 0.25}, 7, 3},
		{"test_size=3", 10, SplitOptions{TestSize: 3}, 7, 3},
		{"test_size=0.33", 10, SplitOptions{TestSize: 0.33}, 6, 4},
		{"train_size=0.5", 10, SplitOptions{TrainSize: 0.5}, 5, 5},
		{"train_size=3", 10, SplitOptions{TrainSize: 3}, 3, 7},
		{"test_size=0.1, train_size=0.3", 10, SplitOptions{TestSize: 0.1, TrainSize: 0.3}, 3, 1},
		{"test_size=2, train_size=5", 10, SplitOptions{TestSize: 2, TrainSize: 5}, 5, 2},
		{"test_size=0.1 of 30", 30, SplitOptions{TestSize: 0.1}, 27, 3},
		// 0.07·100 is 7.000000000000001 in float64, so ceil gives 8.
		{"test_size=0.07 of 100", 100, SplitOptions{TestSize: 0.07}, 92, 8},
		{"train_size=0.7", 10, SplitOptions{TrainSize: 0.7}, 7, 3},
		// 0.29·100 is 28.999999999999996, so floor gives 28.
		{"train_size=0.29 of 100", 100, SplitOptions{TrainSize: 0.29}, 28, 72},
		{"lecture test_size=53", 200, SplitOptions{TestSize: 53}, 147, 53},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.opts.NoShuffle = true
			parts, err := TrainTestSplit([]*dl.Tensor{arange(c.n)}, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			train, test := parts[0].Data(), parts[1].Data()
			if len(train) != c.nTrain || len(test) != c.nTest {
				t.Fatalf("sizes %d/%d, want %d/%d", len(train), len(test), c.nTrain, c.nTest)
			}
			// shuffle=False: train is the first rows, test the rows after it.
			if !slices.Equal(train, arange(c.nTrain).Data()) {
				t.Errorf("train = %v", train)
			}
			for i, v := range test {
				if v != float64(c.nTrain+i) {
					t.Errorf("test = %v, want rows %d.. in order", test, c.nTrain)
					break
				}
			}
		})
	}
}

func TestTrainTestSplitErrors(t *testing.T) {
	ten := arange(10)
	cases := []struct {
		name   string
		arrays []*dl.Tensor
		opts   SplitOptions
		want   string
	}{
		{"count too large", []*dl.Tensor{ten}, SplitOptions{TestSize: 10},
			"prep: TrainTestSplit: TestSize=10 should be either positive and smaller than the number of samples 10 or a fraction in (0, 1)"},
		{"negative", []*dl.Tensor{ten}, SplitOptions{TestSize: -1},
			"prep: TrainTestSplit: TestSize=-1 must be a fraction in (0, 1) or a whole number of samples"},
		{"fractional count", []*dl.Tensor{ten}, SplitOptions{TrainSize: 2.5},
			"prep: TrainTestSplit: TrainSize=2.5 must be a fraction in (0, 1) or a whole number of samples"},
		{"fractions over 1", []*dl.Tensor{ten}, SplitOptions{TestSize: 0.6, TrainSize: 0.6},
			"prep: TrainTestSplit: the sum of TestSize and TrainSize = 1.2, should be in the (0, 1) range; reduce TestSize and/or TrainSize"},
		{"counts over n", []*dl.Tensor{ten}, SplitOptions{TestSize: 6, TrainSize: 6},
			"prep: TrainTestSplit: the sum of the training and test sizes = 12, should be smaller than the number of samples 10; reduce TestSize and/or TrainSize"},
		{"empty train from test", []*dl.Tensor{ten}, SplitOptions{TestSize: 0.99},
			"prep: TrainTestSplit: with 10 samples, TestSize=0.99 and TrainSize=unset, the training set would be empty; adjust TestSize or TrainSize"},
		{"empty train from train", []*dl.Tensor{ten}, SplitOptions{TrainSize: 0.01},
			"prep: TrainTestSplit: with 10 samples, TestSize=unset and TrainSize=0.01, the training set would be empty; adjust TestSize or TrainSize"},
		{"one sample", []*dl.Tensor{arange(1)}, SplitOptions{},
			"prep: TrainTestSplit: with 1 sample, TestSize=unset and TrainSize=unset, the training set would be empty; adjust TestSize or TrainSize"},
		{"lengths differ", []*dl.Tensor{ten, arange(9)}, SplitOptions{},
			"prep: TrainTestSplit: the arrays have different numbers of samples: [10 9]; they must be equal"},
		{"no arrays", nil, SplitOptions{}, "prep: TrainTestSplit: at least one array is required"},
		{"nil array", []*dl.Tensor{ten, nil}, SplitOptions{}, "prep: TrainTestSplit: array 1 is nil"},
		{"empty", []*dl.Tensor{dl.Zeros(0, 3)}, SplitOptions{}, "prep: TrainTestSplit: the arrays have no samples"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := TrainTestSplit(c.arrays, c.opts)
			if err == nil || err.Error() != c.want {
				t.Errorf("got  %v\nwant %s", err, c.want)
			}
		})
	}
}

func TestTrainTestSplitShuffle(t *testing.T) {
	// x rows are (i, 10i, 100i) and y is i, so every part shows which rows it took.
	n := 20
	x := dl.Zeros(n, 3)
	for i := range n {
		x.Set(float64(i), i, 0)
		x.Set(float64(10*i), i, 1)
		x.Set(float64(100*i), i, 2)
	}
	y := arange(n)
	split := func(seed uint64) []*dl.Tensor {
		parts, err := TrainTestSplit([]*dl.Tensor{x, y}, SplitOptions{TestSize: 0.2, RandomState: seed})
		if err != nil {
			t.Fatal(err)
		}
		return parts
	}
	cases := []struct {
		name string
		seed uint64
	}{{"seed 0", 0}, {"seed 42", 42}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			parts := split(c.seed)
			if len(parts) != 4 {
				t.Fatalf("%d parts, want 4", len(parts))
			}
			xTrain, xTest, yTrain, yTest := parts[0], parts[1], parts[2], parts[3]
			if !slices.Equal(xTrain.Shape(), []int{16, 3}) || !slices.Equal(xTest.Shape(), []int{4, 3}) ||
				!slices.Equal(yTrain.Shape(), []int{16}) || !slices.Equal(yTest.Shape(), []int{4}) {
				t.Fatalf("shapes %v %v %v %v", xTrain.Shape(), xTest.Shape(), yTrain.Shape(), yTest.Shape())
			}
			// The same rows go to the same side in x and y.
			for _, p := range [][2]*dl.Tensor{{xTrain, yTrain}, {xTest, yTest}} {
				for i := range p[1].Len() {
					r := p[1].At(i)
					if p[0].At(i, 0) != r || p[0].At(i, 1) != 10*r || p[0].At(i, 2) != 100*r {
						t.Fatalf("x row %d = (%v, %v, %v) does not match y = %v", i, p[0].At(i, 0), p[0].At(i, 1), p[0].At(i, 2), r)
					}
				}
			}
			// Every row is used exactly once.
			all := slices.Sorted(slices.Values(append(slices.Clone(yTrain.Data()), yTest.Data()...)))
			if !slices.Equal(all, y.Data()) {
				t.Errorf("rows used: %v", all)
			}
			if slices.IsSorted(yTrain.Data()) {
				t.Errorf("training rows %v are in order: not shuffled", yTrain.Data())
			}
			// The same seed gives the same split.
			if again := split(c.seed); !slices.Equal(again[3].Data(), yTest.Data()) {
				t.Errorf("seed %d gave test rows %v, then %v", c.seed, yTest.Data(), again[3].Data())
			}
		})
	}
	if a, b := split(0)[3].Data(), split(42)[3].Data(); slices.Equal(a, b) {
		t.Errorf("seeds 0 and 42 picked the same test rows %v", a)
	}
	// The parts are copies.
	parts := split(1)
	parts[2].Data()[0] = -1
	if slices.Contains(y.Data(), -1) {
		t.Error("a part shares memory with its input")
	}
}

func TestTrainTestSplitXY(t *testing.T) {
	x := dl.Zeros(10, 4, 1)
	for i := range 10 {
		for j := range 4 {
			x.Set(float64(i+j), i, j, 0)
		}
	}
	xTrain, xVal, yTrain, yVal, err := TrainTestSplitXY(x, arange(10), SplitOptions{TestSize: 3, NoShuffle: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(xTrain.Shape(), []int{7, 4, 1}) || !slices.Equal(xVal.Shape(), []int{3, 4, 1}) {
		t.Fatalf("shapes %v %v", xTrain.Shape(), xVal.Shape())
	}
	if xVal.At(0, 3, 0) != 10 || yTrain.At(6) != 6 || yVal.At(2) != 9 {
		t.Errorf("xVal[0,3]=%v yTrain[6]=%v yVal[2]=%v", xVal.At(0, 3, 0), yTrain.At(6), yVal.At(2))
	}
	if _, _, _, _, err := TrainTestSplitXY(x, arange(9), SplitOptions{}); err == nil {
		t.Error("no error for different lengths")
	}
}
