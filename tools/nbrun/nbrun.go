// Package nbrun executes Jupyter notebooks headlessly with the GoNB kernel
// and checks them: every cell must run without an error output, a panic, a
// non-zero exit or a timeout, and the notebook must show what it declares in
// its metadata (see Expect). Failures name the notebook and the cell.
//
// The notebooks run through nbclient (the library under `jupyter nbconvert
// --execute`) from a small Python driver, with a kernel spec of its own that
// asks GoNB for plain-text errors. The kernel runs in the notebook's own
// directory, so the notebook's setup line finds the repository, and the
// executed copy is written elsewhere: the committed file is never rewritten.
//
// tools/lab/install.sh installs what this needs (GoNB, goimports and a
// Python with nbclient); FindEnv reports what is missing.
package nbrun

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed execute.py
var executePy []byte

// DefaultCellTimeout is the per-cell timeout when neither the options nor the
// notebook set one.
const DefaultCellTimeout = 5 * time.Minute

// Env is what executing notebooks needs, as found on this machine.
type Env struct {
	// Repo is the repository root (the directory of its go.mod).
	Repo string
	// Python is a python3 that imports nbclient and nbformat.
	Python string
	// Gonb is the GoNB kernel binary.
	Gonb string
	// GoPath lists the directories the kernel needs on PATH: those of go,
	// gonb and goimports.
	GoPath []string
}

// FindEnv finds the repository containing dir, the GoNB kernel, goimports and
// a Python with nbclient: tools/lab/.venv's first, then the one running
// `jupyter`, then the system's. The error says what is missing and how to
// install it.
func FindEnv(dir string) (*Env, error) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		if _, err2 := os.Stat("/usr/local/go/bin/go"); err2 != nil {
			return nil, errors.New("go is not on PATH")
		}
		goCmd = "/usr/local/go/bin/go"
	}
	out, err := goOutput(goCmd, dir, "env", "GOMOD", "GOBIN", "GOPATH")
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 3 || lines[0] == "" || lines[0] == os.DevNull {
		return nil, fmt.Errorf("no go.mod above %s", dir)
	}
	env := &Env{Repo: filepath.Dir(lines[0])}
	gobin := lines[1]
	if gobin == "" {
		gobin = filepath.Join(filepath.SplitList(lines[2])[0], "bin")
	}
	env.GoPath = []string{filepath.Dir(goCmd), gobin}

	var missing []string
	find := func(name string) string {
		if p := filepath.Join(gobin, name); isExecutable(p) {
			return p
		}
		if p, err := exec.LookPath(name); err == nil {
			env.GoPath = append(env.GoPath, filepath.Dir(p))
			return p
		}
		missing = append(missing, name)
		return ""
	}
	env.Gonb = find("gonb")
	find("goimports")
	env.Python = findPython(env.Repo)
	if env.Python == "" {
		missing = append(missing, "a Python with nbclient (Jupyter)")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s not installed: run tools/lab/install.sh (or make lab)", strings.Join(missing, ", "))
	}
	return env, nil
}

func isExecutable(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}

// findPython returns the first Python that imports nbclient and nbformat.
func findPython(repo string) string {
	candidates := []string{filepath.Join(repo, "tools", "lab", ".venv", "bin", "python")}
	// The interpreter of the jupyter command, from its #! line.
	if j, err := exec.LookPath("jupyter"); err == nil {
		if b, err := os.ReadFile(j); err == nil && bytes.HasPrefix(b, []byte("#!")) {
			line, _, _ := bytes.Cut(b[2:], []byte("\n"))
			if f := strings.Fields(string(line)); len(f) == 1 {
				candidates = append(candidates, f[0])
			}
		}
	}
	candidates = append(candidates, "/usr/bin/python3", "python3")
	for _, py := range candidates {
		if exec.Command(py, "-c", "import nbclient, nbformat").Run() == nil {
			return py
		}
	}
	return ""
}

