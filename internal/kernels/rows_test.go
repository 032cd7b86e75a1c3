package kernels

import (
	"math/rand/v2"
	"testing"
)

// TestAddRows checks AddRows and AddRows32 bitwise against the Go loop on
// every width up to 70 columns and up to 9 rows, and that they leave the
// columns they do not add alone.
func TestAddRows(t *testing.T) {
	t.Run("float64", func(t *testing.T) { checkAddRows(t, AddRows, 4) })
	t.Run("float32", func(t *testing.T) { checkAddRows(t, AddRows32, 8) })
}

func checkAddRows[T float32 | float64](t *testing.T, addRows func(g, m []T, n int) int, lanes int) {
	rng := rand.New(rand.NewPCG(11, 12))
	for n := 0; n <= 70; n++ {
		for rows := 0; rows <= 9; rows++ {
			m := make([]T, rows*n)
			for i := range m {
				m[i] = T(rng.NormFloat64() * float64(1+i%5*1000))
			}
			g := make([]T, n)
			for i := range g {
				g[i] = T(rng.NormFloat64())
			}
			want := append([]T(nil), g...)
			c := addRows(g, m, n)
			wantC := n &^ (lanes - 1)
			if !haveKernel || rows == 0 {
				wantC = 0
			}
			if c != wantC {
				t.Fatalf("AddRows of %d×%d added %d columns, want %d", rows, n, c, wantC)
			}
			for r := range rows {
				for j := range c {
					want[j] += m[r*n+j]
				}
			}
			for j := range n {
				if g[j] != want[j] {
					t.Fatalf("%d×%d: column %d of %d added: %v, want %v", rows, n, j, c, g[j], want[j])
				}
			}
		}
	}
}
