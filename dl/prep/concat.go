package prep

import (
	"math"
	"slices"
	"strconv"
	"time"
)

// ConcatOptions are the options of ConcatWith, pandas's keyword arguments
// of pd.concat. The zero value is pandas's default: rows (axis=0), keeping
// the row labels.
type ConcatOptions struct {
	// Axis 0 puts the frames one under the other (the rows of all frames);
	// Axis 1 puts them side by side (the columns of all frames).
	Axis int
	// IgnoreIndex numbers the rows of the result 0, 1, 2, ... instead of
	// keeping their labels (pandas: ignore_index=True).
	IgnoreIndex bool
}

// Concat puts frames one under the other (pandas: pd.concat([a, b])). The
// result has the columns of all frames, matched by name, in the order in
// which they first appear; a row whose frame lacks a column gets a missing
// value there (NaN), as pandas does.
//
// As in pandas, the rows keep their labels, so the index of two frames read
// from files is 0, 1, ..., 0, 1, ...; ConcatWith with IgnoreIndex numbers
// them 0, 1, 2, ... instead (pandas: ignore_index=True).
//
// A column is numeric if it is numeric in every frame that has it, and
// text otherwise, its numbers written as Strings writes them (pandas would
// keep a column of mixed numbers and text as an object column). A nil frame
// is an error; frames without columns add their rows' labels only.
func Concat(frames ...*Frame) (*Frame, error) {
	return concat("Concat", frames, ConcatOptions{})
}

// ConcatColumns puts frames side by side (pandas: pd.concat([a, b],
// axis=1)), the columns of the first frame, then those of the second, and
// so on.
//
// Rows are matched by their labels, as in pandas: frames with the same
// index (read from the same file, with the same rows dropped) are simply
// joined, and a label found in only some frames gets missing values (NaN)
// in the columns of the others. The result's labels are those of the first
// frame, then the new labels of the second, and so on, as in pandas. As in
// pandas, frames whose indexes differ must each have distinct labels
// (Concat keeps repeated labels; ConcatWith with IgnoreIndex renumbers
// them).
//
// pandas keeps two columns of the same name side by side, after which
// data['x'] returns both; ConcatColumns refuses a repeated name instead and
// says which frames hold it, so that one of them can be dropped
// (Frame.Drop) first.
func ConcatColumns(frames ...*Frame) (*Frame, error) {
	return concat("ConcatColumns", frames, ConcatOptions{Axis: 1})
}

// ConcatWith is Concat or ConcatColumns with pandas's options:
//
//	pd.concat([a, b], ignore_index=True)   prep.ConcatWith([]*prep.Frame{a, b}, prep.ConcatOptions{IgnoreIndex: true})
//	pd.concat([a, b], axis=1)              prep.ConcatWith([]*prep.Frame{a, b}, prep.ConcatOptions{Axis: 1})
//
// With Axis 1, IgnoreIndex matches the frames' rows by position rather than
// by label: the frames must then have the same number of rows, and the
// result's rows are numbered 0, 1, 2, ..., as pandas's
// pd.concat([a.reset_index(drop=True), b.reset_index(drop=True)], axis=1)
// does. (pandas's ignore_index=True with axis=1 would renumber the columns
// and still match the rows by label.)
func ConcatWith(frames []*Frame, opts ConcatOptions) (*Frame, error) {
	return concat("ConcatWith", frames, opts)
}

// concat implements Concat, ConcatColumns and ConcatWith.
func concat(op string, frames []*Frame, opts ConcatOptions) (*Frame, error) {
	if opts.Axis != 0 && opts.Axis != 1 {
		return nil, errorf(op, "ConcatOptions.Axis must be 0 (rows) or 1 (columns); received %d", opts.Axis)
	}
	if len(frames) == 0 {
		return nil, errorf(op, "no frames to concatenate")
	}
	for k, f := range frames {
		if f == nil {
			return nil, errorf(op, "frame %d is nil", k)
		}
		if f.idx != nil && !opts.IgnoreIndex {
			return nil, errorf(op, "frame %d is labelled by %q (SetIndex, Resample or Describe), labels that %s does not match; "+
				"move them into a column with f.ResetIndex() first, or renumber the rows with ConcatOptions{IgnoreIndex: true}", k, f.idx.name, op)
		}
	}
	if opts.Axis == 0 {
		return concatRows(frames, opts.IgnoreIndex), nil
	}
	return concatColumns(op, frames, opts.IgnoreIndex)
}

// cellRef is one cell of a column being assembled: row i of column c, or
// a missing value when c is nil.
type cellRef struct {
	c *column
	i int
}

// concatRows puts the frames one under the other.
func concatRows(frames []*Frame, ignoreIndex bool) *Frame {
	out := &Frame{}
	var names []string
	for _, f := range frames {
		out.index = append(out.index, f.index...)
		for k := range f.cols {
			if !slices.Contains(names, f.cols[k].name) {
				names = append(names, f.cols[k].name)
			}
		}
	}
	if ignoreIndex {
		out.index = rowsOf(len(out.index))
	}
	for _, name := range names {
		refs := make([]cellRef, 0, len(out.index))
		for _, f := range frames {
			var c *column
			if j := f.colPos(name); j >= 0 {
				c = &f.cols[j]
			}
			for i := range f.index {
				refs = append(refs, cellRef{c, i})
			}
		}
		out.cols = append(out.cols, gather(name, refs))
	}
	return out
}

