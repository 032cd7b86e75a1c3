// Package course is the single source of both editions of the course's
// notebooks. Each chapter is one text file here (NN_topic.nbsrc) that holds
// every code cell once and every markdown cell in English and in Korean;
// Generate writes notebooks/en/NN_topic.ipynb and notebooks/ko/NN_topic.ipynb
// from it, so the two editions run the same program by construction.
//
// # The source format
//
// A line starting with "@@ " begins a block:
//
//	@@ notebook
//	{"expect": {"images": 1, "lines": ["^Total params: 513$"]}}
//	@@ markdown intro
//	@@ en
//	# 07 — Performance management
//	@@ ko
//	# 07 — 성능 관리
//	@@ code train
//	%%
//	fmt.Println("trained") // «In Keras: model.fit(...)|Keras에서는: model.fit(...)»
//	@@ code solution-1 hidden
//	...
//
// The notebook block holds the notebook's "dlgo" metadata (what the runner
// checks, see package nbrun). A markdown cell has an "@@ en" and an "@@ ko"
// part. A code cell is written once; inside it «English|한국어» is replaced by
// the text of the edition (use it in comments and in the strings of plot
// titles and labels: printed lines stay English in both editions, so both
// declare the same expected outputs). "hidden" after a code cell's id folds
// its source in JupyterLab (exercise solutions): it still runs in make test.
//
// An assignment (graded with nbgrader) marks its cells too: "answer" after a
// code cell's id makes it the student's answer cell (the instructor's
// solution between // BEGIN SOLUTION and // END SOLUTION), and "tests=N"
// makes it an autograded test cell worth N points (hidden tests between
// // BEGIN HIDDEN TESTS and // END HIDDEN TESTS). In a source with such cells,
// every other cell is read-only for the student.
//
// A number that markdown quotes from the notebook's output is written
// {{0.150}} or {{0.150 ~ L2 0.001}}: the notebook shows 0.150, and the check
// becomes an expected-output line of the notebook (the number as a token on
// an output line that also contains "L2 0.001"). Both language parts of a
// cell must quote the same checks.
package course

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Langs are the editions, in the order their folders are written.
var Langs = []string{"en", "ko"}

// Cell is one cell of a source.
type Cell struct {
	Kind   string            // "markdown" or "code"
	ID     string            // the cell id, unique in the notebook
	Hidden bool              // code only: source folded in JupyterLab
	Answer bool              // code only: an nbgrader answer cell (// BEGIN SOLUTION ... // END SOLUTION)
	Points int               // code only: an nbgrader test cell worth Points
	Text   map[string]string // markdown: the text per language
	Code   string            // code: the program text, with «en|ko» marks
	Line   int               // the line of the "@@" header, for errors
}

// Source is one chapter's source file.
type Source struct {
	Name  string          // the notebook's file name without extension, e.g. "07_performance"
	Path  string          // the file it was read from
	Meta  json.RawMessage // the "dlgo" metadata of both editions
	Cells []Cell
}

// checkRE is {{number}} or {{number ~ context}} in markdown.
var checkRE = regexp.MustCompile(`\{\{\s*([-+]?\d[\d,]*(?:\.\d+)?)\s*(?:~\s*([^{}]+?)\s*)?\}\}`)

// trMark is «en|ko» in code.
var trMark = regexp.MustCompile(`«([^«»|]*)\|([^«»|]*)»`)

