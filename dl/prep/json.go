package prep

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// DefaultMaxJSONBytes is the largest file ReadJSON reads: 256 MiB, as for
// ReadCSV.
const DefaultMaxJSONBytes = DefaultMaxCSVBytes

// ReadJSONOptions are the options of ReadJSONWith. The zero value is what
// ReadJSON uses.
type ReadJSONOptions struct {
	// MaxBytes is the size of the largest file that is read; 0 means
	// DefaultMaxJSONBytes. Reading a file takes several times its size in
	// memory.
	MaxBytes int64
}

var jsonFiles = fileFormat{"JSON", "ReadJSONOptions", "ReadJSONWith", "ParseJSON", DefaultMaxJSONBytes}

// ReadJSON reads a JSON file of records or of columns into a Frame (pandas:
// pd.read_json(path)). See ParseJSON for the layouts and how values are
// read.
//
// As ReadCSV, it reads regular files of at most DefaultMaxJSONBytes, so
// that a wrong path (a device, a named pipe, a huge file) is an error at
// once; ReadJSONWith reads larger files, and ParseJSON reads from any
// io.Reader.
func ReadJSON(path string) (*Frame, error) {
	return readFile("ReadJSON", path, 0, jsonFiles, parseJSON)
}

// ReadJSONWith is ReadJSON with options, for a file larger than ReadJSON
// reads:
//
//	data, err := prep.ReadJSONWith("big.json", prep.ReadJSONOptions{MaxBytes: 2 << 30})
func ReadJSONWith(path string, opts ReadJSONOptions) (*Frame, error) {
	return readFile("ReadJSONWith", path, opts.MaxBytes, jsonFiles, parseJSON)
}

// ReadJSONString reads JSON text into a Frame (pandas:
// pd.read_json(io.StringIO(text))). See ParseJSON.
func ReadJSONString(text string) (*Frame, error) {
	return parseJSON("ReadJSONString", strings.NewReader(text))
}

// ParseJSON reads JSON data into a Frame, as pandas's read_json does with
// its defaults. It reads the two layouts pandas writes and reads by
// default:
//
//   - records, a list of objects, one per row (pandas: orient="records",
//     what most programs write and what pandas reads for a list):
//     [{"a": 1, "b": "x"}, {"a": 2, "b": null}]. The columns are the keys
//     in the order they first appear; a row without a key gets a missing
//     value there. The rows are labelled 0, 1, 2, ...
//   - columns, an object of columns (pandas: orient="columns", the default
//     of DataFrame.to_json): {"a": {"0": 1, "1": 2}, "b": {"0": "x", "1":
//     null}}, each column mapping row labels to values, or {"a": [1, 2],
//     "b": ["x", null]} with lists of the same length. Row labels must be
//     whole numbers (pandas turns "0", "1" into the labels 0, 1); rows
//     come in the order their labels first appear.
//
// Values are read as pandas infers them: a column of numbers (and nulls)
// is numeric, an int64 column in pandas if every value is whole and none
// is missing; null is a missing value (NaN); a column of strings is text,
// unless every string is a number ("3", "2.5"), which pandas reads as
// numbers too; a string such as "NA" or "" stays text, as in pandas.
// Booleans are the numbers 1 and 0 (pandas keeps a column of only
// booleans as bool, printed True and False, and reads booleans mixed with
// numbers or nulls as 1 and 0); next to text they are the text "True" and
// "False". A column that mixes numbers and text is text, its numbers
// written as Strings writes them (pandas: an object column); using it as
// numbers is an error that names the first cell that is not a number.
//
// Unlike pandas, ParseJSON keeps a column named like a date ("date",
// "modified", "..._at", "..._time") as text rather than converting it, and
// a whole number too large for int64 is read as a float64 (pandas: "Value
// is too big!"); 1e400 is +Inf in both.
//
// A value that is an array or object (a nested record), a record that is
// not an object, and JSON that is neither records nor columns are errors
// that name the record (or column) and the key. NaN and Infinity, which
// Python's json module writes, are not JSON and are errors too; write null.
// So that a hostile file cannot take unbounded memory, a frame may not
// have more cells (rows × columns) than 1,048,576 plus the number of bytes
// read: records that each bring new keys are refused.
func ParseJSON(r io.Reader) (*Frame, error) { return parseJSON("ParseJSON", r) }

// minJSONCells is the number of cells a JSON frame may always have; beyond
// it, a frame may have one cell per byte read.
const minJSONCells = 1 << 20

// jsonKind is the kind of a JSON value in a cell.
type jsonKind uint8

const (
	jsonNull jsonKind = iota
	jsonNumber
	jsonString
	jsonTrue
	jsonFalse
)

// jsonCell is one value read from the JSON data.
type jsonCell struct {
	s string
	f float64
	k jsonKind
}

// jsonReader reads JSON data into columns of cells.
type jsonReader struct {
	op    string
	dec   *json.Decoder
	names []string
	pos   map[string]int
	cols  [][]jsonCell
	rows  int
	index []int  // the row labels of column-oriented JSON, or nil for 0, 1, 2, ...
	where string // the record or column being read, for messages
	key   string // the key (or, in a column, the row label) being read
	inKey bool   // whether a key's value is being read
}

