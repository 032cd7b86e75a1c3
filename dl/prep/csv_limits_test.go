package prep

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/dlgo/dlgo/dl"
)

// TestReadCSVRefusesNonFiles checks that ReadCSV refuses, at once, paths
// that are not regular files: a device it would read forever, a named
// pipe whose opening would block, a directory.
func TestReadCSVRefusesNonFiles(t *testing.T) {
	dir := t.TempDir()
	cases := []struct{ path, want string }{{dir, "is a directory"}}
	if runtime.GOOS != "windows" {
		cases = append(cases, struct{ path, want string }{"/dev/zero", "is a device"})
		pipe := filepath.Join(dir, "pipe.csv")
		if err := mkfifo(pipe); err == nil {
			cases = append(cases, struct{ path, want string }{pipe, "is a named pipe"})
		}
	}
	for _, c := range cases {
		_, err := ReadCSV(c.path)
		var e *dl.Error
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "prep.ParseCSV") || !errors.As(err, &e) {
			t.Errorf("ReadCSV(%q): %v, want a *dl.Error saying %q", c.path, err, c.want)
		}
	}
	_, err := ReadCSV(filepath.Join(dir, "missing.csv"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadCSV of a missing file: %v, want an error that errors.Is fs.ErrNotExist", err)
	}
}

// TestReadCSVSizeLimit checks the size limit: a file larger than
// DefaultMaxCSVBytes (a sparse one, which takes no disk) is refused before
// it is read, and ReadCSVWith reads a file up to its MaxBytes.
func TestReadCSVSizeLimit(t *testing.T) {
	dir := t.TempDir()
	huge := filepath.Join(dir, "huge.csv")
	if err := os.WriteFile(huge, []byte("a,b\n1,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, DefaultMaxCSVBytes+1); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadCSV(huge); err == nil || !strings.Contains(err.Error(), "ReadCSVOptions.MaxBytes") ||
		!strings.Contains(err.Error(), "prep.ReadCSVWith") {
		t.Errorf("ReadCSV of a file above the limit: %v", err)
	}
	small := filepath.Join(dir, "small.csv")
	text := "a,b\n1,2\n3,4\n"
	if err := os.WriteFile(small, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := ReadCSVWith(small, ReadCSVOptions{MaxBytes: int64(len(text))})
	if err != nil || f.Len() != 2 {
		t.Errorf("ReadCSVWith at exactly MaxBytes: %v, %v", f, err)
	}
	if _, err := ReadCSVWith(small, ReadCSVOptions{MaxBytes: int64(len(text)) - 1}); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("ReadCSVWith above MaxBytes: %v", err)
	}
	if _, err := ReadCSVWith(small, ReadCSVOptions{MaxBytes: -1}); err == nil || !strings.Contains(err.Error(), "must be positive") {
		t.Errorf("a negative MaxBytes: %v", err)
	}
}

// TestLimitedReader checks the reader that stops a file that grows while
// it is read.
func TestLimitedReader(t *testing.T) {
	tooLarge := errors.New("too large")
	for _, c := range []struct {
		data  string
		limit int64
		err   error
	}{{"abc", 3, nil}, {"abc", 4, nil}, {"abcd", 3, tooLarge}, {"", 0, nil}, {"a", 0, tooLarge}} {
		r := &limitedReader{r: strings.NewReader(c.data), left: c.limit, err: tooLarge}
		var got []byte
		buf := make([]byte, 2)
		var err error
		for {
			var n int
			n, err = r.Read(buf)
			got = append(got, buf[:n]...)
			if err != nil {
				break
			}
		}
		if c.err == nil && (err.Error() != "EOF" || string(got) != c.data) {
			t.Errorf("%q with limit %d: read %q, %v", c.data, c.limit, got, err)
		}
		if c.err != nil && err != c.err {
			t.Errorf("%q with limit %d: %v, want %v", c.data, c.limit, err, c.err)
		}
	}
}
