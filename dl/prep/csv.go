package prep

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/dlgo/dlgo/internal/filekind"
)

// naValues are the cells pandas's read_csv reads as missing by default.
var naValues = map[string]bool{
	"": true, "#N/A": true, "#N/A N/A": true, "#NA": true, "-1.#IND": true,
	"-1.#QNAN": true, "-NaN": true, "-nan": true, "1.#IND": true, "1.#QNAN": true,
	"<NA>": true, "N/A": true, "NA": true, "NULL": true, "NaN": true,
	"None": true, "n/a": true, "nan": true, "null": true,
}

// parseNumber reads a cell as a number the way pandas does: decimal or
// scientific notation, surrounding spaces allowed, inf and infinity accepted.
func parseNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, "xX_") {
		return 0, false // Go also reads hexadecimal and 1_000; pandas does not
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, false
	}
	return v, true
}

// ReadCSV reads a CSV file with a header row into a Frame (pandas:
// pd.read_csv(path)). See ParseCSV for how cells are read.
//
// It reads regular files of at most DefaultMaxCSVBytes, so that a wrong
// path (a device such as /dev/zero, a named pipe, a huge file) is an error
// at once rather than a process that reads until it runs out of memory;
// ReadCSVWith reads larger files, and ParseCSV reads from any io.Reader.
func ReadCSV(path string) (*Frame, error) {
	return readCSV("ReadCSV", path, ReadCSVOptions{})
}

// ReadCSVOptions are the options of ReadCSVWith. The zero value is what
// ReadCSV uses.
type ReadCSVOptions struct {
	// MaxBytes is the size of the largest file that is read; 0 means
	// DefaultMaxCSVBytes. Reading a file takes several times its size in
	// memory.
	MaxBytes int64
}

// DefaultMaxCSVBytes is the largest file ReadCSV reads: 256 MiB, far more
// than the lecture data sets (a few kilobytes to a few megabytes).
const DefaultMaxCSVBytes = 256 << 20

// ReadCSVWith is ReadCSV with options, for a file larger than ReadCSV
// reads:
//
//	data, err := prep.ReadCSVWith("big.csv", prep.ReadCSVOptions{MaxBytes: 2 << 30})
func ReadCSVWith(path string, opts ReadCSVOptions) (*Frame, error) {
	return readCSV("ReadCSVWith", path, opts)
}

// readCSV implements ReadCSV and ReadCSVWith.
func readCSV(op, path string, opts ReadCSVOptions) (*Frame, error) {
	return readFile(op, path, opts.MaxBytes, csvFiles, parseCSV)
}

// fileFormat names, for readFile's messages, a format and the functions
// and option that read it.
type fileFormat struct {
	name, options, with, parse string
	defaultMax                 int64
}

var csvFiles = fileFormat{"CSV", "ReadCSVOptions", "ReadCSVWith", "ParseCSV", DefaultMaxCSVBytes}

// readFile opens the regular file at path, refuses it if it is larger than
// maxBytes (0 means the format's default), and parses it with parse
// through a reader that stops at maxBytes.
func readFile(op, path string, maxBytes int64, f fileFormat, parse func(string, io.Reader) (*Frame, error)) (*Frame, error) {
	if maxBytes < 0 {
		return nil, errorf(op, "%s.MaxBytes must be positive, or 0 for the default %d; received %d", f.options, f.defaultMax, maxBytes)
	}
	limit := maxBytes
	if limit == 0 {
		limit = f.defaultMax
	}
	// Stat before Open: opening a named pipe blocks until a writer comes.
	fi, err := os.Stat(path)
	if err != nil {
		return nil, errorf(op, "%w", err)
	}
	if err := checkRegular(path, fi, f); err != nil {
		return nil, errorf(op, "%v", err)
	}
	file, err := os.Open(path)
	if err != nil {
		return nil, errorf(op, "%w", err)
	}
	defer file.Close()
	if fi, err = file.Stat(); err == nil {
		err = checkRegular(path, fi, f)
	}
	if err != nil {
		return nil, errorf(op, "%v", err)
	}
	tooLarge := fmt.Errorf("%s is larger than the %d bytes that %s reads (%s.MaxBytes); "+
		"read a larger file with prep.%s(path, prep.%s{MaxBytes: ...})", path, limit, op, f.options, f.with, f.options)
	if fi.Size() > limit {
		return nil, errorf(op, "%v", tooLarge)
	}
	return parse(op, &limitedReader{r: file, left: limit, err: tooLarge})
}

