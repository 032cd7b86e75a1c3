package prep

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/dlgo/dlgo/dl"
)

// near reports whether a and b agree to 1e-12 (relative for large values),
// NaN matching NaN.
func near(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool {
		if math.IsNaN(x) || math.IsNaN(y) {
			return math.IsNaN(x) && math.IsNaN(y)
		}
		return math.Abs(x-y) <= 1e-12*math.Max(1, math.Abs(y))
	})
}

var (
	nan = math.NaN()
	// m3 is scikit-learn's documented-style example matrix.
	m3 = [][]float64{{1, 5, 2}, {3, 5, 4}, {5, 5, 10}}
	// mr has columns of mixed sign and size.
	mr = [][]float64{{0.3, 100.0}, {1.7, -2.5}, {2.2, 8.125}, {9.1, 3.3}, {-4.4, 0.0}}
	// mnan has a missing value in each column.
	mnan = [][]float64{{1, nan}, {2, 4}, {4, 8}, {nan, 9}}
)

func TestMinMaxScaler(t *testing.T) {
	// Expected values from scikit-learn 1.9: MinMaxScaler(**kw).fit(X) and
	// its data_min_, data_max_, scale_, min_ and transform(X).
	cases := []struct {
		name                    string
		s                       MinMaxScaler
		x                       [][]float64
		dataMin, dataMax        []float64
		scale, min, transformed []float64
		other, otherTransformed [][]float64
	}{
		{name: "constant column", x: m3,
			dataMin: []float64{1, 5, 2}, dataMax: []float64{5, 5, 10},
			scale: []float64{0.25, 1, 0.125}, min: []float64{-0.25, -5, -0.25},
			transformed: []float64{0, 0, 0, 0.5, 0, 0.25, 1, 0, 1}},
		{name: "mixed", x: mr,
			dataMin: []float64{-4.4, -2.5}, dataMax: []float64{9.1, 100},
			scale: []float64{0.07407407407407407, 0.00975609756097561}, min: []float64{0.32592592592592595, 0.024390243902439025},
			transformed: []float64{0.34814814814814815, 1.0, 0.45185185185185184, 0.0, 0.48888888888888893, 0.10365853658536586, 1.0, 0.05658536585365854, 0.0, 0.024390243902439025}},
		{name: "NaN ignored", x: mnan,
			dataMin: []float64{1, 4}, dataMax: []float64{4, 9},
			scale: []float64{0.3333333333333333, 0.2}, min: []float64{-0.3333333333333333, -0.8},
			transformed: []float64{0.0, nan, 0.3333333333333333, 0.0, 1.0, 0.8, nan, 1.0}},
		// MinMaxScaler(feature_range=(-1, 1)).fit(M).transform([[0,6,11],[3,5,4]])
		{name: "range -1 1", s: MinMaxScaler{FeatureRange: [2]float64{-1, 1}}, x: m3,
			dataMin: []float64{1, 5, 2}, dataMax: []float64{5, 5, 10},
			scale: []float64{0.5, 2, 0.25}, min: []float64{-1.5, -11, -1.5},
			transformed: []float64{-1, -1, -1, 0, -1, -0.5, 1, -1, 1},
			other:       [][]float64{{0, 6, 11}, {3, 5, 4}}, otherTransformed: [][]float64{{-1.5, 1.0, 1.25}, {0.0, -1.0, -0.5}}},
		// The same with clip=True.
		{name: "clip", s: MinMaxScaler{FeatureRange: [2]float64{-1, 1}, Clip: true}, x: m3,
			dataMin: []float64{1, 5, 2}, dataMax: []float64{5, 5, 10},
			scale: []float64{0.5, 2, 0.25}, min: []float64{-1.5, -11, -1.5},
			transformed: []float64{-1, -1, -1, 0, -1, -0.5, 1, -1, 1},
			other:       [][]float64{{0, 6, 11}, {3, 5, 4}}, otherTransformed: [][]float64{{-1.0, 1.0, 1.0}, {0.0, -1.0, -0.5}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := c.s
			x := dl.FromRows(c.x)
			before := slices.Clone(x.Data())
			got, err := s.FitTransform(x)
			if err != nil {
				t.Fatal(err)
			}
			if !sameFloats(x.Data(), before) {
				t.Error("FitTransform changed its input")
			}
			for _, p := range []struct {
				name      string
				got, want []float64
			}{
				{"DataMin", s.DataMin, c.dataMin}, {"DataMax", s.DataMax, c.dataMax},
				{"Scale", s.Scale, c.scale}, {"Min", s.Min, c.min},
				{"transform", got.Data(), c.transformed},
			} {
				if !near(p.got, p.want) {
					t.Errorf("%s = %v, want %v", p.name, p.got, p.want)
				}
			}
			back, err := s.InverseTransform(got)
			if err != nil {
				t.Fatal(err)
			}
			if !near(back.Data(), x.Data()) {
				t.Errorf("InverseTransform(Transform(x)) = %v, want %v", back.Data(), x.Data())
			}
			if c.other != nil {
				o, err := s.Transform(dl.FromRows(c.other))
				if err != nil {
					t.Fatal(err)
				}
				if want := dl.FromRows(c.otherTransformed).Data(); !near(o.Data(), want) {
					t.Errorf("Transform(other) = %v, want %v", o.Data(), want)
				}
			}
		})
	}
}

