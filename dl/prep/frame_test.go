package prep

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/dlgo/dlgo/dl"
)

// sameFloats reports whether a and b are equal, NaN matching NaN.
func sameFloats(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool {
		return x == y || (math.IsNaN(x) && math.IsNaN(y))
	})
}

const tempCSV = `Date,AvgTemp,Station
2019-01-06,31.2,TEST
2019-01-13,28.5,TEST
2019-01-20,NA,TEST
2019-01-27,33.1,TEST
`

func mustFrame(t *testing.T, csv string) *Frame {
	t.Helper()
	f, err := ReadCSVString(csv)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestReadCSVFile(t *testing.T) {
	f, err := ReadCSV("testdata/weekly_temp.csv")
	if err != nil {
		t.Fatal(err)
	}
	if r, c := f.Shape(); r != 12 || c != 3 {
		t.Errorf("Shape() = (%d, %d), want (12, 3)", r, c)
	}
	if got := f.Columns(); !slices.Equal(got, []string{"Date", "AvgTemp", "Station"}) {
		t.Errorf("Columns() = %v", got)
	}
	_, err = ReadCSV("testdata/no_such_file.csv")
	var de *dl.Error
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "no_such_file.csv") {
		t.Errorf("missing file: got %v, want a *dl.Error naming the file", err)
	}
}

func TestParseCSVErrors(t *testing.T) {
	cases := []struct {
		name, csv, want string
	}{
		{"empty", "", "prep: ParseCSV: no columns to parse: the data is empty"},
		{"blank lines only", "\n\n", "prep: ParseCSV: no columns to parse: the data is empty"},
		{"long row", "a,b\n1,2\n3,4,5\n", "prep: ParseCSV: line 3 has 3 fields, but the header has 2 columns"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseCSV(strings.NewReader(c.csv))
			if err == nil || err.Error() != c.want {
				t.Errorf("got %v, want %q", err, c.want)
			}
		})
	}
}

