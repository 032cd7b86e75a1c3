// Command nbgen writes both editions of the course's notebooks from their
// single source: course/NN_topic.nbsrc becomes notebooks/en/NN_topic.ipynb
// and notebooks/ko/NN_topic.ipynb (see package course). Outputs of code
// cells whose source did not change are kept; make notebooks-refresh then
// executes the notebooks to store fresh ones.
//
// Usage:
//
//	go run ./course/cmd/nbgen [-src course] [-out notebooks] [name ...]
//
// With names (e.g. 07_performance) it writes only those chapters.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/dlgo/dlgo/course"
)

func main() {
	srcDir := flag.String("src", "course", "directory of the *.nbsrc sources")
	outDir := flag.String("out", "notebooks", "directory holding the edition folders (en, ko)")
	flag.Parse()
	if err := run(*srcDir, *outDir, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "nbgen:", err)
		os.Exit(1)
	}
}

func run(srcDir, outDir string, names []string) error {
	sources, err := course.Sources(srcDir)
	if err != nil {
		return err
	}
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	for _, s := range sources {
		if len(want) > 0 && !want[s.Name] {
			continue
		}
		delete(want, s.Name)
		for _, lang := range course.Langs {
			if err := s.Write(filepath.Join(outDir, lang), lang); err != nil {
				return err
			}
		}
		fmt.Printf("%s → %s/{%s,%s}/%s.ipynb\n", s.Path, outDir, course.Langs[0], course.Langs[1], s.Name)
	}
	for n := range want {
		return fmt.Errorf("no source %s.nbsrc in %s", n, srcDir)
	}
	return nil
}