func TestStandardScaler(t *testing.T) {
	// Expected values from scikit-learn 1.9: StandardScaler(**kw).fit(X).
	cases := []struct {
		name                  string
		s                     StandardScaler
		x                     [][]float64
		mean, variance, scale []float64
		transformed           []float64
	}{
		{name: "constant column", x: m3,
			mean: []float64{3, 5, 5.333333333333333}, variance: []float64{2.6666666666666665, 0, 11.555555555555557},
			scale:       []float64{1.632993161855452, 1, 3.39934634239519},
			transformed: []float64{-1.224744871391589, 0, -0.98058067569092, 0, 0, -0.392232270276368, 1.224744871391589, 0, 1.3728129459672882}},
		{name: "mixed", x: mr,
			mean: []float64{1.78, 21.785}, variance: []float64{18.8296, 1542.0449000000003},
			scale: []float64{4.3393087007033735, 39.268879535836014},
			transformed: []float64{-0.3410681521137461, 1.9917807924369861, -0.018436116330472777, -0.618428645967298,
				0.09678961073498203, -0.3478581554010002, 1.6869046442382574, -0.47072898994051887, -1.4241899865290208, -0.5547650011281691}},
		{name: "NaN ignored", x: mnan,
			mean: []float64{2.3333333333333335, 7}, variance: []float64{1.5555555555555554, 4.666666666666667},
			scale: []float64{1.247219128924647, 2.160246899469287},
			transformed: []float64{-1.0690449676496978, nan, -0.2672612419124245, -1.3887301496588271,
				1.3363062095621219, 0.4629100498862757, nan, 0.9258200997725514}},
		// A column of 0.1s has a mean of 0.10000000000000002 and is constant.
		{name: "rounding constant", x: [][]float64{{0.1}, {0.1}, {0.1}},
			mean: []float64{0.10000000000000002}, variance: []float64{0}, scale: []float64{1},
			transformed: []float64{-1.3877787807814457e-17, -1.3877787807814457e-17, -1.3877787807814457e-17}},
		{name: "with_mean=False", s: StandardScaler{NoMean: true}, x: m3,
			mean: []float64{3, 5, 5.333333333333333}, variance: []float64{2.6666666666666665, 0, 11.555555555555557},
			scale:       []float64{1.632993161855452, 1, 3.39934634239519},
			transformed: []float64{0.6123724356957945, 5.0, 0.5883484054145521, 1.8371173070873836, 5.0, 1.1766968108291043, 3.0618621784789726, 5.0, 2.9417420270727606}},
		{name: "with_std=False", s: StandardScaler{NoStd: true}, x: m3,
			mean:        []float64{3, 5, 5.333333333333333},
			transformed: []float64{-2.0, 0.0, -3.333333333333333, 0.0, 0.0, -1.333333333333333, 2.0, 0.0, 4.666666666666667}},
		{name: "neither", s: StandardScaler{NoMean: true, NoStd: true}, x: m3,
			transformed: []float64{1, 5, 2, 3, 5, 4, 5, 5, 10}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := c.s
			x := dl.FromRows(c.x)
			got, err := s.FitTransform(x)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range []struct {
				name      string
				got, want []float64
			}{
				{"Mean", s.Mean, c.mean}, {"Var", s.Var, c.variance}, {"Scale", s.Scale, c.scale},
				{"transform", got.Data(), c.transformed},
			} {
				if (p.got == nil) != (p.want == nil) || !near(p.got, p.want) {
					t.Errorf("%s = %v, want %v", p.name, p.got, p.want)
				}
			}
			back, err := s.InverseTransform(got)
			if err != nil {
				t.Fatal(err)
			}
			if !near(back.Data(), x.Data()) {
				t.Errorf("InverseTransform(Transform(x)) = %v, want %v", back.Data(), x.Data())
			}
		})
	}
}

// scaler is the method set both scalers share.
type scaler interface {
	Fit(*dl.Tensor) error
	Transform(*dl.Tensor) (*dl.Tensor, error)
	InverseTransform(*dl.Tensor) (*dl.Tensor, error)
	FitTransform(*dl.Tensor) (*dl.Tensor, error)
}

