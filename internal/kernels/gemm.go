package kernels

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
)

// impl and impl32 are gonum's BLAS, which Gemm and Sgemm fall back on.
var (
	impl   = blas64.Implementation()
	impl32 = blas32.Implementation()
)

// useKernel says whether Gemm and Sgemm use the packed product with the
// assembly micro-kernels (gemm_packed.go) rather than gonum's Dgemm and
// Sgemm, and useAVX512 whether they use the AVX-512 kernels as well as the
// AVX2 ones. Tests turn them off to check the other paths.
var (
	useKernel = haveKernel
	useAVX512 = haveAVX512
)

// Tile sizes for the gonum fallback. gonum's Dgemm runs a product serially
// when C has fewer than four 64×64 blocks; above that it starts a goroutine
// per block, which allocates on every call. Gemm therefore cuts C into
// tiles of at most tileRows×tileCols (three blocks), which gonum multiplies
// serially and which stay in cache across the k loop, and shares the tiles
// between long-lived workers itself.
const (
	tileRows = 64
	tileCols = 192
	// parallelWork is the number of multiply-adds above which a product is
	// worth sharing between goroutines.
	parallelWork = 1 << 20
)

// Gemm computes c = alpha·op(a)·op(b) + beta·c for row-major slices, where
// op(a) is m×k and op(b) is k×n. ta and tb say whether a and b are stored
// transposed (a as k×m, b as n×k). With beta = 0, c is overwritten (NaNs in
// it do not propagate); with alpha = 0, a and b are not read. It does not
// allocate.
//
// On amd64 with AVX2 and FMA it uses the packed product of gemm_packed.go
// with assembly micro-kernels (AVX-512 ones too where available), and
// gonum's Dgemm elsewhere. Products of at least parallelWork multiply-adds
// are shared with the worker pool.
func Gemm(ta, tb bool, m, n, k int, alpha float64, a, b []float64, beta float64, c []float64) {
	gemm(ta, tb, m, n, k, alpha, a, b, beta, c)
}

// Sgemm is Gemm for float32: it computes c = alpha·op(a)·op(b) + beta·c
// for row-major slices, where op(a) is m×k and op(b) is k×n, ta and tb
// saying whether a and b are stored transposed (a as k×m, b as n×k). With
// beta = 0, c is overwritten (NaNs in it do not propagate); with
// alpha = 0, a and b are not read. It does not allocate.
//
// It sums in float32 with fused multiply-adds, so its results differ from
// the float64 product by rounding errors that grow with k. On amd64 with
// AVX2 and FMA it uses the packed product with float32 micro-kernels
// (AVX-512 ones too where available), 16 columns wide, and gonum's Sgemm
// elsewhere. Products of at least parallelWork multiply-adds are shared
// with the worker pool.
func Sgemm(ta, tb bool, m, n, k int, alpha float32, a, b []float32, beta float32, c []float32) {
	gemm(ta, tb, m, n, k, alpha, a, b, beta, c)
}

// gemmRowsBudget bounds op(B) for GemmRows and SgemmRows, which pack it
// whole, in elements.
const gemmRowsBudget = 1 << 20

// GemmRows computes the product alpha·op(a)·op(b) as Gemm does with
// beta = 0, but without writing it out: it hands it to each a band of rows
// at a time, calling each(r0, r1, band) with rows [r0, r1) of the product
// in band (row-major, n values a row, valid during the call only). The
// calls come in no particular order and, for a large product, from several
// goroutines at once, each with its own rows; each must not start a
// product or a Parallel job itself. The values are those Gemm computes.
//
// A band is in cache when each receives it, and the product is never
// stored whole: an optimizer's step, fused into the product that computes
// a weight's gradient, reads the gradient from cache. GemmRows returns
// false, having done nothing, when it cannot compute the product so: on a
// machine without the assembly kernels, when k exceeds gemmKC (the rows
// would be complete only after several passes) or op(b) is too large to
// pack whole.
func GemmRows(ta, tb bool, m, n, k int, alpha float64, a, b []float64, each func(r0, r1 int, band []float64)) bool {
	return gemmRows(ta, tb, m, n, k, alpha, a, b, each)
}

// SgemmRows is GemmRows for float32, with Sgemm's values.
func SgemmRows(ta, tb bool, m, n, k int, alpha float32, a, b []float32, each func(r0, r1 int, band []float32)) bool {
	return gemmRows(ta, tb, m, n, k, alpha, a, b, each)
}

