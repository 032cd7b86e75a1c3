package prep

import (
	"strings"
	"testing"

	"github.com/dlgo/dlgo/dl"
)

// TestConcatErrors checks the errors of Concat, ConcatColumns and
// ConcatWith, and that the inputs are left unchanged.
func TestConcatErrors(t *testing.T) {
	a := dl.Must(ReadJSONString(`{"x": [1, 2, 3]}`))
	b := dl.Must(ReadJSONString(`{"x": [4, 5], "y": ["p", "q"]}`))
	before := a.String()
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"no frames", func() error { _, err := Concat(); return err }(), "no frames"},
		{"nil frame", func() error { _, err := ConcatColumns(a, nil); return err }(), "frame 1 is nil"},
		{"axis", func() error { _, err := ConcatWith([]*Frame{a}, ConcatOptions{Axis: 2}); return err }(), "Axis must be 0 (rows) or 1 (columns)"},
		{"repeated name", func() error { _, err := ConcatColumns(a, b); return err }(), `column "x" is in frame 0 and frame 1`},
		{"positions", func() error {
			_, err := ConcatWith([]*Frame{a, dl.Must(b.Drop("x"))}, ConcatOptions{Axis: 1, IgnoreIndex: true})
			return err
		}(), "frame 1 has 2 rows, but frame 0 has 3"},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, c.err, c.want)
		}
	}
	if a.String() != before {
		t.Errorf("Concat changed its input")
	}
}

// TestConcatColumnsByPosition checks ConcatWith's positional join of
// columns: the rows are matched by position and renumbered.
func TestConcatColumnsByPosition(t *testing.T) {
	a := dl.Must(ReadJSONString(`{"x": {"3": 1, "5": 2}}`))
	b := dl.Must(ReadJSONString(`{"y": [7, 8]}`))
	got := dl.Must(ConcatWith([]*Frame{a, b}, ConcatOptions{Axis: 1, IgnoreIndex: true}))
	want := "   x  y\n0  1  7\n1  2  8"
	if got.String() != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// Zero-value frames join as frames without columns.
	if got := dl.Must(Concat(&Frame{}, a)); got.String() != a.String() {
		t.Errorf("Concat with an empty frame:\n%s", got)
	}
}

// TestStackErrors checks the errors of HStack and VStack.
func TestStackErrors(t *testing.T) {
	m := dl.Zeros(3, 2)
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"HStack none", stackErr(HStack()), "no tensors"},
		{"HStack nil", stackErr(HStack(m, nil)), "tensor 1 is nil"},
		{"HStack rank", stackErr(HStack(m, dl.Zeros(3, 2, 1))), "tensor 1 has shape (3, 2, 1)"},
		{"HStack rows", stackErr(HStack(m, dl.Zeros(4))), "tensor 1 has 4 rows (shape (4,)), but tensor 0 has 3"},
		{"VStack none", stackErr(VStack()), "no tensors"},
		{"VStack nil", stackErr(VStack(nil)), "tensor 0 is nil"},
		{"VStack columns", stackErr(VStack(m, dl.Zeros(3))), "tensor 1 has shape (3,), but tensor 0 has rows of shape (2,)"},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, c.err, c.want)
		}
	}
}

func stackErr(_ *dl.Tensor, err error) error { return err }

// TestConcatDates joins frames with a date column (the column stays dates)
// and refuses frames labelled by a column, whose labels Concat cannot match.
func TestConcatDates(t *testing.T) {
	a := frameOf(ReadCSVString("d,v\n2012-01-01,1\n2012-01-02,2\n"))
	a = frameOf(a.ParseDates("d", ""))
	c, err := Concat(a, a)
	if err != nil {
		t.Fatal(err)
	}
	days, err := c.Dates("d")
	if err != nil || len(days) != 4 || days[3].Format("2006-01-02") != "2012-01-02" {
		t.Fatalf("Concat of date columns: %v, %v", days, err)
	}
	b := frameOf(a.SetIndex("d"))
	for _, f := range []func() (*Frame, error){
		func() (*Frame, error) { return Concat(b, b) },
		func() (*Frame, error) { return ConcatColumns(b, frameOf(ReadCSVString("w\n5\n6\n"))) },
	} {
		if _, err := f(); err == nil || !strings.Contains(err.Error(), "ResetIndex") {
			t.Errorf("labelled frames: err = %v, want one naming ResetIndex", err)
		}
	}
	if c, err := ConcatWith([]*Frame{b, b}, ConcatOptions{IgnoreIndex: true}); err != nil || c.Len() != 4 {
		t.Errorf("IgnoreIndex: %v, %v", c, err)
	}
}