// concatColumns puts the frames side by side, matching rows by label, or
// by position if byPosition.
func concatColumns(op string, frames []*Frame, byPosition bool) (*Frame, error) {
	seen := map[string]int{}
	for k, f := range frames {
		for _, c := range f.cols {
			if first, ok := seen[c.name]; ok {
				return nil, errorf(op, "column %q is in frame %d and frame %d; pandas would keep both under one name, "+
					"which makes the column ambiguous: drop it from one frame first (Frame.Drop)", c.name, first, k)
			}
			seen[c.name] = k
		}
	}
	index, pos, err := joinIndex(op, frames, byPosition)
	if err != nil {
		return nil, err
	}
	out := &Frame{index: index}
	for k, f := range frames {
		for j := range f.cols {
			refs := make([]cellRef, len(index))
			for r := range refs {
				refs[r] = cellRef{i: pos[k][r]}
				if refs[r].i >= 0 {
					refs[r].c = &f.cols[j]
				}
			}
			out.cols = append(out.cols, gather(f.cols[j].name, refs))
		}
	}
	return out, nil
}

// joinIndex returns the labels of ConcatColumns' result and, for each frame
// and each result row, the frame's row position there (-1 if none).
func joinIndex(op string, frames []*Frame, byPosition bool) ([]int, [][]int, error) {
	pos := make([][]int, len(frames))
	if byPosition {
		n := frames[0].Len()
		for k, f := range frames {
			if f.Len() != n {
				return nil, nil, errorf(op, "frame %d has %d rows, but frame 0 has %d; joining by position (IgnoreIndex) needs the same number of rows", k, f.Len(), n)
			}
			pos[k] = rowsOf(n)
		}
		return rowsOf(n), pos, nil
	}
	same := true
	for _, f := range frames[1:] {
		same = same && slices.Equal(f.index, frames[0].index)
	}
	if same {
		for k := range frames {
			pos[k] = rowsOf(frames[0].Len())
		}
		return slices.Clone(frames[0].index), pos, nil
	}
	row := map[int]int{} // label -> result row
	var index []int
	for k, f := range frames {
		at := map[int]int{}
		for i, label := range f.index {
			if prev, ok := at[label]; ok {
				return nil, nil, errorf(op, "frame %d has the row label %d twice (rows %d and %d), so its rows cannot be matched by label "+
					"to the other frames' (their indexes differ); renumber its rows with prep.ConcatWith([]*prep.Frame{f}, prep.ConcatOptions{IgnoreIndex: true})",
					k, label, prev, i)
			}
			at[label] = i
			if _, ok := row[label]; !ok {
				row[label] = len(index)
				index = append(index, label)
			}
		}
	}
	for k, f := range frames {
		pos[k] = make([]int, len(index))
		for r := range pos[k] {
			pos[k][r] = -1
		}
		for i, label := range f.index {
			pos[k][row[label]] = i
		}
	}
	return index, pos, nil
}

// gather builds a column from cells of other columns: numeric if every
// cell comes from a numeric column or is missing, text otherwise.
func gather(name string, refs []cellRef) column {
	text, ints, dates, nums := false, len(refs) > 0, false, false
	for _, r := range refs {
		switch {
		case r.c == nil:
			ints = false
		case r.c.isText():
			text = true
		case r.c.isTime():
			dates = true
		default:
			nums = true
			ints = ints && r.c.ints
		}
	}
	if dates && !text && !nums {
		out := column{name: name, bad: -1, times: make([]time.Time, len(refs)), na: make([]bool, len(refs))}
		for k, r := range refs {
			out.na[k] = r.c == nil || r.c.missing(r.i)
			if !out.na[k] {
				out.times[k] = r.c.times[r.i]
			}
		}
		return out
	}
	text = text || dates
	if !text {
		out := column{name: name, bad: -1, ints: ints, num: make([]float64, len(refs))}
		for k, r := range refs {
			out.num[k] = math.NaN()
			if r.c != nil {
				out.num[k] = r.c.num[r.i]
			}
		}
		return out
	}
	cells := make([]string, len(refs))
	na := make([]bool, len(refs))
	for k, r := range refs {
		switch {
		case r.c == nil || r.c.missing(r.i):
			na[k] = true
		case r.c.isText():
			cells[k] = r.c.text[r.i]
		case r.c.isTime():
			cells[k] = r.c.format([]int{r.i})[0]
		default:
			cells[k] = strconv.FormatFloat(r.c.num[r.i], 'g', -1, 64)
		}
	}
	return textColumn(name, cells, na)
}

// textColumn returns a text column of the given cells, na marking the
// missing ones, or a numeric column if every cell that is not missing is a
// number (as pandas's read_json turns numbers written as strings into
// numbers). A numeric column whose values are all whole, none missing, is
// marked as integers, as pandas prints an int64 column.
func textColumn(name string, cells []string, na []bool) column {
	c := column{name: name, bad: -1}
	num := make([]float64, len(cells))
	for i, s := range cells {
		if na[i] {
			num[i] = math.NaN()
			continue
		}
		v, ok := parseNumber(s)
		if !ok {
			c.bad = i
			c.text, c.na = cells, na
			return c
		}
		num[i] = v
	}
	c.num, c.ints = num, wholeNumbers(num)
	return c
}

// wholeNumbers reports whether v is not empty and holds only whole numbers
// that an int64 holds: the numbers pandas keeps in an int64 column.
func wholeNumbers(v []float64) bool {
	for _, x := range v {
		if x != math.Trunc(x) || math.Abs(x) >= 1<<63 {
			return false // also NaN and ±Inf
		}
	}
	return len(v) > 0
}

// colPos returns the position of the named column, or -1.
func (f *Frame) colPos(name string) int {
	for j := range f.cols {
		if f.cols[j].name == name {
			return j
		}
	}
	return -1
}
