package dl

import (
	"bytes"
	"io"
	"math"
	"strings"
	"testing"
	"time"
)

// progbarClock is a settable fake clock for progress bar tests.
type progbarClock struct {
	t time.Time
}

// now returns the clock's current time.
func (c *progbarClock) now() time.Time { return c.t }

// at sets the clock to d after the test epoch.
func (c *progbarClock) at(d time.Duration) { c.t = time.Unix(1_700_000_000, 0).Add(d) }

// newTestProgbar returns a progress bar writing to a buffer, driven by a fake clock at the test epoch.
func newTestProgbar(target, verbose int) (*progbar, *bytes.Buffer, *progbarClock) {
	var buf bytes.Buffer
	c := &progbarClock{}
	c.at(0)
	return newProgbar(&buf, target, verbose, c.now), &buf, c
}

// progbarGreenBar wraps n bar characters in Keras's green.
func progbarGreenBar(n int) string { return "\x1b[32m" + strings.Repeat("━", n) + "\x1b[0m" }

// progbarWhiteBar wraps n bar characters in Keras's white.
func progbarWhiteBar(n int) string { return "\x1b[37m" + strings.Repeat("━", n) + "\x1b[0m" }

// The expected bytes below were checked against keras.utils.Progbar (Keras 3.15) driven the way
// the ProgbarLogger callback drives it, with time.time patched to the same fake clock.

// TestProgbarVerbose1Epoch checks the first, a throttled, a redrawn and the final verbose-1 line of an epoch.
func TestProgbarVerbose1Epoch(t *testing.T) {
	p, buf, clock := newTestProgbar(10, 1)

	// First update: never throttled; starts with "\r" only (nothing drawn yet).
	clock.at(200 * time.Millisecond)
	p.update(1, []logValue{{"loss", 0.5}}, false)
	first := "\r\x1b[1m 1/10\x1b[0m " + progbarGreenBar(2) + progbarWhiteBar(18) +
		" \x1b[1m1s\x1b[0m 200ms/step - loss: 0.5000"
	if got := buf.String(); got != first {
		t.Fatalf("first update\n got %q\nwant %q", got, first)
	}
	buf.Reset()

	// 30 ms after the last drawn line: throttled, prints nothing.
	clock.at(230 * time.Millisecond)
	p.update(2, []logValue{{"loss", 0.45}}, false)
	if buf.Len() != 0 {
		t.Fatalf("throttled update printed %q", buf.String())
	}

	// 0.06 s after the last drawn line: drawn again over the previous 55 cells, one cell shorter.
	clock.at(260 * time.Millisecond)
	p.update(3, []logValue{{"loss", 0.4}}, false)
	third := strings.Repeat("\b", 55) + "\r\x1b[1m 3/10\x1b[0m " + progbarGreenBar(6) + progbarWhiteBar(14) +
		" \x1b[1m0s\x1b[0m 30ms/step - loss: 0.4000 " // one space over the longer previous line
	if got := buf.String(); got != third {
		t.Fatalf("third update\n got %q\nwant %q", got, third)
	}
	buf.Reset()

	// Final update: elapsed time instead of ETA, an empty white part, the epoch logs, '\n'.
	// The per-step time leaves out the first step: (2.0 s − 0.2 s) / 9.
	clock.at(2 * time.Second)
	p.update(10, []logValue{{"loss", 0.1234}, {"val_loss", 0.2345}}, true)
	final := strings.Repeat("\b", 54) + "\r\x1b[1m10/10\x1b[0m " + progbarGreenBar(20) + progbarWhiteBar(0) +
		" \x1b[1m2s\x1b[0m 200ms/step - loss: 0.1234 - val_loss: 0.2345\n"
	if got := buf.String(); got != final {
		t.Fatalf("final update\n got %q\nwant %q", got, final)
	}
}

// TestProgbarETA checks the ETA above a minute and above an hour, and padding over a longer line.
func TestProgbarETA(t *testing.T) {
	p, buf, clock := newTestProgbar(100, 1)

	// 1.5 s per step, 99 steps left: 148.5 s.
	clock.at(1500 * time.Millisecond)
	p.update(1, nil, false)
	want := "\r\x1b[1m  1/100\x1b[0m " + progbarWhiteBar(20) + " \x1b[1m2:28\x1b[0m 2s/step"
	if got := buf.String(); got != want {
		t.Fatalf("ETA over a minute\n got %q\nwant %q", got, want)
	}
	buf.Reset()

	// 40 s for step 2, 98 steps left: 3920 s.
	clock.at(41500 * time.Millisecond)
	p.update(2, nil, false)
	want = strings.Repeat("\b", 41) + "\r\x1b[1m  2/100\x1b[0m " + progbarWhiteBar(20) + " \x1b[1m1:05:20\x1b[0m 40s/step"
	if got := buf.String(); got != want {
		t.Fatalf("ETA over an hour\n got %q\nwant %q", got, want)
	}
	buf.Reset()

	// A shorter final line is padded with spaces over the previous one.
	clock.at(41600 * time.Millisecond)
	p.update(100, nil, true)
	want = strings.Repeat("\b", 45) + "\r\x1b[1m100/100\x1b[0m " + progbarGreenBar(20) + progbarWhiteBar(0) +
		" \x1b[1m42s\x1b[0m 405ms/step  \n"
	if got := buf.String(); got != want {
		t.Fatalf("final line\n got %q\nwant %q", got, want)
	}
}

