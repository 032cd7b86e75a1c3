package prep

import (
	"strings"
	"testing"
	"time"
)

// TestFrameVerbErrors checks that every verb's error names the verb, the
// argument as written, the value at fault and a fix.
func TestFrameVerbErrors(t *testing.T) {
	text := "loc,date,t,w\nSeattle,2012-01-01,1.5,rain\nNew York,2012-13-01,2.5,sun\n"
	f, err := ReadCSVString(text)
	if err != nil {
		t.Fatal(err)
	}
	dated, err := ReadCSVString("loc,date,t,w\nSeattle,2012-01-01,1.5,rain\nNew York,2012-01-02,,sun\n")
	if err != nil {
		t.Fatal(err)
	}
	if dated, err = dated.ParseDates("date", "2006-01-02"); err != nil {
		t.Fatal(err)
	}
	byDate, err := dated.SetIndex("date")
	if err != nil {
		t.Fatal(err)
	}
	second := func(_ any, err error) error { return err }
	cases := []struct {
		name string
		err  error
		want []string
	}{
		{"where missing column", second(f.Where(Eq("location", "Seattle"))),
			[]string{`prep: Where: Eq("location", "Seattle"): column "location" not found; columns are: loc, date, t, w`}},
		{"where number with text", second(f.Where(And(Eq("loc", "Seattle"), Gt("loc", 3)))),
			[]string{`prep: Where: Gt("loc", 3): column "loc" holds text; compare it with a string, not int 3`}},
		{"where text with number", second(f.Where(Eq("t", "hot"))),
			[]string{`Eq("t", "hot"): column "t" holds numbers; compare it with a number, not string hot`}},
		{"where bad date", second(dated.Where(Lt("date", "2012/01/02"))),
			[]string{`Lt("date", "2012/01/02"): column "date" holds dates; "2012/01/02" is not a date such as 2012-01-01`}},
		{"where zero cond", second(f.Where(Cond{})), []string{"zero Cond", "prep.Eq"}},
		{"filter wrong kind", second(f.Filter(func(r Row) bool { return r.Num("w") > 0 })),
			[]string{`prep: Filter: row 0: Row.Num("w"): column "w" holds text; read it with Row.Text`}},
		{"filter missing column", second(f.Filter(func(r Row) bool { return r.Text("where") == "" })),
			[]string{`prep: Filter: column "where" not found; columns are: loc, date, t, w`}},
		{"parse dates bad cell", second(f.ParseDates("date", "2006-01-02")),
			[]string{`prep: ParseDates: column "date": row 1 is "2012-13-01", which is not the layout "2006-01-02"`, "month out of range", "2006-01-02 15:04:05"}},
		{"parse dates bad cell iso", second(f.ParseDates("date", "")),
			[]string{`row 1 is "2012-13-01", which is not an ISO 8601 date`}},
		{"parse dates missing column", second(f.ParseDates("day", "2006-01-02")),
			[]string{`prep: ParseDates: column "day" not found; columns are: loc, date, t, w`}},
		{"parse dates fractions", second(f.ParseDates("t", "2006")),
			[]string{`prep: ParseDates: column "t" holds numbers that are not whole, not dates`, `"20060102"`}},
		{"parse dates directive", second(f.ParseDates("date", "%Y-%q")),
			[]string{`prep: ParseDates: column "date", format "%Y-%q": directive %q is not supported`}},
		{"dates of text", second(f.Dates("loc")),
			[]string{`prep: Dates: column "loc" holds text, not dates; read them with f.ParseDates("loc", "2006-01-02") first`}},
		{"col of dates", second(dated.Col("date")),
			[]string{`prep: Col: column "date" holds dates, not numbers; numeric columns are: t`}},
		{"set index", second(f.SetIndex("day")), []string{`prep: SetIndex: column "day" not found`}},
		{"reset index", second(frameOf(f.ResetIndex()).ResetIndex()),
			[]string{`prep: ResetIndex: the frame already has a column "index"`}},
		{"resample numbered rows", second(f.Resample("W-SUN").Mean()),
			[]string{`prep: Resample: "W-SUN": the frame must be labelled by dates, but it is labelled by rows numbered 0, 1, 2, ...`, `SetIndex("date")`}},
		{"resample text index", second(frameOf(f.SetIndex("loc")).Resample("D").Sum()),
			[]string{`labelled by "loc", which holds text`}},
		{"resample unknown rule", second(byDate.Resample("W-SUNDAY").Mean()),
			[]string{`prep: Resample: "W-SUNDAY": unknown rule "W-SUNDAY"; the rules are D, W-SUN`}},
		{"resample M", second(byDate.Resample("M").Mean()),
			[]string{`prep: Resample: "M": rule "M" is no longer supported by pandas 3; use "ME"`}},
		{"resample closed", second(byDate.ResampleWith("ME", ResampleOptions{Closed: "both"}).Mean()),
			[]string{`prep: ResampleWith: "ME": ResampleOptions.Closed must be "left", "right" or "" for pandas's default; received "both"`}},
		{"resample mean of text", second(byDate.Resample("W-SUN").Mean()),
			[]string{`prep: Mean: column "loc" holds text, which have no mean (pandas 3 raises a TypeError too); select the numeric columns first: f.Select("t")`}},
		{"group mean of text", second(f.GroupBy("loc").Mean()),
			[]string{`prep: Mean: column "date" holds text, which have no mean`, `f.Select("loc", "t")`}},
		{"group sum of dates", second(dated.GroupBy("loc").Sum()),
			[]string{`prep: Sum: column "date" holds dates, which have no sum`}},
		{"group missing column", second(f.GroupBy("city").Count()),
			[]string{`prep: GroupBy: column "city" not found; columns are: loc, date, t, w`}},
		{"group no column", second(f.GroupBy().Count()), []string{`prep: GroupBy: no column given`}},
		{"group twice", second(f.GroupBy("loc", "loc").Count()), []string{`prep: GroupBy: column "loc" is given twice`}},
		{"describe text", second(frameOf(f.Select("loc", "w")).Describe()),
			[]string{`prep: Describe: the frame has no numeric column (columns are: "loc", "w"); count a text column's values with f.ValueCounts(name)`}},
		{"value counts", second(f.ValueCounts("weather")), []string{`prep: ValueCounts: column "weather" not found`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(c.err.Error(), w) {
					t.Errorf("error\n%v\ndoes not contain\n%s", c.err, w)
				}
			}
		})
	}
}