func goOutput(goCmd, dir string, args ...string) (string, error) {
	cmd := exec.Command(goCmd, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return string(out), nil
}

// path returns PATH for the kernel: the Go directories first.
func (e *Env) path() string {
	return strings.Join(append(append([]string{}, e.GoPath...), os.Getenv("PATH")), string(os.PathListSeparator))
}

// kernelPath returns PATH for a headless kernel: a directory bin holding
// links to go, gofmt and goimports, then the directories of PATH that hold
// no gopls.
func (e *Env) kernelPath(bin string) (string, error) {
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return "", err
	}
	for _, name := range []string{"go", "gofmt", "goimports"} {
		for _, dir := range append(append([]string{}, e.GoPath...), filepath.SplitList(os.Getenv("PATH"))...) {
			if p := filepath.Join(dir, name); isExecutable(p) {
				if err := os.Symlink(p, filepath.Join(bin, name)); err != nil {
					return "", err
				}
				break
			}
		}
	}
	dirs := []string{bin}
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if dir != "" && !isExecutable(filepath.Join(dir, "gopls")) {
			dirs = append(dirs, dir)
		}
	}
	return strings.Join(dirs, string(os.PathListSeparator)), nil
}

// command returns a command in dir with the Go directories on PATH.
func (e *Env) command(ctx context.Context, dir, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+e.path())
	return cmd
}

// Prime fills the Go build cache with what a notebook cell builds, so that
// the first cell of a notebook takes seconds instead of a minute: it builds
// the repository (go build ./...) and a tiny program, in a module of its own
// wired to the repository as a notebook's setup line wires it, that imports
// dl, the notebook package, gonbui and gonum/plot (and dl/chart when it
// exists). Progress goes to log.
func (e *Env) Prime(ctx context.Context, log io.Writer) error {
	run := func(dir, name string, args ...string) error {
		cmd := e.command(ctx, dir, name, args...)
		cmd.Stdout, cmd.Stderr = log, log
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s %s (in %s): %v", name, strings.Join(args, " "), dir, err)
		}
		return nil
	}
	start := time.Now()
	if err := run(e.Repo, "go", "build", "./..."); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "nbrun-prime-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	mod, err := goOutput("go", e.Repo, "list", "-m")
	if err != nil {
		return err
	}
	mod = strings.TrimSpace(mod)
	imports := []string{mod + "/dl", mod + "/notebook", "github.com/janpfeifer/gonb/gonbui",
		"gonum.org/v1/plot", "gonum.org/v1/plot/plotter", "gonum.org/v1/plot/plotutil", "gonum.org/v1/plot/vg"}
	for _, pkg := range []string{"datasets", "dl/prep", "dl/chart"} {
		if _, err := os.Stat(filepath.Join(e.Repo, filepath.FromSlash(pkg))); err == nil {
			imports = append(imports, mod+"/"+pkg)
		}
	}
	var src strings.Builder
	src.WriteString("// Command prime imports what notebooks use, to fill the build cache.\npackage main\n\nimport (\n")
	for _, p := range imports {
		fmt.Fprintf(&src, "\t_ %q\n", p)
	}
	src.WriteString(")\n\nfunc main() {}\n")
	if err := os.WriteFile(filepath.Join(tmp, "main.go"), []byte(src.String()), 0o644); err != nil {
		return err
	}
	if err := e.command(ctx, tmp, "go", "mod", "init", "nbrun_prime").Run(); err != nil {
		return fmt.Errorf("go mod init (in %s): %v", tmp, err)
	}
	steps := [][]string{
		{"go", "mod", "edit", "-require=" + mod + "@v0.0.0", "-replace=" + mod + "=" + e.Repo},
		{"go", "get"}, // as GoNB does before every build
		{"go", "build", "-o", filepath.Join(tmp, "prime"), "."},
	}
	for _, s := range steps {
		if err := run(tmp, s[0], s[1:]...); err != nil {
			return err
		}
	}
	fmt.Fprintf(log, "nbrun: build cache primed in %.1fs\n", time.Since(start).Seconds())
	return nil
}

