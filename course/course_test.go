package course_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/scanner"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/dlgo/dlgo/course"
)

const notebooks = "../notebooks"

// minHangul is the least share of Hangul among the letters of a Korean
// notebook's prose.
const minHangul = 0.60

func sources(t *testing.T) []*course.Source {
	t.Helper()
	src, err := course.Sources(".")
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func readEdition(t *testing.T, lang, name string) *course.Notebook {
	t.Helper()
	nb, err := course.ReadNotebook(filepath.Join(notebooks, lang, name+".ipynb"))
	if err != nil {
		t.Fatalf("%v (run go run ./course/cmd/nbgen)", err)
	}
	return nb
}

// TestEditionsMatchSource: every committed notebook of both editions is what
// its source generates (outputs aside).
func TestEditionsMatchSource(t *testing.T) {
	for _, s := range sources(t) {
		for _, lang := range course.Langs {
			want, err := s.Edition(lang)
			if err != nil {
				t.Fatal(err)
			}
			if d := course.Diff(readEdition(t, lang, s.Name), want); d != "" {
				t.Errorf("notebooks/%s/%s.ipynb is not what %s makes: %s\n(run go run ./course/cmd/nbgen %s, then make notebooks-refresh)", lang, s.Name, s.Path, d, s.Name)
			}
		}
	}
}

// TestSameFiles: both edition folders hold the same notebooks and documents,
// each made from a source.
func TestSameFiles(t *testing.T) {
	list := func(lang string) []string {
		var names []string
		entries, err := os.ReadDir(filepath.Join(notebooks, lang))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if !e.IsDir() && (strings.HasSuffix(e.Name(), ".ipynb") || strings.HasSuffix(e.Name(), ".md")) {
				names = append(names, e.Name())
			}
		}
		return names
	}
	en, ko := list("en"), list("ko")
	if !slices.Equal(en, ko) {
		t.Errorf("notebooks/en has %v, notebooks/ko has %v", en, ko)
	}
	var want []string
	for _, s := range sources(t) {
		want = append(want, s.Name+".ipynb")
	}
	for _, name := range en {
		if strings.HasSuffix(name, ".ipynb") && !slices.Contains(want, name) {
			t.Errorf("notebooks/en/%s has no source course/%s", name, strings.TrimSuffix(name, ".ipynb")+".nbsrc")
		}
		if r := []rune(name); slices.ContainsFunc(r, func(c rune) bool { return c > unicode.MaxASCII }) {
			t.Errorf("%s: file names stay ASCII", name)
		}
	}
}

// goTokens returns the tokens of a code cell, comments left out; lines that
// GoNB runs itself (%% magics, ! shell lines) are one token each.
func goTokens(code string) []string {
	var out []string
	var goSrc strings.Builder
	for _, line := range strings.Split(code, "\n") {
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "%") || strings.HasPrefix(t, "!") {
			out = append(out, "magic:"+t)
			goSrc.WriteString("\n")
			continue
		}
		goSrc.WriteString(line + "\n")
	}
	var s scanner.Scanner
	fset := token.NewFileSet()
	src := []byte(goSrc.String())
	s.Init(fset.AddFile("cell", -1, len(src)), src, nil, 0)
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.SEMICOLON && lit == "\n" {
			continue
		}
		out = append(out, tok.String()+":"+lit)
	}
	return out
}

var hangulRE = regexp.MustCompile(`\p{Hangul}`)

// TestSameCode: the code cells of the two editions are the same program in
// the same order: their Go tokens are equal, except comments and string
// literals translated into Korean (plot titles and labels).
func TestSameCode(t *testing.T) {
	for _, s := range sources(t) {
		en, ko := readEdition(t, "en", s.Name), readEdition(t, "ko", s.Name)
		code := func(nb *course.Notebook) []course.NotebookCell {
			var cells []course.NotebookCell
			for _, c := range nb.Cells {
				if c.CellType == "code" {
					cells = append(cells, c)
				}
			}
			return cells
		}
		ce, ck := code(en), code(ko)
		if len(ce) != len(ck) {
			t.Errorf("%s: %d code cells in en, %d in ko", s.Name, len(ce), len(ck))
			continue
		}
		for i := range ce {
			if ce[i].ID != ck[i].ID {
				t.Errorf("%s: code cell %d is %s in en, %s in ko", s.Name, i+1, ce[i].ID, ck[i].ID)
				continue
			}
			te, tk := goTokens(string(ce[i].Source)), goTokens(string(ck[i].Source))
			if len(te) != len(tk) {
				t.Errorf("%s, cell %s: %d tokens in en, %d in ko", s.Name, ce[i].ID, len(te), len(tk))
				continue
			}
			for j := range te {
				if te[j] == tk[j] {
					continue
				}
				if strings.HasPrefix(te[j], "STRING:") && strings.HasPrefix(tk[j], "STRING:") && hangulRE.MatchString(tk[j]) {
					continue // a translated label
				}
				t.Errorf("%s, cell %s: en has %s where ko has %s", s.Name, ce[i].ID, te[j], tk[j])
				break
			}
		}
		if a, b := string(en.Metadata["dlgo"]), string(ko.Metadata["dlgo"]); !jsonEqual(a, b) {
			t.Errorf("%s: the editions declare different expected outputs:\n en: %s\n ko: %s", s.Name, a, b)
		}
	}
}