// Parse reads a source file.
func Parse(path string) (*Source, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	src := &Source{Name: strings.TrimSuffix(filepath.Base(path), ".nbsrc"), Path: path}
	errf := func(line int, format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s", path, line, fmt.Sprintf(format, args...))
	}
	var cur *Cell
	part := "" // "meta", "code", or a language
	var body []string
	flush := func() {
		text := strings.Trim(strings.Join(body, "\n"), "\n")
		body = body[:0]
		switch {
		case part == "meta":
			src.Meta = json.RawMessage(text)
		case part == "code":
			cur.Code = text
		case part != "":
			cur.Text[part] = text
		}
	}
	ids := map[string]int{}
	lines := strings.Split(string(b), "\n")
	for i, line := range lines {
		n := i + 1
		if !strings.HasPrefix(line, "@@ ") {
			if part == "" && strings.TrimSpace(line) != "" {
				return nil, errf(n, "text before the first @@ block")
			}
			if cur != nil && cur.Kind == "markdown" && part == "" && strings.TrimSpace(line) != "" {
				return nil, errf(n, "markdown cell %q: text before its @@ en or @@ ko part", cur.ID)
			}
			body = append(body, line)
			continue
		}
		flush()
		f := strings.Fields(line[3:])
		if len(f) == 0 {
			return nil, errf(n, "empty @@ header")
		}
		switch f[0] {
		case "notebook":
			if src.Meta != nil || len(src.Cells) > 0 || len(f) != 1 {
				return nil, errf(n, "@@ notebook comes once, first, with no arguments")
			}
			part = "meta"
		case "markdown", "code":
			if len(f) < 2 {
				return nil, errf(n, "@@ %s needs a cell id", f[0])
			}
			id := f[1]
			if prev, ok := ids[id]; ok {
				return nil, errf(n, "cell id %q is used on line %d already", id, prev)
			}
			ids[id] = n
			src.Cells = append(src.Cells, Cell{Kind: f[0], ID: id, Line: n, Text: map[string]string{}})
			cur = &src.Cells[len(src.Cells)-1]
			for _, opt := range f[2:] {
				pts, isTests := strings.CutPrefix(opt, "tests=")
				switch {
				case f[0] != "code":
					return nil, errf(n, "unknown option %q (only code cells take options)", opt)
				case opt == "hidden":
					cur.Hidden = true
				case opt == "answer":
					cur.Answer = true
				case isTests:
					p, err := strconv.Atoi(pts)
					if err != nil || p < 1 {
						return nil, errf(n, "%s: the points of a test cell are a whole number ≥ 1", opt)
					}
					cur.Points = p
				default:
					return nil, errf(n, "unknown option %q (a code cell may be hidden, answer, or tests=POINTS)", opt)
				}
			}
			if cur.Answer && cur.Points > 0 {
				return nil, errf(n, "cell %q is both an answer and a test cell", id)
			}
			part = ""
			if f[0] == "code" {
				part = "code"
			}
		default:
			if cur == nil || cur.Kind != "markdown" || len(f) != 1 || !isLang(f[0]) {
				return nil, errf(n, "unknown block %q (notebook, markdown ID, code ID, or a language part %v inside a markdown cell)", line, Langs)
			}
			if _, dup := cur.Text[f[0]]; dup {
				return nil, errf(n, "markdown cell %q has two %s parts", cur.ID, f[0])
			}
			part = f[0]
			cur.Text[part] = ""
		}
	}
	flush()
	if src.Meta == nil {
		return nil, errf(1, "no @@ notebook block with the notebook's expectations")
	}
	var meta map[string]json.RawMessage
	if err := json.Unmarshal(src.Meta, &meta); err != nil {
		return nil, errf(1, "@@ notebook: %v", err)
	}
	for _, c := range src.Cells {
		if c.Kind == "markdown" {
			for _, l := range Langs {
				if _, ok := c.Text[l]; !ok {
					return nil, errf(c.Line, "markdown cell %q has no @@ %s part", c.ID, l)
				}
			}
			want := checks(c.Text[Langs[0]])
			for _, l := range Langs[1:] {
				if got := checks(c.Text[l]); strings.Join(got, "\n") != strings.Join(want, "\n") {
					return nil, errf(c.Line, "markdown cell %q quotes %q in %s but %q in %s: both editions must quote the same checked numbers", c.ID, want, Langs[0], got, l)
				}
			}
		} else if m := strings.Count(c.Code, "«"); m != len(trMark.FindAllString(c.Code, -1)) || m != strings.Count(c.Code, "»") {
			return nil, errf(c.Line, "code cell %q: a «English|한국어» mark is not closed or has no |", c.ID)
		}
	}
	return src, nil
}

func isLang(s string) bool {
	for _, l := range Langs {
		if s == l {
			return true
		}
	}
	return false
}

// checks returns the {{...}} marks of a text, sorted.
func checks(text string) []string {
	var out []string
	for _, m := range checkRE.FindAllStringSubmatch(text, -1) {
		out = append(out, m[1]+" ~ "+m[2])
	}
	sort.Strings(out)
	return out
}

// CheckLines returns the expected-output regular expressions of the
// source's {{...}} marks.
func (s *Source) CheckLines() []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range s.Cells {
		if c.Kind != "markdown" {
			continue
		}
		for _, m := range checkRE.FindAllStringSubmatch(c.Text[Langs[0]], -1) {
			// The number as a token: not part of a longer number (a "." after
			// it ends a sentence only when no digit follows).
			num := `(?:^|[^\w.])` + regexp.QuoteMeta(m[1]) + `(?:[^\w.]|\.(?:[^\d]|$)|$)`
			re := `(?m)^.*` + num
			if m[2] != "" {
				ctx := regexp.QuoteMeta(m[2])
				re = `(?m)^(?:.*` + ctx + `.*` + num + `|.*` + num + `.*` + ctx + `.*)`
			}
			re = strings.Replace(re, "(?m)", "", 1) // the runner matches in multi-line mode
			if !seen[re] {
				seen[re] = true
				out = append(out, re)
			}
		}
	}
	return out
}

