package prep

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// describeStats are the rows of Describe, in pandas's order.
var describeStats = []string{"count", "mean", "std", "min", "25%", "50%", "75%", "max"}

// Describe returns summary statistics of the numeric columns, one column
// each, in rows labelled count, mean, std, min, 25%, 50%, 75% and max
// (pandas: data.describe(include="number"), which is data.describe() for a
// frame without date columns; pandas's describe() also describes the date
// columns, Describe leaves them out as it does text columns):
//
//	fmt.Println(dl.Must(data.Describe()))
//
// Missing values are left out; std is the sample standard deviation (ddof
// 1, NaN for fewer than two values) and the percentiles interpolate
// linearly between the sorted values, as pandas and NumPy do. A column
// without values has count 0 and NaN elsewhere. It is an error if the
// frame has no numeric column.
func (f *Frame) Describe() (*Frame, error) {
	labels := column{bad: -1, text: describeStats, na: make([]bool, len(describeStats))}
	out := &Frame{index: rowsOf(len(describeStats)), idx: &labels}
	for k := range f.cols {
		c := &f.cols[k]
		if !c.isNum() {
			continue
		}
		var v []float64
		for _, x := range c.num {
			if !math.IsNaN(x) {
				v = append(v, x)
			}
		}
		out.cols = append(out.cols, column{name: c.name, bad: -1, num: summarize(v)})
	}
	if len(out.cols) == 0 {
		return nil, errorf("Describe", "the frame has no numeric column (columns are: %s); "+
			"count a text column's values with f.ValueCounts(name)", quoteList(f.Columns()))
	}
	return out, nil
}

// quoteList formats names for an error message, or says there are none.
func quoteList(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// summarize returns count, mean, std, min, 25%, 50%, 75% and max of v,
// which holds no NaN.
func summarize(v []float64) []float64 {
	n := float64(len(v))
	nan := math.NaN()
	if len(v) == 0 {
		return []float64{0, nan, nan, nan, nan, nan, nan, nan}
	}
	var sum float64
	for _, x := range v {
		sum += x
	}
	mean := sum / n
	std := nan
	if len(v) > 1 {
		var ss float64
		for _, x := range v {
			ss += (x - mean) * (x - mean)
		}
		std = math.Sqrt(ss / (n - 1))
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return []float64{n, mean, std, s[0], percentile(s, 0.25), percentile(s, 0.5), percentile(s, 0.75), s[len(s)-1]}
}

// percentile interpolates linearly between the sorted values s at q, as
// NumPy's percentile with method="linear" does, including its way of
// interpolating from the nearer end.
func percentile(s []float64, q float64) float64 {
	pos := q * float64(len(s)-1)
	lo := math.Floor(pos)
	t := pos - lo
	a := s[int(lo)]
	b := s[min(int(lo)+1, len(s)-1)]
	d := b - a
	if t >= 0.5 {
		return b - d*(1-t)
	}
	return a + d*t
}

// ValueCounts returns how often each value of the named column occurs, in
// a frame with the column's values and their "count", the most frequent
// first, values as frequent as each other in the order they first occur
// (pandas: data[name].value_counts().reset_index()). Missing values are
// not counted, as pandas's dropna=True does. It is an error if the column
// is missing.
func (f *Frame) ValueCounts(name string) (*Frame, error) {
	k, err := f.find("ValueCounts", name)
	if err != nil {
		return nil, err
	}
	c := &f.cols[k]
	g := &Grouped{f: f}
	seen := map[string]int{}
	for i := range f.Len() {
		if c.missing(i) {
			continue
		}
		key := c.key(i)
		j, ok := seen[key]
		if !ok {
			j = len(g.groups)
			seen[key] = j
			g.groups = append(g.groups, nil)
		}
		g.groups[j] = append(g.groups[j], i)
	}
	slices.SortStableFunc(g.groups, func(a, b []int) int { return len(b) - len(a) })
	first := make([]int, len(g.groups))
	counts := column{name: "count", bad: -1, ints: true, num: make([]float64, len(g.groups))}
	for j, rows := range g.groups {
		first[j] = rows[0]
		counts.num[j] = float64(len(rows))
	}
	return &Frame{index: rowsOf(len(first)), cols: []column{c.pick(first), counts}}, nil
}