func jsonEqual(a, b string) bool {
	var x, y bytes.Buffer
	return json.Compact(&x, []byte(a)) == nil && json.Compact(&y, []byte(b)) == nil && x.String() == y.String()
}

// TestHangulShare: the Korean edition's prose is mostly Korean.
func TestHangulShare(t *testing.T) {
	for _, s := range sources(t) {
		nb := readEdition(t, "ko", s.Name)
		h, n := 0, 0
		for _, c := range nb.Cells {
			if c.CellType == "markdown" {
				a, b := course.HangulShare(string(c.Source))
				h, n = h+a, n+b
			}
		}
		share := float64(h) / float64(max(n, 1))
		t.Logf("ko/%s: %.0f %% Hangul of %d letters", s.Name, 100*share, n)
		if share < minHangul {
			t.Errorf("ko/%s.ipynb: Hangul is %.0f %% of the prose's letters, want at least %.0f %%", s.Name, 100*share, 100*minHangul)
		}
	}
}

func TestHangulShareCounts(t *testing.T) {
	h, n := course.HangulShare("# 미리 멈춤 (EarlyStopping)\n\n`dl.EarlyStopping{Monitor: \"val_loss\"}` 는 $\\alpha$ 를 [보기](https://x.org/abc)\n```go\nfmt.Println()\n```")
	if fmt.Sprint(h, n) != "8 21" {
		t.Errorf("HangulShare = %d of %d, want 8 of 21", h, n)
	}
}

var linkRE = regexp.MustCompile(`\]\(([^)#\s]+)(#[^)\s]*)?\)`)

// TestLinks: every notebook's first cell links to the glossary and to the
// Go primer of its own edition, and every relative link of the notebooks and
// documents of both editions resolves.
func TestLinks(t *testing.T) {
	for _, lang := range course.Langs {
		dir := filepath.Join(notebooks, lang)
		for _, s := range sources(t) {
			nb := readEdition(t, lang, s.Name)
			first := string(nb.Cells[0].Source)
			for _, target := range []string{"glossary.md", "06_go_for_keras_users.ipynb"} {
				if s.Name == "00_smoke" || s.Name == strings.TrimSuffix(target, ".ipynb") {
					continue
				}
				if !strings.Contains(first, "]("+target) {
					t.Errorf("%s/%s.ipynb: the first cell does not link to %s", lang, s.Name, target)
				}
			}
			var all strings.Builder
			for _, c := range nb.Cells {
				if c.CellType == "markdown" {
					all.WriteString(string(c.Source) + "\n")
				}
			}
			checkLinks(t, dir, lang+"/"+s.Name+".ipynb", all.String())
		}
		docs, _ := filepath.Glob(filepath.Join(dir, "*.md"))
		for _, d := range docs {
			b, err := os.ReadFile(d)
			if err != nil {
				t.Fatal(err)
			}
			checkLinks(t, dir, lang+"/"+filepath.Base(d), string(b))
		}
	}
}

func checkLinks(t *testing.T, dir, name, md string) {
	t.Helper()
	for _, m := range linkRE.FindAllStringSubmatch(md, -1) {
		target := m[1]
		if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(target))); err != nil {
			t.Errorf("%s links to %s, which does not exist", name, target)
		}
	}
}