// gemmRows is GemmRows and SgemmRows.
func gemmRows[T gemmFloat](ta, tb bool, m, n, k int, alpha T, a, b []T, each func(r0, r1 int, band []T)) bool {
	nr := gemmWidth[T]()
	width := (n + nr - 1) / nr * nr
	if !useKernel || m == 0 || n == 0 || k == 0 || k > gemmKC || width*k > gemmRowsBudget {
		return false
	}
	_, _ = a[m*k-1], b[k*n-1]
	g := gemmArgs[T]{ta: ta, tb: tb, m: m, n: n, k: k, alpha: alpha, a: a, b: b,
		kernel: true, wide: useAVX512, each: each}
	s := gemmBuffers.get()
	buf := gemmBufOf[T](s)
	buf.b = gemmGrow(buf.b, width*k)
	g.packB(buf.b, 0, k, 0, n, true)
	g.bp = buf.b // the chunks share it, read only
	if chunks := g.chunks(); chunks <= 1 || !poolRun(&pool, &g, chunks) {
		g.bandRows(0, m, buf)
	}
	gemmBuffers.put(s)
	return true
}

// gemm is Gemm and Sgemm.
func gemm[T gemmFloat](ta, tb bool, m, n, k int, alpha T, a, b []T, beta T, c []T) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || alpha == 0 {
		if beta == 0 {
			clear(c[:m*n])
		} else {
			for i := range c[:m*n] {
				c[i] *= beta
			}
		}
		return
	}
	// The assembly reads and writes through pointers: check the lengths.
	_, _, _ = a[m*k-1], b[k*n-1], c[m*n-1]
	g := gemmArgs[T]{ta: ta, tb: tb, m: m, n: n, k: k, alpha: alpha, a: a, b: b, beta: beta, c: c,
		kernel: useKernel, wide: useKernel && useAVX512}
	if chunks := g.chunks(); chunks > 1 && poolRun(&pool, &g, chunks) {
		return
	}
	if !g.kernel {
		g.tiles(0, 1)
		return
	}
	s := gemmBuffers.get()
	g.packed(0, m, 0, n, gemmBufOf[T](s))
	gemmBuffers.put(s)
}

// gemmArgs is one matrix product.
type gemmArgs[T gemmFloat] struct {
	ta, tb  bool
	m, n, k int
	alpha   T
	a, b    []T
	beta    T
	c       []T
	kernel  bool // use the packed product rather than gonum
	wide    bool // with the AVX-512 kernels
	// For GemmRows: the receiver of the bands of rows, and op(B) packed
	// whole, which the chunks share.
	each func(r0, r1 int, band []T)
	bp   []T
}

// gemmChunksPerProc is the number of chunks per goroutine that a shared
// product is cut into.
const gemmChunksPerProc = 4

// chunks returns the number of chunks to cut the product into for sharing
// it between goroutines, or 1 if it is not worth sharing.
func (g *gemmArgs[T]) chunks() int {
	if g.m*g.n*g.k < parallelWork {
		return 1
	}
	procs := runtime.GOMAXPROCS(0)
	if procs == 1 {
		return 1
	}
	if !g.kernel {
		return g.ntiles()
	}
	if g.each != nil {
		return min(procs*gemmChunksPerProc, (g.m+gemmMR-1)/gemmMR)
	}
	return min(procs*gemmChunksPerProc, g.blocks())
}

// blocks returns the number of kernel blocks along the dimension of C that
// the packed product cuts into chunks: the longer one, so that each chunk
// packs its share of the larger operand.
func (g *gemmArgs[T]) blocks() int {
	if g.m > g.n {
		return (g.m + gemmMR - 1) / gemmMR
	}
	nr := gemmWidth[T]()
	return (g.n + nr - 1) / nr
}

// chunk computes chunk i of n of the product, using s for packing.
func (g *gemmArgs[T]) chunk(i, n int, s *gemmScratch) {
	if g.each != nil {
		nb := (g.m + gemmMR - 1) / gemmMR
		b0, b1 := i*nb/n, (i+1)*nb/n
		g.bandRows(b0*gemmMR, min(b1*gemmMR, g.m), gemmBufOf[T](s))
		return
	}
	if !g.kernel {
		g.tiles(i, n) // n is the number of tiles: this is tile i
		return
	}
	nb, nr := g.blocks(), gemmWidth[T]()
	b0, b1 := i*nb/n, (i+1)*nb/n
	if g.m > g.n {
		g.packed(b0*gemmMR, min(b1*gemmMR, g.m), 0, g.n, gemmBufOf[T](s))
	} else {
		g.packed(0, g.m, b0*nr, min(b1*nr, g.n), gemmBufOf[T](s))
	}
}

// ntiles returns the number of gonum tiles of C.
func (g *gemmArgs[T]) ntiles() int {
	return ((g.m + tileRows - 1) / tileRows) * ((g.n + tileCols - 1) / tileCols)
}

