package prep

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dlgo/dlgo/dl"
)

// Frame is a small table with named columns, the part of a pandas DataFrame
// that the lectures use: read a CSV file, add a shifted column, drop the rows
// with missing values, pick columns and hand them to a model as tensors.
//
// A column holds either numbers (float64, with NaN for a missing value),
// dates (after ParseDates, with NaT for a missing date) or, when some cell
// is not a number, text. Text columns can be printed,
// selected and read with Strings, and using one as numbers is an error that
// names the cell that is not a number.
//
// Every row keeps its label from the file (0, 1, 2, ...), as the pandas
// index does, so that DropNA and Head print the rows they kept under their
// original numbers. SetIndex replaces these labels by a column (pandas:
// set_index), as Resample needs, and Describe labels its rows by the
// statistics' names. A text column whose remaining cells are all numbers
// after DropNA, Head, Tail or Select becomes numeric (pandas would keep it
// as text). The zero value is an empty frame ready for SetCol.
// Methods that return a *Frame return a new frame and leave the receiver
// unchanged, as pandas does.
type Frame struct {
	cols  []column
	index []int
	// idx, when not nil, labels the rows instead of index: the column that
	// SetIndex moved there, Resample's dates, Describe's statistics. Its
	// name is the index name that String prints above the labels. index
	// then holds the row positions.
	idx *column
}

// column is one named column of a Frame: num for numbers, times for dates,
// text otherwise (with na marking the missing cells of text and dates).
type column struct {
	name  string
	num   []float64
	text  []string
	times []time.Time
	na    []bool
	// ints records that the file held only whole numbers and no missing
	// value, which pandas reads as int64 and prints without a decimal point.
	ints bool
	// bad is the row position of the first cell of a text column that is
	// neither a number nor missing.
	bad int
}

func (c *column) isText() bool { return c.text != nil }

func (c *column) isTime() bool { return c.times != nil }

// isNum reports whether c holds numbers.
func (c *column) isNum() bool { return !c.isText() && !c.isTime() }

// kind names what c holds, for error messages.
func (c *column) kind() string {
	switch {
	case c.isText():
		return "text"
	case c.isTime():
		return "dates"
	}
	return "numbers"
}

// missing reports whether the cell at row position i is missing.
func (c *column) missing(i int) bool {
	if !c.isNum() {
		return c.na[i]
	}
	return math.IsNaN(c.num[i])
}

// pick returns a copy of c holding the rows at the given positions. A text
// column whose picked cells are all numbers or missing becomes numeric.
func (c *column) pick(rows []int) column {
	if c.isText() {
		cells := make([]string, len(rows))
		for k, i := range rows {
			cells[k] = c.text[i]
		}
		return makeColumn(c.name, cells)
	}
	if c.isTime() {
		out := column{name: c.name, bad: -1, times: make([]time.Time, len(rows)), na: make([]bool, len(rows))}
		for k, i := range rows {
			out.times[k], out.na[k] = c.times[i], c.na[i]
		}
		return out
	}
	out := column{name: c.name, ints: c.ints, bad: -1, num: make([]float64, len(rows))}
	for k, i := range rows {
		out.num[k] = c.num[i]
	}
	return out
}

// Len returns the number of rows (Python: len(data)).
func (f *Frame) Len() int { return len(f.index) }

// Shape returns the number of rows and columns (pandas: data.shape).
func (f *Frame) Shape() (rows, cols int) { return len(f.index), len(f.cols) }

// Columns returns the column names in order (pandas: data.columns).
func (f *Frame) Columns() []string {
	names := make([]string, len(f.cols))
	for i, c := range f.cols {
		names[i] = c.name
	}
	return names
}

// Index returns the row labels (pandas: data.index). A frame read from a
// file numbers its rows 0, 1, 2, ...; DropNA, Head, Tail and Where keep the
// labels of the rows they keep. A frame labelled by other values (SetIndex,
// Resample, Describe) returns its row positions 0, 1, 2, ...; IndexName,
// IndexDates and IndexStrings return its labels.
func (f *Frame) Index() []int { return slices.Clone(f.index) }

// label returns the label of the row at position i as String prints it.
func (f *Frame) label(i int) string {
	if f.idx != nil {
		return f.idx.format([]int{i})[0]
	}
	return strconv.Itoa(f.index[i])
}

// find returns the position of the named column or an error that lists
// the columns there are.
func (f *Frame) find(op, name string) (int, error) {
	for i, c := range f.cols {
		if c.name == name {
			return i, nil
		}
	}
	if len(f.cols) == 0 {
		return -1, errorf(op, "column %q not found; the frame has no columns", name)
	}
	return -1, errorf(op, "column %q not found; columns are: %s", name, strings.Join(f.Columns(), ", "))
}