// TestWhereNumberTypes checks that a condition takes any Go number, and
// that a date column compares with a time.Time as with its text.
func TestWhereNumberTypes(t *testing.T) {
	f := frameOf(ReadCSVString("t,d\n1.5,2012-01-01\n2,2012-01-02\n3,\n"))
	for _, v := range []any{2, int8(2), uint16(2), int64(2), float32(2), 2.0} {
		if got := frameOf(f.Where(Ge("t", v))).Len(); got != 2 {
			t.Errorf("Ge(t, %T 2) kept %d rows, want 2", v, got)
		}
	}
	if _, err := f.Where(Eq("t", nil)); err == nil {
		t.Error("Eq with nil: no error")
	}
	f = frameOf(f.ParseDates("d", ""))
	day := time.Date(2012, 1, 2, 0, 0, 0, 0, time.UTC)
	if got := frameOf(f.Where(Eq("d", day))).IndexStrings(); len(got) != 1 || got[0] != "1" {
		t.Errorf("Eq(d, 2012-01-02) kept rows %q, want [1]", got)
	}
	if got := frameOf(f.Where(Ne("d", "2012-01-02"))).IndexStrings(); len(got) != 2 || got[1] != "2" {
		t.Errorf("Ne(d, 2012-01-02) kept rows %q, want [0 2] (a missing date differs)", got)
	}
}

// frameOf returns f, failing hard on an error in the setup of a case.
func frameOf(f *Frame, err error) *Frame {
	if err != nil {
		panic(err)
	}
	return f
}