// Markdown returns the markdown of cell c in language lang, with the
// {{...}} marks replaced by the numbers they quote.
func Markdown(c Cell, lang string) string {
	return checkRE.ReplaceAllString(c.Text[lang], "$1")
}

// Code returns the code of cell c in language lang.
func Code(c Cell, lang string) string {
	i := 1
	if lang != Langs[0] {
		i = 2
	}
	return trMark.ReplaceAllStringFunc(c.Code, func(m string) string {
		return trMark.FindStringSubmatch(m)[i]
	})
}

// Notebook is the part of a .ipynb file that Generate writes and the tests
// compare: everything but outputs, execution counts and language_info.
type Notebook struct {
	Cells         []NotebookCell             `json:"cells"`
	Metadata      map[string]json.RawMessage `json:"metadata"`
	NBFormat      int                        `json:"nbformat"`
	NBFormatMinor int                        `json:"nbformat_minor"`
}

// NotebookCell is one cell of a .ipynb file.
type NotebookCell struct {
	CellType       string          `json:"cell_type"`
	ExecutionCount json.RawMessage `json:"execution_count,omitempty"`
	ID             string          `json:"id"`
	Metadata       json.RawMessage `json:"metadata"`
	Outputs        json.RawMessage `json:"outputs,omitempty"`
	Source         Lines           `json:"source"`
}

// Lines is a cell's source as Jupyter stores it: a list of lines, each but
// the last ending in "\n".
type Lines string

// MarshalJSON writes the list form.
func (l Lines) MarshalJSON() ([]byte, error) {
	parts := strings.SplitAfter(string(l), "\n")
	if parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	if parts == nil {
		parts = []string{}
	}
	return marshal(parts)
}

// UnmarshalJSON reads either form.
func (l *Lines) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*l = Lines(s)
		return nil
	}
	var parts []string
	if err := json.Unmarshal(b, &parts); err != nil {
		return err
	}
	*l = Lines(strings.Join(parts, ""))
	return nil
}

func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

var hiddenMeta = json.RawMessage(`{"jupyter":{"source_hidden":true}}`)

// Edition returns the notebook of one language, without outputs.
func (s *Source) Edition(lang string) (*Notebook, error) {
	var dlgo map[string]any
	if err := json.Unmarshal(s.Meta, &dlgo); err != nil {
		return nil, fmt.Errorf("%s: @@ notebook: %v", s.Path, err)
	}
	if lines := s.CheckLines(); len(lines) > 0 {
		exp, _ := dlgo["expect"].(map[string]any)
		if exp == nil {
			exp = map[string]any{}
			dlgo["expect"] = exp
		}
		have, _ := exp["lines"].([]any)
		for _, l := range lines {
			have = append(have, l)
		}
		exp["lines"] = have
	}
	dlgoJSON, err := marshal(dlgo)
	if err != nil {
		return nil, err
	}
	nb := &Notebook{
		Metadata: map[string]json.RawMessage{
			"dlgo":       dlgoJSON,
			"kernelspec": json.RawMessage(`{"display_name":"Go (gonb)","language":"go","name":"gonb"}`),
		},
		NBFormat: 4, NBFormatMinor: 5,
	}
	graded := s.Graded()
	for _, c := range s.Cells {
		nc := NotebookCell{CellType: c.Kind, ID: c.ID, Metadata: json.RawMessage(`{}`)}
		if c.Kind == "markdown" {
			nc.Source = Lines(Markdown(c, lang))
		} else {
			nc.Source = Lines(Code(c, lang))
			nc.ExecutionCount = json.RawMessage("null")
			nc.Outputs = json.RawMessage("[]")
			if c.Hidden {
				nc.Metadata = hiddenMeta
			}
		}
		if graded {
			nc.Metadata = nbgraderMeta(c)
		}
		nb.Cells = append(nb.Cells, nc)
	}
	return nb, nil
}

// Graded tells whether the source is an nbgrader assignment: whether it has
// an answer or a test cell.
func (s *Source) Graded() bool {
	for _, c := range s.Cells {
		if c.Answer || c.Points > 0 {
			return true
		}
	}
	return false
}

// nbgraderMeta returns the cell metadata nbgrader's "Create Assignment"
// tool writes: an answer cell, a test cell with its points, or a read-only
// cell.
func nbgraderMeta(c Cell) json.RawMessage {
	m := map[string]any{"grade_id": c.ID, "schema_version": 3, "task": false,
		"solution": c.Answer, "grade": c.Points > 0, "locked": !c.Answer}
	if c.Points > 0 {
		m["points"] = c.Points
	}
	b, _ := marshal(map[string]any{"nbgrader": m})
	return b
}

// ReadNotebook reads a .ipynb file.
func ReadNotebook(path string) (*Notebook, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var nb Notebook
	if err := json.Unmarshal(b, &nb); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return &nb, nil
}