func TestFrameColumns(t *testing.T) {
	f := mustFrame(t, tempCSV)
	cases := []struct {
		name    string
		got     func() (any, error)
		want    any
		wantErr string
	}{
		{"Col", func() (any, error) { return f.Col("AvgTemp") }, []float64{31.2, 28.5, math.NaN(), 33.1}, ""},
		{"Col missing", func() (any, error) { return f.Col("AvgTmp") },
			nil, `prep: Col: column "AvgTmp" not found; columns are: Date, AvgTemp, Station`},
		{"Col text", func() (any, error) { return f.Col("Date") },
			nil, `prep: Col: column "Date" holds text, not numbers: row 0 is "2019-01-06" (a missing value must be empty, NA or NaN); numeric columns are: AvgTemp`},
		{"Shift -1", func() (any, error) { return f.Shift("AvgTemp", -1) }, []float64{28.5, math.NaN(), 33.1, math.NaN()}, ""},
		{"Shift 2", func() (any, error) { return f.Shift("AvgTemp", 2) }, []float64{math.NaN(), math.NaN(), 31.2, 28.5}, ""},
		{"Shift 0", func() (any, error) { return f.Shift("AvgTemp", 0) }, []float64{31.2, 28.5, math.NaN(), 33.1}, ""},
		{"Shift past end", func() (any, error) { return f.Shift("AvgTemp", -9) }, []float64{math.NaN(), math.NaN(), math.NaN(), math.NaN()}, ""},
		{"Shift missing", func() (any, error) { return f.Shift("Temp", 1) },
			nil, `prep: Shift: column "Temp" not found; columns are: Date, AvgTemp, Station`},
		{"Strings text", func() (any, error) { return f.Strings("Station") }, []string{"TEST", "TEST", "TEST", "TEST"}, ""},
		{"Strings numeric", func() (any, error) { return f.Strings("AvgTemp") }, []string{"31.2", "28.5", "NaN", "33.1"}, ""},
		{"Index", func() (any, error) { return f.DropNA().Index(), nil }, []int{0, 1, 3}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.got()
			if c.wantErr != "" {
				if err == nil || err.Error() != c.wantErr {
					t.Fatalf("error %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			ok := false
			switch w := c.want.(type) {
			case []float64:
				ok = sameFloats(got.([]float64), w)
			case []string:
				ok = slices.Equal(got.([]string), w)
			case []int:
				ok = slices.Equal(got.([]int), w)
			}
			if !ok {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestFrameTextCellNamed(t *testing.T) {
	// One bad cell turns a numeric column into text; the error points at it.
	f := mustFrame(t, "Week,Temp\n1,30.5\n2,n.a.\n3,31\n")
	_, err := f.Tensor("Temp")
	want := `prep: Tensor: column "Temp" holds text, not numbers: row 1 is "n.a." (a missing value must be empty, NA or NaN); numeric columns are: Week`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	// After dropping that row, the column is still text (as in pandas),
	// and the error names the next row label that holds text.
	g := mustFrame(t, "Temp,Note\nx,1\n30,2\ny,3\n").Tail(2)
	if _, err := g.Col("Temp"); err == nil || !strings.Contains(err.Error(), `row 2 is "y"`) {
		t.Errorf("got %v, want the error to name row 2", err)
	}
}

func TestFrameSetCol(t *testing.T) {
	f := mustFrame(t, tempCSV)
	if err := f.SetCol("y", []float64{1, 2, 3, 4}); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCol("AvgTemp", []float64{5, 6, 7, 8}); err != nil {
		t.Fatal(err)
	}
	if got := f.Columns(); !slices.Equal(got, []string{"Date", "AvgTemp", "Station", "y"}) {
		t.Errorf("Columns() = %v: replacing must keep the position", got)
	}
	if v, _ := f.Col("AvgTemp"); !slices.Equal(v, []float64{5, 6, 7, 8}) {
		t.Errorf("AvgTemp = %v", v)
	}
	err := f.SetCol("z", []float64{1, 2, 3})
	if want := `prep: SetCol: column "z" has 3 values, but the frame has 4 rows`; err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
	// The zero Frame takes its length from the first column.
	var g Frame
	if err := g.SetCol("a", []float64{1, 2}); err != nil {
		t.Fatal(err)
	}
	if err := g.SetCol("b", []float64{3, 4}); err != nil {
		t.Fatal(err)
	}
	x, err := g.Tensor()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(x.Shape(), []int{2, 2}) || !slices.Equal(x.Data(), []float64{1, 3, 2, 4}) {
		t.Errorf("Tensor() = %v", x)
	}
	// SetCol copies its argument.
	v := []float64{9, 9}
	_ = g.SetCol("c", v)
	v[0] = 0
	if c, _ := g.Col("c"); c[0] != 9 {
		t.Error("SetCol kept a reference to the caller's slice")
	}
}

func TestFrameSelectDrop(t *testing.T) {
	f := mustFrame(t, tempCSV)
	cases := []struct {
		name    string
		do      func() (*Frame, error)
		cols    []string
		wantErr string
	}{
		{"select reorders", func() (*Frame, error) { return f.Select("Station", "AvgTemp") }, []string{"Station", "AvgTemp"}, ""},
		{"select missing", func() (*Frame, error) { return f.Select("AvgTemp", "Temp") }, nil,
			`prep: Select: column "Temp" not found; columns are: Date, AvgTemp, Station`},
		{"select twice", func() (*Frame, error) { return f.Select("AvgTemp", "AvgTemp") }, nil,
			`prep: Select: column "AvgTemp" is selected twice`},
		{"drop", func() (*Frame, error) { return f.Drop("Date") }, []string{"AvgTemp", "Station"}, ""},
		{"drop missing", func() (*Frame, error) { return f.Drop("date") }, nil,
			`prep: Drop: column "date" not found; columns are: Date, AvgTemp, Station`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, err := c.do()
			if c.wantErr != "" {
				if err == nil || err.Error() != c.wantErr {
					t.Fatalf("error %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(g.Columns(), c.cols) || g.Len() != f.Len() {
				t.Errorf("got columns %v and %d rows", g.Columns(), g.Len())
			}
		})
	}
	// A selection is a copy: changing it leaves f alone.
	g, _ := f.Select("AvgTemp")
	_ = g.SetCol("AvgTemp", []float64{0, 0, 0, 0})
	if v, _ := f.Col("AvgTemp"); v[0] != 31.2 {
		t.Error("Select shares data with the original frame")
	}
}

func TestFrameRows(t *testing.T) {
	f := mustFrame(t, "a\n0\n1\n2\n3\n4\n")
	cases := []struct {
		name string
		got  *Frame
		want []int
	}{
		{"Head 2", f.Head(2), []int{0, 1}},
		{"Head 9", f.Head(9), []int{0, 1, 2, 3, 4}},
		{"Head -2", f.Head(-2), []int{0, 1, 2}},
		{"Head -9", f.Head(-9), []int{}},
		{"Tail 2", f.Tail(2), []int{3, 4}},
		{"Tail -2", f.Tail(-2), []int{2, 3, 4}},
		{"Tail 0", f.Tail(0), []int{}},
		{"DropNA keeps all", f.DropNA(), []int{0, 1, 2, 3, 4}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.got.Index(); !slices.Equal(got, c.want) {
				t.Errorf("Index() = %v, want %v", got, c.want)
			}
			v, err := c.got.Col("a")
			if err != nil {
				t.Fatal(err)
			}
			for k, i := range c.want {
				if v[k] != float64(i) {
					t.Errorf("row %d holds %v, want %d", k, v[k], i)
				}
			}
		})
	}
	// DropNA looks at text columns too.
	g := mustFrame(t, "a,b\n1,x\n2,\n3,NA\n4,y\n").DropNA()
	if got := g.Index(); !slices.Equal(got, []int{0, 3}) {
		t.Errorf("DropNA with missing text: Index() = %v, want [0 3]", got)
	}
}

func TestFrameTensor(t *testing.T) {
	f := mustFrame(t, "a,b,c\n1,2,x\n3,4,y\n5,6,z\n")
	cases := []struct {
		name      string
		do        func() (*dl.Tensor, error)
		shape     []int
		data      []float64
		wantError string
	}{
		{"two columns", func() (*dl.Tensor, error) { return f.Tensor("b", "a") }, []int{3, 2}, []float64{2, 1, 4, 3, 6, 5}, ""},
		{"one column", func() (*dl.Tensor, error) { return f.Tensor("a") }, []int{3, 1}, []float64{1, 3, 5}, ""},
		{"vector", func() (*dl.Tensor, error) { return f.Vector("b") }, []int{3}, []float64{2, 4, 6}, ""},
		{"all columns with text", func() (*dl.Tensor, error) { return f.Tensor() }, nil, nil,
			`prep: Tensor: column "c" holds text, not numbers: row 0 is "x" (a missing value must be empty, NA or NaN); numeric columns are: a, b`},
		{"vector missing", func() (*dl.Tensor, error) { return f.Vector("y") }, nil, nil,
			`prep: Vector: column "y" not found; columns are: a, b, c`},
		{"no rows", func() (*dl.Tensor, error) { return f.Head(0).Tensor("a") }, nil, nil,
			`prep: Tensor: the frame has no rows (did DropNA remove them all?)`},
		{"vector no rows", func() (*dl.Tensor, error) { return f.Head(0).Vector("a") }, nil, nil,
			`prep: Vector: the frame has no rows (did DropNA remove them all?)`},
		{"no columns", func() (*dl.Tensor, error) { return (&Frame{}).Tensor() }, nil, nil,
			`prep: Tensor: the frame has no columns`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x, err := c.do()
			if c.wantError != "" {
				if err == nil || err.Error() != c.wantError {
					t.Fatalf("error %v, want %q", err, c.wantError)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(x.Shape(), c.shape) || !slices.Equal(x.Data(), c.data) {
				t.Errorf("got %v, want shape %v data %v", x, c.shape, c.data)
			}
		})
	}
}

func TestFrameTextBecomesNumeric(t *testing.T) {
	// The only text cell is in a row that DropNA removes.
	f := mustFrame(t, "a,b\nbad,\n1,2\n3,4\n").DropNA()
	x, err := f.Tensor("a", "b")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(x.Data(), []float64{1, 2, 3, 4}) {
		t.Errorf("got %v", x)
	}
	if got := f.String(); got != "   a    b\n1  1  2.0\n2  3  4.0" { // b had a missing value, so it stays float as in pandas
		t.Errorf("String() = %q", got)
	}
}
