package dl

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// orthogonalReference is the orthogonal initializer as dl first wrote it:
// gonum's QR with the full (n, n) Q, of which it keeps the first m columns.
func orthogonalReference(w []float64, rows, cols int, rng *rand.Rand) {
	n, m := max(rows, cols), min(rows, cols)
	a := mat.NewDense(n, m, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < m; j++ {
			a.Set(i, j, rng.NormFloat64())
		}
	}
	var qr mat.QR
	qr.Factorize(a)
	var q, r mat.Dense
	qr.QTo(&q)
	qr.RTo(&r)
	for j := 0; j < m; j++ {
		s := signum(r.At(j, j))
		for i := 0; i < n; i++ {
			v := s * q.At(i, j)
			if rows < cols {
				w[j*cols+i] = v
			} else {
				w[i*cols+j] = v
			}
		}
	}
}

// TestOrthogonalUnchanged checks that the recurrent kernels of every size
// up to orthogonalExactWork are bit for bit those dl has always drawn, so
// that a seed gives the same model as before.
func TestOrthogonalUnchanged(t *testing.T) {
	for _, s := range [][2]int{{8, 8}, {16, 64}, {5, 15}, {12, 4}, {1, 4}, {4, 1}, {1, 1}, {8, 24},
		{16, 48}, {32, 128}, {50, 150}, {64, 256}, {70, 280}, {129, 516}, {300, 300}, {200, 50}} {
		rows, cols := s[0], s[1]
		if n, m := max(rows, cols), min(rows, cols); n*m*m > orthogonalExactWork {
			t.Fatalf("%v is above orthogonalExactWork", s)
		}
		got, want := make([]float64, rows*cols), make([]float64, rows*cols)
		orthogonal(got, rows, cols, rand.New(rand.NewPCG(7, uint64(rows))))
		orthogonalReference(want, rows, cols, rand.New(rand.NewPCG(7, uint64(rows))))
		if !sameBits(got, want) {
			t.Errorf("(%d, %d): the initializer's values changed", rows, cols)
		}
	}
}

// gramError returns the largest deviation from the identity of the Gram
// matrix of w's short side.
func gramError(w []float64, rows, cols int) float64 {
	n := min(rows, cols)
	g := make([]float64, n*n)
	if rows <= cols {
		gemmT(false, true, rows, rows, cols, 1, w, w, 0, g)
	} else {
		gemmT(true, false, cols, cols, rows, 1, w, w, 0, g)
	}
	worst := 0.0
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			want := 0.0
			if i == j {
				want = 1
			}
			worst = max(worst, math.Abs(g[i*n+j]-want))
		}
	}
	return worst
}

// TestOrthogonalLarge checks the CholeskyQR2 path of large sizes: the
// result is orthonormal to working precision, and it is the matrix that
// Householder QR gives for the same draw, up to rounding.
func TestOrthogonalLarge(t *testing.T) {
	for _, s := range [][2]int{{300, 1200}, {1200, 300}, {600, 600}, {290, 870}, {1024, 4096}} {
		rows, cols := s[0], s[1]
		if n, m := max(rows, cols), min(rows, cols); n*m*m <= orthogonalExactWork {
			t.Fatalf("%v is not above orthogonalExactWork", s)
		}
		w := make([]float64, rows*cols)
		orthogonal(w, rows, cols, rand.New(rand.NewPCG(9, uint64(rows))))
		if e := gramError(w, rows, cols); e > 1e-13 {
			t.Errorf("(%d, %d): Gram matrix off the identity by %g", rows, cols, e)
		}
		if rows*cols > 1<<20 {
			continue // Householder takes seconds
		}
		// The same draw through Householder QR.
		rng := rand.New(rand.NewPCG(9, uint64(rows)))
		n, m := max(rows, cols), min(rows, cols)
		a := make([]float64, n*m)
		for i := range a {
			a[i] = rng.NormFloat64()
		}
		want := make([]float64, rows*cols)
		orthogonalHouseholder(want, a, rows, cols)
		worst := 0.0
		for i := range w {
			worst = max(worst, math.Abs(w[i]-want[i]))
		}
		if worst > 1e-10 {
			t.Errorf("(%d, %d): differs from Householder QR by up to %g", rows, cols, worst)
		}
	}
}

// TestOrthogonalIllConditioned gives CholeskyQR2 draws it cannot handle:
// it declines them, and orthogonal's Householder fallback still returns an
// orthogonal matrix.
func TestOrthogonalIllConditioned(t *testing.T) {
	const rows, cols = 300, 900
	n, m := max(rows, cols), min(rows, cols)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct {
		name string
		fill func(a []float64)
	}{
		{"rank_deficient", func(a []float64) { // the last column repeats the first
			for i := 0; i < n; i++ {
				a[i*m+m-1] = a[i*m]
			}
		}},
		{"nearly_rank_deficient", func(a []float64) {
			for i := 0; i < n; i++ {
				a[i*m+m-1] = a[i*m] + 1e-9*a[i*m+m-1]
			}
		}},
		{"zero_column", func(a []float64) {
			for i := 0; i < n; i++ {
				a[i*m+3] = 0
			}
		}},
	} {
		a := make([]float64, n*m)
		for i := range a {
			a[i] = rng.NormFloat64()
		}
		c.fill(a)
		w := make([]float64, rows*cols)
		if orthogonalCholesky(w, a, rows, cols) {
			t.Errorf("%s: CholeskyQR2 accepted an ill-conditioned draw", c.name)
		}
		orthogonalHouseholder(w, a, rows, cols)
		if c.name != "nearly_rank_deficient" {
			continue // an exactly singular A has no unique Q
		}
		if e := gramError(w, rows, cols); e > 1e-12 {
			t.Errorf("%s: the fallback's Gram matrix is off the identity by %g", c.name, e)
		}
	}
}

// BenchmarkOrthogonal measures the recurrent initializer on LSTM shapes,
// (units, 4·units).
func BenchmarkOrthogonal(b *testing.B) {
	for _, u := range []int{16, 64, 256, 512, 1024} {
		b.Run(fmt.Sprint(u), func(b *testing.B) {
			w := make([]float64, u*4*u)
			rng := rand.New(rand.NewPCG(1, 1))
			for b.Loop() {
				orthogonal(w, u, 4*u, rng)
			}
		})
	}
}

// BenchmarkBuildLSTM1024 measures building
// dl.NewSequential(dl.Input(4, 1), &dl.LSTM{Units: 1024}).
func BenchmarkBuildLSTM1024(b *testing.B) {
	for b.Loop() {
		NewSequential(Input(4, 1), &LSTM{Units: 1024})
	}
}