func parseJSON(op string, r io.Reader) (*Frame, error) {
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && string(bom) == "\ufeff" {
		_, _ = br.Discard(3)
	}
	p := &jsonReader{op: op, dec: json.NewDecoder(br), pos: map[string]int{}}
	p.dec.UseNumber()
	t, err := p.dec.Token()
	if err == io.EOF {
		return nil, errorf(op, "no data: the JSON text is empty")
	}
	if err != nil {
		return nil, p.syntax(err)
	}
	switch t {
	case json.Delim('['):
		err = p.records()
	case json.Delim('{'):
		err = p.columns()
	default:
		err = errorf(op, "the data is %s, not records or columns; ReadJSON reads records [{\"column\": value, ...}, ...] "+
			"or columns {\"column\": {\"row\": value, ...}, ...}", describe(t))
	}
	if err != nil {
		return nil, err
	}
	p.where = ""
	if _, err := p.dec.Token(); err != io.EOF {
		return nil, errorf(op, "unexpected data after the end of the JSON value, at byte %d", p.dec.InputOffset())
	}
	f := &Frame{index: p.index}
	if f.index == nil {
		f.index = rowsOf(p.rows)
	}
	for j, name := range p.names {
		f.cols = append(f.cols, jsonColumn(name, p.pad(j, p.rows)))
	}
	return f, nil
}

// records reads a list of records, after its '['.
func (p *jsonReader) records() error {
	for r := 0; p.dec.More(); r++ {
		p.where = fmt.Sprintf("record %d", r)
		t, err := p.token()
		if err != nil {
			return err
		}
		if t != json.Delim('{') {
			return p.fail(" is %s, not an object {\"column\": value, ...}; ReadJSON reads records [{\"column\": value, ...}, ...] "+
				"or columns {\"column\": {\"row\": value, ...}, ...}", describe(t))
		}
		if err := p.grow(r + 1); err != nil {
			return err
		}
		for p.dec.More() {
			key, err := p.token()
			if err != nil {
				return err
			}
			c, err := p.cell(key.(string))
			if err != nil {
				return err
			}
			j, err := p.column(key.(string))
			if err != nil {
				return err
			}
			p.put(j, r, c)
		}
		if _, err := p.token(); err != nil { // '}'
			return err
		}
	}
	_, err := p.token() // ']'
	return err
}

// columns reads an object of columns, after its '{'.
func (p *jsonReader) columns() error {
	rowOf := map[int]int{} // row label -> row
	var layout json.Token  // the '[' or '{' of the first column
	listLen := -1          // the length of the first list
	for p.dec.More() {
		key, err := p.token()
		if err != nil {
			return err
		}
		name := key.(string)
		p.where = fmt.Sprintf("column %q", name)
		t, err := p.token()
		if err != nil {
			return err
		}
		if t != json.Delim('[') && t != json.Delim('{') {
			return p.fail(" is %s, not an object or a list; in column-oriented JSON each column is an object {\"row\": value, ...} or a list [value, ...]", describe(t))
		}
		if layout == nil {
			layout = t
		} else if t != layout {
			return p.fail(" is %s, but the first column is %s; the columns must all be lists or all be objects (pandas: \"Mixing dicts with non-Series\")",
				describe(t), describe(layout))
		}
		j, err := p.column(name)
		if err != nil {
			return err
		}
		p.cols[j] = p.cols[j][:0] // a repeated column: the last one counts
		n := 0
		for ; p.dec.More(); n++ {
			row, key := n, strconv.Itoa(n)
			if t == json.Delim('{') {
				lt, err := p.token()
				if err != nil {
					return err
				}
				key = lt.(string)
				label, err := strconv.Atoi(key)
				if err != nil {
					return p.fail(" has the row label %q; ReadJSON's frames label their rows with whole numbers (0, 1, 2, ...)", key)
				}
				var ok bool
				if row, ok = rowOf[label]; !ok {
					row = len(p.index)
					rowOf[label] = row
					p.index = append(p.index, label)
				}
			}
			if row >= p.rows {
				if err := p.grow(row + 1); err != nil {
					return err
				}
			}
			c, err := p.cell(key)
			if err != nil {
				return err
			}
			p.put(j, row, c)
		}
		if t == json.Delim('[') {
			if listLen >= 0 && n != listLen {
				return p.fail(" has %d values, but the first column has %d; the lists must have the same length (pandas: \"All arrays must be of the same length\")", n, listLen)
			}
			listLen = n
		}
		if _, err := p.token(); err != nil { // ']' or '}'
			return err
		}
	}
	_, err := p.token() // '}'
	return err
}