// numeric returns the values of the named column, or an error if it is
// missing or holds text.
func (f *Frame) numeric(op, name string) ([]float64, error) {
	i, err := f.find(op, name)
	if err != nil {
		return nil, err
	}
	c := &f.cols[i]
	if c.isNum() {
		return c.num, nil
	}
	if c.isTime() {
		return nil, errorf(op, "column %q holds dates, not numbers; %s", name, f.numericHint())
	}
	return nil, errorf(op, "column %q holds text, not numbers: row %s is %q (a missing value must be empty, NA or NaN); %s",
		name, f.label(c.bad), c.text[c.bad], f.numericHint())
}

// numericNames returns the names of the numeric columns.
func (f *Frame) numericNames() []string {
	var nums []string
	for _, o := range f.cols {
		if o.isNum() {
			nums = append(nums, o.name)
		}
	}
	return nums
}

// numericHint lists the numeric columns for an error message.
func (f *Frame) numericHint() string {
	if nums := f.numericNames(); len(nums) > 0 {
		return "numeric columns are: " + strings.Join(nums, ", ")
	}
	return "the frame has no numeric columns"
}

// Col returns a copy of the named column's values (pandas:
// data['AvgTemp'].values). Missing values are NaN. It is an error if the
// column does not exist or holds text.
func (f *Frame) Col(name string) ([]float64, error) {
	v, err := f.numeric("Col", name)
	if err != nil {
		return nil, err
	}
	return slices.Clone(v), nil
}

// Strings returns the named column's cells as text: a text column's cells
// as written in the file ("" where missing), a numeric column's values
// formatted with strconv ('g', shortest) and "NaN" where missing, a date
// column's dates as pandas prints them (2012-01-01, or 2012-01-01 06:30:00
// when some date has a time of day) and "NaT" where missing.
func (f *Frame) Strings(name string) ([]string, error) {
	i, err := f.find("Strings", name)
	if err != nil {
		return nil, err
	}
	c := &f.cols[i]
	if c.isText() {
		return slices.Clone(c.text), nil
	}
	if c.isTime() {
		return c.format(rowsOf(len(c.times))), nil
	}
	out := make([]string, len(c.num))
	for k, v := range c.num {
		out[k] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	return out, nil
}

// SetCol adds a numeric column, or replaces the column of that name in
// place (pandas: data['y'] = values). values is copied and must have one
// value per row; NaN marks a missing value. On a frame without columns it
// sets the number of rows. With Shift it adds pandas's shifted column:
//
//	data['y'] = data['AvgTemp'].shift(-1)
//	data.SetCol("y", dl.Must(data.Shift("AvgTemp", -1)))
func (f *Frame) SetCol(name string, values []float64) error {
	if len(f.cols) == 0 && f.Len() == 0 {
		f.index = make([]int, len(values))
		for i := range f.index {
			f.index[i] = i
		}
	}
	if len(values) != f.Len() {
		return errorf("SetCol", "column %q has %d values, but the frame has %d rows", name, len(values), f.Len())
	}
	c := column{name: name, num: slices.Clone(values), bad: -1}
	for i := range f.cols {
		if f.cols[i].name == name {
			f.cols[i] = c
			return nil
		}
	}
	f.cols = append(f.cols, c)
	return nil
}

// Shift returns the named column moved down by periods rows (pandas:
// data['AvgTemp'].shift(periods)): out[i] = values[i-periods], and NaN where
// that row does not exist. A negative periods moves the values up, so
// Shift("AvgTemp", -1) pairs each row with the next row's value and leaves
// NaN in the last row.
func (f *Frame) Shift(name string, periods int) ([]float64, error) {
	v, err := f.numeric("Shift", name)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(v))
	for i := range out {
		j := i - periods
		if j >= 0 && j < len(v) {
			out[i] = v[j]
		} else {
			out[i] = math.NaN()
		}
	}
	return out, nil
}

// Select returns a frame with the named columns in the given order (pandas:
// data[['a', 'b']]). It is an error if a name is missing or repeated.
func (f *Frame) Select(names ...string) (*Frame, error) {
	out := &Frame{index: slices.Clone(f.index), idx: f.idx}
	for k, name := range names {
		i, err := f.find("Select", name)
		if err != nil {
			return nil, err
		}
		if slices.Contains(names[:k], name) {
			return nil, errorf("Select", "column %q is selected twice", name)
		}
		out.cols = append(out.cols, f.cols[i].pick(rowsOf(f.Len())))
	}
	return out, nil
}

// Rename returns a frame whose columns named by the keys of columns are
// renamed to their values (pandas: data.rename(columns={"date": "Date"})).
// It is an error if a key names no column, or if a new name is the name of
// another column.
func (f *Frame) Rename(columns map[string]string) (*Frame, error) {
	out := &Frame{index: slices.Clone(f.index), idx: f.idx}
	for i := range f.cols {
		out.cols = append(out.cols, f.cols[i].pick(rowsOf(f.Len())))
	}
	olds := make([]string, 0, len(columns))
	for old := range columns {
		olds = append(olds, old)
	}
	slices.Sort(olds) // the same error for the same mistake, every run
	for _, old := range olds {
		i, err := f.find("Rename", old)
		if err != nil {
			return nil, err
		}
		out.cols[i].name = columns[old]
	}
	for i := range out.cols {
		for j := range i {
			if out.cols[i].name == out.cols[j].name {
				return nil, errorf("Rename", "two columns would be named %q; choose another name, or Drop one of them first", out.cols[i].name)
			}
		}
	}
	return out, nil
}

