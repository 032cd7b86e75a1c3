package prep

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Display limits of pandas's print(data): a frame longer than maxRows rows
// shows its first and last showRows/2 rows around a row of dots.
const (
	maxRows  = 60
	showRows = 10
)

// String formats the frame as pandas prints a DataFrame: the row labels on
// the left, one right-aligned column per field, each numeric column with a
// common number of decimals ("31.20" next to "33.25"), NaN for a missing
// value, and a frame longer than 60 rows shortened to its first and last 5
// rows followed by "[n rows x m columns]". Dates print as pandas prints
// them: 2012-01-01, or 2012-01-01 06:30:00 in a column where some date has a
// time of day, and NaT where missing. A frame labelled by a named column
// (SetIndex, Resample) prints the index name on a line of its own below the
// column names, as pandas does. Unlike pandas it never wraps wide frames.
func (f *Frame) String() string {
	rows, ncols := f.Shape()
	if rows == 0 || ncols == 0 {
		labels := make([]string, rows)
		for i := range labels {
			labels[i] = f.label(i)
		}
		return fmt.Sprintf("Empty DataFrame\nColumns: [%s]\nIndex: [%s]",
			strings.Join(f.Columns(), ", "), strings.Join(labels, ", "))
	}
	shown := rowsOf(rows)
	cut := rows > maxRows
	if cut {
		shown = append(rowsOf(showRows/2), make([]int, showRows/2)...)
		for k := 0; k < showRows/2; k++ {
			shown[showRows/2+k] = rows - showRows/2 + k
		}
	}
	// Build the cells as pandas does: every value but a missing number gets
	// a leading space (a minus sign takes its place), and so does a numeric
	// column's name.
	table := make([][]string, 0, ncols+1)
	labels := []string{""}
	named := f.idx != nil && f.idx.name != ""
	if named {
		labels = append(labels, f.idx.name)
	}
	for _, i := range shown {
		labels = append(labels, f.label(i))
	}
	table = append(table, labels)
	for k := range f.cols {
		c := &f.cols[k]
		head := c.name
		if c.isNum() {
			head = " " + head
		}
		col := []string{head}
		if named {
			col = append(col, "")
		}
		for _, s := range c.format(shown) {
			if c.isText() || (c.isNum() && s != "NaN" && !strings.HasPrefix(s, "-")) {
				s = " " + s
			}
			col = append(col, s)
		}
		table = append(table, col)
	}
	widths := make([]int, len(table))
	for k, col := range table {
		for _, s := range col {
			widths[k] = max(widths[k], utf8.RuneCountInString(s))
		}
	}
	if cut {
		at := showRows/2 + 1
		if named {
			at++
		}
		for k, col := range table {
			dots := ".."
			if widths[k] > 3 {
				dots = "..."
			}
			table[k] = append(col[:at], append([]string{dots}, col[at:]...)...)
		}
	}
	var b strings.Builder
	for r := range table[0] {
		for k, col := range table {
			pad := strings.Repeat(" ", widths[k]-utf8.RuneCountInString(col[r]))
			if k > 0 {
				b.WriteByte(' ')
			}
			if k == 0 {
				b.WriteString(col[r] + pad) // row labels are left-aligned
				continue
			}
			b.WriteString(pad + col[r])
		}
		if r < len(table[0])-1 {
			b.WriteByte('\n')
		}
	}
	if cut {
		fmt.Fprintf(&b, "\n\n[%d rows x %d columns]", rows, ncols)
	}
	return b.String()
}

// format returns the cells at the given row positions as pandas prints them.
func (c *column) format(rows []int) []string {
	out := make([]string, len(rows))
	if c.isText() {
		for k, i := range rows {
			out[k] = c.text[i]
			if c.na[i] {
				out[k] = "NaN"
			}
		}
		return out
	}
	if c.isTime() {
		layout := dateLayout(c, rows)
		for k, i := range rows {
			out[k] = "NaT"
			if !c.na[i] {
				out[k] = c.times[i].Format(layout)
			}
		}
		return out
	}
	if c.ints {
		for k, i := range rows {
			out[k] = strconv.FormatFloat(c.num[i], 'f', 0, 64)
		}
		return out
	}
	vals := make([]float64, len(rows))
	for k, i := range rows {
		vals[k] = c.num[i]
	}
	return formatFloats(vals)
}

// formatFloats formats a numeric column like pandas's FloatArrayFormatter
// with display.precision 6: fixed notation with the trailing zeros that all
// values share removed, or scientific notation when a nonzero value is
// smaller than 1e-6 or a value above 1e6 would print wider than 12 places.
func formatFloats(vals []float64) []string {
	out := make([]string, len(vals))
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	special := func(v float64) string {
		switch {
		case math.IsNaN(v):
			return "NaN"
		case v > 0:
			return "inf"
		}
		return "-inf"
	}
	small, large := false, false
	for _, v := range vals {
		if finite(v) {
			a := math.Abs(v)
			small = small || (a > 0 && a < 1e-6)
			large = large || a > 1e6
		}
	}
	for k, v := range vals {
		if finite(v) {
			out[k] = strconv.FormatFloat(v, 'f', 6, 64)
		}
	}
	// Remove the trailing zeros that every fixed-notation value has.
	for {
		some, all := false, true
		for k, v := range vals {
			if finite(v) {
				some = true
				all = all && strings.HasSuffix(out[k], "0")
			}
		}
		if !some || !all {
			break
		}
		for k, v := range vals {
			if finite(v) {
				out[k] = out[k][:len(out[k])-1]
			}
		}
	}
	width := 0
	for k, v := range vals {
		if finite(v) {
			if strings.HasSuffix(out[k], ".") {
				out[k] += "0"
			}
			width = max(width, len(out[k]))
		}
	}
	sci := small || (large && width > 6+6)
	for k, v := range vals {
		switch {
		case !finite(v):
			out[k] = special(v)
		case sci:
			out[k] = strconv.FormatFloat(v, 'e', 6, 64)
		}
	}
	return out
}

// dateLayout returns the layout pandas uses for the dates of c at the given
// row positions: the date alone when every date is at midnight, else the
// time too, with as many decimals of a second as the dates need
// (microseconds or nanoseconds).
func dateLayout(c *column, rows []int) string {
	clock, frac := false, 0
	for _, i := range rows {
		if c.na[i] {
			continue
		}
		t := c.times[i]
		clock = clock || t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 || t.Nanosecond() != 0
		switch ns := t.Nanosecond(); {
		case ns%1000 != 0:
			frac = 9
		case ns != 0:
			frac = max(frac, 6)
		}
	}
	switch {
	case !clock:
		return time.DateOnly
	case frac > 0:
		return time.DateTime + "." + strings.Repeat("0", frac)
	}
	return time.DateTime
}