// tiles multiplies the gonum tiles first, first+stride, first+2·stride, ...
func (g *gemmArgs[T]) tiles(first, stride int) {
	across := (g.n + tileCols - 1) / tileCols
	for t := first; t < g.ntiles(); t += stride {
		r0, c0 := (t/across)*tileRows, (t%across)*tileCols
		g.tile(r0, min(r0+tileRows, g.m), c0, min(c0+tileCols, g.n))
	}
}

// tile computes rows [r0, r1) and columns [c0, c1) of C with gonum.
func (g *gemmArgs[T]) tile(r0, r1, c0, c1 int) {
	tA, lda, aOff := blas.NoTrans, g.k, r0*g.k
	if g.ta {
		tA, lda, aOff = blas.Trans, g.m, r0
	}
	tB, ldb, bOff := blas.NoTrans, g.n, c0
	if g.tb {
		tB, ldb, bOff = blas.Trans, g.k, c0*g.k
	}
	switch a := any(&g.a).(type) {
	case *[]float64:
		b, c := any(&g.b).(*[]float64), any(&g.c).(*[]float64)
		impl.Dgemm(tA, tB, r1-r0, c1-c0, g.k, float64(g.alpha), (*a)[aOff:], lda, (*b)[bOff:], ldb, float64(g.beta), (*c)[r0*g.n+c0:], g.n)
	case *[]float32:
		b, c := any(&g.b).(*[]float32), any(&g.c).(*[]float32)
		impl32.Sgemm(tA, tB, r1-r0, c1-c0, g.k, float32(g.alpha), (*a)[aOff:], lda, (*b)[bOff:], ldb, float32(g.beta), (*c)[r0*g.n+c0:], g.n)
	}
}

// gemmScratchList keeps the packing buffers of goroutines that call Gemm, so
// that a buffer, once grown, is reused by the next product: one in last,
// which a single goroutine takes and returns without locking, and the
// others, used when several goroutines multiply at once, in free.
type gemmScratchList struct {
	last atomic.Pointer[gemmScratch]
	mu   sync.Mutex
	free []*gemmScratch
}

var gemmBuffers gemmScratchList