// TestProgbarTinyValues checks %.4f versus %.4e on verbose-1 lines, and microseconds per step.
func TestProgbarTinyValues(t *testing.T) {
	p, buf, clock := newTestProgbar(4, 1)
	clock.at(3 * time.Millisecond)
	p.update(4, []logValue{
		{"loss", 1.23456e-5}, {"mae", -0.0005}, {"a", 0.001}, {"b", 0.0010001}, {"c", -5}, {"d", 0}, {"e", math.NaN()},
	}, true)
	want := "\r\x1b[1m4/4\x1b[0m " + progbarGreenBar(20) + progbarWhiteBar(0) + " \x1b[1m0s\x1b[0m 750us/step" +
		" - loss: 1.2346e-05 - mae: -5.0000e-04 - a: 1.0000e-03 - b: 0.0010 - c: -5.0000 - d: 0.0000e+00 - e: nan\n"
	if got := buf.String(); got != want {
		t.Fatalf("tiny values\n got %q\nwant %q", got, want)
	}
}

// TestProgbarKeepsValues checks that a value missing from an update keeps its last value and place.
func TestProgbarKeepsValues(t *testing.T) {
	// A key missing from a later update keeps its last value and its place.
	p, buf, clock := newTestProgbar(2, 1)
	clock.at(time.Second)
	p.update(1, []logValue{{"loss", 2}, {"mae", 1}}, false)
	buf.Reset()
	clock.at(2 * time.Second)
	p.update(2, []logValue{{"mae", 0.5}}, true)
	want := strings.Repeat("\b", 64) + "\r\x1b[1m2/2\x1b[0m " + progbarGreenBar(20) + progbarWhiteBar(0) +
		" \x1b[1m2s\x1b[0m 1s/step - loss: 2.0000 - mae: 0.5000\n"
	if got := buf.String(); got != want {
		t.Fatalf("\n got %q\nwant %q", got, want)
	}
}

// TestProgbarVerbose2 checks that verbose 2 prints one line at the end, with its own value rule.
func TestProgbarVerbose2(t *testing.T) {
	p, buf, clock := newTestProgbar(10, 2)
	for i := 1; i < 10; i++ {
		clock.at(time.Duration(i) * 2 * time.Millisecond)
		p.update(i, []logValue{{"loss", 9}}, false)
	}
	if buf.Len() != 0 {
		t.Fatalf("verbose 2 printed before the end: %q", buf.String())
	}
	clock.at(20 * time.Millisecond)
	p.update(10, []logValue{{"loss", 0.1234}, {"val_loss", 0.2345}, {"mae", -0.5}}, true)
	// verbose 2 uses v > 1e-3 without abs: negative values print in %.4e.
	want := "10/10 - 0s - 2ms/step - loss: 0.1234 - val_loss: 0.2345 - mae: -5.0000e-01\n"
	if got := buf.String(); got != want {
		t.Fatalf("\n got %q\nwant %q", got, want)
	}
}

// TestProgbarUnknownTargetAndSilent checks the Unknown-target bar and that verbose 0 prints nothing.
func TestProgbarUnknownTargetAndSilent(t *testing.T) {
	p, buf, clock := newTestProgbar(0, 1)
	clock.at(3 * time.Second)
	p.update(3, []logValue{{"loss", 0.25}}, true)
	want := "\r      3/Unknown \x1b[1m3s\x1b[0m 1s/step - loss: 0.2500\n"
	if got := buf.String(); got != want {
		t.Fatalf("unknown target\n got %q\nwant %q", got, want)
	}

	q, buf0, _ := newTestProgbar(5, 0)
	q.update(1, nil, false)
	q.update(5, []logValue{{"loss", 1}}, true)
	if buf0.Len() != 0 {
		t.Fatalf("verbose 0 printed %q", buf0.String())
	}
}

// TestFormatLogValue checks the value format of verbose-1 lines.
func TestFormatLogValue(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{0.12345, "0.1235"}, {12.5, "12.5000"}, {-3, "-3.0000"}, {0.001, "1.0000e-03"}, {-0.001, "-1.0000e-03"},
		{0.00100001, "0.0010"}, {1.5e-7, "1.5000e-07"}, {0, "0.0000e+00"}, {1e-300, "1.0000e-300"},
		{math.Inf(1), "inf"}, {math.Inf(-1), "-inf"}, {math.NaN(), "nan"},
	} {
		if got := formatLogValue(c.v); got != c.want {
			t.Errorf("formatLogValue(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}

// TestProgbarStepTimeUnits checks the s, ms and us per-step formats and their rounding.
func TestProgbarStepTimeUnits(t *testing.T) {
	for _, c := range []struct {
		sec  float64
		want string
	}{
		{0, " 0s/step"}, {1, " 1s/step"}, {2.5, " 2s/step"}, {0.9995, " 1000ms/step"}, {0.0015, " 2ms/step"},
		{0.001, " 1ms/step"}, {0.000999, " 999us/step"}, {2e-7, " 0us/step"},
	} {
		if got := string(progbarAppendStepTime(nil, c.sec)); got != c.want {
			t.Errorf("step time %v = %q, want %q", c.sec, got, c.want)
		}
	}
}

// TestProgbarAllocations checks that a steady-state update does not allocate.
func TestProgbarAllocations(t *testing.T) {
	c := &progbarClock{}
	c.at(0)
	p := newProgbar(io.Discard, 1000, 1, c.now)
	values := []logValue{{"loss", 0.5}, {"mae", 0.25}}
	step := 0
	p.update(1, values, false) // first call grows the buffer and the value list
	allocs := testing.AllocsPerRun(200, func() {
		step++
		c.at(time.Duration(step) * 30 * time.Millisecond) // every other update is throttled
		values[0].Value = 1 / float64(step)
		p.update(1+step%999, values, false)
	})
	if allocs != 0 {
		t.Errorf("update allocates %v times per call", allocs)
	}
}
