package notebook

import (
	"html"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/janpfeifer/gonb/gonbui"

	"github.com/dlgo/dlgo/dl"
)

// Metric is a named value shown by the live view, such as "loss" or
// "val_accuracy".
type Metric struct {
	Name  string
	Value float64
}

// Progress is a snapshot of training as the live view shows it.
type Progress struct {
	// Epoch is the current epoch, counting from 0; Epochs is the total.
	Epoch, Epochs int
	// Step is the number of batches done in the epoch; Steps is their total.
	Step, Steps int
	// Elapsed is the time since training started.
	Elapsed time.Duration
	// PerEpoch is the mean time of the finished epochs, or 0 before the
	// first epoch has finished.
	PerEpoch time.Duration
	// ETA is the estimated time left, or a negative value when unknown.
	ETA time.Duration
	// Metrics are the current values, in History's key order.
	Metrics []Metric
	// Loss and ValLoss hold loss and val_loss of each finished epoch, in
	// order (ValLoss is empty without validation). Epoch i of the curve is
	// epoch FirstEpoch+i of training.
	Loss, ValLoss []float64
	// FirstEpoch is the epoch training started from (FitOptions.InitialEpoch).
	FirstEpoch int
	// Done is set when training has ended: the view then shows its final
	// state, with a learning curve spanning exactly the epochs run.
	Done bool
}

// Fraction returns how much of the training is done, from 0 to 1.
func (p *Progress) Fraction() float64 {
	if p.Epochs <= 0 {
		return 0
	}
	f := float64(p.Epoch)
	if p.Steps > 0 {
		f += float64(min(p.Step, p.Steps)) / float64(p.Steps)
	}
	return min(max(f/float64(p.Epochs), 0), 1)
}

// Stopped reports whether training ended before its last epoch was
// finished, by a callback (EarlyStopping) or an error.
func (p *Progress) Stopped() bool {
	return p.Done && (p.Epoch+1 < p.Epochs || p.Step < p.Steps)
}

// Line returns the one-line summary the view shows above its progress bar.
// During training it reads, for example,
//
//	Epoch 3/10 · step 5/12 · 1.2s total, 410ms/epoch · ETA 4.1s · loss: 0.5000
//
// and once training has ended
//
//	Epoch 10/10 · done · 4.1s total, 410ms/epoch · loss: 0.2500
//	Stopped at epoch 25 of 200 · 1.2s total, 48ms/epoch · loss: 0.2500
func (p *Progress) Line() string {
	return string(p.appendLine(nil, false))
}

// appendLine appends the summary line, HTML-escaped when escape is set.
func (p *Progress) appendLine(b []byte, escape bool) []byte {
	epoch := int64(min(p.Epoch+1, p.Epochs))
	if p.Stopped() {
		b = append(b, "Stopped at epoch "...)
		b = strconv.AppendInt(b, epoch, 10)
		b = append(b, " of "...)
		b = strconv.AppendInt(b, int64(p.Epochs), 10)
	} else {
		b = append(b, "Epoch "...)
		b = strconv.AppendInt(b, epoch, 10)
		b = append(b, '/')
		b = strconv.AppendInt(b, int64(p.Epochs), 10)
	}
	switch {
	case p.Done && !p.Stopped():
		b = append(b, " · done"...)
	case !p.Done && p.Steps > 0:
		b = append(b, " · step "...)
		b = strconv.AppendInt(b, int64(p.Step), 10)
		b = append(b, '/')
		b = strconv.AppendInt(b, int64(p.Steps), 10)
	}
	b = append(b, " · "...)
	b = appendDuration(b, p.Elapsed)
	b = append(b, " total"...)
	if p.PerEpoch > 0 {
		b = append(b, ", "...)
		b = appendDuration(b, p.PerEpoch)
		b = append(b, "/epoch"...)
	}
	if !p.Done && p.ETA >= 0 {
		b = append(b, " · ETA "...)
		b = appendDuration(b, p.ETA)
	}
	for _, m := range p.Metrics {
		b = append(b, " · "...)
		if escape {
			b = append(b, html.EscapeString(m.Name)...)
		} else {
			b = append(b, m.Name...)
		}
		b = append(b, ": "...)
		b = dl.AppendLogValue(b, m.Value)
	}
	return b
}

// HTML returns the view's block: the summary line, a progress bar and, once
// an epoch has finished, the learning curve.
func (p *Progress) HTML() string {
	return string(p.appendHTML(nil))
}

// Colors of the view: the progress bar and loss curve, and val_loss.
const (
	colorLoss = "#1f77b4"
	colorVal  = "#ff7f0e"
)

