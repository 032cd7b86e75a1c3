package prep

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// isoLayouts are the layouts ParseDates tries, in order, when it is given
// no layout: the ISO 8601 forms pandas's to_datetime reads without a format.
var isoLayouts = []string{
	time.DateOnly,
	time.DateTime,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
}

// ParseDates returns a frame whose named column holds dates read from its
// text with layout (pandas: pd.read_csv(path, parse_dates=["date"]), or
// data["date"] = pd.to_datetime(data["date"], format="%Y-%m-%d")):
//
//	data, err = data.ParseDates("date", "2006-01-02")
//
// layout is a Go layout (2006-01-02 15:04:05, see package time) or, when it
// holds a %, a strftime format as pandas takes it: "%Y-%m-%d", "%d/%m/%Y
// %H:%M" (the directives %Y %y %m %d %H %I %M %S %f %p %b %B %a %A %j %z
// and %%). An empty layout reads the ISO 8601 forms 2012-01-01,
// 2012-01-01 06:30:00 and 2012-01-01T06:30:00. A missing cell (empty, NA,
// NaN, ...) becomes a missing date, which prints as NaT. A numeric column of
// whole numbers is read from its digits (20120101 with "20060102"). Dates
// without a zone are UTC.
//
// It is an error if the column is missing, holds numbers that are not
// whole, or has a cell that does not match the layout; the error names the
// row and the cell.
func (f *Frame) ParseDates(name, layout string) (*Frame, error) {
	const op = "ParseDates"
	i, err := f.find(op, name)
	if err != nil {
		return nil, err
	}
	c := &f.cols[i]
	if c.isTime() {
		return f.rows(rowsOf(f.Len())), nil
	}
	goLayout := layout
	if strings.Contains(layout, "%") {
		if goLayout, err = strftimeLayout(layout); err != nil {
			return nil, errorf(op, "column %q, format %q: %v", name, layout, err)
		}
	}
	var cells []string
	switch {
	case c.isText():
		cells = c.text
	case !c.ints && slices.ContainsFunc(c.num, func(v float64) bool { return v == v && v != float64(int64(v)) }):
		return nil, errorf(op, "column %q holds numbers that are not whole, not dates; "+
			"parse a column of text such as 2012-01-01, or of whole numbers such as 20120101 with layout \"20060102\"", name)
	default:
		cells = make([]string, len(c.num))
		for k, v := range c.num {
			if v == v {
				cells[k] = strconv.FormatInt(int64(v), 10)
			}
		}
	}
	out := column{name: name, bad: -1, times: make([]time.Time, len(cells)), na: make([]bool, len(cells))}
	for k, s := range cells {
		s = strings.TrimSpace(s)
		if naValues[s] {
			out.na[k] = true
			continue
		}
		t, err := parseDate(s, goLayout)
		if err != nil {
			shown := "the layout " + strconv.Quote(layout)
			if layout == "" {
				shown = "an ISO 8601 date (2012-01-01 or 2012-01-01 06:30:00)"
			}
			return nil, errorf(op, "column %q: row %s is %q, which is not %s: %v; "+
				"give the layout the dates are written in, as Go writes 2006-01-02 15:04:05 or pandas writes %%Y-%%m-%%d %%H:%%M:%%S",
				name, f.label(k), s, shown, err)
		}
		out.times[k] = t
	}
	g := f.rows(rowsOf(f.Len()))
	g.cols[i] = out
	return g, nil
}

// parseDate reads s with layout, or with the first ISO layout that fits
// when layout is empty.
func parseDate(s, layout string) (time.Time, error) {
	if layout != "" {
		return time.Parse(layout, s)
	}
	var first error
	for _, l := range isoLayouts {
		t, err := time.Parse(l, s)
		if err == nil {
			return t, nil
		}
		if first == nil {
			first = err
		}
	}
	return time.Time{}, first
}

// strftimeDirectives maps strftime directives to Go layout elements.
var strftimeDirectives = map[byte]string{
	'Y': "2006", 'y': "06", 'm': "01", 'd': "02", 'H': "15", 'I': "03",
	'M': "04", 'S': "05", 'f': "000000", 'p': "PM", 'b': "Jan", 'B': "January",
	'a': "Mon", 'A': "Monday", 'j': "002", 'z': "-0700", '%': "%",
}