func TestScalerErrors(t *testing.T) {
	fitted := func(s scaler) scaler {
		if err := s.Fit(dl.FromRows(m3)); err != nil {
			t.Fatal(err)
		}
		return s
	}
	y := dl.FromSlice([]float64{1, 2, 3})
	cases := []struct {
		name string
		do   func() error
		want string
	}{
		{"MinMax before Fit", func() error { _, err := (&MinMaxScaler{}).Transform(dl.FromRows(m3)); return err },
			"prep: MinMaxScaler: call Fit before Transform (this MinMaxScaler is not fitted yet)"},
		{"Standard before Fit", func() error { _, err := (&StandardScaler{}).InverseTransform(dl.FromRows(m3)); return err },
			"prep: StandardScaler: call Fit before InverseTransform (this StandardScaler is not fitted yet)"},
		{"1-D", func() error { _, err := (&MinMaxScaler{}).FitTransform(y); return err },
			"prep: MinMaxScaler: Fit: expected a 2-D tensor (samples, features), got a 1-D tensor of shape (3,); " +
				"reshape it with x.Reshape(-1, 1) if it holds a single feature (such as a target y) or x.Reshape(1, -1) if it holds a single sample"},
		{"3-D", func() error { return (&StandardScaler{}).Fit(dl.Zeros(2, 2, 2)) },
			"prep: StandardScaler: Fit: expected a 2-D tensor (samples, features), got a 3-D tensor of shape (2, 2, 2)"},
		{"no samples", func() error { return (&MinMaxScaler{}).Fit(dl.Zeros(0, 2)) },
			"prep: MinMaxScaler: Fit: x of shape (0, 2) has no samples; at least 1 is required"},
		{"no features", func() error { return (&StandardScaler{}).Fit(dl.Zeros(2, 0)) },
			"prep: StandardScaler: Fit: x of shape (2, 0) has no features; at least 1 is required"},
		{"nil", func() error { return (&MinMaxScaler{}).Fit(nil) }, "prep: MinMaxScaler: Fit: x is nil"},
		{"infinity", func() error { return (&MinMaxScaler{}).Fit(dl.FromRows([][]float64{{1, 2}, {3, math.Inf(1)}})) },
			"prep: MinMaxScaler: Fit: x contains infinity at row 1, column 1"},
		{"all NaN MinMax", func() error { return (&MinMaxScaler{}).Fit(dl.FromRows([][]float64{{1, nan}, {2, nan}})) },
			"prep: MinMaxScaler: column 1 of x holds only NaN, so it has no minimum or maximum; drop those rows (Frame.DropNA) or that column"},
		{"all NaN Standard", func() error { return (&StandardScaler{}).Fit(dl.FromRows([][]float64{{nan, 1}, {nan, 2}})) },
			"prep: StandardScaler: column 0 of x holds only NaN, so it has no mean; drop those rows (Frame.DropNA) or that column"},
		{"bad range", func() error { return (&MinMaxScaler{FeatureRange: [2]float64{1, 0}}).Fit(dl.FromRows(m3)) },
			"prep: MinMaxScaler: the minimum of FeatureRange must be smaller than its maximum, received (1, 0)"},
		{"features MinMax", func() error { _, err := fitted(&MinMaxScaler{}).Transform(dl.Zeros(2, 2)); return err },
			"prep: MinMaxScaler: Transform: x has 2 features, but MinMaxScaler is expecting 3 features as input"},
		{"features Standard", func() error { _, err := fitted(&StandardScaler{}).InverseTransform(dl.Zeros(2, 4)); return err },
			"prep: StandardScaler: InverseTransform: x has 4 features, but StandardScaler is expecting 3 features as input"},
		{"options changed", func() error {
			s := &StandardScaler{NoStd: true}
			fitted(s)
			s.NoStd = false
			_, err := s.Transform(dl.FromRows(m3))
			return err
		}, "prep: StandardScaler: Transform: NoMean or NoStd was changed after Fit; call Fit again"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.do()
			if err == nil || err.Error() != c.want {
				t.Errorf("got  %v\nwant %s", err, c.want)
			}
		})
	}
}

func TestScalerRefitAndFailedFit(t *testing.T) {
	s := &MinMaxScaler{}
	if err := s.Fit(dl.FromRows(m3)); err != nil {
		t.Fatal(err)
	}
	// A failed Fit keeps the previous fit.
	if err := s.Fit(dl.FromSlice([]float64{1, 2})); err == nil || !strings.Contains(err.Error(), "Reshape") {
		t.Fatalf("got %v", err)
	}
	if !slices.Equal(s.Scale, []float64{0.25, 1, 0.125}) {
		t.Errorf("Scale after a failed Fit = %v", s.Scale)
	}
	// A new Fit replaces it.
	if err := s.Fit(dl.FromRows([][]float64{{0}, {2}})); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.Scale, []float64{0.5}) {
		t.Errorf("Scale after refit = %v", s.Scale)
	}
}
