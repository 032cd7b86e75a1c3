// Command nbrun executes notebooks headlessly with the GoNB kernel and checks
// them (see package nbrun): every cell runs without an error, a panic, a
// non-zero exit or a timeout, and each notebook shows what its metadata
// declares. It exits 1 if any notebook fails, naming the notebook and cell.
//
// Usage:
//
//	go run ./tools/nbrun/cmd/nbrun [-timeout 5m] [-out DIR] [-parallel 2] [notebook.ipynb ...]
//	go run ./tools/nbrun/cmd/nbrun -prime
//
// Without arguments it runs every notebook of both editions of the
// repository (notebooks/en/*.ipynb, notebooks/ko/*.ipynb). The Go build
// cache is primed first (-prime: only that); -no-prime skips it. Executed
// copies go to -out/<the notebook's folder name>, e.g. -out/ko (default: a
// temporary directory, removed).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/dlgo/dlgo/tools/nbrun"
)

func main() {
	primeOnly := flag.Bool("prime", false, "only prime the Go build cache")
	noPrime := flag.Bool("no-prime", false, "do not prime the Go build cache first")
	timeout := flag.Duration("timeout", nbrun.DefaultCellTimeout, "per-cell timeout (a notebook's own \"timeout\" wins)")
	out := flag.String("out", "", "directory for the executed notebooks (default: temporary)")
	parallel := flag.Int("parallel", 2, "notebooks run at the same time")
	flag.Parse()
	os.Exit(run(*primeOnly, *noPrime, *timeout, *out, *parallel, flag.Args()))
}

func run(primeOnly, noPrime bool, timeout time.Duration, out string, parallel int, paths []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	env, err := nbrun.FindEnv(".")
	if err != nil {
		fmt.Fprintln(os.Stderr, "nbrun:", err)
		return 2
	}
	if !noPrime || primeOnly {
		if err := env.Prime(ctx, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, "nbrun: priming the build cache:", err)
			return 1
		}
		if primeOnly {
			return 0
		}
	}
	if len(paths) == 0 {
		for _, lang := range []string{"en", "ko"} {
			p, _ := filepath.Glob(filepath.Join(env.Repo, "notebooks", lang, "*.ipynb"))
			paths = append(paths, p...)
		}
		if len(paths) == 0 {
			fmt.Fprintln(os.Stderr, "nbrun: no notebooks in", filepath.Join(env.Repo, "notebooks", "{en,ko}"))
			return 1
		}
	}
	start := time.Now()
	passed, failed, skipped := 0, 0, 0
	type outcome struct {
		res *nbrun.Result
		err error
	}
	results := make([]chan outcome, len(paths))
	slots := make(chan struct{}, max(parallel, 1))
	for i, p := range paths {
		if rel, err := filepath.Rel(".", p); err == nil {
			paths[i] = rel
		}
		results[i] = make(chan outcome, 1)
		go func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			o := nbrun.Options{CellTimeout: timeout}
			if out != "" {
				// The editions share file names: each keeps its folder's name.
				o.OutDir = filepath.Join(out, filepath.Base(filepath.Dir(paths[i])))
			}
			res, err := env.Run(ctx, paths[i], o)
			results[i] <- outcome{res, err}
		}()
	}
	for i, p := range paths { // reported in order
		r := <-results[i]
		if r.err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", p, r.err)
			failed++
			continue
		}
		fmt.Println(r.res.Summary())
		for _, f := range r.res.Failures {
			fmt.Println("  " + f.Error())
		}
		switch {
		case r.res.Skipped != "":
			skipped++
		case len(r.res.Failures) > 0:
			failed++
		default:
			passed++
		}
	}
	fmt.Printf("notebooks: %d passed, %d failed, %d skipped (%.1fs)\n", passed, failed, skipped, time.Since(start).Seconds())
	if failed > 0 {
		return 1
	}
	return 0
}
