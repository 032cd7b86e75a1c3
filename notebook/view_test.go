package notebook

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dlgo/dlgo/dl"
)

// fakeDisplay stands for the notebook and the clock in a test: it records
// every update of the views it makes and moves the clock by hand.
type fakeDisplay struct {
	now     time.Time
	ids     []string
	updates []string
	flushes int
}

func newFakeDisplay() *fakeDisplay {
	return &fakeDisplay{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

// view returns a View drawing into f, set up as Fit would set it up for a
// run with the parameters p.
func (f *fakeDisplay) view(p dl.Params) *View {
	v := NewView()
	v.sink = func(id, html string) {
		f.ids = append(f.ids, id)
		f.updates = append(f.updates, html)
	}
	v.flush = func() { f.flushes++ }
	v.clock = func() time.Time { return f.now }
	v.SetParams(p)
	return v
}

func (f *fakeDisplay) last() string {
	if len(f.updates) == 0 {
		return ""
	}
	return f.updates[len(f.updates)-1]
}

func TestFraction(t *testing.T) {
	for _, c := range []struct {
		p    Progress
		want float64
	}{
		{Progress{Epoch: 0, Epochs: 4, Step: 0, Steps: 10}, 0},
		{Progress{Epoch: 0, Epochs: 4, Step: 5, Steps: 10}, 0.125},
		{Progress{Epoch: 2, Epochs: 4, Step: 5, Steps: 10}, 0.625},
		{Progress{Epoch: 3, Epochs: 4, Step: 10, Steps: 10}, 1},
		{Progress{Epoch: 3, Epochs: 4, Step: 12, Steps: 10}, 1},
		{Progress{}, 0},
	} {
		if got := c.p.Fraction(); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("Fraction of %+v = %v, want %v", c.p, got, c.want)
		}
	}
}

func TestLineFormatsMetricsAsKeras(t *testing.T) {
	p := Progress{
		Epoch: 2, Epochs: 10, Step: 5, Steps: 12,
		Elapsed: 1250 * time.Millisecond, PerEpoch: 480 * time.Millisecond, ETA: 4*time.Minute + 5*time.Second,
		Metrics: []Metric{{"accuracy", 0.91234}, {"loss", 0.00012345}, {"mae", math.NaN()}, {"val_loss", math.Inf(1)}},
	}
	want := "Epoch 3/10 · step 5/12 · 1.2s total, 480ms/epoch · ETA 4m05s · accuracy: 0.9123 · loss: 1.2345e-04 · mae: nan · val_loss: inf"
	if got := p.Line(); got != want {
		t.Errorf("Line() =\n%s\nwant\n%s", got, want)
	}
	// Before the first epoch has finished there is no time per epoch.
	p.Epoch, p.PerEpoch, p.Metrics = 0, 0, nil
	if got, want := p.Line(), "Epoch 1/10 · step 5/12 · 1.2s total · ETA 4m05s"; got != want {
		t.Errorf("Line() = %q, want %q", got, want)
	}
	p.Done, p.Epoch, p.Step = true, 9, 12
	p.Elapsed, p.PerEpoch = 2*time.Hour+90*time.Second, 12*time.Minute+9*time.Second
	if got, want := p.Line(), "Epoch 10/10 · done · 2h02m total, 12m09s/epoch"; got != want {
		t.Errorf("Line() = %q, want %q", got, want)
	}
	p.Epoch, p.Elapsed, p.PerEpoch = 4, 300*time.Millisecond, 60*time.Millisecond
	if got, want := p.Line(), "Stopped at epoch 5 of 10 · 300ms total, 60ms/epoch"; got != want {
		t.Errorf("Line() = %q, want %q", got, want)
	}
	// An error in the middle of the last epoch stops training too.
	p.Epoch, p.Step = 9, 7
	if got, want := p.Line(), "Stopped at epoch 10 of 10 · 300ms total, 60ms/epoch"; got != want {
		t.Errorf("Line() = %q, want %q", got, want)
	}
}

func TestDurationUnits(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0µs"},
		{-time.Second, "0µs"},
		{850 * time.Microsecond, "850µs"},
		{999*time.Microsecond + 400*time.Nanosecond, "999µs"},
		{999*time.Microsecond + 600*time.Nanosecond, "1ms"},
		{48*time.Millisecond + 600*time.Microsecond, "49ms"},
		{999 * time.Millisecond, "999ms"},
		{999*time.Millisecond + 600*time.Microsecond, "1.0s"},
		{1250 * time.Millisecond, "1.2s"},
		{59*time.Second + 970*time.Millisecond, "1m00s"},
		{4*time.Minute + 5*time.Second, "4m05s"},
		{2*time.Hour + 90*time.Second, "2h02m"},
	} {
		if got := string(appendDuration(nil, c.d)); got != c.want {
			t.Errorf("appendDuration(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}

func TestSpan(t *testing.T) {
	for _, c := range []struct {
		first, epochs, n int
		done             bool
		want             int
	}{
		// During training the axis grows in round steps, up to the epochs requested.
		{0, 200, 0, false, 10},
		{0, 200, 1, false, 10},
		{0, 200, 10, false, 10},
		{0, 200, 11, false, 20},
		{0, 200, 21, false, 50},
		{0, 200, 60, false, 100},
		{0, 200, 150, false, 200},
		{0, 30, 25, false, 30},
		{0, 4, 1, false, 4},
		{5, 10, 2, false, 5},
		{10, 100, 3, false, 10},  // epochs 11 to 20
		{10, 100, 11, false, 40}, // epochs 11 to 50
		// At the end it spans exactly the epochs run.
		{0, 200, 25, true, 25},
		{0, 200, 200, true, 200},
		{5, 10, 5, true, 5},
		{0, 10, 0, true, 1},
	} {
		p := Progress{FirstEpoch: c.first, Epochs: c.epochs, Loss: make([]float64, c.n), Done: c.done}
		if got := p.Span(); got != c.want {
			t.Errorf("Span of %d epochs from %d of %d (done %v) = %d, want %d", c.n, c.first, c.epochs, c.done, got, c.want)
		}
	}
}

func TestHTMLProgressBarAndEscaping(t *testing.T) {
	p := Progress{Epoch: 1, Epochs: 4, Step: 3, Steps: 12, ETA: -1,
		Metrics: []Metric{{"<b>odd</b>", 1}}}
	h := p.HTML()
	if !strings.Contains(h, `<div style="width:31.2%;`) {
		t.Errorf("progress bar width: want 31.2%% (epoch 2 of 4, step 3 of 12) in\n%s", h)
	}
	if strings.Contains(h, "<b>odd</b>") || !strings.Contains(h, "&lt;b&gt;odd&lt;/b&gt;: 1.0000") {
		t.Errorf("metric names must be escaped:\n%s", h)
	}
	if strings.Contains(h, "ETA") {
		t.Errorf("unknown ETA shown:\n%s", h)
	}
	if strings.Contains(h, "<svg") {
		t.Errorf("chart drawn before any epoch finished:\n%s", h)
	}
}

var pointsRE = regexp.MustCompile(`<polyline[^>]*stroke="([^"]+)"[^>]* points="([^"]*)"`)

// polylines returns the points of each polyline of h, by stroke color.
func polylines(t *testing.T, h string) map[string][][2]float64 {
	t.Helper()
	out := map[string][][2]float64{}
	for _, m := range pointsRE.FindAllStringSubmatch(h, -1) {
		var pts [][2]float64
		for _, xy := range strings.Fields(m[2]) {
			x, y, ok := strings.Cut(xy, ",")
			if !ok {
				t.Fatalf("bad point %q", xy)
			}
			fx, err1 := strconv.ParseFloat(x, 64)
			fy, err2 := strconv.ParseFloat(y, 64)
			if err1 != nil || err2 != nil {
				t.Fatalf("bad point %q", xy)
			}
			pts = append(pts, [2]float64{fx, fy})
		}
		out[m[1]] = pts
	}
	return out
}

func TestChartPoints(t *testing.T) {
	p := Progress{Epoch: 2, Epochs: 5, Steps: 10, Step: 10,
		Loss:    []float64{1.0, 0.5, 0.25},
		ValLoss: []float64{1.25, 0.75, 0.5}}
	h := p.HTML()
	lines := polylines(t, h)
	// x: epochs 1..5 over [48, 352] (76 per epoch); y: [0.25, 1.25] over [96, 12].
	want := map[string][][2]float64{
		colorLoss: {{48, 12 + 84*0.25}, {124, 12 + 84*0.75}, {200, 96}},
		colorVal:  {{48, 12}, {124, 12 + 84*0.5}, {200, 12 + 84*0.75}},
	}
	for color, pts := range want {
		got := lines[color]
		if len(got) != len(pts) {
			t.Fatalf("curve %s has %d points, want %d:\n%s", color, len(got), len(pts), h)
		}
		for i := range pts {
			if math.Abs(got[i][0]-pts[i][0]) > 0.051 || math.Abs(got[i][1]-pts[i][1]) > 0.051 {
				t.Errorf("curve %s point %d = %v, want %v", color, i, got[i], pts[i])
			}
		}
	}
	for _, s := range []string{">1.25</text>", ">0.25</text>", ">1</text>", ">5</text>", ">val_loss</text>", `stroke-dasharray="4 2"`} {
		if !strings.Contains(h, s) {
			t.Errorf("chart lacks %q:\n%s", s, h)
		}
	}
}

func TestChartSkipsNonFiniteAndThinsLongCurves(t *testing.T) {
	loss := make([]float64, 1000)
	for i := range loss {
		loss[i] = 1 / float64(i+1)
	}
	loss[10] = math.NaN()
	p := Progress{Epoch: 999, Epochs: 1000, Loss: loss}
	pts := polylines(t, p.HTML())[colorLoss]
	if len(pts) < maxPoints/2 || len(pts) > maxPoints+1 {
		t.Errorf("%d points for 1000 epochs, want about %d", len(pts), maxPoints)
	}
	if last := pts[len(pts)-1]; math.Abs(last[0]-plotR) > 0.051 {
		t.Errorf("last point at x=%v, want the last epoch at %v", last[0], plotR)
	}
	// A flat curve gets a non-empty range.
	p = Progress{Epoch: 0, Epochs: 1, Loss: []float64{0.5}}
	pts = polylines(t, p.HTML())[colorLoss]
	if len(pts) != 1 || math.IsNaN(pts[0][1]) || pts[0][1] < plotT || pts[0][1] > plotB {
		t.Errorf("flat single-epoch curve: %v", pts)
	}
}

func TestViewThrottlesUpdates(t *testing.T) {
	t.Parallel()
	f := newFakeDisplay()
	keys := []string{"loss", "val_loss"}
	const epochs, steps = 3, 100
	v := f.view(dl.Params{Epochs: epochs, Steps: steps, Verbose: 1, Keys: keys})
	for e := 0; e < epochs; e++ {
		v.OnEpochBegin(e, nil)
		for s := 1; s <= steps; s++ {
			f.now = f.now.Add(10 * time.Millisecond) // 1 s per epoch
			v.OnTrainBatchEnd(s-1, dl.Logs{"loss": 1 / float64(s)})
		}
		v.OnEpochEnd(e, dl.Logs{"loss": 0.5, "val_loss": 0.6})
	}
	v.OnTrainEnd(nil)
	// One draw at the start, at most one per 150 ms during the 3 s of
	// training, and the final one.
	if n := len(f.updates); n < 3*6 || n > 2+3*(1000/150+1) {
		t.Errorf("%d updates over 3 s of training, want about one per 150 ms", n)
	}
	for _, id := range f.ids {
		if id != f.ids[0] {
			t.Fatalf("updates went to blocks %q and %q, want one block", f.ids[0], id)
		}
	}
	if f.flushes != 1 {
		t.Errorf("%d flushes, want 1 at the end", f.flushes)
	}
	last := f.last()
	for _, s := range []string{"Epoch 3/3 · done · 3.0s total, 1.0s/epoch · loss: 0.5000 · val_loss: 0.6000", `width:100.0%`, "<svg"} {
		if !strings.Contains(last, s) {
			t.Errorf("final block lacks %q:\n%s", s, last)
		}
	}
	if pts := polylines(t, last); len(pts[colorLoss]) != 3 || len(pts[colorVal]) != 3 {
		t.Errorf("final curves: %v, want 3 points each", pts)
	}
	// A middle update shows the running loss, an ETA and no val_loss yet.
	mid := f.updates[3]
	if !strings.Contains(mid, "ETA") || strings.Contains(mid, "val_loss:") || !strings.Contains(mid, "Epoch 1/3 · step ") ||
		!strings.Contains(mid, "s total · ETA") {
		t.Errorf("update during the first epoch:\n%s", mid)
	}
	// Later updates show the mean time of the finished epochs.
	if mid := f.updates[len(f.updates)/2]; !strings.Contains(mid, "Epoch 2/3 · step ") || !strings.Contains(mid, "s total, 1.0s/epoch · ETA") {
		t.Errorf("update during the second epoch:\n%s", mid)
	}
}

// xLabelRE matches the x axis's right label: the last epoch it spans.
var xLabelRE = regexp.MustCompile(`<text x="352" y="113" text-anchor="end" fill="#555">(\d+)</text>`)

// xAxisEnd returns the epoch at the right end of h's x axis, or 0.
func xAxisEnd(t *testing.T, h string) int {
	t.Helper()
	m := xLabelRE.FindAllStringSubmatch(h, -1)
	if len(m) != 1 {
		return 0
	}
	n, err := strconv.Atoi(m[0][1])
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestViewEarlyStoppedRunFillsTheChart(t *testing.T) {
	t.Parallel()
	f := newFakeDisplay()
	keys := []string{"loss", "val_loss"}
	const epochs, stop, steps = 200, 25, 4
	v := f.view(dl.Params{Epochs: epochs, Steps: steps, Verbose: 1, Keys: keys})
	var axis []int // the successive ends of the x axis
	for e := 0; e < stop; e++ {
		v.OnEpochBegin(e, nil)
		for s := 1; s <= steps; s++ {
			f.now = f.now.Add(12 * time.Millisecond) // 48 ms per epoch
			v.OnTrainBatchEnd(s-1, dl.Logs{"loss": 1})
		}
		v.OnEpochEnd(e, dl.Logs{"loss": 1 / float64(e+1), "val_loss": 1.5 / float64(e+1)})
		if end := xAxisEnd(t, f.last()); end != 0 && (len(axis) == 0 || axis[len(axis)-1] != end) {
			axis = append(axis, end)
		}
	}
	v.OnTrainEnd(nil) // EarlyStopping ended Fit after epoch 25
	// While training, the axis grows with the run, never to the 200 epochs requested.
	if fmt.Sprint(axis) != "[10 20 50]" {
		t.Errorf("while training, the x axis ended at epochs %v, want [10 20 50]", axis)
	}
	h := f.last()
	for _, s := range []string{"Stopped at epoch 25 of 200 · 1.2s total, 48ms/epoch · loss: 0.0400 · val_loss: 0.0600", `width:12.5%`} {
		if !strings.Contains(h, s) {
			t.Errorf("final block lacks %q:\n%s", s, h)
		}
	}
	if strings.Contains(h, "done") || strings.Contains(h, "ETA") || strings.Contains(h, "step ") {
		t.Errorf("final block of a stopped run:\n%s", h)
	}
	// The final x axis spans exactly the 25 epochs run: both curves go from
	// the left edge to the right edge.
	if end := xAxisEnd(t, h); end != stop {
		t.Errorf("final x axis ends at epoch %d, want %d:\n%s", end, stop, h)
	}
	lines := polylines(t, h)
	for _, color := range []string{colorLoss, colorVal} {
		pts := lines[color]
		if len(pts) != stop {
			t.Fatalf("curve %s has %d points, want %d", color, len(pts), stop)
		}
		if math.Abs(pts[0][0]-plotL) > 0.051 || math.Abs(pts[stop-1][0]-plotR) > 0.051 {
			t.Errorf("curve %s spans x from %v to %v, want %v to %v", color, pts[0][0], pts[stop-1][0], plotL, plotR)
		}
	}
}

func TestFitWithEarlyStopping(t *testing.T) {
	t.Parallel()
	f := newFakeDisplay()
	v := f.view(dl.Params{})
	v.clock = time.Now // real times
	m, x, y := tinyModel()
	// No loss improves by 100: training stops after 1+4 epochs.
	es := &dl.EarlyStopping{Monitor: "loss", MinDelta: 100, Patience: 4}
	h, err := m.Fit(x, y, dl.FitOptions{Epochs: 200, ValidationSplit: 0.25, Callbacks: []dl.Callback{es, v}})
	if err != nil {
		t.Fatal(err)
	}
	n := len(h.Epoch)
	if n != 5 {
		t.Fatalf("EarlyStopping stopped after %d epochs, want 5", n)
	}
	last := f.last()
	want := regexp.MustCompile(`Stopped at epoch 5 of 200 · \d+(\.\d)?(µs|ms|s) total, \d+(\.\d)?(µs|ms|s)/epoch · accuracy: `)
	if !want.MatchString(last) {
		t.Errorf("final block does not match %v:\n%s", want, last)
	}
	if end := xAxisEnd(t, last); end != n {
		t.Errorf("final x axis ends at epoch %d, want %d:\n%s", end, n, last)
	}
	if pts := polylines(t, last)[colorVal]; len(pts) != n || math.Abs(pts[n-1][0]-plotR) > 0.051 {
		t.Errorf("val_loss curve %v, want %d points ending at the right edge", pts, n)
	}
}

func TestViewVerbose2DrawsOnlyAtEpochEnds(t *testing.T) {
	t.Parallel()
	f := newFakeDisplay()
	keys := []string{"loss"}
	v := f.view(dl.Params{Epochs: 4, Steps: 50, Verbose: 2, Keys: keys})
	for e := 0; e < 4; e++ {
		v.OnEpochBegin(e, nil)
		for s := 1; s <= 50; s++ {
			f.now = f.now.Add(20 * time.Millisecond)
			v.OnTrainBatchEnd(s-1, dl.Logs{"loss": 1})
		}
		v.OnEpochEnd(e, dl.Logs{"loss": 1})
	}
	v.OnTrainEnd(nil)
	if len(f.updates) != 5 {
		t.Errorf("%d updates, want 4 epoch ends and the final one", len(f.updates))
	}
}

func TestViewManyTinyEpochs(t *testing.T) {
	t.Parallel()
	f := newFakeDisplay()
	keys := []string{"loss"}
	const epochs = 500
	v := f.view(dl.Params{Epochs: epochs, Steps: 2, Verbose: 1, Keys: keys})
	for e := 0; e < epochs; e++ {
		v.OnEpochBegin(e, nil)
		f.now = f.now.Add(time.Millisecond)
		v.OnTrainBatchEnd(0, dl.Logs{"loss": 1})
		f.now = f.now.Add(time.Millisecond)
		v.OnEpochEnd(e, dl.Logs{"loss": 1})
	}
	v.OnTrainEnd(nil)
	// 1 s of training: about one update per 50 ms, plus the last epoch and the end.
	if n := len(f.updates); n > 30 {
		t.Errorf("%d updates for 500 epochs of 2 ms, want about 20", n)
	}
	if !strings.Contains(f.last(), "Epoch 500/500") {
		t.Errorf("final block:\n%s", f.last())
	}
}

func TestViewResumedTraining(t *testing.T) {
	t.Parallel()
	f := newFakeDisplay()
	keys := []string{"loss"}
	v := f.view(dl.Params{Epochs: 10, Steps: 1, Verbose: 1, Keys: keys})
	for e := 5; e < 10; e++ {
		v.OnEpochBegin(e, nil)
		f.now = f.now.Add(time.Second)
		v.OnTrainBatchEnd(0, dl.Logs{"loss": 1})
		v.OnEpochEnd(e, dl.Logs{"loss": float64(10 - e)})
	}
	v.OnTrainEnd(nil)
	h := f.last()
	if !strings.Contains(h, ">6</text>") || !strings.Contains(h, ">10</text>") {
		t.Errorf("resumed training should chart epochs 6 to 10:\n%s", h)
	}
	if pts := polylines(t, h)[colorLoss]; len(pts) != 5 || math.Abs(pts[4][0]-plotR) > 0.051 {
		t.Errorf("curve %v, want 5 points ending at the right edge", pts)
	}
}

// tinyModel returns a compiled classifier and its data (200 × 8).
func tinyModel() (*dl.Model, *dl.Tensor, *dl.Tensor) {
	dl.SetRandomSeed(1)
	x, y := dl.Zeros(200, 8), dl.Zeros(200, 1)
	for i := 0; i < 200; i++ {
		s := 0.0
		for j := 0; j < 8; j++ {
			v := math.Sin(float64(i*8+j) * 0.37)
			x.Set(v, i, j)
			s += v
		}
		if s > 0 {
			y.Set(1, i, 0)
		}
	}
	m := dl.NewSequential(dl.Input(8), &dl.Dense{Units: 16, Activation: "relu"}, &dl.Dense{Units: 1, Activation: "sigmoid"})
	dl.Check(m.Compile(dl.CompileOptions{Optimizer: "adam", Loss: "binary_crossentropy", Metrics: []string{"accuracy"}}))
	return &m.Model, x, y
}

// TestRegisteredViewIsFitsDefault registers views as Install does and
// checks that Fit then shows one, unless Verbose is Silent or the callbacks
// bring their own progress display.
func TestRegisteredViewIsFitsDefault(t *testing.T) {
	f := newFakeDisplay()
	dl.RegisterProgress(func() dl.ProgressCallback { return f.view(dl.Params{}) })
	t.Cleanup(Uninstall)
	m, x, y := tinyModel()
	if _, err := m.Fit(x, y, dl.FitOptions{Epochs: 4, ValidationSplit: 0.25}); err != nil {
		t.Fatal(err)
	}
	if len(f.updates) == 0 {
		t.Fatal("Fit sent no update to the notebook")
	}
	last := f.last()
	for _, s := range []string{"Epoch 4/4", "done", "accuracy: ", "loss: ", "val_accuracy: ", "val_loss: ", "<svg"} {
		if !strings.Contains(last, s) {
			t.Errorf("final block lacks %q:\n%s", s, last)
		}
	}
	if pts := polylines(t, last); len(pts[colorLoss]) != 4 || len(pts[colorVal]) != 4 {
		t.Errorf("curves %v, want 4 points each", pts)
	}
	// Silent stays silent.
	n := len(f.updates)
	if _, err := m.Fit(x, y, dl.FitOptions{Epochs: 1, Verbose: dl.Silent}); err != nil {
		t.Fatal(err)
	}
	if len(f.updates) != n {
		t.Errorf("Verbose: dl.Silent sent %d updates", len(f.updates)-n)
	}
	// A progress callback of the caller's replaces the registered view.
	var out strings.Builder
	if _, err := m.Fit(x, y, dl.FitOptions{Epochs: 1, Callbacks: []dl.Callback{&dl.ProgbarLogger{}}, Output: &out}); err != nil {
		t.Fatal(err)
	}
	if len(f.updates) != n || !strings.Contains(out.String(), "━") {
		t.Errorf("with a ProgbarLogger, Fit sent %d updates and printed %q", len(f.updates)-n, out.String())
	}
}

// TestInstall checks that Install and Uninstall switch Fit's default
// display, and that the view is harmless outside a notebook.
func TestInstall(t *testing.T) {
	Install()
	t.Cleanup(Uninstall)
	m, x, y := tinyModel()
	var out strings.Builder
	if _, err := m.Fit(x, y, dl.FitOptions{Epochs: 2, Output: &out}); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 {
		t.Errorf("with the view installed, Fit printed %q", out.String())
	}
	Uninstall()
	if _, err := m.Fit(x, y, dl.FitOptions{Epochs: 2, Output: &out}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Epoch 2/2") {
		t.Errorf("after Uninstall, Fit printed %q, want the progress bar", out.String())
	}
}
