package prep

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// repeatRows returns a CSV header followed by n rows made by row(i).
func repeatRows(header string, n int, row func(i int) string) string {
	var b strings.Builder
	b.WriteString(header + "\n")
	for i := range n {
		b.WriteString(row(i) + "\n")
	}
	return b.String()
}

// TestFrameString compares printed frames with pandas 3.1's print(df) for
// the same CSV text (pd.read_csv(io.StringIO(csv)), then the same steps).
func TestFrameString(t *testing.T) {
	weekly, err := os.ReadFile("testdata/weekly_temp.csv")
	if err != nil {
		t.Fatal(err)
	}
	hundred := repeatRows("a,b", 100, func(i int) string { return fmt.Sprintf("%g,%d", float64(i)*0.5, i) })
	cases := []struct {
		name string
		csv  string
		step func(f *Frame) *Frame
		want string
	}{
		{"weekly", string(weekly), nil, `          Date  AvgTemp Station
0   2019-01-06    31.20    TEST
1   2019-01-13    28.50    TEST
2   2019-01-20    25.75    TEST
3   2019-01-27    33.10    TEST
4   2019-02-03    30.00    TEST
5   2019-02-10      NaN    TEST
6   2019-02-17    35.40    TEST
7   2019-02-24    38.20    TEST
8   2019-03-03    36.90    TEST
9   2019-03-10    41.35    TEST
10  2019-03-17    44.00    TEST
11  2019-03-24    47.60    TEST`},
		// d['y'] = d['AvgTemp'].shift(-1); d.head(7)
		{"weekly shift head", string(weekly), func(f *Frame) *Frame {
			y, err := f.Shift("AvgTemp", -1)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.SetCol("y", y); err != nil {
				t.Fatal(err)
			}
			return f.Head(7)
		}, `         Date  AvgTemp Station      y
0  2019-01-06    31.20    TEST  28.50
1  2019-01-13    28.50    TEST  25.75
2  2019-01-20    25.75    TEST  33.10
3  2019-01-27    33.10    TEST  30.00
4  2019-02-03    30.00    TEST    NaN
5  2019-02-10      NaN    TEST  35.40
6  2019-02-17    35.40    TEST  38.20`},
		// d['y'] = d['AvgTemp'].shift(-1); d.dropna()
		{"weekly shift dropna", string(weekly), func(f *Frame) *Frame {
			y, err := f.Shift("AvgTemp", -1)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.SetCol("y", y); err != nil {
				t.Fatal(err)
			}
			return f.DropNA()
		}, `          Date  AvgTemp Station      y
0   2019-01-06    31.20    TEST  28.50
1   2019-01-13    28.50    TEST  25.75
2   2019-01-20    25.75    TEST  33.10
3   2019-01-27    33.10    TEST  30.00
6   2019-02-17    35.40    TEST  38.20
7   2019-02-24    38.20    TEST  36.90
8   2019-03-03    36.90    TEST  41.35
9   2019-03-10    41.35    TEST  44.00
10  2019-03-17    44.00    TEST  47.60`},
		{"spaces inf and missing", "a,b,c\n1, 2 ,x\n1e3,-inf,NA\n,inf,None\n", nil, `        a    b    c
0     1.0  2.0    x
1  1000.0 -inf  NaN
2     NaN  inf  NaN`},
		{"mixed types", "abc,ab,c,xy,z,n,s,q\n0,0,1.5,hello,-1.0,-1,a,\n1,1,2,a,2.0,2,,\n", nil, `   abc  ab    c     xy    z  n    s   q
0    0   0  1.5  hello -1.0 -1    a NaN
1    1   1  2.0      a  2.0  2  NaN NaN`},
		{"large fixed", "v\n1234567.5\n2.0\n", nil, `           v
0  1234567.5
1        2.0`},
		{"large scientific", "v\n12345678901234.5\n2.0\n", nil, `              v
0  1.234568e+13
1  2.000000e+00`},
		{"small scientific", "v\n1e-7\n1\n", nil, `              v
0  1.000000e-07
1  1.000000e+00`},
		{"small fixed", "v\n0\n-0.5\n1e-6\n", nil, `          v
0  0.000000
1 -0.500000
2  0.000001`},
		{"negative", "v\n-3.0\n2.0\n", nil, `     v
0 -3.0
1  2.0`},
		{"hundred rows", hundred, nil, `       a   b
0    0.0   0
1    0.5   1
2    1.0   2
3    1.5   3
4    2.0   4
..   ...  ..
95  47.5  95
96  48.0  96
97  48.5  97
98  49.0  98
99  49.5  99

[100 rows x 2 columns]`},
		{"hundred rows tail", hundred, func(f *Frame) *Frame { return f.Tail(3) }, `       a   b
97  48.5  97
98  49.0  98
99  49.5  99`},
		{"thousand rows", repeatRows("b,name,longname", 1000, func(int) string { return "0,x,0.0" }), nil, `     b name  longname
0    0    x       0.0
1    0    x       0.0
2    0    x       0.0
3    0    x       0.0
4    0    x       0.0
..  ..  ...       ...
995  0    x       0.0
996  0    x       0.0
997  0    x       0.0
998  0    x       0.0
999  0    x       0.0

[1000 rows x 3 columns]`},
		{"ten thousand rows", repeatRows("x", 10001, func(int) string { return "0.0" }), nil, `         x
0      0.0
1      0.0
2      0.0
3      0.0
4      0.0
...    ...
9996   0.0
9997   0.0
9998   0.0
9999   0.0
10000  0.0

[10001 rows x 1 columns]`},
		{"header only", "a,b\n", nil, `Empty DataFrame
Columns: [a, b]
Index: []`},
		{"head zero", "a\n1\n", func(f *Frame) *Frame { return f.Head(0) }, `Empty DataFrame
Columns: [a]
Index: []`},
		{"duplicate names", "a,a,,a.1\n1,2,3,4\n", nil, `   a  a.2  Unnamed: 2  a.1
0  1    2           3    4`},
		{"short row", "a,b\n1,2\n3\n", nil, `   a    b
0  1  2.0
1  3  NaN`},
		{"blank line", "a,b\n1,2\n\n3,4\n", nil, `   a  b
0  1  2
1  3  4`},
		{"byte order mark", "\ufeffa,b\n1,2\n", nil, `   a  b
0  1  2`},
		{"quoted", "name,v\n\"Smith, J\",1.5\n\"x \"\"y\"\"\",2\n", nil, `       name    v
0  Smith, J  1.5
1     x "y"  2.0`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := ReadCSVString(c.csv)
			if err != nil {
				t.Fatal(err)
			}
			if c.step != nil {
				f = c.step(f)
			}
			if got := f.String(); got != c.want {
				t.Errorf("got\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}