// Expect is what a notebook declares it must show, in its metadata under
// "dlgo": {"expect": {...}}. Every notebook the runner executes must have it.
type Expect struct {
	// Images is the least number of image outputs (image/png or
	// image/svg+xml) the executed notebook must have.
	Images int `json:"images,omitempty"`
	// Lines are regular expressions (RE2, in multi-line mode: ^ and $ match
	// at line boundaries) that must each match the notebook's text outputs:
	// stdout, text/plain, text/markdown and text/html, all cells together.
	Lines []string `json:"lines,omitempty"`
	// Timeout is the per-cell timeout in seconds for this notebook,
	// replacing the runner's default.
	Timeout float64 `json:"timeout,omitempty"`
	// Stderr, when set, lets cells write to stderr; otherwise any stderr
	// output fails the notebook.
	Stderr bool `json:"stderr,omitempty"`
	// Skip, when not empty, is why the runner must not execute the notebook
	// (for example, it waits for widget input).
	Skip string `json:"skip,omitempty"`
}

// Notebook is the part of a .ipynb file the runner reads.
type Notebook struct {
	Cells    []Cell `json:"cells"`
	Metadata struct {
		Dlgo struct {
			Expect json.RawMessage `json:"expect"`
		} `json:"dlgo"`
	} `json:"metadata"`
}

// Cell is a notebook cell.
type Cell struct {
	ID       string          `json:"id"`
	CellType string          `json:"cell_type"`
	Source   multiline       `json:"source"`
	Outputs  []Output        `json:"outputs"`
	Metadata json.RawMessage `json:"metadata"`
}

// Output is a cell output.
type Output struct {
	OutputType string               `json:"output_type"`
	Name       string               `json:"name"` // stream: stdout or stderr
	Text       multiline            `json:"text"` // stream
	Data       map[string]multiline `json:"data"` // display_data, execute_result
	Ename      string               `json:"ename"`
	Evalue     string               `json:"evalue"`
	Traceback  []string             `json:"traceback"`
}

// multiline is a notebook string: one string or a list of lines.
type multiline string

func (m *multiline) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*m = multiline(s)
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err == nil {
		*m = multiline(strings.Join(list, ""))
		return nil
	}
	// Other data (such as application/json objects) are kept as JSON text.
	*m = multiline(b)
	return nil
}

// ReadNotebook reads a .ipynb file.
func ReadNotebook(path string) (*Notebook, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	nb := new(Notebook)
	if err := json.Unmarshal(b, nb); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return nb, nil
}

// Expectations decodes the notebook's declaration; ok is false when it has
// none.
func (nb *Notebook) Expectations() (e Expect, ok bool, err error) {
	raw := nb.Metadata.Dlgo.Expect
	if len(raw) == 0 || string(raw) == "null" {
		return e, false, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return e, true, fmt.Errorf(`metadata "dlgo": {"expect": ...}: %v`, err)
	}
	for _, l := range e.Lines {
		if _, err := regexp.Compile(l); err != nil {
			return e, true, fmt.Errorf(`metadata "dlgo": {"expect": {"lines": ...}}: %v`, err)
		}
	}
	return e, true, nil
}

// Failure is one reason a notebook failed.
type Failure struct {
	// Notebook is the notebook's path.
	Notebook string
	// Cell is the index of the cell in the notebook, from 0, or -1 when the
	// failure is about the whole notebook (such as a missing image).
	Cell int
	// CellID and Head are the cell's id and the first line of its source.
	CellID, Head string
	// Kind is "error" (an error output: compile error, panic, non-zero exit),
	// "timeout", "stderr", "dead" (the kernel died), "expect" (the notebook
	// does not show what it declares) or "runner" (the runner itself failed).
	Kind string
	// Message tells what happened, with the cell's error output.
	Message string
}

// Error implements error: "notebooks/00_smoke.ipynb, cell 6 (id train: %%): timeout: ...".
func (f *Failure) Error() string {
	var b strings.Builder
	b.WriteString(f.Notebook)
	if f.Cell >= 0 {
		fmt.Fprintf(&b, ", cell %d", f.Cell+1)
		if f.CellID != "" || f.Head != "" {
			b.WriteString(" (")
			if f.CellID != "" {
				b.WriteString("id " + f.CellID)
				if f.Head != "" {
					b.WriteString(": ")
				}
			}
			b.WriteString(f.Head)
			b.WriteString(")")
		}
	}
	b.WriteString(": ")
	b.WriteString(f.Kind)
	b.WriteString(": ")
	b.WriteString(f.Message)
	return b.String()
}