// checkRegular says what path is if it is not a regular file.
func checkRegular(path string, fi fs.FileInfo, f fileFormat) error {
	what := filekind.Of(fi.Mode())
	if what == "" {
		return nil
	}
	return fmt.Errorf("%s is %s, not a %s file; give the path of a file, or read a stream with prep.%s", path, what, f.name, f.parse)
}

// limitedReader reads from r until left bytes are read, then returns err
// (a file that grew while it was read).
type limitedReader struct {
	r    io.Reader
	left int64
	err  error
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if l.left <= 0 {
		var one [1]byte
		for {
			n, err := l.r.Read(one[:])
			if n > 0 {
				return 0, l.err
			}
			if err != nil {
				return 0, err
			}
		}
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// ReadCSVString reads CSV text with a header row into a Frame (pandas:
// pd.read_csv(io.StringIO(text))). See ParseCSV.
func ReadCSVString(text string) (*Frame, error) {
	return parseCSV("ReadCSVString", strings.NewReader(text))
}

// ParseCSV reads CSV data with a header row into a Frame, as pandas's
// read_csv does with its defaults:
//
//   - The first row names the columns. An empty name becomes "Unnamed: i"
//     and a repeated name gets a suffix (a, a.1, a.2).
//   - A column whose every cell is a number or missing is numeric; any
//     other column is text. Missing cells are the ones pandas treats as
//     missing: empty, NA, NaN, N/A, NULL, null, None, nan and the like.
//   - Blank lines are skipped; a row shorter than the header is padded with
//     missing values; a row longer than the header is an error.
//   - A leading UTF-8 byte order mark (as Excel writes) is ignored.
func ParseCSV(r io.Reader) (*Frame, error) { return parseCSV("ParseCSV", r) }

func parseCSV(op string, r io.Reader) (*Frame, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, errorf(op, "no columns to parse: the data is empty")
	}
	if err != nil {
		return nil, errorf(op, "%v", err)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	names := columnNames(header)
	cells := make([][]string, len(names))
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, errorf(op, "%v", err)
		}
		if len(rec) > len(names) {
			line, _ := cr.FieldPos(0)
			return nil, errorf(op, "line %d has %d fields, but the header has %d columns", line, len(rec), len(names))
		}
		for j := range names {
			cell := ""
			if j < len(rec) {
				cell = rec[j]
			}
			cells[j] = append(cells[j], cell)
		}
	}
	n := 0
	if len(cells) > 0 {
		n = len(cells[0])
	}
	f := &Frame{index: rowsOf(n)}
	for j, name := range names {
		f.cols = append(f.cols, makeColumn(name, cells[j]))
	}
	return f, nil
}

// columnNames applies pandas's rules for empty and repeated header names:
// an empty name becomes "Unnamed: i", and a repeated name gets the first
// suffix .1, .2, ... that is not already a name in the header.
func columnNames(header []string) []string {
	names := make([]string, len(header))
	inHeader := map[string]bool{}
	for j, h := range header {
		if h == "" {
			h = fmt.Sprintf("Unnamed: %d", j)
		}
		names[j] = h
		inHeader[h] = true
	}
	counts := map[string]int{}
	for j, h := range names {
		if k := counts[h]; k > 0 {
			base := h
			for ; ; k++ {
				h = fmt.Sprintf("%s.%d", base, k)
				if !inHeader[h] && counts[h] == 0 {
					break
				}
			}
			counts[base] = k + 1
			names[j] = h
		}
		counts[h]++
	}
	return names
}

// makeColumn turns a column's cells into a numeric column if every cell is
// a number or missing, and into a text column otherwise.
func makeColumn(name string, cells []string) column {
	c := column{name: name, bad: -1, ints: len(cells) > 0}
	num := make([]float64, len(cells))
	na := make([]bool, len(cells))
	for i, s := range cells {
		if naValues[strings.TrimSpace(s)] {
			na[i] = true
			num[i] = math.NaN()
			c.ints = false
			continue
		}
		v, ok := parseNumber(s)
		if !ok {
			if c.bad < 0 {
				c.bad = i
			}
			continue
		}
		num[i] = v
		if _, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err != nil {
			c.ints = false
		}
	}
	if c.bad >= 0 {
		c.text, c.na, c.ints = cells, na, false
		return c
	}
	c.num = num
	return c
}