// TestChecks: {{...}} marks become expected-output lines that match what
// they quote and nothing else.
func TestChecks(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.nbsrc")
	src := "@@ notebook\n{\"expect\": {\"images\": 1}}\n@@ markdown m\n@@ en\nloss {{0.150 ~ L2 0.001}}, MAE {{2.39}}\n@@ ko\n손실 {{0.150 ~ L2 0.001}}, MAE {{2.39}}\n@@ code c\nfmt.Println(\"«a|가»\") // «note|메모»\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := course.Parse(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := s.CheckLines()
	if len(lines) != 2 {
		t.Fatalf("CheckLines = %q", lines)
	}
	for _, c := range []struct {
		re, text string
		want     bool
	}{
		{lines[0], "L2 0.001  train 0.120  test 0.150", true},
		{lines[0], "L2 0.001  train 0.120  test 0.1504", false},
		{lines[0], "L2 0.01  train 0.120  test 0.150", false},
		{lines[0], "test 0.150 (L2 0.001)", true},
		{lines[1], "naive 2.39 °C", true},
		{lines[1], "naive 12.39", false},
		{lines[1], "naive 2.391", false},
		{lines[1], "naive 2.39.", true},
		{lines[1], "naive 2.39.5", false},
	} {
		if got := regexp.MustCompile("(?m)" + c.re).MatchString(c.text); got != c.want {
			t.Errorf("%q on %q = %v, want %v", c.re, c.text, got, c.want)
		}
	}
	en, _ := s.Edition("en")
	ko, _ := s.Edition("ko")
	if got := string(en.Cells[1].Source); got != "fmt.Println(\"a\") // note" {
		t.Errorf("en code = %q", got)
	}
	if got := string(ko.Cells[1].Source); got != "fmt.Println(\"가\") // 메모" {
		t.Errorf("ko code = %q", got)
	}
	if got := string(ko.Cells[0].Source); got != "손실 0.150, MAE 2.39" {
		t.Errorf("ko markdown = %q", got)
	}
	bad := strings.Replace(src, "손실 {{0.150 ~ L2 0.001}}", "손실 0.150", 1)
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := course.Parse(path); err == nil || !strings.Contains(err.Error(), "same checked numbers") {
		t.Errorf("editions quoting different checks: err = %v", err)
	}
}

// TestReadmeTable: the README's notebook table lists both editions of every
// chapter.
func TestReadmeTable(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sources(t) {
		for _, lang := range course.Langs {
			if link := "](notebooks/" + lang + "/" + s.Name + ".ipynb)"; !strings.Contains(string(b), link) {
				t.Errorf("README.md does not link to notebooks/%s/%s.ipynb", lang, s.Name)
			}
		}
	}
}

// TestAssignments: every assignment source is graded, its answer cells hold
// a solution region, and its test cells carry points.
func TestAssignments(t *testing.T) {
	srcs, err := course.Sources("../assignments")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range srcs {
		if !s.Graded() {
			t.Errorf("%s has no answer or test cell", s.Path)
		}
		answers, points := 0, 0
		for _, c := range s.Cells {
			if c.Answer {
				answers++
				if !strings.Contains(c.Code, "// BEGIN SOLUTION") || !strings.Contains(c.Code, "// END SOLUTION") {
					t.Errorf("%s, cell %s: an answer cell without // BEGIN SOLUTION ... // END SOLUTION", s.Path, c.ID)
				}
			}
			points += c.Points
		}
		if answers == 0 || points == 0 {
			t.Errorf("%s: %d answer cells, %d points", s.Path, answers, points)
		}
		nb, err := s.Edition("ko")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range nb.Cells {
			if !strings.Contains(string(c.Metadata), `"nbgrader"`) {
				t.Errorf("%s, cell %s: no nbgrader metadata", s.Path, c.ID)
			}
		}
	}
}

// TestDisplaySyncs: a code cell (of a chapter or an assignment) that shows
// something through gonbui's Display functions also calls gonbui.Sync, so
// that the cell's program waits until the kernel has the output before it
// exits. GoNB v0.11.4 closes its end of the display pipe when the program
// exits and drops what it has not read yet: on a busy machine (a class hub)
// the plot of the cell's last line would then be missing now and then.
// dl/chart's Show functions and the notebook package sync themselves.
func TestDisplaySyncs(t *testing.T) {
	assignments, err := course.Sources("../assignments")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range append(sources(t), assignments...) {
		for _, c := range s.Cells {
			if c.Kind == "code" && strings.Contains(c.Code, "gonbui.Display") && !strings.Contains(c.Code, "gonbui.Sync()") {
				t.Errorf("%s, cell %s (line %d): gonbui.Display… without gonbui.Sync()", s.Path, c.ID, c.Line)
			}
		}
	}
}