func (p *Progress) appendHTML(b []byte) []byte {
	b = append(b, `<div class="dlgo-progress" style="font-family:monospace;font-size:12px;line-height:1.5">`...)
	b = append(b, `<div>`...)
	b = p.appendLine(b, true)
	b = append(b, `</div><div style="width:360px;height:8px;background:#e5e5e5;border-radius:4px;margin:2px 0 4px 0"><div style="width:`...)
	b = strconv.AppendFloat(b, 100*p.Fraction(), 'f', 1, 64)
	b = append(b, `%;height:100%;background:`...)
	b = append(b, colorLoss...)
	b = append(b, `;border-radius:4px"></div></div>`...)
	if len(p.Loss) > 0 {
		b = p.appendChart(b)
	}
	return append(b, `</div>`...)
}

// Geometry of the learning-curve chart, in SVG user units (pixels).
const (
	chartW, chartH = 360, 120
	plotL, plotR   = 48, 352 // plot area, left and right
	plotT, plotB   = 8, 100  // plot area, top and bottom
	padY           = 4       // space between the curves and the frame
	maxPoints      = 400     // longer curves are thinned to about this many points
	minSpan        = 10      // the x axis spans at least this many epochs during training
)

// Span returns the number of epochs the learning curve's x axis spans, from
// epoch FirstEpoch+1 to FirstEpoch+Span. Once training has ended it is the
// number of epochs run, so that the curve fills the chart even when training
// stopped early. During training the axis grows with the run in round steps
// (10, 20, 50, 100, 200, ... epochs, never beyond the epochs requested), so
// that the first epochs of a long run are not squeezed into a corner and the
// axis seldom moves.
func (p *Progress) Span() int {
	n := len(p.Loss)
	if p.Done {
		return max(n, 1)
	}
	end := roundUp(p.FirstEpoch + max(n, minSpan))
	return max(min(end-p.FirstEpoch, p.Epochs-p.FirstEpoch), n, 1)
}

// roundUp returns the least of 1, 2, 5, 10, 20, 50, ... that is at least n
// (stopping short of overflow).
func roundUp(n int) int {
	for p := 1; ; p *= 10 {
		for _, m := range [...]int{1, 2, 5} {
			if m*p >= n || m*p > math.MaxInt/20 {
				return m * p
			}
		}
	}
}

