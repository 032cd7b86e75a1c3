// The course's notebooks (../../notebooks/en and ../../notebooks/ko),
// executed by the runner: `go test ./tools/nbrun/...` runs every one
// headlessly and checks what each declares it must show (notebooks/README.md).
// It skips, saying why, when Jupyter or GoNB is not installed
// (tools/lab/install.sh installs them), and fails instead when
// DLGO_REQUIRE_NOTEBOOKS is set, as in CI.

package nbrun_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dlgo/dlgo/tools/nbrun"
)

// TestNotebooks executes every notebook of both editions (en/, ko/) with the gonb kernel
// into a temporary directory (DLGO_NB_OUT=dir keeps the executed copies
// there) and fails on any error output, panic, non-zero exit, timeout or
// missing declared output, naming the notebook and the cell.
// DLGO_NB_TIMEOUT (a Go duration) sets the per-cell timeout. It skips when
// DLGO_SKIP_NOTEBOOKS is set or Jupyter or GoNB is missing (and then fails
// instead if DLGO_REQUIRE_NOTEBOOKS is set).
func TestNotebooks(t *testing.T) {
	if os.Getenv("DLGO_SKIP_NOTEBOOKS") != "" {
		t.Skip("DLGO_SKIP_NOTEBOOKS is set (make test runs the notebooks in its notebooks step)")
	}
	env, err := nbrun.FindEnv(".")
	if err != nil {
		if os.Getenv("DLGO_REQUIRE_NOTEBOOKS") != "" {
			t.Fatalf("notebooks cannot run: %v", err)
		}
		t.Skipf("notebooks not executed: %v", err)
	}
	var files []string
	for _, lang := range []string{"en", "ko"} {
		f, err := filepath.Glob(filepath.Join("..", "..", "notebooks", lang, "*.ipynb"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f...)
	}
	if len(files) == 0 {
		t.Fatal("no notebooks in notebooks/en or notebooks/ko")
	}
	var log strings.Builder
	if err := env.Prime(context.Background(), &log); err != nil {
		t.Fatalf("priming the build cache: %v\n%s", err, log.String())
	}
	t.Log(strings.TrimSpace(log.String()))
	opts := nbrun.Options{OutDir: os.Getenv("DLGO_NB_OUT")}
	if s := os.Getenv("DLGO_NB_TIMEOUT"); s != "" {
		if opts.CellTimeout, err = time.ParseDuration(s); err != nil {
			t.Fatalf("DLGO_NB_TIMEOUT: %v", err)
		}
	}
	// Notebooks run DLGO_NB_PARALLEL at a time (default 2): a kernel spends
	// much of its time starting and waiting, so two overlap well on two cores.
	parallel := 2
	if s := os.Getenv("DLGO_NB_PARALLEL"); s != "" {
		if parallel, err = strconv.Atoi(s); err != nil || parallel < 1 {
			t.Fatalf("DLGO_NB_PARALLEL=%q: want a whole number ≥ 1", s)
		}
	}
	slots := make(chan struct{}, parallel)
	start := time.Now()
	t.Run("run", func(t *testing.T) {
		for _, f := range files {
			t.Run(strings.TrimSuffix(notebookName(f), ".ipynb"), func(t *testing.T) {
				t.Parallel()
				slots <- struct{}{}
				defer func() { <-slots }()
				runNotebook(t, env, f, opts)
			})
		}
	})
	t.Logf("%d notebook(s) in %.1fs, %d at a time", len(files), time.Since(start).Seconds(), parallel)
}

// notebookName is f relative to notebooks/: "ko/07_performance.ipynb".
func notebookName(f string) string {
	return filepath.Join(filepath.Base(filepath.Dir(f)), filepath.Base(f))
}

func runNotebook(t *testing.T, env *nbrun.Env, f string, opts nbrun.Options) {
	o := opts
	if o.OutDir == "" {
		o.OutDir = t.TempDir()
	} else {
		o.OutDir = filepath.Join(o.OutDir, filepath.Dir(notebookName(f)))
	}
	res, err := env.Run(context.Background(), f, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(res.Summary())
	if res.Skipped != "" {
		t.Skip(res.Skipped)
	}
	for _, fail := range res.Failures {
		t.Error(fail)
	}
}
