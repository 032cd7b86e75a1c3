package nbrun

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// testEnv returns the environment for executing notebooks, or skips the test
// when DLGO_SKIP_NOTEBOOKS is set or when Jupyter or GoNB is not installed
// (then fails instead if DLGO_REQUIRE_NOTEBOOKS is set, as in CI). The build
// cache is primed once.
func testEnv(t *testing.T) *Env {
	t.Helper()
	if os.Getenv("DLGO_SKIP_NOTEBOOKS") != "" {
		t.Skip("DLGO_SKIP_NOTEBOOKS is set (make test runs the notebooks in its notebooks step)")
	}
	envOnce.Do(func() {
		env, envErr = FindEnv(".")
		if envErr == nil {
			envErr = env.Prime(context.Background(), testLog{t})
		}
	})
	if envErr != nil {
		if os.Getenv("DLGO_REQUIRE_NOTEBOOKS") != "" {
			t.Fatalf("notebooks cannot run: %v", envErr)
		}
		t.Skipf("notebooks not executed: %v", envErr)
	}
	return env
}

var (
	envOnce sync.Once
	env     *Env
	envErr  error
)

type testLog struct{ t *testing.T }

func (l testLog) Write(b []byte) (int, error) {
	l.t.Log(strings.TrimRight(string(b), "\n"))
	return len(b), nil
}

// TestBrokenNotebooks runs the deliberately broken notebooks of testdata and
// checks that each failure is reported with the notebook and cell named.
func TestBrokenNotebooks(t *testing.T) {
	env := testEnv(t)
	for _, c := range []struct {
		file string
		kind string
		cell int // from 0; -1: the whole notebook
		want []string
	}{
		{"broken_compile.ipynb", "error", 2, []string{"broken_compile.ipynb, cell 3 (id bad-code", "compile error: undefined: dl.NoSuchFunction"}},
		{"broken_panic.ipynb", "error", 2, []string{"broken_panic.ipynb, cell 3 (id boom: %%): error: panic: deliberate panic with 0 rows"}},
		{"broken_exit.ipynb", "error", 1, []string{"broken_exit.ipynb, cell 2 (id exit: %%): error: the program exited with status 3"}},
		{"broken_timeout.ipynb", "timeout", 2, []string{"broken_timeout.ipynb, cell 3 (id forever: %%): timeout: ", "more than 10 seconds"}},
		{"broken_stderr.ipynb", "stderr", 1, []string{"broken_stderr.ipynb, cell 2 (id warn: %%): stderr: ", "warning: something odd"}},
		{"broken_noimage.ipynb", "expect", -1, []string{"broken_noimage.ipynb: expect: 0 image output(s), want at least 1"}},
		{"broken_noexpect.ipynb", "expect", -1, []string{"broken_noexpect.ipynb: expect: the notebook declares nothing"}},
	} {
		t.Run(strings.TrimSuffix(c.file, ".ipynb"), func(t *testing.T) {
			t.Parallel()
			res, err := env.Run(context.Background(), filepath.Join("testdata", c.file), Options{OutDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			// Nothing is logged on success: a passing make test must not
			// print the deliberate failures' words (FAILED, panic).
			if len(res.Failures) == 0 {
				t.Fatalf("%s passed, want a failure: %s", c.file, res.Summary())
			}
			f := res.Failures[0]
			msg := f.Error()
			if f.Kind != c.kind || f.Cell != c.cell {
				t.Errorf("failure kind %q at cell %d, want %q at cell %d", f.Kind, f.Cell, c.kind, c.cell)
			}
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("failure message lacks %q:\n%s", w, msg)
				}
			}
			if c.file == "broken_noimage.ipynb" {
				if len(res.Failures) != 2 || !strings.Contains(res.Failures[1].Error(), `no text output matches "^Total params"`) {
					t.Errorf("want the missing line reported too, got %v", res.Failures)
				}
			}
			if c.file == "broken_compile.ipynb" && len(res.Failures) != 1 {
				t.Errorf("the run must stop at the first failing cell, got %v", res.Failures)
			}
		})
	}
}

