package dl

import (
	"runtime"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

var impl = blas64.Implementation()

// Tile sizes for gemm. gonum's Dgemm runs a product serially when C has
// fewer than four 64×64 blocks; above that it starts a goroutine per block,
// which allocates on every call. gemm therefore cuts C into tiles of at most
// tileRows×tileCols (three blocks), which gonum multiplies serially and which
// stay in cache across the k loop, and shares the tiles between long-lived
// workers itself.
const (
	tileRows = 64
	tileCols = 192
	// parallelWork is the number of multiply-adds above which a product is
	// worth sharing between goroutines.
	parallelWork = 1 << 20
)

// gemm computes c = alpha·op(a)·op(b) + beta·c for row-major slices, where
// op(a) is m×k and op(b) is k×n. ta and tb say whether a and b are stored
// transposed (a as k×m, b as n×k). It does not allocate.
func gemm(ta, tb bool, m, n, k int, alpha float64, a, b []float64, beta float64, c []float64) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		if beta == 0 {
			clear(c[:m*n])
		} else {
			for i := range c[:m*n] {
				c[i] *= beta
			}
		}
		return
	}
	g := gemmArgs{ta: ta, tb: tb, m: m, n: n, k: k, alpha: alpha, a: a, b: b, beta: beta, c: c}
	ntiles := g.ntiles()
	if ntiles == 1 || m*n*k < parallelWork || runtime.GOMAXPROCS(0) == 1 {
		g.tiles(0, 1)
		return
	}
	pool.run(g)
}

// gemmArgs is one matrix product, whose C is cut into tiles numbered
// row-major.
type gemmArgs struct {
	ta, tb  bool
	m, n, k int
	alpha   float64
	a, b    []float64
	beta    float64
	c       []float64
}

// ntiles returns the number of tiles of C.
func (g *gemmArgs) ntiles() int {
	return ((g.m + tileRows - 1) / tileRows) * ((g.n + tileCols - 1) / tileCols)
}

// tiles multiplies the tiles first, first+stride, first+2·stride, ...
func (g *gemmArgs) tiles(first, stride int) {
	across := (g.n + tileCols - 1) / tileCols
	for t := first; t < g.ntiles(); t += stride {
		r0, c0 := (t/across)*tileRows, (t%across)*tileCols
		g.tile(r0, min(r0+tileRows, g.m), c0, min(c0+tileCols, g.n))
	}
}

// tile computes rows [r0, r1) and columns [c0, c1) of C.
func (g *gemmArgs) tile(r0, r1, c0, c1 int) {
	tA, lda, aOff := blas.NoTrans, g.k, r0*g.k
	if g.ta {
		tA, lda, aOff = blas.Trans, g.m, r0
	}
	tB, ldb, bOff := blas.NoTrans, g.n, c0
	if g.tb {
		tB, ldb, bOff = blas.Trans, g.k, c0*g.k
	}
	impl.Dgemm(tA, tB, r1-r0, c1-c0, g.k, g.alpha, g.a[aOff:], lda, g.b[bOff:], ldb, g.beta, g.c[r0*g.n+c0:], g.n)
}

// gemmPool shares the tiles of large products with long-lived worker
// goroutines, so that a training step does not allocate. One product runs
// at a time.
type gemmPool struct {
	once    sync.Once
	mu      sync.Mutex
	g       gemmArgs // the product in progress
	stride  int
	work    chan int // a worker's first tile
	done    chan struct{}
	workers int
}

var pool gemmPool

// run computes all tiles of g with the caller and the workers.
func (p *gemmPool) run(g gemmArgs) {
	p.once.Do(func() {
		p.workers = runtime.NumCPU() - 1
		p.work = make(chan int)
		p.done = make(chan struct{})
		for i := 0; i < p.workers; i++ {
			go func() {
				for first := range p.work {
					p.g.tiles(first, p.stride)
					p.done <- struct{}{}
				}
			}()
		}
	})
	p.mu.Lock()
	defer p.mu.Unlock()
	helpers := min(p.workers, runtime.GOMAXPROCS(0)-1, g.ntiles()-1)
	p.g, p.stride = g, helpers+1
	for i := 1; i <= helpers; i++ {
		p.work <- i
	}
	p.g.tiles(0, p.stride)
	for i := 0; i < helpers; i++ {
		<-p.done
	}
}
