package prep

import "testing"

// TestResampleZones checks that dates read with a zone offset fall in the
// bins of their own calendar days, each parsed date having its own zone
// value.
func TestResampleZones(t *testing.T) {
	f := frameOf(ReadCSVString("when,v\n2012-01-02 08:00+0900,1\n2012-01-03 23:00+0900,2\n2012-01-09 01:00+0900,4\n"))
	f = frameOf(frameOf(f.ParseDates("when", "%Y-%m-%d %H:%M%z")).SetIndex("when"))
	sums := frameOf(f.Resample("W-SUN").Sum())
	v, err := sums.Col("v")
	if err != nil {
		t.Fatal(err)
	}
	if got := sums.IndexStrings(); len(got) != 2 || got[0] != "2012-01-08" || got[1] != "2012-01-15" || v[0] != 3 || v[1] != 4 {
		t.Errorf("got weeks %q with sums %v, want [2012-01-08 2012-01-15] with [3 4]", got, v)
	}
}
