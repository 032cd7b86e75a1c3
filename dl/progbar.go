package dl

import (
	"io"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// logValue is one named value shown on a progress line, in display order.
type logValue struct {
	Key   string
	Value float64
}

// progbarWidth is the number of bar characters Keras draws.
const progbarWidth = 20

// progbarInterval is the minimum time between two redraws of a verbose-1 bar, except the final one.
const progbarInterval = 50 * time.Millisecond

// progbarFull is progbarWidth heavy horizontal lines; the bar is drawn from byte slices of it.
const progbarFull = "━━━━━━━━━━━━━━━━━━━━"

// ANSI sequences Keras writes around the parts of a verbose-1 line.
const (
	progbarBold  = "\x1b[1m"
	progbarGreen = "\x1b[32m"
	progbarWhite = "\x1b[37m"
	progbarReset = "\x1b[0m"
)

// progbar prints Keras's progress bar for one epoch (or one evaluate/predict pass) to w.
//
// It reproduces keras.utils.Progbar as the ProgbarLogger callback drives it: every value is shown
// as given (no averaging), values keep their first-seen order and their last value, and with
// verbose 2 only the final update is taken into account.
type progbar struct {
	w       io.Writer
	target  int
	verbose int
	now     func() time.Time

	start      time.Time // when the bar was created
	lastUpdate time.Time // when a verbose-1 line was last drawn
	drawn      bool      // whether a verbose-1 line has been drawn yet
	firstStep  time.Time // when step 1 was reported
	sawFirst   bool      // whether firstStep is set
	prevWidth  int       // visible width of the previous line
	values     []logValue
	buf        []byte
}

// newProgbar returns a progress bar for target steps. verbose 1 is the dynamic bar, 2 prints one line at the end.
// now is the clock (time.Now in production; tests inject a fake one).
// A target of 0 or less means the number of steps is unknown. Any other verbose value prints nothing.
func newProgbar(w io.Writer, target, verbose int, now func() time.Time) *progbar {
	if now == nil {
		now = time.Now
	}
	return &progbar{w: w, target: target, verbose: verbose, now: now, start: now()}
}

// update shows that current of target steps are done, with the running values. finalize marks the last update
// (it always prints, ends the line with '\n', and shows elapsed time instead of ETA).
//
// A verbose-1 update less than 0.05 s after the previous drawn line prints nothing unless finalize
// is set. A key missing from values keeps the value it was last given.
func (p *progbar) update(current int, values []logValue, finalize bool) {
	if p.verbose != 1 && (p.verbose != 2 || !finalize) {
		return
	}
	for _, v := range values {
		p.setValue(v)
	}
	now := p.now()
	perStep := p.stepDuration(current, now)

	if p.verbose == 2 {
		if p.target <= 0 {
			return
		}
		b := p.buf[:0]
		b = progbarPadInt(b, current, progbarDigits(p.target))
		b = append(b, '/')
		b = strconv.AppendInt(b, int64(p.target), 10)
		b = append(b, " - "...)
		b = strconv.AppendFloat(b, now.Sub(p.start).Seconds(), 'f', 0, 64)
		b = append(b, "s -"...)
		b = progbarAppendStepTime(b, perStep)
		for _, v := range p.values {
			b = append(b, " - "...)
			b = append(b, v.Key...)
			b = append(b, ": "...)
			b = progbarAppendValue(b, v.Value, v.Value > 1e-3)
		}
		b = append(b, '\n')
		p.buf = b
		p.w.Write(b)
		return
	}

	if p.drawn && now.Sub(p.lastUpdate) < progbarInterval && !finalize {
		return
	}
	b := p.buf[:0]
	for i := 0; i < p.prevWidth; i++ {
		b = append(b, '\b')
	}
	b = append(b, '\r')
	lineStart := len(b)
	special := 0 // bytes of ANSI sequences, which take no room on screen
	if p.target > 0 {
		b = append(b, progbarBold...)
		b = progbarPadInt(b, current, progbarDigits(p.target))
		b = append(b, '/')
		b = strconv.AppendInt(b, int64(p.target), 10)
		b = append(b, progbarReset+" "...)
		special += len(progbarBold + progbarReset)
		done := int(progbarWidth * (float64(current) / float64(p.target)))
		if done > 0 {
			b = append(b, progbarGreen...)
			b = progbarAppendBar(b, done)
			b = append(b, progbarReset...)
			special += len(progbarGreen + progbarReset)
		}
		b = append(b, progbarWhite...)
		b = progbarAppendBar(b, progbarWidth-done)
		b = append(b, progbarReset...)
		special += len(progbarWhite + progbarReset)
	} else {
		b = progbarPadInt(b, current, 7)
		b = append(b, "/Unknown"...)
	}

	b = append(b, " "+progbarBold...)
	if p.target > 0 && !finalize {
		b = progbarAppendETA(b, perStep*float64(p.target-current))
	} else {
		b = strconv.AppendFloat(b, now.Sub(p.start).Seconds(), 'f', 0, 64)
		b = append(b, 's')
	}
	b = append(b, progbarReset...)
	special += len(progbarBold + progbarReset)
	b = progbarAppendStepTime(b, perStep)
	for _, v := range p.values {
		b = append(b, " - "...)
		b = append(b, v.Key...)
		b = append(b, ": "...)
		b = AppendLogValue(b, v.Value)
	}

	width := utf8.RuneCount(b[lineStart:]) - special
	for i := width; i < p.prevWidth; i++ {
		b = append(b, ' ')
	}
	if finalize {
		b = append(b, '\n')
	}
	p.buf = b
	p.w.Write(b)
	p.prevWidth = width
	p.lastUpdate = now
	p.drawn = true
}

// setValue records v, replacing the value of an already seen key in place.
func (p *progbar) setValue(v logValue) {
	for i := range p.values {
		if p.values[i].Key == v.Key {
			p.values[i].Value = v.Value
			return
		}
	}
	p.values = append(p.values, v)
}

// stepDuration estimates the seconds one step takes, as Keras's _estimate_step_duration: once
// step 1 has been seen, later estimates leave the first (slow) step out.
func (p *progbar) stepDuration(current int, now time.Time) float64 {
	if current == 0 {
		return 0
	}
	var d float64
	if p.sawFirst && current > 1 {
		d = now.Sub(p.firstStep).Seconds() / float64(current-1)
	} else {
		d = now.Sub(p.start).Seconds() / float64(current)
	}
	if current == 1 {
		p.firstStep, p.sawFirst = now, true
	}
	return d
}

// formatLogValue formats a value as Keras does on verbose-1 lines: "%.4f" if |v| > 1e-3 else "%.4e".
func formatLogValue(v float64) string {
	return string(AppendLogValue(nil, v))
}

// progbarAppendValue appends v as "%.4f" when fixed is set and as "%.4e" otherwise, spelling
// non-finite values as Python does ("nan", "inf", "-inf").
func progbarAppendValue(b []byte, v float64, fixed bool) []byte {
	switch {
	case math.IsNaN(v):
		return append(b, "nan"...)
	case math.IsInf(v, 1):
		return append(b, "inf"...)
	case math.IsInf(v, -1):
		return append(b, "-inf"...)
	case fixed:
		return strconv.AppendFloat(b, v, 'f', 4, 64)
	}
	return strconv.AppendFloat(b, v, 'e', 4, 64)
}

// progbarAppendStepTime appends Keras's per-step time: " 3s/step", " 12ms/step" or " 450us/step".
func progbarAppendStepTime(b []byte, sec float64) []byte {
	b = append(b, ' ')
	switch {
	case sec >= 1 || sec == 0:
		b = strconv.AppendFloat(b, sec, 'f', 0, 64)
		b = append(b, 's')
	case sec >= 1e-3:
		b = strconv.AppendFloat(b, sec*1000, 'f', 0, 64)
		b = append(b, "ms"...)
	default:
		b = strconv.AppendFloat(b, sec*1e6, 'f', 0, 64)
		b = append(b, "us"...)
	}
	return append(b, "/step"...)
}

// progbarAppendETA appends the remaining time as Keras does: "%ds", "%d:%02d" above a minute,
// "%d:%02d:%02d" above an hour (each field truncated, as Python's %d truncates floats).
func progbarAppendETA(b []byte, eta float64) []byte {
	switch {
	case eta > 3600:
		b = strconv.AppendInt(b, int64(math.Floor(eta/3600)), 10)
		b = append(b, ':')
		b = progbarPadZero2(b, int64(math.Floor(math.Mod(eta, 3600)/60)))
		b = append(b, ':')
		b = progbarPadZero2(b, int64(math.Mod(eta, 60)))
	case eta > 60:
		b = strconv.AppendInt(b, int64(math.Floor(eta/60)), 10)
		b = append(b, ':')
		b = progbarPadZero2(b, int64(math.Mod(eta, 60)))
	default:
		b = strconv.AppendInt(b, int64(eta), 10)
		b = append(b, 's')
	}
	return b
}

// progbarPadZero2 appends n with at least two digits, as "%02d".
func progbarPadZero2(b []byte, n int64) []byte {
	if n >= 0 && n < 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, n, 10)
}

// progbarPadInt appends n right-aligned in a field of width characters, as "%{width}d".
func progbarPadInt(b []byte, n, width int) []byte {
	l := progbarDigits(n)
	if n < 0 {
		l++
	}
	for ; l < width; l++ {
		b = append(b, ' ')
	}
	return strconv.AppendInt(b, int64(n), 10)
}

// progbarAppendBar appends n heavy horizontal lines; like Python's '━'*n, a negative n appends none.
func progbarAppendBar(b []byte, n int) []byte {
	for n > progbarWidth {
		b = append(b, progbarFull...)
		n -= progbarWidth
	}
	if n <= 0 {
		return b
	}
	return append(b, progbarFull[:n*len("━")]...)
}

// progbarDigits returns the number of decimal digits of |n|.
func progbarDigits(n int) int {
	if n < 0 {
		n = -n
	}
	d := 1
	for n >= 10 {
		n /= 10
		d++
	}
	return d
}