// get returns a free buffer, or a new one if all are in use.
func (l *gemmScratchList) get() *gemmScratch {
	if s := l.last.Swap(nil); s != nil {
		return s
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if n := len(l.free); n > 0 {
		s := l.free[n-1]
		l.free = l.free[:n-1]
		return s
	}
	return new(gemmScratch)
}

// put returns s to the free buffers.
func (l *gemmScratchList) put(s *gemmScratch) {
	if l.last.CompareAndSwap(nil, s) {
		return
	}
	l.mu.Lock()
	l.free = append(l.free, s)
	l.mu.Unlock()
}

// gemmPool shares large products with long-lived worker goroutines, each
// with its own packing buffers, so that a training step does not allocate.
// A product is cut into chunks, which the caller and the woken workers take
// in turn until none is left: if a worker is slow to get a core (the
// machine is busy), the caller does its share rather than wait for it.
// One product runs at a time.
type gemmPool struct {
	once    sync.Once
	mu      sync.Mutex        // held by the product in progress
	g       gemmArgs[float64] // the product in progress: a float64 one
	sg      gemmArgs[float32] // or a float32 one
	ext     chunkedJob        // or a Parallel job
	job     poolJob           // which of them: &g, &sg or &ext
	chunks  int               // its number of chunks
	next    atomic.Int64      // the next chunk to take
	left    atomic.Int64      // the chunks not finished yet
	busy    atomic.Int64      // the workers woken for the product and not done
	seq     atomic.Uint64     // counts the jobs; a change calls the workers
	asleep  atomic.Int64      // the workers blocked on work
	work    chan struct{}     // wakes a worker that sleeps
	done    chan struct{}     // says a worker finished the last chunk
	workers int
}

// spinTime is how long a worker, having finished its part of a job, and
// the caller, waiting for the workers' parts, poll before they sleep: the
// products of a training step follow each other within microseconds, and
// waking a sleeping goroutine takes tens of them.
const spinTime = 100 * time.Microsecond

// spin polls done until it returns true or spinTime has passed, and
// reports whether it returned true.
func spin(done func() bool) bool {
	var start time.Time
	for i := 0; ; i++ {
		if done() {
			return true
		}
		if i%256 == 0 {
			if i == 0 {
				start = time.Now()
			} else if time.Since(start) > spinTime {
				return false
			}
		}
	}
}

// poolJob is work that the pool cuts into chunks: a product, or a
// Parallel job.
type poolJob interface {
	// run computes chunk i of n, using s for packing.
	run(i, n int, s *gemmScratch)
}

func (g *gemmArgs[T]) run(i, n int, s *gemmScratch) { g.chunk(i, n, s) }

// Chunked is work that Parallel shares between goroutines: Chunk(i, n)
// does part i of n, and the parts may run at once, in any order.
type Chunked interface{ Chunk(i, n int) }

// chunkedJob runs a Chunked in the pool.
type chunkedJob struct{ c Chunked }

func (j *chunkedJob) run(i, n int, _ *gemmScratch) { j.c.Chunk(i, n) }

// Parallel runs the chunks parts of c on the calling goroutine and the
// worker goroutines that multiply large matrices, and returns when all are
// done. It runs them all on the caller when the workers are busy with
// another job, or there is one core. It does not allocate. Elementwise
// updates of large arrays (an optimizer's step) use it to use every core.
func Parallel(c Chunked, chunks int) {
	if chunks > 1 && runtime.GOMAXPROCS(0) > 1 && pool.acquire() {
		pool.ext.c, pool.job = c, &pool.ext
		pool.runChunks(chunks)
		pool.mu.Unlock()
		return
	}
	for i := range chunks {
		c.Chunk(i, chunks)
	}
}

var pool gemmPool

// start starts the workers.
func (p *gemmPool) start() {
	p.workers = runtime.NumCPU() - 1
	p.work = make(chan struct{}, p.workers)
	p.done = make(chan struct{}, 1)
	for i := 0; i < p.workers; i++ {
		go p.worker(p.seq.Load())
	}
}

// worker takes part in every job after the seen-th: it polls for the next
// one for a while after each (see spinTime), then sleeps until one comes.
func (p *gemmPool) worker(seen uint64) {
	s := new(gemmScratch)
	for {
		newJob := func() bool { return p.seq.Load() != seen }
		for !spin(newJob) {
			// Sleep, unless a job came meanwhile: the caller wakes the
			// workers it finds asleep after announcing a job.
			p.asleep.Add(1)
			if !newJob() {
				<-p.work
			}
			p.asleep.Add(-1)
		}
		seen = p.seq.Load()
		if p.take(s) {
			p.done <- struct{}{}
		}
		p.busy.Add(-1)
	}
}

// poolRun computes g, cut into chunks, with the caller and the workers of
// p. It returns false, having done nothing, if another product holds the
// pool or a worker has not yet left the previous one.
func poolRun[T gemmFloat](p *gemmPool, g *gemmArgs[T], chunks int) bool {
	if !p.acquire() {
		return false
	}
	defer p.mu.Unlock()
	if d, ok := any(g).(*gemmArgs[float64]); ok {
		p.g, p.job = *d, &p.g
	} else {
		p.sg, p.job = *any(g).(*gemmArgs[float32]), &p.sg
	}
	p.runChunks(chunks)
	return true
}

// acquire takes p for a job, starting its workers the first time. It
// returns false if another job holds it, a worker has not yet left the
// previous one, or there are no workers.
func (p *gemmPool) acquire() bool {
	p.once.Do(p.start)
	if p.workers == 0 || !p.mu.TryLock() {
		return false
	}
	if !spin(func() bool { return p.busy.Load() == 0 }) {
		p.mu.Unlock()
		return false
	}
	return true
}

// runChunks runs p.job, cut into chunks, with the caller and the workers,
// the caller holding p.mu.
func (p *gemmPool) runChunks(chunks int) {
	p.chunks = chunks
	p.next.Store(0)
	p.left.Store(int64(chunks))
	p.busy.Store(int64(p.workers))
	p.seq.Add(1)
	for range p.asleep.Load() {
		select {
		case p.work <- struct{}{}:
		default:
		}
	}
	s := gemmBuffers.get()
	last := p.take(s)
	gemmBuffers.put(s)
	if !last {
		spin(func() bool { return p.left.Load() == 0 })
		<-p.done
	}
	p.g.a, p.g.b, p.g.c, p.g.each, p.g.bp = nil, nil, nil, nil, nil // let the operands go
	p.sg.a, p.sg.b, p.sg.c, p.sg.each, p.sg.bp = nil, nil, nil, nil, nil
	p.ext.c, p.job = nil, nil
}

// take computes chunks of the product in progress until none is left to
// take, and reports whether it finished the last one.
func (p *gemmPool) take(s *gemmScratch) (last bool) {
	for {
		i := int(p.next.Add(1) - 1)
		if i >= p.chunks {
			return false
		}
		p.job.run(i, p.chunks, s)
		if p.left.Add(-1) == 0 {
			return true
		}
	}
}
