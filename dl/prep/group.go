package prep

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Grouped is a frame split into groups of rows, by GroupBy or Resample,
// waiting for an aggregation (pandas: a DataFrameGroupBy or a Resampler).
// Its methods Mean, Sum, Min, Max, First, Last and Count return one row per
// group. An error of GroupBy or Resample (a missing column, a frame not
// labelled by dates, an unknown rule) is returned by the aggregation.
type Grouped struct {
	f      *Frame
	op     string   // the verb that made the groups, for error messages
	err    error    // an error of GroupBy or Resample
	groups [][]int  // the row positions of each group, in output order
	keys   []column // GroupBy's key columns, one row per group
	idx    *column  // Resample's labels, one per group
	skip   []string // the columns that are not aggregated (the keys)
}

// GroupBy splits the frame by the values of the named columns, for an
// aggregation per group (pandas: data.groupby(names, as_index=False), as in
// data.groupby("location", as_index=False).mean()):
//
//	means, err := data.GroupBy("location").Mean()
//
// The result has one row per group, numbered 0, 1, 2, ..., with the key
// columns first and then the other columns aggregated. Groups come in
// sorted key order, as pandas sorts them by default: numbers ascending,
// text byte by byte, dates in time order, the first key first. Rows whose
// key is missing are left out, as pandas's dropna=True does. The row labels
// (an index set by SetIndex) are not a column and are not aggregated.
func (f *Frame) GroupBy(names ...string) *Grouped {
	g := &Grouped{f: f, op: "GroupBy", skip: names}
	if len(names) == 0 {
		g.err = errorf("GroupBy", "no column given; name the columns to group by, such as f.GroupBy(\"location\")")
		return g
	}
	keys := make([]*column, len(names))
	for k, name := range names {
		i, err := f.find("GroupBy", name)
		if err != nil {
			g.err = err
			return g
		}
		if slices.Contains(names[:k], name) {
			g.err = errorf("GroupBy", "column %q is given twice", name)
			return g
		}
		keys[k] = &f.cols[i]
	}
	byKey := map[string]int{}
	var b strings.Builder
rows:
	for i := range f.Len() {
		b.Reset()
		for _, c := range keys {
			if c.missing(i) {
				continue rows
			}
			b.WriteString(c.key(i))
			b.WriteByte(0)
		}
		k, ok := byKey[b.String()]
		if !ok {
			k = len(g.groups)
			byKey[b.String()] = k
			g.groups = append(g.groups, nil)
		}
		g.groups[k] = append(g.groups[k], i)
	}
	slices.SortStableFunc(g.groups, func(a, b []int) int {
		for _, c := range keys {
			if d := c.compareRows(a[0], b[0]); d != 0 {
				return d
			}
		}
		return 0
	})
	first := make([]int, len(g.groups))
	for k, rows := range g.groups {
		first[k] = rows[0]
	}
	for _, c := range keys {
		g.keys = append(g.keys, c.pick(first))
	}
	return g
}

