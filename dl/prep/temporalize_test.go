package prep

import (
	"slices"
	"testing"

	"github.com/dlgo/dlgo/dl"
)

func TestTemporalize(t *testing.T) {
	x6 := dl.FromRows([][]float64{{1, 10}, {2, 20}, {3, 30}, {4, 40}, {5, 50}, {6, 60}})
	y6 := dl.FromSlice([]float64{.1, .2, .3, .4, .5, .6})
	cases := []struct {
		name   string
		x, y   *dl.Tensor
		k      int
		shape  []int
		xs, ys []float64
	}{
		// From the variant (a) helper of keras-semantics.md §12 in NumPy:
		// temporalize(X, y, 3) → X (4, 3, 2), y [0.3, 0.4, 0.5, 0.6].
		{"two features", x6, y6, 3, []int{4, 3, 2},
			[]float64{1, 10, 2, 20, 3, 30, 2, 20, 3, 30, 4, 40, 3, 30, 4, 40, 5, 50, 4, 40, 5, 50, 6, 60},
			[]float64{.3, .4, .5, .6}},
		{"1-D x and (n,1) y", dl.FromSlice([]float64{1, 2, 3, 4}), dl.FromSlice([]float64{5, 6, 7, 8}, 4, 1), 2,
			[]int{3, 2, 1}, []float64{1, 2, 2, 3, 3, 4}, []float64{6, 7, 8}},
		{"timesteps 1", dl.FromSlice([]float64{1, 2, 3}), dl.FromSlice([]float64{4, 5, 6}), 1,
			[]int{3, 1, 1}, []float64{1, 2, 3}, []float64{4, 5, 6}},
		{"timesteps n", dl.FromSlice([]float64{1, 2, 3}), dl.FromSlice([]float64{4, 5, 6}), 3,
			[]int{1, 3, 1}, []float64{1, 2, 3}, []float64{6}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			xs, ys, err := Temporalize(c.x, c.y, c.k)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(xs.Shape(), c.shape) || !slices.Equal(ys.Shape(), c.shape[:1]) {
				t.Fatalf("shapes %v %v, want %v and (%d,)", xs.Shape(), ys.Shape(), c.shape, c.shape[0])
			}
			if !slices.Equal(xs.Data(), c.xs) || !slices.Equal(ys.Data(), c.ys) {
				t.Errorf("got %v %v\nwant %v %v", xs.Data(), ys.Data(), c.xs, c.ys)
			}
		})
	}
	// The windows are copies.
	xs, _, _ := Temporalize(x6, y6, 3)
	xs.Data()[0] = -1
	if x6.At(0, 0) != 1 {
		t.Error("Temporalize shares memory with x")
	}
}

func TestTemporalizeErrors(t *testing.T) {
	x8, y8 := dl.Zeros(8, 1), dl.Zeros(8)
	cases := []struct {
		name string
		x, y *dl.Tensor
		k    int
		want string
	}{
		{"too many timesteps", x8, y8, 10, "prep: Temporalize: timesteps=10 is larger than the 8 rows of x"},
		{"zero timesteps", x8, y8, 0, "prep: Temporalize: timesteps=0 must be at least 1"},
		{"lengths", x8, dl.Zeros(7), 2, "prep: Temporalize: x has 8 rows but y has 7; they must be equal"},
		{"3-D x", dl.Zeros(8, 2, 1), y8, 2, "prep: Temporalize: x must have shape (samples,) or (samples, features), received (8, 2, 1)"},
		{"2-column y", x8, dl.Zeros(8, 2), 2, "prep: Temporalize: y must have shape (samples,) or (samples, 1), received (8, 2)"},
		{"nil", nil, y8, 2, "prep: Temporalize: x and y must not be nil"},
		{"no features", dl.Zeros(8, 0), y8, 2, "prep: Temporalize: x of shape (8, 0) has no features"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := Temporalize(c.x, c.y, c.k)
			if err == nil || err.Error() != c.want {
				t.Errorf("got  %v\nwant %s", err, c.want)
			}
		})
	}
}