// Drop returns a frame without the named columns (pandas:
// data.drop(columns=[...])). It is an error if a name is missing.
func (f *Frame) Drop(names ...string) (*Frame, error) {
	for _, name := range names {
		if _, err := f.find("Drop", name); err != nil {
			return nil, err
		}
	}
	out := &Frame{index: slices.Clone(f.index), idx: f.idx}
	for i := range f.cols {
		if !slices.Contains(names, f.cols[i].name) {
			out.cols = append(out.cols, f.cols[i].pick(rowsOf(f.Len())))
		}
	}
	return out, nil
}

// DropNA returns a frame without the rows that have a missing value in any
// column (pandas: data.dropna()). The rows kept keep their labels.
func (f *Frame) DropNA() *Frame {
	var rows []int
	for i := range f.index {
		keep := true
		for k := range f.cols {
			if f.cols[k].missing(i) {
				keep = false
				break
			}
		}
		if keep {
			rows = append(rows, i)
		}
	}
	return f.rows(rows)
}

// Head returns the first n rows (pandas: data.head(n)), or the first 5
// without n (pandas: data.head()). A negative n returns all rows but the
// last -n.
func (f *Frame) Head(n ...int) *Frame {
	return f.head(headCount(n))
}

// headCount returns the n given to Head or Tail, or 5 without one.
func headCount(n []int) int {
	if len(n) == 0 {
		return 5
	}
	return n[0]
}

func (f *Frame) head(n int) *Frame {
	if n < 0 {
		n = max(f.Len()+n, 0)
	}
	return f.rows(rowsOf(min(n, f.Len())))
}

// Tail returns the last n rows (pandas: data.tail(n)), or the last 5
// without n (pandas: data.tail()). A negative n returns all rows but the
// first -n.
func (f *Frame) Tail(n ...int) *Frame {
	return f.tail(headCount(n))
}

func (f *Frame) tail(n int) *Frame {
	if n < 0 {
		n = max(f.Len()+n, 0)
	}
	n = min(n, f.Len())
	rows := rowsOf(n)
	for i := range rows {
		rows[i] += f.Len() - n
	}
	return f.rows(rows)
}

// rows returns a frame holding the rows at the given positions.
func (f *Frame) rows(rows []int) *Frame {
	out := &Frame{index: make([]int, len(rows))}
	for k, i := range rows {
		out.index[k] = f.index[i]
	}
	if f.idx != nil {
		idx := f.idx.pick(rows)
		out.idx = &idx
		copy(out.index, rowsOf(len(rows)))
	}
	for i := range f.cols {
		out.cols = append(out.cols, f.cols[i].pick(rows))
	}
	return out
}

// rowsOf returns 0, 1, ..., n-1.
func rowsOf(n int) []int {
	r := make([]int, n)
	for i := range r {
		r[i] = i
	}
	return r
}

// Tensor returns the named columns as a (rows, len(names)) tensor (pandas:
// data[['AvgTemp']].values), or all columns when no name is given (pandas:
// data.values). Missing values are NaN. It is an error if a column is
// missing or holds text, or if the frame has no rows.
func (f *Frame) Tensor(names ...string) (*dl.Tensor, error) {
	if len(names) == 0 {
		names = f.Columns()
		if len(names) == 0 {
			return nil, errorf("Tensor", "the frame has no columns")
		}
	}
	cols := make([][]float64, len(names))
	for j, name := range names {
		v, err := f.numeric("Tensor", name)
		if err != nil {
			return nil, err
		}
		cols[j] = v
	}
	if f.Len() == 0 {
		return nil, errorf("Tensor", "the frame has no rows (did DropNA remove them all?)")
	}
	t := dl.Zeros(f.Len(), len(names))
	d := t.Data()
	for j, v := range cols {
		for i, x := range v {
			d[i*len(names)+j] = x
		}
	}
	return t, nil
}

// Vector returns the named column as a 1-D tensor of shape (rows,) (pandas:
// data['y'].values), the usual form of a target. It is an error if the
// column is missing or holds text, or if the frame has no rows.
func (f *Frame) Vector(name string) (*dl.Tensor, error) {
	v, err := f.numeric("Vector", name)
	if err != nil {
		return nil, err
	}
	if len(v) == 0 {
		return nil, errorf("Vector", "the frame has no rows (did DropNA remove them all?)")
	}
	return dl.FromSlice(slices.Clone(v)), nil
}