// Encode returns the notebook as Jupyter writes it (one-space indent).
func (nb *Notebook) Encode() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(nb); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Write writes the edition of lang into dir/<name>.ipynb. Outputs of code
// cells whose id and source are unchanged in the file already there are
// kept, so editing prose does not throw away the stored results.
func (s *Source) Write(dir, lang string) error {
	nb, err := s.Edition(lang)
	if err != nil {
		return err
	}
	path := filepath.Join(dir, s.Name+".ipynb")
	if old, err := ReadNotebook(path); err == nil {
		prev := map[string]NotebookCell{}
		for _, c := range old.Cells {
			prev[c.ID] = c
		}
		for i, c := range nb.Cells {
			if p, ok := prev[c.ID]; ok && c.CellType == "code" && p.Source == c.Source {
				nb.Cells[i].Outputs, nb.Cells[i].ExecutionCount = p.Outputs, p.ExecutionCount
			}
		}
		if li, ok := old.Metadata["language_info"]; ok {
			nb.Metadata["language_info"] = li
		}
	}
	b, err := nb.Encode()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// Sources reads every *.nbsrc of dir, in name order.
func Sources(dir string) ([]*Source, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.nbsrc"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("no *.nbsrc files in %s", dir)
	}
	var out []*Source
	for _, p := range paths {
		s, err := Parse(p)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// Diff compares the parts of two notebooks that Generate writes (cells'
// types, ids, metadata and sources, and the "dlgo" metadata) and describes
// the first difference, or returns "".
func Diff(got, want *Notebook) string {
	if a, b := string(compact(got.Metadata["dlgo"])), string(compact(want.Metadata["dlgo"])); a != b {
		return "the \"dlgo\" metadata differs:\n" + firstLineDiff(strings.ReplaceAll(a, ",", ",\n"), strings.ReplaceAll(b, ",", ",\n"))
	}
	for i := 0; i < len(got.Cells) || i < len(want.Cells); i++ {
		if i >= len(got.Cells) {
			return fmt.Sprintf("cell %d (id %s) is missing", i+1, want.Cells[i].ID)
		}
		if i >= len(want.Cells) {
			return fmt.Sprintf("cell %d (id %s) is not in the source", i+1, got.Cells[i].ID)
		}
		g, w := got.Cells[i], want.Cells[i]
		switch {
		case g.ID != w.ID || g.CellType != w.CellType:
			return fmt.Sprintf("cell %d is %s %s, the source has %s %s", i+1, g.CellType, g.ID, w.CellType, w.ID)
		case g.Source != w.Source:
			return fmt.Sprintf("cell %d (id %s): the text differs from the source's:\n%s", i+1, g.ID, firstLineDiff(string(g.Source), string(w.Source)))
		case string(compact(g.Metadata)) != string(compact(w.Metadata)):
			return fmt.Sprintf("cell %d (id %s): metadata %s, the source makes %s", i+1, g.ID, compact(g.Metadata), compact(w.Metadata))
		}
	}
	return ""
}

func compact(b []byte) []byte {
	var buf bytes.Buffer
	if json.Compact(&buf, b) != nil {
		return b
	}
	return buf.Bytes()
}

func firstLineDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(la) || i < len(lb); i++ {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			return fmt.Sprintf("  line %d, file:   %q\n  line %d, source: %q", i+1, x, i+1, y)
		}
	}
	return "  (line endings)"
}

// HangulShare returns the share of Hangul among the letters of a markdown
// text, leaving out code (fenced blocks and `spans`), formulas ($...$),
// links' targets, HTML tags and URLs, so that identifiers do not count.
func HangulShare(md string) (hangul, letters int) {
	for _, r := range ProseOf(md) {
		if !unicode.IsLetter(r) {
			continue
		}
		letters++
		if unicode.Is(unicode.Hangul, r) {
			hangul++
		}
	}
	return hangul, letters
}

var (
	fenceRE   = regexp.MustCompile("(?s)```.*?```")
	spanRE    = regexp.MustCompile("`[^`\n]*`")
	mathRE    = regexp.MustCompile(`(?s)\$\$.*?\$\$|\$[^$\n]+\$`)
	linkTgtRE = regexp.MustCompile(`\]\([^)]*\)`)
	tagRE     = regexp.MustCompile(`<[^>\n]*>`)
	urlRE     = regexp.MustCompile(`https?://\S+`)
)

// ProseOf returns a markdown text without its code, formulas, link
// targets, HTML tags and URLs.
func ProseOf(md string) string {
	for _, re := range []*regexp.Regexp{fenceRE, spanRE, mathRE, linkTgtRE, tagRE, urlRE} {
		md = re.ReplaceAllString(md, " ")
	}
	return md
}
