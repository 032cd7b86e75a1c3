package prep

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
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
func ReadCSV(path string) (*Frame, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, errorf("ReadCSV", "%v", err)
	}
	defer file.Close()
	f, err := parseCSV("ReadCSV", file)
	if err != nil {
		return nil, err
	}
	return f, nil
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