// key returns a string that identifies the value of the cell at row
// position i, not missing, among the cells of c.
func (c *column) key(i int) string {
	switch {
	case c.isText():
		return c.text[i]
	case c.isTime():
		return strconv.FormatInt(c.times[i].UnixNano(), 10)
	}
	v := c.num[i]
	if v == 0 {
		v = 0 // -0 and 0 are one value
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// compareRows compares the cells of c at row positions i and j, neither
// missing.
func (c *column) compareRows(i, j int) int {
	switch {
	case c.isText():
		return strings.Compare(c.text[i], c.text[j])
	case c.isTime():
		return c.times[i].Compare(c.times[j])
	}
	return cmp.Compare(c.num[i], c.num[j])
}

// ResampleOptions are the options of ResampleWith, pandas's keyword
// arguments of resample. The zero value is pandas's default.
type ResampleOptions struct {
	// Closed is the side of a bin that belongs to it, "left" or "right"
	// (pandas: closed=). "" is pandas's default: "right" for W, ME and YE,
	// "left" for D, MS and YS.
	Closed string
	// Label is the edge a bin is labelled by, "left" or "right" (pandas:
	// label=). "" is pandas's default, the same side as Closed's default.
	Label string
}

// Resample splits a frame labelled by dates (SetIndex of a date column)
// into time bins, for an aggregation per bin (pandas:
// data.resample(rule), as in data.resample("W-SUN").mean()):
//
//	weekly, err := sea.Resample("W-SUN").Mean()
//
// The rules are pandas's:
//
//   - "D": calendar days, labelled by the day.
//   - "W-SUN" (or "W"), "W-MON", ..., "W-SAT": weeks that end on the
//     named day, labelled by that last day; "W-SUN" takes Monday to Sunday.
//   - "ME": calendar months, labelled by their last day (pandas 3's name;
//     pandas's former "M" is an error, as in pandas 3).
//   - "MS": calendar months, labelled by their first day.
//   - "YE" and "YS": calendar years, labelled by their last or first day.
//
// The result is labelled by the bins, under the index name, and has a row
// for every bin from the first date's to the last date's, empty bins
// included (their Mean is NaN, their Sum and Count 0). Rows with a missing
// date are left out. ResampleWith takes pandas's closed= and label=.
func (f *Frame) Resample(rule string) *Grouped {
	return f.resample("Resample", rule, ResampleOptions{})
}

// ResampleWith is Resample with pandas's closed= and label= arguments
// (pandas: data.resample("W-SUN", closed="left", label="left")): weeks
// from Sunday to Saturday labelled by their Sunday, say.
func (f *Frame) ResampleWith(rule string, opts ResampleOptions) *Grouped {
	return f.resample("ResampleWith", rule, opts)
}

// freq is a resampling rule: a sequence of anchor days.
type freq struct {
	tick     bool                               // D: bins of a fixed length
	endRight bool                               // the rule's bins are closed and labelled on the right by default
	onBefore func(d time.Time) time.Time        // the last anchor on or before day d
	step     func(a time.Time, n int) time.Time // the anchor n anchors after anchor a
}

// weekdays are pandas's names of the anchor days of W rules.
var weekdays = map[string]time.Weekday{
	"SUN": time.Sunday, "MON": time.Monday, "TUE": time.Tuesday, "WED": time.Wednesday,
	"THU": time.Thursday, "FRI": time.Friday, "SAT": time.Saturday,
}

// monthEnd returns the last day of the month n months after d's month.
func monthEnd(d time.Time, n int) time.Time {
	return time.Date(d.Year(), d.Month()+time.Month(n)+1, 0, 0, 0, 0, 0, d.Location())
}

// parseRule reads a pandas resampling rule.
func parseRule(rule string) (freq, error) {
	addDays := func(a time.Time, n int) time.Time { return a.AddDate(0, 0, n) }
	switch rule {
	case "D":
		return freq{tick: true, onBefore: func(d time.Time) time.Time { return d }, step: addDays}, nil
	case "ME":
		return freq{endRight: true,
			onBefore: func(d time.Time) time.Time {
				if e := monthEnd(d, 0); e.Equal(d) {
					return e
				}
				return monthEnd(d, -1)
			},
			step: func(a time.Time, n int) time.Time { return monthEnd(a, n) }}, nil
	case "MS":
		return freq{
			onBefore: func(d time.Time) time.Time { return d.AddDate(0, 0, 1-d.Day()) },
			step:     func(a time.Time, n int) time.Time { return a.AddDate(0, n, 0) }}, nil
	case "YE":
		return freq{endRight: true,
			onBefore: func(d time.Time) time.Time {
				if d.Month() == 12 && d.Day() == 31 {
					return d
				}
				return time.Date(d.Year()-1, 12, 31, 0, 0, 0, 0, d.Location())
			},
			step: func(a time.Time, n int) time.Time { return a.AddDate(n, 0, 0) }}, nil
	case "YS":
		return freq{
			onBefore: func(d time.Time) time.Time { return time.Date(d.Year(), 1, 1, 0, 0, 0, 0, d.Location()) },
			step:     func(a time.Time, n int) time.Time { return a.AddDate(n, 0, 0) }}, nil
	case "M", "Y", "A":
		return freq{}, fmt.Errorf("rule %q is no longer supported by pandas 3; use %q", rule, rule[:1]+"E")
	}
	day, ok := strings.CutPrefix(rule, "W-")
	if rule == "W" {
		day, ok = "SUN", true
	}
	if wd, known := weekdays[day]; ok && known {
		return freq{endRight: true,
			onBefore: func(d time.Time) time.Time { return d.AddDate(0, 0, -((int(d.Weekday()) - int(wd) + 7) % 7)) },
			step:     func(a time.Time, n int) time.Time { return a.AddDate(0, 0, 7*n) }}, nil
	}
	return freq{}, fmt.Errorf("unknown rule %q; the rules are D, W-SUN (or W), W-MON, ..., W-SAT, ME, MS, YE and YS", rule)
}

// side reads a ResampleOptions field: true for "right".
func side(field, v string, def bool) (bool, error) {
	switch v {
	case "":
		return def, nil
	case "left", "right":
		return v == "right", nil
	}
	return false, fmt.Errorf("ResampleOptions.%s must be \"left\", \"right\" or \"\" for pandas's default; received %q", field, v)
}

func (f *Frame) resample(op, rule string, opts ResampleOptions) *Grouped {
	g := &Grouped{f: f, op: op}
	if f.idx == nil || !f.idx.isTime() {
		what := "rows numbered 0, 1, 2, ..."
		if f.idx != nil {
			what = fmt.Sprintf("%q, which holds %s", f.idx.name, f.idx.kind())
		}
		hint := "parse a date column with f.ParseDates(\"date\", \"2006-01-02\") and label the rows by it with SetIndex(\"date\")"
		g.err = errorf(op, "%q: the frame must be labelled by dates, but it is labelled by %s; %s", rule, what, hint)
		return g
	}
	fr, err := parseRule(rule)
	if err == nil {
		var closedRight, labelRight bool
		closedRight, err = side("Closed", opts.Closed, fr.endRight)
		if err == nil {
			labelRight, err = side("Label", opts.Label, fr.endRight)
		}
		if err == nil {
			g.bin(fr, closedRight, labelRight)
			return g
		}
	}
	g.err = errorf(op, "%q: %v", rule, err)
	return g
}

// bin fills g.groups and g.idx with the bins of fr.
func (g *Grouped) bin(fr freq, closedRight, labelRight bool) {
	dates := g.f.idx
	// Each bin is identified by its left edge; a row goes to the bin
	// [a, next a) when the bins are closed on the left and (a, next a]
	// otherwise.
	starts := make([]time.Time, len(dates.times))
	var first, last, firstDay, lastDay time.Time
	some := false
	for i, t := range dates.times {
		if dates.na[i] {
			continue
		}
		day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
		a := fr.onBefore(day)
		// Closed on the right, a row on an anchor belongs to the bin that
		// ends there. W, ME and YE bins end with their anchor day (pandas
		// moves their edges to the day's last instant); D, MS and YS bins
		// end at the anchor's midnight.
		if closedRight && ((fr.endRight && a.Equal(day)) || (!fr.endRight && a.Equal(t))) {
			a = fr.step(a, -1)
		}
		starts[i] = a
		if !some || a.Before(first) {
			first = a
		}
		if !some || a.After(last) {
			last = a
		}
		if !some || day.Before(firstDay) {
			firstDay = day
		}
		if !some || day.After(lastDay) {
			lastDay = day
		}
		some = true
	}
	if some && closedRight && !fr.tick && !fr.endRight {
		// pandas's bins of MS and YS closed on the right run from the
		// anchor before the first day (or before that, when the first
		// day is an anchor) to the last anchor on or before the last day,
		// which leaves an empty bin at either end where a date falls on
		// an anchor's day.
		first = firstDay
		if a := fr.onBefore(first); a.Equal(first) {
			first = fr.step(a, -1)
		} else {
			first = a
		}
		last = fr.onBefore(lastDay)
	}
	pos := map[int64]int{} // by Unix time: time.Time keys would compare zones

	labels := column{name: dates.name, bad: -1}
	for a := first; some && !a.After(last); a = fr.step(a, 1) {
		pos[a.Unix()] = len(g.groups)
		g.groups = append(g.groups, nil)
		l := a
		if labelRight {
			l = fr.step(a, 1)
		}
		labels.times = append(labels.times, l)
		labels.na = append(labels.na, false)
	}
	for i := range dates.times {
		if !dates.na[i] {
			k := pos[starts[i].Unix()]
			g.groups[k] = append(g.groups[k], i)
		}
	}
	if labels.times == nil {
		labels.times = []time.Time{}
	}
	g.idx = &labels
}

// aggregator is one aggregation: its pandas name, what it does to the
// non-missing numbers of a group, and whether it picks one of the values
// (so that it works on text and dates too and keeps whole numbers whole).
type aggregator struct {
	name  string
	num   func(v []float64) float64
	picks func(c *column, rows []int) int // the row position picked, or -1
}

// Mean returns the mean of each group's non-missing values in every
// column, NaN for a group without one (pandas: .mean()). It is an error if
// a column holds text or dates, as in pandas 3 (a TypeError); select the
// numeric columns first (the error lists them).
func (g *Grouped) Mean() (*Frame, error) {
	return g.agg(aggregator{name: "Mean", num: func(v []float64) float64 {
		if len(v) == 0 {
			return math.NaN()
		}
		return kahanSum(v) / float64(len(v))
	}})
}

// Sum returns the sum of each group's non-missing values in every column,
// 0 for a group without one (pandas: .sum()). It is an error if a column
// holds text or dates (pandas would join text); select the numeric columns
// first.
func (g *Grouped) Sum() (*Frame, error) {
	return g.agg(aggregator{name: "Sum", num: kahanSum})
}

// Min returns the smallest of each group's non-missing values in every
// column, NaN for a group without one (pandas: .min()). Text compares byte
// by byte, dates in time order.
func (g *Grouped) Min() (*Frame, error) {
	return g.agg(aggregator{name: "Min", picks: extreme(-1)})
}

// Max returns the largest of each group's non-missing values in every
// column, NaN for a group without one (pandas: .max()).
func (g *Grouped) Max() (*Frame, error) {
	return g.agg(aggregator{name: "Max", picks: extreme(1)})
}

// First returns each group's first non-missing value in every column, NaN
// for a group without one (pandas: .first()).
func (g *Grouped) First() (*Frame, error) {
	return g.agg(aggregator{name: "First", picks: func(c *column, rows []int) int {
		for _, i := range rows {
			if !c.missing(i) {
				return i
			}
		}
		return -1
	}})
}

// Last returns each group's last non-missing value in every column, NaN
// for a group without one (pandas: .last()).
func (g *Grouped) Last() (*Frame, error) {
	return g.agg(aggregator{name: "Last", picks: func(c *column, rows []int) int {
		for k := len(rows) - 1; k >= 0; k-- {
			if !c.missing(rows[k]) {
				return rows[k]
			}
		}
		return -1
	}})
}

// Count returns the number of each group's non-missing values in every
// column (pandas: .count()).
func (g *Grouped) Count() (*Frame, error) {
	return g.agg(aggregator{name: "Count"})
}

// extreme picks the row of the smallest (sign -1) or largest (sign 1)
// non-missing value, the first one of equal values.
func extreme(sign int) func(c *column, rows []int) int {
	return func(c *column, rows []int) int {
		best := -1
		for _, i := range rows {
			if !c.missing(i) && (best < 0 || sign*c.compareRows(i, best) > 0) {
				best = i
			}
		}
		return best
	}
}

// kahanSum adds v with compensated summation, as pandas's group sums and
// means do.
func kahanSum(v []float64) float64 {
	var sum, comp float64
	for _, x := range v {
		y := x - comp
		t := sum + y
		comp = (t - sum) - y
		sum = t
	}
	return sum
}

// agg applies a to every column but the keys, group by group.
func (g *Grouped) agg(a aggregator) (*Frame, error) {
	if g.err != nil {
		return nil, g.err
	}
	n := len(g.groups)
	out := &Frame{index: rowsOf(n), idx: g.idx}
	out.cols = append(out.cols, g.keys...)
	for ci := range g.f.cols {
		c := &g.f.cols[ci]
		if slices.Contains(g.skip, c.name) {
			continue
		}
		switch {
		case a.name == "Count":
			cnt := column{name: c.name, bad: -1, ints: true, num: make([]float64, n)}
			for k, rows := range g.groups {
				for _, i := range rows {
					if !c.missing(i) {
						cnt.num[k]++
					}
				}
			}
			out.cols = append(out.cols, cnt)
		case a.picks != nil:
			out.cols = append(out.cols, g.pickEach(c, a))
		case !c.isNum():
			var nums []string
			for _, name := range g.f.numericNames() {
				if !slices.Contains(g.skip, name) {
					nums = append(nums, fmt.Sprintf("%q", name))
				}
			}
			hint := "the frame has no other numeric column"
			if len(nums) > 0 {
				hint = "select the numeric columns first: f.Select(" + strings.Join(append(slices.Clone(g.quotedSkip()), nums...), ", ") + ")"
			}
			return nil, errorf(a.name, "column %q holds %s, which have no %s (pandas 3 raises a TypeError too); %s",
				c.name, c.kind(), strings.ToLower(a.name), hint)
		default:
			res := column{name: c.name, bad: -1, num: make([]float64, n)}
			var vals []float64
			for k, rows := range g.groups {
				vals = vals[:0]
				for _, i := range rows {
					if v := c.num[i]; !math.IsNaN(v) {
						vals = append(vals, v)
					}
				}
				res.num[k] = a.num(vals)
			}
			res.ints = c.ints && a.name == "Sum"
			out.cols = append(out.cols, res)
		}
	}
	return out, nil
}

// quotedSkip returns the key columns quoted, for a Select call in a hint.
func (g *Grouped) quotedSkip() []string {
	q := make([]string, len(g.skip))
	for i, s := range g.skip {
		q[i] = fmt.Sprintf("%q", s)
	}
	return q
}

// pickEach builds the column of the cells that a.picks picks in each
// group; a group without one gets a missing value.
func (g *Grouped) pickEach(c *column, a aggregator) column {
	picked := make([]int, len(g.groups))
	all := true
	for k, rows := range g.groups {
		picked[k] = a.picks(c, rows)
		all = all && picked[k] >= 0
	}
	if all {
		return c.pick(picked)
	}
	// Some group has no value: pick a missing cell there by extending
	// the column with one.
	ext := *c
	miss := g.f.Len()
	switch {
	case c.isText():
		ext.text = append(slices.Clone(c.text), "")
		ext.na = append(slices.Clone(c.na), true)
	case c.isTime():
		ext.times = append(slices.Clone(c.times), time.Time{})
		ext.na = append(slices.Clone(c.na), true)
	default:
		ext.num = append(slices.Clone(c.num), math.NaN())
		ext.ints = false
	}
	for k := range picked {
		if picked[k] < 0 {
			picked[k] = miss
		}
	}
	return ext.pick(picked)
}