// strftimeLayout translates a strftime format (pandas's format=) to a Go
// layout.
func strftimeLayout(format string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			b.WriteByte(format[i])
			continue
		}
		if i+1 == len(format) {
			return "", fmt.Errorf("the format ends with a lone %%")
		}
		i++
		el, ok := strftimeDirectives[format[i]]
		if !ok {
			return "", fmt.Errorf("directive %%%c is not supported; use a Go layout such as \"2006-01-02 15:04:05\"", format[i])
		}
		if format[i] == 'f' && !strings.HasSuffix(b.String(), ".") {
			return "", fmt.Errorf("%%f must follow a dot, as in %%S.%%f")
		}
		b.WriteString(el)
	}
	return b.String(), nil
}

// Dates returns a copy of the named date column's values (pandas:
// data["date"].values). A missing date (NaT) is the zero time.Time. It is
// an error if the column is missing or does not hold dates (ParseDates
// makes such a column).
func (f *Frame) Dates(name string) ([]time.Time, error) {
	i, err := f.find("Dates", name)
	if err != nil {
		return nil, err
	}
	c := &f.cols[i]
	if !c.isTime() {
		return nil, errorf("Dates", "column %q holds %s, not dates; read them with f.ParseDates(%q, \"2006-01-02\") first", name, c.kind(), name)
	}
	return slices.Clone(c.times), nil
}

// SetIndex returns a frame whose rows are labelled by the named column,
// which leaves the columns (pandas: data.set_index("date")). Resample needs
// a frame labelled by dates. It is an error if the column is missing.
func (f *Frame) SetIndex(name string) (*Frame, error) {
	i, err := f.find("SetIndex", name)
	if err != nil {
		return nil, err
	}
	idx := f.cols[i].pick(rowsOf(f.Len()))
	out := &Frame{index: rowsOf(f.Len()), idx: &idx}
	for k := range f.cols {
		if k != i {
			out.cols = append(out.cols, f.cols[k].pick(rowsOf(f.Len())))
		}
	}
	return out, nil
}

// ResetIndex returns a frame whose row labels are a new first column and
// whose rows are numbered 0, 1, 2, ... (pandas: data.reset_index()). The
// column is named by the index name, or "index" when the index has none.
// It is an error if the frame already has a column of that name.
func (f *Frame) ResetIndex() (*Frame, error) {
	var c column
	if f.idx != nil {
		c = f.idx.pick(rowsOf(f.Len()))
	} else {
		c = column{num: make([]float64, f.Len()), ints: true, bad: -1}
		for k, v := range f.index {
			c.num[k] = float64(v)
		}
	}
	if c.name == "" {
		c.name = "index"
	}
	if slices.Contains(f.Columns(), c.name) {
		return nil, errorf("ResetIndex", "the frame already has a column %q; rename it or drop it with f.Drop(%q) first", c.name, c.name)
	}
	out := &Frame{index: rowsOf(f.Len()), cols: []column{c}}
	for k := range f.cols {
		out.cols = append(out.cols, f.cols[k].pick(rowsOf(f.Len())))
	}
	return out, nil
}

// IndexName returns the name of the column that labels the rows (pandas:
// data.index.name), or "" for rows numbered 0, 1, 2, ... or labels without
// a name.
func (f *Frame) IndexName() string {
	if f.idx == nil {
		return ""
	}
	return f.idx.name
}

// IndexDates returns the row labels of a frame labelled by dates (SetIndex
// of a date column, Resample) (pandas: data.index for a DatetimeIndex), or
// nil if the labels are not dates.
func (f *Frame) IndexDates() []time.Time {
	if f.idx == nil || !f.idx.isTime() {
		return nil
	}
	return slices.Clone(f.idx.times)
}

// IndexStrings returns the row labels as String prints them (pandas:
// data.index.astype(str)).
func (f *Frame) IndexStrings() []string {
	if f.idx != nil {
		return f.idx.format(rowsOf(f.Len()))
	}
	out := make([]string, f.Len())
	for i := range out {
		out[i] = f.label(i)
	}
	return out
}
