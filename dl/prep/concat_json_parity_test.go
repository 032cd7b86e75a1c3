package prep

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dlgo/dlgo/dl"
)

// This file checks ReadJSON, Concat, ConcatColumns, HStack and VStack
// against what pandas 3.1 and NumPy compute on the same inputs, written to
// testdata/pandas by tools/pandas/gen_concat_json.py.

// cjFrame is a frame as the generator writes it: the values of an object
// column as str() writes them, null for a missing value, "inf" and "-inf"
// for infinities.
type cjFrame struct {
	Columns []string          `json:"columns"`
	Index   []int             `json:"index"`
	Dtypes  map[string]string `json:"dtypes"`
	Data    map[string][]any  `json:"data"`
}

// cjLoad reads a fixture file of testdata/pandas into v.
func cjLoad(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "pandas", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// cjCheck compares a Frame with pandas's: column names and order, row
// labels, each column's kind (numeric, int64, text) and values, and
// missing values.
func cjCheck(t *testing.T, what string, got *Frame, want cjFrame) {
	t.Helper()
	if !slices.Equal(got.Columns(), want.Columns) && !(len(want.Columns) == 0 && len(got.Columns()) == 0) {
		t.Errorf("%s: columns %q, pandas %q", what, got.Columns(), want.Columns)
		return
	}
	if !slices.Equal(got.index, want.Index) && !(len(want.Index) == 0 && got.Len() == 0) {
		t.Errorf("%s: index %v, pandas %v", what, got.index, want.Index)
	}
	for j, name := range want.Columns {
		c := &got.cols[j]
		dtype := want.Dtypes[name]
		vals := want.Data[name]
		numeric := dtype == "int64" || dtype == "float64" || dtype == "bool"
		if numeric == c.isText() {
			t.Errorf("%s: column %q is text=%v, pandas dtype %s", what, name, c.isText(), dtype)
			continue
		}
		if numeric && c.ints != (dtype == "int64") {
			t.Errorf("%s: column %q ints=%v, pandas dtype %s", what, name, c.ints, dtype)
		}
		if len(vals) != got.Len() {
			t.Errorf("%s: column %q has %d rows, pandas %d", what, name, got.Len(), len(vals))
			continue
		}
		for i, v := range vals {
			if v == nil {
				if !c.missing(i) {
					t.Errorf("%s: %q[%d] is not missing, pandas NaN", what, name, i)
				}
				continue
			}
			if c.missing(i) {
				t.Errorf("%s: %q[%d] is missing, pandas %v", what, name, i, v)
				continue
			}
			if c.isText() {
				if c.text[i] != v.(string) {
					t.Errorf("%s: %q[%d] = %q, pandas %q", what, name, i, c.text[i], v)
				}
				continue
			}
			var w float64
			switch x := v.(type) {
			case float64:
				w = x
			case bool:
				w = map[bool]float64{false: 0, true: 1}[x]
			case string:
				w = map[string]float64{"inf": math.Inf(1), "-inf": math.Inf(-1)}[x]
			}
			if c.num[i] != w {
				t.Errorf("%s: %q[%d] = %v, pandas %v", what, name, i, c.num[i], w)
			}
		}
	}
}

func TestReadJSONPandas(t *testing.T) {
	var fx struct {
		Cases []struct {
			Name, Text, Path string
			Frame            cjFrame
		}
		Errors []struct{ Name, Text, Pandas string }
	}
	cjLoad(t, "json_read.json", &fx)
	if len(fx.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range fx.Cases {
		var f *Frame
		var err error
		if c.Path != "" {
			f, err = ReadJSON(filepath.Join("..", "..", c.Path))
		} else {
			f, err = ReadJSONString(c.Text)
		}
		if err != nil {
			t.Errorf("%s: %v", c.Name, err)
			continue
		}
		cjCheck(t, c.Name, f, c.Frame)
	}
	for _, c := range fx.Errors {
		_, err := ReadJSONString(c.Text)
		if err == nil || !strings.HasPrefix(err.Error(), "prep: ReadJSONString: ") {
			t.Errorf("%s: %v, want an error (pandas: %s)", c.Name, err, c.Pandas)
		}
	}
}

func TestConcatPandas(t *testing.T) {
	var fx struct {
		Cases []struct {
			Name        string
			Inputs      []string
			Axis        int
			IgnoreIndex bool `json:"ignore_index"`
			Frame       cjFrame
		}
		Errors []struct {
			Name   string
			Inputs []string
		}
	}
	cjLoad(t, "concat_frames.json", &fx)
	read := func(texts []string) []*Frame {
		var fs []*Frame
		for _, s := range texts {
			fs = append(fs, dl.Must(ReadJSONString(s)))
		}
		return fs
	}
	for _, c := range fx.Cases {
		frames := read(c.Inputs)
		got, err := ConcatWith(frames, ConcatOptions{Axis: c.Axis, IgnoreIndex: c.IgnoreIndex})
		if err != nil {
			t.Errorf("%s: %v", c.Name, err)
			continue
		}
		cjCheck(t, c.Name, got, c.Frame)
		if c.IgnoreIndex {
			continue
		}
		short := Concat
		if c.Axis == 1 {
			short = ConcatColumns
		}
		again := dl.Must(short(frames...))
		if again.String() != got.String() {
			t.Errorf("%s: Concat or ConcatColumns differs from ConcatWith", c.Name)
		}
	}
	for _, c := range fx.Errors {
		fs := read(c.Inputs)
		rows := dl.Must(Concat(fs[0], fs[0]))
		if _, err := ConcatColumns(rows, fs[1]); err == nil || !strings.Contains(err.Error(), "row label 0 twice") {
			t.Errorf("%s: %v", c.Name, err)
		}
	}
}

func TestStackNumPy(t *testing.T) {
	type array struct {
		Shape []int
		Data  []float64
	}
	var fx struct {
		Cases []struct {
			Name, Fn string
			Inputs   []array
			Out      *array
		}
	}
	cjLoad(t, "concat_stack.json", &fx)
	for _, c := range fx.Cases {
		var in []*dl.Tensor
		for _, a := range c.Inputs {
			in = append(in, dl.FromSlice(a.Data, a.Shape...))
		}
		stack := HStack
		if c.Fn == "VStack" {
			stack = VStack
		}
		got, err := stack(in...)
		switch {
		case c.Out == nil && err == nil:
			t.Errorf("%s: no error, NumPy refuses", c.Name)
		case c.Out == nil:
		case err != nil:
			t.Errorf("%s: %v", c.Name, err)
		case !slices.Equal(got.Shape(), c.Out.Shape) || !slices.Equal(got.Data(), c.Out.Data):
			t.Errorf("%s: %s %v, NumPy %v %v", c.Name, dl.ShapeString(got.Shape()), got.Data(), c.Out.Shape, c.Out.Data)
		}
	}
}
