package prep

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/dlgo/dlgo/dl"
)

// Cond is a condition on the columns of a frame, true or false for each
// row, that Where selects rows by (pandas: a boolean Series such as
// data.location == "Seattle"). Eq, Ne, Gt, Ge, Lt, Le and In compare a
// column with a value; And, Or and Not combine conditions.
type Cond struct {
	text string // the condition as written, for error messages
	eval func(f *Frame) ([]bool, error)
}

// String returns the condition as it is written in Go, such as
// Eq("location", "Seattle").
func (c Cond) String() string { return c.text }

// Eq is true where the named column equals v (pandas: data[name] == v).
// v is a number for a numeric column, a string for a text column, and a
// time.Time or a date as text (2012-01-01) for a date column. A missing
// cell equals nothing.
func Eq(name string, v any) Cond { return compare("Eq", name, v, func(c int) bool { return c == 0 }) }

// Ne is true where the named column differs from v (pandas: data[name] !=
// v), including where the cell is missing. v is as for Eq.
func Ne(name string, v any) Cond { return compare("Ne", name, v, func(c int) bool { return c != 0 }) }

// Gt is true where the named column is greater than v (pandas: data[name]
// > v). Text compares byte by byte, as Python compares str; a missing cell
// is never greater. v is as for Eq.
func Gt(name string, v any) Cond { return compare("Gt", name, v, func(c int) bool { return c > 0 }) }

// Ge is true where the named column is greater than or equal to v (pandas:
// data[name] >= v). v is as for Eq.
func Ge(name string, v any) Cond { return compare("Ge", name, v, func(c int) bool { return c >= 0 }) }

// Lt is true where the named column is less than v (pandas: data[name] <
// v). v is as for Eq.
func Lt(name string, v any) Cond { return compare("Lt", name, v, func(c int) bool { return c < 0 }) }

// Le is true where the named column is less than or equal to v (pandas:
// data[name] <= v). v is as for Eq.
func Le(name string, v any) Cond { return compare("Le", name, v, func(c int) bool { return c <= 0 }) }

// In is true where the named column equals one of values (pandas:
// data[name].isin(values)). Each value is as for Eq.
func In(name string, values ...any) Cond {
	conds := make([]Cond, len(values))
	for i, v := range values {
		conds[i] = Eq(name, v)
	}
	c := Or(conds...)
	c.text = fmt.Sprintf("In(%q%s)", name, argList(values))
	return c
}

// And is true where every condition is true (pandas: (c1) & (c2)); with no
// condition it is true everywhere.
func And(conds ...Cond) Cond {
	return combine("And", conds, true, func(a, b bool) bool { return a && b })
}

// Or is true where some condition is true (pandas: (c1) | (c2)); with no
// condition it is false everywhere.
func Or(conds ...Cond) Cond {
	return combine("Or", conds, false, func(a, b bool) bool { return a || b })
}

// Not is true where c is false (pandas: ~c).
func Not(c Cond) Cond {
	return Cond{text: "Not(" + c.text + ")", eval: func(f *Frame) ([]bool, error) {
		m, err := c.eval(f)
		for i := range m {
			m[i] = !m[i]
		}
		return m, err
	}}
}

// combine folds the masks of conds with op, starting from start.
func combine(name string, conds []Cond, start bool, op func(a, b bool) bool) Cond {
	texts := make([]string, len(conds))
	for i, c := range conds {
		texts[i] = c.text
	}
	return Cond{text: name + "(" + strings.Join(texts, ", ") + ")", eval: func(f *Frame) ([]bool, error) {
		out := make([]bool, f.Len())
		for i := range out {
			out[i] = start
		}
		for _, c := range conds {
			m, err := c.eval(f)
			if err != nil {
				return nil, err
			}
			for i := range out {
				out[i] = op(out[i], m[i])
			}
		}
		return out, nil
	}}
}

// argList formats values as the rest of a Go argument list.
func argList(values []any) string {
	var b strings.Builder
	for _, v := range values {
		b.WriteString(", " + goValue(v))
	}
	return b.String()
}

// goValue formats v as it would be written in Go.
func goValue(v any) string {
	switch v := v.(type) {
	case string:
		return fmt.Sprintf("%q", v)
	case time.Time:
		return "time.Time(" + v.Format(time.DateTime) + ")"
	}
	return fmt.Sprint(v)
}

// compare builds a condition that compares each cell of the named column
// with v and keeps the rows where ok(sign of cell - v) holds. A missing
// cell compares as unequal: true for Ne only.
func compare(op, name string, v any, ok func(int) bool) Cond {
	text := fmt.Sprintf("%s(%q, %s)", op, name, goValue(v))
	missing := op == "Ne"
	return Cond{text: text, eval: func(f *Frame) ([]bool, error) {
		k, err := f.find("Where", name)
		if err != nil {
			return nil, within(text, err)
		}
		c := &f.cols[k]
		cmp, err := comparer(c, v)
		if err != nil {
			return nil, errorf("Where", "%s: %v", text, err)
		}
		out := make([]bool, f.Len())
		for i := range out {
			if c.missing(i) {
				out[i] = missing
			} else {
				out[i] = ok(cmp(i))
			}
		}
		return out, nil
	}}
}