// appendChart appends the learning curve as an inline SVG: loss (solid) and
// val_loss (dashed) per finished epoch, on an x axis spanning Span epochs.
func (p *Progress) appendChart(b []byte) []byte {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, c := range [][]float64{p.Loss, p.ValLoss} {
		for _, v := range c {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
	}
	if lo > hi {
		return b
	}
	if hi-lo < 1e-12 {
		d := max(math.Abs(lo)*0.05, 1e-3)
		lo, hi = lo-d, hi+d
	}
	span := p.Span()
	b = append(b, `<svg xmlns="http://www.w3.org/2000/svg" width="360" height="120" viewBox="0 0 360 120" style="font-family:sans-serif;font-size:10px">`...)
	// Frame and axis labels: loss range on the left, epochs below.
	b = append(b, `<rect x="48" y="8" width="304" height="92" fill="none" stroke="#bbb"/>`...)
	b = appendText(b, plotL-4, plotT+padY+4, "end", formatTick(hi))
	b = appendText(b, plotL-4, plotB-padY+4, "end", formatTick(lo))
	b = appendText(b, plotL, plotB+13, "start", strconv.Itoa(p.FirstEpoch+1))
	if span > 1 {
		b = appendText(b, plotR, plotB+13, "end", strconv.Itoa(p.FirstEpoch+span))
	}
	b = appendText(b, (plotL+plotR)/2, plotB+13, "middle", "epoch")
	// Legend.
	b = append(b, `<text x="346" y="22" text-anchor="end" fill="`+colorLoss+`">loss</text>`...)
	if len(p.ValLoss) > 0 {
		b = append(b, `<text x="346" y="34" text-anchor="end" fill="`+colorVal+`">val_loss</text>`...)
	}
	b = appendPolyline(b, p.Loss, span, lo, hi, colorLoss, "")
	b = appendPolyline(b, p.ValLoss, span, lo, hi, colorVal, ` stroke-dasharray="4 2"`)
	return append(b, `</svg>`...)
}

// point returns the SVG coordinates of the value v of epoch i (from 0) on a
// chart spanning span epochs with values from lo to hi.
func point(i, span int, v, lo, hi float64) (x, y float64) {
	x = plotL
	if span > 1 {
		x += float64(i) * (plotR - plotL) / float64(span-1)
	}
	y = plotB - padY - (v-lo)/(hi-lo)*(plotB-plotT-2*padY)
	return x, y
}

// appendPolyline appends curve c as a polyline with a dot on its last point.
func appendPolyline(b []byte, c []float64, span int, lo, hi float64, color, extra string) []byte {
	if len(c) == 0 {
		return b
	}
	stride := max(1, (len(c)+maxPoints-1)/maxPoints)
	b = append(b, `<polyline fill="none" stroke-width="1.5" stroke="`...)
	b = append(b, color...)
	b = append(b, '"')
	b = append(b, extra...)
	b = append(b, ` points="`...)
	var lastX, lastY float64
	n := 0
	for i := 0; i < len(c); i += stride {
		if i+stride >= len(c) {
			i = len(c) - 1 // always end on the last epoch
		}
		v := c[i]
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		lastX, lastY = point(i, span, v, lo, hi)
		if n > 0 {
			b = append(b, ' ')
		}
		b = strconv.AppendFloat(b, lastX, 'f', 1, 64)
		b = append(b, ',')
		b = strconv.AppendFloat(b, lastY, 'f', 1, 64)
		n++
	}
	b = append(b, `"/>`...)
	if n > 0 {
		b = append(b, `<circle r="2" fill="`...)
		b = append(b, color...)
		b = append(b, `" cx="`...)
		b = strconv.AppendFloat(b, lastX, 'f', 1, 64)
		b = append(b, `" cy="`...)
		b = strconv.AppendFloat(b, lastY, 'f', 1, 64)
		b = append(b, `"/>`...)
	}
	return b
}

// appendText appends an SVG text element (s must need no escaping).
func appendText(b []byte, x, y int, anchor, s string) []byte {
	b = append(b, `<text x="`...)
	b = strconv.AppendInt(b, int64(x), 10)
	b = append(b, `" y="`...)
	b = strconv.AppendInt(b, int64(y), 10)
	b = append(b, `" text-anchor="`...)
	b = append(b, anchor...)
	b = append(b, `" fill="#555">`...)
	b = append(b, s...)
	return append(b, `</text>`...)
}

// formatTick formats an axis label with 3 significant digits.
func formatTick(v float64) string {
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// appendDuration appends d rounded to its unit, as "850µs", "48ms", "3.2s",
// "4m05s" or "1h02m".
func appendDuration(b []byte, d time.Duration) []byte {
	switch {
	case d < time.Millisecond-time.Microsecond/2:
		b = strconv.AppendInt(b, int64(max(d, 0).Round(time.Microsecond)/time.Microsecond), 10)
		return append(b, "µs"...)
	case d < time.Second-time.Millisecond/2:
		b = strconv.AppendInt(b, int64(d.Round(time.Millisecond)/time.Millisecond), 10)
		return append(b, "ms"...)
	case d < time.Minute-time.Second/20:
		b = strconv.AppendFloat(b, d.Seconds(), 'f', 1, 64)
		return append(b, 's')
	case d < time.Hour:
		s := int64(d.Round(time.Second) / time.Second)
		b = strconv.AppendInt(b, s/60, 10)
		b = append(b, 'm')
		return append2(b, s%60, 's')
	}
	m := int64(d.Round(time.Minute) / time.Minute)
	b = strconv.AppendInt(b, m/60, 10)
	b = append(b, 'h')
	return append2(b, m%60, 'm')
}

// append2 appends n with at least two digits, then unit.
func append2(b []byte, n int64, unit byte) []byte {
	if n < 10 {
		b = append(b, '0')
	}
	b = strconv.AppendInt(b, n, 10)
	return append(b, unit)
}

// View is the live training view: a dl.ProgressCallback that draws a
// Progress into one notebook output block, updated in place. Inside a
// notebook Fit adds one by default (see Install); outside one, pass
// NewView() in FitOptions.Callbacks to use it anyway.
//
// With Verbose 1 the block is redrawn during epochs as well, at most once
// per 150 ms; with Verbose 2 only when epochs end; with dl.Silent never.
// Epoch ends redraw it unless the previous redraw is younger than 50 ms (so
// that hundreds of tiny epochs do not flood the browser); the end of
// training always redraws it.
type View struct {
	dl.BaseCallback

	// The display, the clock and the update intervals, replaced by tests
	// and benchmarks, which run outside a notebook.
	sink                         func(id, html string)
	flush                        func()
	clock                        func() time.Time
	batchInterval, epochInterval time.Duration

	id       string
	p        Progress
	start    time.Time
	lastDraw time.Time
	drawn    bool
	startF   float64       // Fraction when training started (non-zero when resuming)
	finished int           // number of finished epochs
	lastEnd  time.Duration // time from the start to the end of the last finished epoch
	buf      []byte
}

// NewView returns a live view that draws into a new output block.
func NewView() *View {
	return &View{
		sink: gonbui.UpdateHTML, flush: gonbui.Sync, clock: time.Now,
		batchInterval: 150 * time.Millisecond, epochInterval: 50 * time.Millisecond,
		id: newBlockID(),
	}
}

// newBlockID returns the id of a new output block.
func newBlockID() string { return "dlgo-fit-" + gonbui.UniqueId() }

// Progress returns the view's current snapshot (shared, not a copy).
func (v *View) Progress() *Progress { return &v.p }

// ShowsProgress implements dl.ProgressCallback.
func (v *View) ShowsProgress() {}

// verbose returns the Verbose setting of the Fit being shown.
func (v *View) verbose() int { return v.Params().Verbose }

// OnTrainBegin implements dl.Callback: a view used for a second Fit draws
// into a new block.
func (v *View) OnTrainBegin(dl.Logs) error {
	if !v.start.IsZero() {
		v.p, v.start, v.lastDraw, v.drawn = Progress{}, time.Time{}, time.Time{}, false
		v.startF, v.finished, v.lastEnd = 0, 0, 0
		v.id = newBlockID()
	}
	return nil
}

// OnEpochBegin implements dl.Callback.
func (v *View) OnEpochBegin(epoch int, _ dl.Logs) error {
	if v.verbose() <= 0 {
		return nil
	}
	ps := v.Params()
	now := v.clock()
	if v.start.IsZero() {
		v.start = now
		v.p.FirstEpoch = epoch
		v.p.Epoch, v.p.Epochs = epoch, ps.Epochs
		v.startF = v.p.Fraction()
	}
	v.p.Epoch, v.p.Epochs, v.p.Steps, v.p.Step = epoch, ps.Epochs, ps.Steps, 0
	if v.verbose() == 1 && !v.drawn {
		v.draw(now)
	}
	return nil
}

// OnTrainBatchEnd implements dl.Callback.
func (v *View) OnTrainBatchEnd(batch int, logs dl.Logs) error {
	v.p.Step = batch + 1
	if v.verbose() != 1 {
		return nil
	}
	now := v.clock()
	if now.Sub(v.lastDraw) < v.batchInterval {
		return nil
	}
	v.setMetrics(v.Params().Keys, logs, false)
	v.draw(now)
	return nil
}

// OnEpochEnd implements dl.Callback.
func (v *View) OnEpochEnd(epoch int, logs dl.Logs) error {
	if v.verbose() <= 0 {
		return nil
	}
	now := v.clock()
	v.finished, v.lastEnd = v.finished+1, now.Sub(v.start)
	v.p.Epoch, v.p.Step = epoch, v.p.Steps
	v.setMetrics(v.Params().Keys, logs, true)
	loss, ok := logs["loss"]
	if !ok {
		loss = math.NaN()
	}
	v.p.Loss = append(v.p.Loss, loss)
	if vl, ok := logs["val_loss"]; ok {
		v.p.ValLoss = append(v.p.ValLoss, vl)
	}
	if now.Sub(v.lastDraw) >= v.epochInterval || epoch+1 == v.p.Epochs {
		v.draw(now)
	}
	return nil
}

// OnTrainEnd implements dl.Callback: the block shows its final state. Fit
// also calls it when training fails, so that the block says where it
// stopped.
func (v *View) OnTrainEnd(dl.Logs) error {
	if v.start.IsZero() {
		return nil
	}
	v.p.Done = true
	v.draw(v.clock())
	v.flush()
	return nil
}

// setMetrics copies the values of keys from logs; during an epoch (withVal
// false) the val_ keys keep their values from the previous epoch.
func (v *View) setMetrics(keys []string, logs dl.Logs, withVal bool) {
	if len(v.p.Metrics) != len(keys) {
		v.p.Metrics = make([]Metric, len(keys))
		for i, k := range keys {
			v.p.Metrics[i] = Metric{Name: k, Value: math.NaN()}
		}
	}
	for i, k := range keys {
		if !withVal && strings.HasPrefix(k, "val_") {
			continue
		}
		if x, ok := logs[k]; ok {
			v.p.Metrics[i] = Metric{Name: k, Value: x}
		}
	}
	// Before the first epoch ends, the val_ keys have no value to show.
	if !withVal && len(v.p.Loss) == 0 {
		n := 0
		for _, m := range v.p.Metrics {
			if !strings.HasPrefix(m.Name, "val_") {
				v.p.Metrics[n] = m
				n++
			}
		}
		v.p.Metrics = v.p.Metrics[:n]
	}
}

// draw updates the timings and sends the block to the notebook.
func (v *View) draw(now time.Time) {
	v.p.Elapsed = now.Sub(v.start)
	if v.finished > 0 {
		v.p.PerEpoch = v.lastEnd / time.Duration(v.finished)
	}
	v.p.ETA = -1
	if f := v.p.Fraction(); f > v.startF && f < 1 {
		v.p.ETA = time.Duration(float64(v.p.Elapsed) * (1 - f) / (f - v.startF))
	}
	v.buf = v.p.appendHTML(v.buf[:0])
	v.sink(v.id, string(v.buf))
	v.lastDraw, v.drawn = now, true
}

var _ dl.ProgressCallback = (*View)(nil)
