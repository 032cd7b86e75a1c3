package prep

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestReadJSONRefusesNonFiles checks that ReadJSON, like ReadCSV, refuses
// at once a path that is not a regular file, and that a missing file is
// fs.ErrNotExist.
func TestReadJSONRefusesNonFiles(t *testing.T) {
	dir := t.TempDir()
	paths := map[string]string{dir: "is a directory"}
	if runtime.GOOS != "windows" {
		paths["/dev/zero"] = "is a device"
	}
	for path, want := range paths {
		_, err := ReadJSON(path)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "not a JSON file") || !strings.Contains(err.Error(), "prep.ParseJSON") {
			t.Errorf("ReadJSON(%q): %v, want an error saying %q", path, err, want)
		}
	}
	if _, err := ReadJSON(filepath.Join(dir, "missing.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadJSON of a missing file: %v", err)
	}
}

// TestReadJSONSizeLimit checks that a file above DefaultMaxJSONBytes (a
// sparse one) is refused before it is read, and ReadJSONWith's MaxBytes.
func TestReadJSONSizeLimit(t *testing.T) {
	dir := t.TempDir()
	huge := filepath.Join(dir, "huge.json")
	if err := os.WriteFile(huge, []byte(`[{"a": 1}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, DefaultMaxJSONBytes+1); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadJSON(huge); err == nil || !strings.Contains(err.Error(), "ReadJSONOptions.MaxBytes") || !strings.Contains(err.Error(), "prep.ReadJSONWith") {
		t.Errorf("ReadJSON of a file above the limit: %v", err)
	}
	small := filepath.Join(dir, "small.json")
	text := `[{"a": 1}, {"a": 2}]`
	if err := os.WriteFile(small, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	n := int64(len(text))
	for _, c := range []struct {
		max  int64
		want string // "" for no error
	}{{0, ""}, {n, ""}, {n + 1, ""}, {n - 1, "larger than"}, {-1, "ReadJSONOptions.MaxBytes must be positive"}} {
		f, err := ReadJSONWith(small, ReadJSONOptions{MaxBytes: c.max})
		if c.want == "" && (err != nil || f.Len() != 2) || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("MaxBytes %d: %v, want %q", c.max, err, c.want)
		}
	}
}

// TestReadJSONHostile checks that hostile data is refused quickly with an
// error naming the record (or column) and the key, or read as pandas
// reads it.
func TestReadJSONHostile(t *testing.T) {
	const deep = 1 << 20
	var sparse strings.Builder
	sparse.WriteString("[")
	for i := range 3000 {
		fmt.Fprintf(&sparse, `{"k%d": 1},`, i)
	}
	sparse.WriteString(`{}]`)
	for _, c := range []struct{ name, text, want string }{
		{"deep value", `[{"a": 1}, {"a": ` + strings.Repeat("[", deep), `record 1, key "a" holds an array`},
		{"deep records", strings.Repeat("[", deep), "record 0 is an array"},
		{"deep column", `{"a": {"0": ` + strings.Repeat(`{"b": `, deep), `column "a", row "0" holds an object`},
		{"new keys in every record", sparse.String(), "the frame would have 1030 rows × 1030 columns"},
		{"not JSON", `[{"a": 1}, {"a": NaN}]`, `record 1, key "a": invalid character 'N'`},
		{"cut off", `[{"a": 1}, {"a": "x`, "record 1, key \"a\": the data ends early"},
		{"bad key", `[{"a": 1}, {1: 2}]`, "record 1: invalid character '1'"},
		{"huge label", `{"a": {"99999999999999999999": 1}}`, `column "a" has the row label "99999999999999999999"`},
	} {
		start := time.Now()
		_, err := ReadJSONString(c.text)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", c.name, err, c.want)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s took %v", c.name, d)
		}
	}
}

// TestReadJSONValues checks values pandas reads in its own way: huge
// numbers, a column of numbers and text, booleans next to text.
func TestReadJSONValues(t *testing.T) {
	digits := strings.Repeat("9", 1<<20)
	f, err := ReadJSONString(`[{"n": ` + digits + `, "m": 1, "b": true}, {"n": 1e400, "m": "x", "b": "y"}, {"n": 0.` + digits + `, "m": 2.5, "b": false}]`)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := f.Col("n")
	if !math.IsInf(n[0], 1) || !math.IsInf(n[1], 1) || n[2] != 1 {
		t.Errorf("huge numbers: %v", n)
	}
	if _, err := f.Col("m"); err == nil || !strings.Contains(err.Error(), `column "m" holds text, not numbers: row 1 is "x"`) {
		t.Errorf("a mixed column used as numbers: %v", err)
	}
	if m, _ := f.Strings("m"); strings.Join(m, ",") != "1,x,2.5" {
		t.Errorf("a mixed column's text: %q", m)
	}
	if b, _ := f.Strings("b"); strings.Join(b, ",") != "True,y,False" {
		t.Errorf("booleans next to text: %q", b)
	}
	f, err = ReadJSONString("\ufeff" + `[{"ok": true}, {"ok": false}]`)
	if ok, _ := f.Col("ok"); err != nil || ok[0] != 1 || ok[1] != 0 {
		t.Errorf("booleans after a byte order mark: %v, %v", ok, err)
	}
	if _, err := ReadJSONString(`"text"`); err == nil || !strings.Contains(err.Error(), "the data is a string, not records or columns") {
		t.Errorf("a single string: %v", err)
	}
}