// comparer returns a function that compares the cell at row i of c with
// v, or an error if v cannot be compared with what c holds.
func comparer(c *column, v any) (func(i int) int, error) {
	switch {
	case c.isText():
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("column %q holds text; compare it with a string, not %T %v", c.name, v, v)
		}
		return func(i int) int { return strings.Compare(c.text[i], s) }, nil
	case c.isTime():
		var t time.Time
		switch v := v.(type) {
		case time.Time:
			t = v
		case string:
			var err error
			if t, err = parseDate(v, ""); err != nil {
				return nil, fmt.Errorf("column %q holds dates; %q is not a date such as 2012-01-01", c.name, v)
			}
		default:
			return nil, fmt.Errorf("column %q holds dates; compare it with a time.Time or a date such as \"2012-01-01\", not %T %v", c.name, v, v)
		}
		return func(i int) int { return c.times[i].Compare(t) }, nil
	}
	x, ok := toFloat(v)
	if !ok {
		return nil, fmt.Errorf("column %q holds numbers; compare it with a number, not %T %v", c.name, v, v)
	}
	return func(i int) int {
		switch a := c.num[i]; {
		case a < x:
			return -1
		case a > x:
			return 1
		case a == x:
			return 0
		}
		return 2 // NaN: unequal to everything, greater than nothing
	}, nil
}

// toFloat converts a Go number (any int, uint or float type) to float64.
func toFloat(v any) (float64, bool) {
	r := reflect.ValueOf(v)
	switch {
	case r.CanFloat():
		return r.Float(), true
	case r.CanInt():
		return float64(r.Int()), true
	case r.CanUint():
		return float64(r.Uint()), true
	}
	return 0, false
}

// within prefixes the message of a *dl.Error from this package with what,
// the argument as written: "prep: Where: Eq("loc", "Seattle"): column ...".
func within(what string, err error) error {
	var e *dl.Error
	if errors.As(err, &e) {
		return &dl.Error{Op: e.Op, Msg: what + ": " + e.Msg, Err: e.Err, Pkg: e.Pkg}
	}
	return err
}

// Where returns the rows where cond is true, with their labels (pandas:
// data[cond], such as data[data.location == "Seattle"]):
//
//	sea, err := data.Where(prep.Eq("location", "Seattle"))
//	hot, err := data.Where(prep.And(prep.Eq("location", "Seattle"), prep.Gt("temp_max", 30)))
//
// It is an error if cond names a missing column or compares a column with
// a value of another kind (a number with text, say); pandas would select
// no row there.
func (f *Frame) Where(cond Cond) (*Frame, error) {
	if cond.eval == nil {
		return nil, errorf("Where", "the condition is the zero Cond; build one with prep.Eq, prep.Gt, prep.And, ...")
	}
	m, err := cond.eval(f)
	if err != nil {
		return nil, err
	}
	var rows []int
	for i, keep := range m {
		if keep {
			rows = append(rows, i)
		}
	}
	return f.rows(rows), nil
}

// Row is one row of a frame, as Filter hands it to its predicate (pandas:
// the row of data.apply(pred, axis=1)). Its methods read a cell by column
// name; asking for a missing column or for a cell of the wrong kind makes
// Filter return an error.
type Row struct {
	f   *Frame
	i   int
	err *error
}

// cell finds the named column for a Row method, or records an error.
func (r Row) cell(method, name string, ok func(c *column) bool) *column {
	k, err := r.f.find("Filter", name)
	if err == nil && !ok(&r.f.cols[k]) {
		err = errorf("Filter", "row %s: Row.%s(%q): column %q holds %s; read it with Row.%s", r.f.label(r.i), method, name, name,
			r.f.cols[k].kind(), map[string]string{"text": "Text", "dates": "Time", "numbers": "Num"}[r.f.cols[k].kind()])
	}
	if err != nil {
		if *r.err == nil {
			*r.err = err
		}
		return nil
	}
	return &r.f.cols[k]
}

// Num returns the row's value in the named numeric column, NaN if it is
// missing (pandas: row["temp_max"]).
func (r Row) Num(name string) float64 {
	c := r.cell("Num", name, (*column).isNum)
	if c == nil {
		return 0
	}
	return c.num[r.i]
}

// Text returns the row's cell in the named text column, "" if it is
// missing (pandas: row["weather"]).
func (r Row) Text(name string) string {
	c := r.cell("Text", name, (*column).isText)
	if c == nil {
		return ""
	}
	return c.text[r.i]
}

// Time returns the row's date in the named date column, the zero time.Time
// if it is missing (pandas: row["date"]).
func (r Row) Time(name string) time.Time {
	c := r.cell("Time", name, (*column).isTime)
	if c == nil {
		return time.Time{}
	}
	return c.times[r.i]
}

// IsNA reports whether the row's cell in the named column is missing
// (pandas: pd.isna(row["temp_max"])).
func (r Row) IsNA(name string) bool {
	c := r.cell("IsNA", name, func(*column) bool { return true })
	return c == nil || c.missing(r.i)
}

// Filter returns the rows for which keep returns true, with their labels
// (pandas: data[data.apply(keep, axis=1)]):
//
//	wet, err := data.Filter(func(r prep.Row) bool {
//		return r.Text("weather") == "rain" && r.Num("precipitation") > 10
//	})
//
// It is an error if keep reads a missing column or a cell of the wrong
// kind (Num of a text column); the error names the first such row.
func (f *Frame) Filter(keep func(r Row) bool) (*Frame, error) {
	var err error
	var rows []int
	for i := range f.Len() {
		if keep(Row{f: f, i: i, err: &err}) && err == nil {
			rows = append(rows, i)
		}
		if err != nil {
			return nil, err
		}
	}
	return f.rows(rows), nil
}