// TestRunNeverWritesTheNotebook checks that the committed file is untouched
// and that the executed copy has the outputs.
func TestRunNeverWritesTheNotebook(t *testing.T) {
	env := testEnv(t)
	src := filepath.Join("testdata", "broken_panic.ipynb")
	before, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	res, err := env.Run(context.Background(), src, Options{OutDir: out})
	if err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(src)
	if string(before) != string(after) {
		t.Errorf("Run rewrote %s", src)
	}
	nb, err := ReadNotebook(filepath.Join(out, "broken_panic.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(nb.Cells[1].Outputs[0].Text); got != "first cell runs\n" {
		t.Errorf("executed copy, cell 2 output %q", got)
	}
	if res.Output != filepath.Join(out, "broken_panic.ipynb") {
		t.Errorf("Output = %s", res.Output)
	}
}

// notebookJSON builds an executed notebook for the checks.
func notebookJSON(t *testing.T, expect string, cells ...string) *Notebook {
	t.Helper()
	src := `{"cells": [` + strings.Join(cells, ",") + `], "metadata": {"dlgo": {"expect": ` + expect + `}}}`
	nb := new(Notebook)
	if err := json.Unmarshal([]byte(src), nb); err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	return nb
}

func TestCheckExpectations(t *testing.T) {
	cells := []string{
		`{"cell_type": "markdown", "source": "# Title"}`,
		`{"cell_type": "code", "id": "train", "source": ["%%\n", "fit()"], "outputs": [
			{"output_type": "stream", "name": "stdout", "text": ["Epoch 1/2\n", " Total params: 513 (4.01 KB)\n"]},
			{"output_type": "display_data", "data": {"text/html": "<div>val_loss: 0.1234</div>", "text/plain": "x"}},
			{"output_type": "display_data", "data": {"image/png": "iVBOR"}}]}`,
	}
	for _, c := range []struct {
		expect string
		fails  []string
	}{
		{`{"images": 1, "lines": ["^ Total params: \\d+", "val_loss: 0\\.\\d{4}", "^Epoch 1/2$"]}`, nil},
		{`{"images": 2}`, []string{"1 image output(s), want at least 2"}},
		{`{"lines": ["^Total params"]}`, []string{`no text output matches "^Total params"`}},
	} {
		nb := notebookJSON(t, c.expect, cells...)
		exp, ok, err := nb.Expectations()
		if err != nil || !ok {
			t.Fatalf("Expectations: %v %v", ok, err)
		}
		r := &Result{Notebook: "x.ipynb"}
		r.check(nb, status{Cell: -1}, exp)
		var got []string
		for _, f := range r.Failures {
			got = append(got, f.Message)
		}
		if strings.Join(got, "|") != strings.Join(c.fails, "|") {
			t.Errorf("expect %s: failures %q, want %q", c.expect, got, c.fails)
		}
	}
}

func TestCheckErrorsAndStderr(t *testing.T) {
	nb := notebookJSON(t, `{}`,
		`{"cell_type": "code", "id": "a", "source": "fmt.Println(1)", "outputs": [
			{"output_type": "stream", "name": "stderr", "text": "oops\n"}]}`,
		`{"cell_type": "code", "source": "%%\npanic(1)", "outputs": [
			{"output_type": "error", "ename": "ERROR", "evalue": "exit status 2",
			 "traceback": ["panic: 1\n\ngoroutine 1 [running]:\n\u001b[7m[[ Cell [1] Line 2 ]]\u001b[0m", "exit status 2"]}]}`)
	r := &Result{Notebook: "nb.ipynb"}
	r.check(nb, status{Cell: 1, Kind: "error", Message: "ERROR: exit status 2"}, Expect{})
	if len(r.Failures) != 2 {
		t.Fatalf("failures %v, want 2", r.Failures)
	}
	if got, want := r.Failures[0].Error(), "nb.ipynb, cell 2 (%%): error: panic: 1\n    panic: 1"; !strings.HasPrefix(got, want) {
		t.Errorf("got\n%s\nwant prefix\n%s", got, want)
	}
	if strings.Contains(r.Failures[0].Error(), "\x1b") {
		t.Errorf("ANSI escapes left in %q", r.Failures[0].Error())
	}
	if got, want := r.Failures[1].Error(), "nb.ipynb, cell 1 (id a: fmt.Println(1)): stderr: the cell wrote to stderr:\n    oops"; got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// A notebook may allow stderr.
	r = &Result{Notebook: "nb.ipynb"}
	r.check(nb, status{Cell: -1}, Expect{Stderr: true})
	if len(r.Failures) != 1 || r.Failures[0].Kind != "error" {
		t.Errorf("with stderr allowed: %v", r.Failures)
	}
}

func TestExpectationsRejectsTyposAndBadRegexps(t *testing.T) {
	for _, c := range []struct{ expect, want string }{
		{`{"image": 1}`, `unknown field "image"`},
		{`{"lines": ["("]}`, "missing closing )"},
		{`{"images": "one"}`, "cannot unmarshal"},
	} {
		_, ok, err := notebookJSON(t, c.expect).Expectations()
		if !ok || err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("expect %s: ok=%v err=%v, want an error with %q", c.expect, ok, err, c.want)
		}
	}
	if _, ok, err := (&Notebook{}).Expectations(); ok || err != nil {
		t.Errorf("no declaration: ok=%v err=%v", ok, err)
	}
}

func TestHeadline(t *testing.T) {
	for _, c := range []struct{ text, def, want string }{
		{"goroutine 1\npanic: boom\n", "", "panic: boom"},
		{"fatal error: all goroutines are asleep - deadlock!", "", "fatal error: all goroutines are asleep - deadlock!"},
		{"# gonb_1\n./main.go:11:13: undefined: x\n", "ERROR", "compile error: undefined: x"},
		{"exit status 7", "ERROR", "the program exited with status 7"},
		{"something", "ERROR: odd\nmore", "ERROR: odd"},
	} {
		if got := headline(c.text, c.def); got != c.want {
			t.Errorf("headline(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}