// cell reads the value of a record's key, or of a column's row.
func (p *jsonReader) cell(key string) (jsonCell, error) {
	p.key, p.inKey = key, true
	defer func() { p.inKey = false }()
	t, err := p.token()
	if err != nil {
		return jsonCell{}, err
	}
	switch v := t.(type) {
	case nil:
		return jsonCell{}, nil
	case bool:
		if v {
			return jsonCell{k: jsonTrue}, nil
		}
		return jsonCell{k: jsonFalse}, nil
	case string:
		return jsonCell{s: v, k: jsonString}, nil
	case json.Number:
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return jsonCell{}, p.fail(": %v", err)
		}
		return jsonCell{f: f, k: jsonNumber}, nil
	}
	return jsonCell{}, p.fail(" holds %s; ReadJSON reads flat tables whose values are numbers, strings, booleans or null", describe(t))
}

// put sets row r of column j to c; a repeated key's last value counts.
func (p *jsonReader) put(j, r int, c jsonCell) {
	col := p.pad(j, r)
	if len(col) > r {
		col[r] = c
	} else {
		col = append(col, c)
	}
	p.cols[j] = col
}

// column returns the position of the named column, adding it if it is new.
func (p *jsonReader) column(name string) (int, error) {
	if j, ok := p.pos[name]; ok {
		return j, nil
	}
	if err := p.budget(p.rows, len(p.names)+1); err != nil {
		return 0, err
	}
	p.pos[name] = len(p.names)
	p.names = append(p.names, name)
	p.cols = append(p.cols, nil)
	return len(p.names) - 1, nil
}

// grow makes the frame rows long.
func (p *jsonReader) grow(rows int) error {
	if err := p.budget(rows, len(p.names)); err != nil {
		return err
	}
	p.rows = rows
	return nil
}

// budget refuses a frame of more cells than minJSONCells plus the bytes read.
func (p *jsonReader) budget(rows, cols int) error {
	limit := minJSONCells + p.dec.InputOffset()
	if int64(rows)*int64(cols) > limit {
		return p.fail(": the frame would have %d rows × %d columns, more cells than the %d that the %d bytes read so far allow; "+
			"ReadJSON reads records that mostly share their keys", rows, cols, limit, p.dec.InputOffset())
	}
	return nil
}

// pad returns column j with missing values up to row n.
func (p *jsonReader) pad(j, n int) []jsonCell {
	col := p.cols[j]
	for len(col) < n {
		col = append(col, jsonCell{})
	}
	return col
}

// token reads the next token; the end of the data is an error.
func (p *jsonReader) token() (json.Token, error) {
	t, err := p.dec.Token()
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		return nil, p.syntax(err)
	}
	return t, nil
}

// syntax describes an error of the JSON decoder, or of the reader.
func (p *jsonReader) syntax(err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		hint := ""
		if m := se.Error(); strings.Contains(m, "'N'") || strings.Contains(m, "'I'") {
			hint = " (NaN and Infinity are not JSON: write null for a missing value)"
		}
		return p.fail(": %v at byte %d%s", err, se.Offset, hint)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return p.fail(": the data ends early, at byte %d: the JSON text is cut off", p.dec.InputOffset())
	}
	return p.fail(": %v", err)
}

// fail returns an error naming the record or column being read: format
// continues a sentence that starts with it ("record 3 is ...", "record 3:
// ...").
func (p *jsonReader) fail(format string, args ...any) error {
	if p.where != "" {
		where := p.where
		switch {
		case p.inKey && strings.HasPrefix(where, "column"):
			where += ", row " + strconv.Quote(p.key)
		case p.inKey:
			where += ", key " + strconv.Quote(p.key)
		}
		format = strings.ReplaceAll(where, "%", "%%") + format
	} else {
		format = strings.TrimLeft(format, ",: ")
	}
	return errorf(p.op, format, args...)
}

// describe names the kind of a JSON token for messages.
func describe(t json.Token) string {
	switch v := t.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case json.Delim:
		if v == '[' {
			return "an array [...]"
		}
		return "an object {...}"
	}
	return fmt.Sprintf("%v", t)
}

// jsonColumn makes a Frame column of JSON values: numeric unless a string
// that is not a number is among them.
func jsonColumn(name string, cells []jsonCell) column {
	text := false
	for _, c := range cells {
		text = text || c.k == jsonString
	}
	if !text {
		num := make([]float64, len(cells))
		for i, c := range cells {
			switch c.k {
			case jsonNull:
				num[i] = math.NaN()
			case jsonNumber:
				num[i] = c.f
			case jsonTrue:
				num[i] = 1
			}
		}
		return column{name: name, num: num, ints: wholeNumbers(num), bad: -1}
	}
	cellText := make([]string, len(cells))
	na := make([]bool, len(cells))
	for i, c := range cells {
		switch c.k {
		case jsonNull:
			na[i] = true
		case jsonString:
			cellText[i] = c.s
		case jsonNumber:
			cellText[i] = strconv.FormatFloat(c.f, 'g', -1, 64)
		case jsonTrue:
			cellText[i] = "True"
		case jsonFalse:
			cellText[i] = "False"
		}
	}
	return textColumn(name, cellText, na)
}