// Result is the outcome of running one notebook.
type Result struct {
	// Notebook is the notebook's path, as given to Run.
	Notebook string
	// Output is the executed copy, with its outputs.
	Output string
	// Skipped is the notebook's reason to be skipped, if it declares one.
	Skipped string
	// Duration is the wall time of the whole run, kernel start included.
	Duration time.Duration
	// CellSeconds holds how long each executed code cell took, by index.
	CellSeconds map[int]float64
	// Failures is empty when the notebook passed.
	Failures []*Failure
	// KernelLog is the executor's and kernel's log (stderr).
	KernelLog string
}

// Options tune Run.
type Options struct {
	// CellTimeout is the per-cell timeout (default DefaultCellTimeout); a
	// notebook's own "timeout" replaces it.
	CellTimeout time.Duration
	// OutDir receives the executed notebooks (default: a new temporary
	// directory per run).
	OutDir string
}

// status is what execute.py reports.
type status struct {
	Cell    int                `json:"cell"`
	Kind    string             `json:"kind"`
	Message string             `json:"message"`
	Seconds map[string]float64 `json:"seconds"`
}

// Run executes the notebook at path with the gonb kernel and checks it. The
// error is for problems of the runner itself (the notebook cannot be read,
// the executor cannot start); what is wrong with the notebook is in
// Result.Failures.
func (e *Env) Run(ctx context.Context, path string, opts Options) (*Result, error) {
	start := time.Now()
	res := &Result{Notebook: path, CellSeconds: map[int]float64{}}
	nb, err := ReadNotebook(path)
	if err != nil {
		return nil, err
	}
	exp, ok, err := nb.Expectations()
	switch {
	case err != nil:
		res.fail(nil, -1, "expect", err.Error())
		return res, nil
	case !ok:
		res.fail(nil, -1, "expect", `the notebook declares nothing it must show: add "dlgo": {"expect": {"images": N, "lines": [...]}} to its metadata (see notebooks/README.md)`)
		return res, nil
	case exp.Skip != "":
		res.Skipped = exp.Skip
		return res, nil
	}

	timeout := opts.CellTimeout
	if exp.Timeout > 0 {
		timeout = time.Duration(exp.Timeout * float64(time.Second))
	}
	if timeout <= 0 {
		timeout = DefaultCellTimeout
	}
	work, err := os.MkdirTemp("", "nbrun-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	outDir := opts.OutDir
	if outDir == "" {
		outDir = filepath.Join(work, "out")
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	res.Output = filepath.Join(outDir, filepath.Base(path))
	if res.Output == abs {
		return nil, fmt.Errorf("nbrun: the output %s would overwrite the notebook", res.Output)
	}

	// A kernel spec of the runner's own: plain-text errors, and a PATH with
	// go and goimports but without gopls, which serves completion in
	// JupyterLab and would only take CPU time here.
	kernelPath, err := e.kernelPath(filepath.Join(work, "bin"))
	if err != nil {
		return nil, err
	}
	specDir := filepath.Join(work, "jupyter", "kernels", "gonb")
	if err := os.MkdirAll(specDir, 0o755); err != nil {
		return nil, err
	}
	spec, _ := json.MarshalIndent(map[string]any{
		"argv":           []string{e.Gonb, "--kernel", "{connection_file}", "--raw_error"},
		"display_name":   "Go (gonb)",
		"language":       "go",
		"interrupt_mode": "message",
		"env":            map[string]string{"PATH": kernelPath},
	}, "", " ")
	if err := os.WriteFile(filepath.Join(specDir, "kernel.json"), spec, 0o644); err != nil {
		return nil, err
	}
	script := filepath.Join(work, "execute.py")
	if err := os.WriteFile(script, executePy, 0o644); err != nil {
		return nil, err
	}
	statusPath := filepath.Join(work, "status.json")
	secs := int(timeout.Round(time.Second) / time.Second)
	if secs < 1 {
		secs = 1
	}

	// The whole run may take every cell's timeout, plus the kernel's start.
	codeCells := 0
	for _, c := range nb.Cells {
		if c.CellType == "code" {
			codeCells++
		}
	}
	ctx, cancel := context.WithTimeout(ctx, time.Duration(codeCells+1)*(timeout+30*time.Second))
	defer cancel()
	cmd := e.command(ctx, filepath.Dir(abs), e.Python, script, abs, res.Output, statusPath, strconv.Itoa(secs))
	cmd.Env = append(cmd.Env,
		"JUPYTER_PATH="+filepath.Join(work, "jupyter"),
		"JUPYTER_RUNTIME_DIR="+filepath.Join(work, "runtime"),
		"JUPYTER_PLATFORM_DIRS=1",
		"PYDEVD_DISABLE_FILE_VALIDATION=1",
	)
	setProcessGroup(cmd)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	runErr := cmd.Run()
	res.Duration = time.Since(start)
	res.KernelLog = log.String()

	var st status
	b, err := os.ReadFile(statusPath)
	if err == nil {
		err = json.Unmarshal(b, &st)
	}
	if err != nil {
		msg := fmt.Sprintf("the executor failed (%v) and reported nothing: %v\n%s", runErr, err, tail(res.KernelLog, 30))
		if ctx.Err() != nil {
			msg = fmt.Sprintf("the run took longer than %v: %v\n%s", time.Duration(codeCells+1)*(timeout+30*time.Second), ctx.Err(), tail(res.KernelLog, 30))
		}
		res.fail(nil, -1, "runner", msg)
		return res, nil
	}
	for k, v := range st.Seconds {
		if i, err := strconv.Atoi(k); err == nil {
			res.CellSeconds[i] = v
		}
	}
	out, err := ReadNotebook(res.Output)
	if err != nil {
		res.fail(nil, -1, "runner", err.Error())
		return res, nil
	}
	res.check(out, st, exp)
	return res, nil
}

// fail records a failure about cell i of nb (or the whole notebook if i < 0).
func (r *Result) fail(nb *Notebook, i int, kind, msg string) {
	f := &Failure{Notebook: r.Notebook, Cell: i, Kind: kind, Message: msg}
	if nb != nil && i >= 0 && i < len(nb.Cells) {
		f.CellID = nb.Cells[i].ID
		f.Head, _, _ = strings.Cut(strings.TrimSpace(string(nb.Cells[i].Source)), "\n")
		if len(f.Head) > 60 {
			f.Head = f.Head[:57] + "..."
		}
	}
	r.Failures = append(r.Failures, f)
}

// Lines of a cell's error text that say what went wrong.
var (
	panicRE   = regexp.MustCompile(`(?m)^(panic|fatal error): .*$`)
	compileRE = regexp.MustCompile(`(?m)^\./main(?:_test)?\.go:\d+:\d+: (.*)$`)
	exitRE    = regexp.MustCompile(`(?m)^exit status (\d+)$`)
)

// headline returns what an error text is about: a panic, a compile error or
// a non-zero exit status; otherwise def.
func headline(text, def string) string {
	text += "\n" + def
	if m := panicRE.FindString(text); m != "" {
		return m
	}
	if m := compileRE.FindStringSubmatch(text); m != nil {
		return "compile error: " + m[1]
	}
	if m := exitRE.FindStringSubmatch(text); m != nil {
		return "the program exited with status " + m[1]
	}
	first, _, _ := strings.Cut(strings.TrimSpace(def), "\n")
	return first
}

// check compares the executed notebook with what it must be.
func (r *Result) check(nb *Notebook, st status, exp Expect) {
	// The executor's verdict: the cell where the run stopped.
	if st.Kind != "" {
		kind, msg := st.Kind, st.Message
		if st.Cell >= 0 && st.Cell < len(nb.Cells) {
			if text := errorText(nb.Cells[st.Cell]); text != "" {
				if kind == "error" {
					msg = headline(text, msg)
				}
				msg += "\n" + indent(tail(text, 25))
			}
		}
		if kind == "dead" || kind == "internal" {
			msg += "\n" + indent(tail(r.KernelLog, 30))
		}
		if kind == "internal" {
			kind = "runner"
		}
		r.fail(nb, st.Cell, kind, msg)
	}
	// Error and stderr outputs anywhere else.
	for i, c := range nb.Cells {
		if i == st.Cell && st.Kind != "" {
			continue
		}
		for _, o := range c.Outputs {
			switch {
			case o.OutputType == "error":
				r.fail(nb, i, "error", o.Ename+": "+o.Evalue)
			case o.OutputType == "stream" && o.Name == "stderr" && !exp.Stderr:
				r.fail(nb, i, "stderr", "the cell wrote to stderr:\n"+indent(tail(string(o.Text), 25)))
			}
		}
	}
	if len(r.Failures) > 0 {
		return // what a broken notebook does not show is no news
	}
	images, text := 0, &strings.Builder{}
	for _, c := range nb.Cells {
		for _, o := range c.Outputs {
			switch o.OutputType {
			case "stream":
				if o.Name == "stdout" {
					text.WriteString(string(o.Text))
					text.WriteString("\n")
				}
			case "display_data", "execute_result":
				if _, ok := o.Data["image/png"]; ok {
					images++
				} else if _, ok := o.Data["image/svg+xml"]; ok {
					images++
				}
				for _, mime := range []string{"text/plain", "text/markdown", "text/html"} {
					if s, ok := o.Data[mime]; ok {
						text.WriteString(string(s))
						text.WriteString("\n")
					}
				}
			}
		}
	}
	if images < exp.Images {
		r.fail(nil, -1, "expect", fmt.Sprintf("%d image output(s), want at least %d", images, exp.Images))
	}
	for _, l := range exp.Lines {
		re := regexp.MustCompile("(?m)" + l) // checked in Expectations
		if !re.MatchString(text.String()) {
			r.fail(nil, -1, "expect", fmt.Sprintf("no text output matches %q", l))
		}
	}
}

// errorText returns a cell's error outputs and stderr, as text.
func errorText(c Cell) string {
	var b strings.Builder
	for _, o := range c.Outputs {
		switch {
		case o.OutputType == "error":
			if len(o.Traceback) > 0 {
				b.WriteString(strings.Join(o.Traceback, "\n"))
			} else {
				b.WriteString(o.Ename + ": " + o.Evalue)
			}
			b.WriteString("\n")
		case o.OutputType == "stream" && o.Name == "stderr":
			b.WriteString(string(o.Text))
		}
	}
	// Drop ANSI colors and repeated lines (GoNB reports an exit status in
	// the traceback and on stderr).
	var lines []string
	for _, l := range strings.Split(stripANSI(b.String()), "\n") {
		if len(lines) == 0 || l != lines[len(lines)-1] {
			lines = append(lines, l)
		}
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

var ansiRE = regexp.MustCompile("\x1b\\[[0-9;]*m")

func stripANSI(s string) string { return ansiRE.ReplaceAllString(s, "") }

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"..."}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

func indent(s string) string { return "    " + strings.ReplaceAll(s, "\n", "\n    ") }

// Summary returns one line about the run: its verdict, its duration and how
// long each code cell took (cells numbered from 1).
func (r *Result) Summary() string {
	if r.Skipped != "" {
		return fmt.Sprintf("%s: skipped (%s)", r.Notebook, r.Skipped)
	}
	verdict := "ok"
	if len(r.Failures) > 0 {
		verdict = fmt.Sprintf("FAILED (%d)", len(r.Failures))
	}
	idx := make([]int, 0, len(r.CellSeconds))
	for i := range r.CellSeconds {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	var cells []string
	for _, i := range idx {
		cells = append(cells, fmt.Sprintf("%d:%.1fs", i+1, r.CellSeconds[i]))
	}
	return fmt.Sprintf("%s: %s in %.1fs (cells %s)", r.Notebook, verdict, r.Duration.Seconds(), strings.Join(cells, " "))
}
