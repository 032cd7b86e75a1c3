package prep

import (
	"encoding/json"
	"math"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
)

// The frames_*.json fixtures hold what pandas 3.1 computes and prints for
// the steps of each case (tools/pandas/gen_frames.py writes them); the
// tests below apply the same steps with this package under the same case
// name.

type pandasColumn struct {
	Kind   string `json:"kind"`
	Values []any  `json:"values"`
}

type pandasCase struct {
	Name      string         `json:"name"`
	Input     string         `json:"input"`
	Columns   []string       `json:"columns"`
	Index     []string       `json:"index"`
	IndexName string         `json:"index_name"`
	Shape     [2]int         `json:"shape"`
	Print     string         `json:"print"`
	Values    []pandasColumn `json:"values"`
}

type pandasFixture struct {
	Inputs map[string]string `json:"inputs"`
	Cases  []pandasCase      `json:"cases"`
}

// readFixture reads testdata/pandas/frames_<verb>.json.
func readFixture(t *testing.T, verb string) pandasFixture {
	t.Helper()
	b, err := os.ReadFile("testdata/pandas/frames_" + verb + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var fx pandasFixture
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	return fx
}

var weather = sync.OnceValues(func() (*Frame, error) { return ReadCSV("../../datasets/weather.csv") })

// input reads a case's input frame.
func (fx pandasFixture) input(t *testing.T, name string) *Frame {
	t.Helper()
	if name == "weather" {
		f, err := weather()
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	text, ok := fx.Inputs[name]
	if !ok {
		t.Fatalf("no input %q", name)
	}
	f, err := ReadCSVString(text)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// step is what a case does to its input frame.
type step func(f *Frame) (*Frame, error)

// runFixture checks every case of frames_<verb>.json with the step of the
// same name.
func runFixture(t *testing.T, verb string, steps map[string]step) {
	fx := readFixture(t, verb)
	seen := map[string]bool{}
	for _, c := range fx.Cases {
		seen[c.Name] = true
		t.Run(c.Name, func(t *testing.T) {
			s, ok := steps[c.Name]
			if !ok {
				t.Fatalf("no step for case %q", c.Name)
			}
			got, err := s(fx.input(t, c.Input))
			if err != nil {
				t.Fatal(err)
			}
			checkFrame(t, got, c)
		})
	}
	for name := range steps {
		if !seen[name] {
			t.Errorf("step %q has no case in frames_%s.json", name, verb)
		}
	}
}

// checkFrame compares a frame with pandas's result.
func checkFrame(t *testing.T, got *Frame, want pandasCase) {
	t.Helper()
	if r, c := got.Shape(); r != want.Shape[0] || c != want.Shape[1] {
		t.Errorf("shape (%d, %d), pandas (%d, %d)", r, c, want.Shape[0], want.Shape[1])
	}
	if !slices.Equal(got.Columns(), want.Columns) {
		t.Errorf("columns %q, pandas %q", got.Columns(), want.Columns)
	}
	if got.IndexName() != want.IndexName {
		t.Errorf("index name %q, pandas %q", got.IndexName(), want.IndexName)
	}
	if labels := got.IndexStrings(); !slices.Equal(labels, want.Index) {
		t.Errorf("index %q, pandas %q", head(labels), head(want.Index))
	}
	for k, wc := range want.Values {
		if k >= len(got.cols) {
			break
		}
		checkColumn(t, &got.cols[k], wc)
	}
	if s := got.String(); s != want.Print {
		t.Errorf("printed\n%s\npandas\n%s", s, want.Print)
	}
}

// head shortens a list of labels for an error message.
func head(s []string) []string {
	if len(s) > 12 {
		return append(slices.Clone(s[:12]), "...")
	}
	return s
}

// checkColumn compares a column's values with pandas's: numbers within
// 1e-12 (relative to their size above 1), text and dates exactly, missing
// values where pandas has them.
func checkColumn(t *testing.T, c *column, want pandasColumn) {
	t.Helper()
	if c.kind() != want.Kind && len(want.Values) > 0 {
		t.Errorf("column %q holds %s, pandas's %s", c.name, c.kind(), want.Kind)
		return
	}
	var cells []string
	if !c.isNum() {
		cells = c.format(rowsOf(len(want.Values)))
	}
	for i, w := range want.Values {
		switch {
		case w == nil:
			if !c.missing(i) {
				t.Errorf("column %q row %d: got %s, pandas a missing value", c.name, i, c.format([]int{i})[0])
			}
		case c.isNum():
			x := w.(float64)
			if g := c.num[i]; !(math.Abs(g-x) <= 1e-12*max(1, math.Abs(x))) {
				t.Errorf("column %q row %d: got %.17g, pandas %.17g", c.name, i, g, x)
			}
		case cells[i] != w.(string):
			t.Errorf("column %q row %d: got %q, pandas %q", c.name, i, cells[i], w)
		}
	}
}

// parsed returns f with col parsed as dates written 2006-01-02.
func parsed(f *Frame, col string) *Frame {
	g, err := f.ParseDates(col, "2006-01-02")
	if err != nil {
		panic(err)
	}
	return g
}

func where(c Cond) step { return func(f *Frame) (*Frame, error) { return f.Where(c) } }

func TestWherePandas(t *testing.T) {
	runFixture(t, "where", map[string]step{
		"eq text":   where(Eq("name", "b")),
		"ne text":   where(Ne("name", "b")),
		"gt":        where(Gt("x", 0.5)),
		"ge":        where(Ge("x", 0.5)),
		"lt":        where(Lt("x", 1.5)),
		"le int":    where(Le("n", 3)),
		"ne number": where(Ne("x", 1.5)),
		"in":        where(In("name", "a", "c")),
		"and":       where(And(Gt("x", 0), Eq("name", "a"))),
		"or":        where(Or(Lt("x", 0), Eq("n", 6))),
		"not":       where(Not(Eq("name", "b"))),
		"date gt": func(f *Frame) (*Frame, error) {
			return parsed(f, "d").Where(Gt("d", "2020-01-04"))
		},
		"none":             where(Gt("x", 100)),
		"weather seattle":  where(Eq("location", "Seattle")),
		"weather hot rain": where(And(Gt("temp_max", 30), Eq("weather", "sun"), Eq("location", "New York"))),
		"filter": func(f *Frame) (*Frame, error) {
			return f.Filter(func(r Row) bool { return int(r.Num("n"))%2 == 1 && !r.IsNA("x") })
		},
	})
}

func TestDatesPandas(t *testing.T) {
	runFixture(t, "dates", map[string]step{
		"parse":              func(f *Frame) (*Frame, error) { return f.ParseDates("d", "2006-01-02") },
		"parse weather head": func(f *Frame) (*Frame, error) { return parsed(f, "date").Head(), nil },
		"parse times":        func(f *Frame) (*Frame, error) { return f.ParseDates("when", "%Y-%m-%d %H:%M:%S") },
		"set index":          func(f *Frame) (*Frame, error) { return parsed(f, "d").SetIndex("d") },
		"set index text":     func(f *Frame) (*Frame, error) { return f.SetIndex("name") },
		"reset index": func(f *Frame) (*Frame, error) {
			g, err := parsed(f, "d").SetIndex("d")
			if err != nil {
				return nil, err
			}
			return g.ResetIndex()
		},
		"reset index numbers": func(f *Frame) (*Frame, error) {
			g, err := f.Where(Gt("n", 4))
			if err != nil {
				return nil, err
			}
			return g.ResetIndex()
		},
		// The fixture's dates were written as 01/01/2020 and read with
		// format="%d/%m/%Y"; here the same text is read with that format.
		"strftime": func(f *Frame) (*Frame, error) {
			i, _ := f.find("", "d")
			c := &f.cols[i]
			for k, s := range c.text {
				if y, md, ok := strings.Cut(s, "-"); ok {
					m, d, _ := strings.Cut(md, "-")
					c.text[k] = d + "/" + m + "/" + y
				}
			}
			return f.ParseDates("d", "%d/%m/%Y")
		},
	})
}

func TestHeadPandas(t *testing.T) {
	runFixture(t, "head", map[string]step{
		"head":    func(f *Frame) (*Frame, error) { return parsed(f, "date").Head(), nil },
		"tail":    func(f *Frame) (*Frame, error) { return parsed(f, "date").Tail(), nil },
		"head 3":  func(f *Frame) (*Frame, error) { return f.Head(3), nil },
		"tail 2":  func(f *Frame) (*Frame, error) { return f.Tail(2), nil },
		"weather": func(f *Frame) (*Frame, error) { return parsed(f, "date"), nil },
		"seattle dated": func(f *Frame) (*Frame, error) {
			sea, err := parsed(f, "date").Where(Eq("location", "Seattle"))
			if err != nil {
				return nil, err
			}
			return sea.SetIndex("date")
		},
	})
}

// aggregate applies the aggregation of pandas's name agg.
func aggregate(g *Grouped, agg string) (*Frame, error) {
	return map[string]func() (*Frame, error){
		"mean": g.Mean, "sum": g.Sum, "min": g.Min, "max": g.Max,
		"first": g.First, "last": g.Last, "count": g.Count,
	}[agg]()
}

var aggs = []string{"mean", "sum", "min", "max", "first", "last", "count"}

// byDate parses col and labels the rows by it.
func byDate(f *Frame, col, layout string) *Frame {
	g, err := f.ParseDates(col, layout)
	if err == nil {
		g, err = g.SetIndex(col)
	}
	if err != nil {
		panic(err)
	}
	return g
}

func TestResamplePandas(t *testing.T) {
	steps := map[string]step{}
	for _, rule := range []string{"D", "W-SUN", "W-MON", "W-WED", "ME", "MS"} {
		for _, agg := range aggs {
			steps[rule+" "+agg] = func(f *Frame) (*Frame, error) {
				return aggregate(byDate(f, "date", "2006-01-02").Resample(rule), agg)
			}
		}
		for _, closed := range []string{"left", "right"} {
			for _, label := range []string{"left", "right"} {
				steps[rule+" closed "+closed+" label "+label] = func(f *Frame) (*Frame, error) {
					return byDate(f, "date", "2006-01-02").ResampleWith(rule, ResampleOptions{Closed: closed, Label: label}).Mean()
				}
			}
			steps["hourly "+rule+" "+closed] = func(f *Frame) (*Frame, error) {
				return byDate(f, "when", "").ResampleWith(rule, ResampleOptions{Closed: closed}).Sum()
			}
		}
	}
	for _, unused := range []string{"W-MON", "W-WED"} {
		for _, s := range []string{"left", "right"} {
			delete(steps, "hourly "+unused+" "+s)
			for _, l := range []string{"left", "right"} {
				delete(steps, unused+" closed "+s+" label "+l)
			}
		}
	}
	for _, rule := range []string{"D", "W-SUN", "MS", "ME", "YS", "YE"} {
		for _, closed := range []string{"left", "right"} {
			steps["noon "+rule+" "+closed] = func(f *Frame) (*Frame, error) {
				return byDate(f, "when", "").ResampleWith(rule, ResampleOptions{Closed: closed}).Sum()
			}
		}
	}
	steps["YE sum"] = func(f *Frame) (*Frame, error) { return byDate(f, "date", "2006-01-02").Resample("YE").Sum() }
	steps["YS max"] = func(f *Frame) (*Frame, error) { return byDate(f, "date", "2006-01-02").Resample("YS").Max() }
	steps["W mean"] = func(f *Frame) (*Frame, error) { return byDate(f, "date", "2006-01-02").Resample("W").Mean() }
	steps["text first"] = func(f *Frame) (*Frame, error) { return byDate(f, "d", "2006-01-02").Resample("W-SUN").First() }
	steps["text count"] = func(f *Frame) (*Frame, error) { return byDate(f, "d", "2006-01-02").Resample("W-SUN").Count() }
	steps["text min"] = func(f *Frame) (*Frame, error) { return byDate(f, "d", "2006-01-02").Resample("D").Min() }
	steps["weather seattle monthly max"] = func(f *Frame) (*Frame, error) {
		sea, err := byDate(f, "date", "2006-01-02").Where(Eq("location", "Seattle"))
		if err == nil {
			sea, err = sea.Select("temp_max", "wind")
		}
		if err != nil {
			return nil, err
		}
		return sea.Resample("ME").Max()
	}
	runFixture(t, "resample", steps)
}

func TestGroupByPandas(t *testing.T) {
	steps := map[string]step{}
	for _, agg := range aggs {
		steps["k "+agg] = func(f *Frame) (*Frame, error) {
			g, err := f.Drop("s")
			if err != nil {
				return nil, err
			}
			return aggregate(g.GroupBy("k"), agg)
		}
	}
	for _, agg := range aggs[2:] {
		steps["k j "+agg] = func(f *Frame) (*Frame, error) { return aggregate(f.GroupBy("k", "j"), agg) }
	}
	selected := func(cols []string, keys []string, agg string) step {
		return func(f *Frame) (*Frame, error) {
			g, err := f.Select(cols...)
			if err != nil {
				return nil, err
			}
			return aggregate(g.GroupBy(keys...), agg)
		}
	}
	steps["j sum"] = selected([]string{"j", "v", "w"}, []string{"j"}, "sum")
	steps["j k w mean"] = selected([]string{"j", "k", "w"}, []string{"j", "k"}, "mean")
	steps["date key"] = func(f *Frame) (*Frame, error) {
		return selected([]string{"d", "x"}, []string{"d"}, "sum")(parsed(f, "d"))
	}
	steps["weather location mean"] = func(f *Frame) (*Frame, error) {
		g, err := f.Drop("date", "weather")
		if err != nil {
			return nil, err
		}
		return g.GroupBy("location").Mean()
	}
	steps["weather location weather count"] = func(f *Frame) (*Frame, error) { return f.GroupBy("location", "weather").Count() }
	steps["weather weather max"] = selected([]string{"weather", "temp_max", "precipitation"}, []string{"weather"}, "max")
	runFixture(t, "groupby", steps)
}

func TestDescribePandas(t *testing.T) {
	runFixture(t, "describe", map[string]step{
		"small":                 (*Frame).Describe,
		"one row":               func(f *Frame) (*Frame, error) { return f.Head(1).Describe() },
		"weather":               (*Frame).Describe,
		"weather dated numbers": func(f *Frame) (*Frame, error) { return parsed(f, "date").Describe() },
		"seattle weekly": func(f *Frame) (*Frame, error) {
			w, err := weeklyOf(f, "Seattle")
			if err != nil {
				return nil, err
			}
			return w.Describe()
		},
	})
}

func TestValueCountsPandas(t *testing.T) {
	counts := func(col string) step { return func(f *Frame) (*Frame, error) { return f.ValueCounts(col) } }
	runFixture(t, "value_counts", map[string]step{
		"ties":             counts("v"),
		"numbers":          counts("f"),
		"weather":          counts("weather"),
		"weather location": counts("location"),
		"groups j":         counts("j"),
	})
}

// weeklyOf is chapter 9's derivation of a city's weekly mean temperature,
// line by line as in pandas:
//
//	data = pd.read_csv("weather.csv", parse_dates=["date"])
//	sea = data[data.location == "Seattle"]
//	weekly = sea.set_index("date")[["temp_max", "temp_min"]].resample("W-SUN").mean()
//	weekly["AvgTemp"] = (weekly.temp_max + weekly.temp_min) / 2
func weeklyOf(data *Frame, city string) (*Frame, error) {
	return weeklyWith(data, city, func(f *Frame) *Grouped { return f.Resample("W-SUN") })
}

func weeklyWith(data *Frame, city string, resample func(f *Frame) *Grouped) (*Frame, error) {
	data, err := data.ParseDates("date", "2006-01-02")
	if err != nil {
		return nil, err
	}
	sea, err := data.Where(Eq("location", city))
	if err != nil {
		return nil, err
	}
	sea, err = sea.SetIndex("date")
	if err != nil {
		return nil, err
	}
	sea, err = sea.Select("temp_max", "temp_min")
	if err != nil {
		return nil, err
	}
	weekly, err := resample(sea).Mean()
	if err != nil {
		return nil, err
	}
	hi, _ := weekly.Col("temp_max")
	lo, _ := weekly.Col("temp_min")
	avg := make([]float64, len(hi))
	for i := range avg {
		avg[i] = (hi[i] + lo[i]) / 2
	}
	return weekly, weekly.SetCol("AvgTemp", avg)
}

func TestWeeklyPandas(t *testing.T) {
	left := func(f *Frame) *Grouped {
		return f.ResampleWith("W-SUN", ResampleOptions{Closed: "left", Label: "left"})
	}
	runFixture(t, "weekly", map[string]step{
		"seattle":       func(f *Frame) (*Frame, error) { return weeklyOf(f, "Seattle") },
		"new york":      func(f *Frame) (*Frame, error) { return weeklyOf(f, "New York") },
		"new york left": func(f *Frame) (*Frame, error) { return weeklyWith(f, "New York", left) },
		"seattle head": func(f *Frame) (*Frame, error) {
			w, err := weeklyOf(f, "Seattle")
			if err != nil {
				return nil, err
			}
			return w.Head(), nil
		},
	})
}
