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
// With names (e.g. 07_performance) it writes only those chapters. With
// -nbgrader it writes nbgrader assignments instead, one per language:
// -out/NAME_en/NAME.ipynb and -out/NAME_ko/NAME.ipynb (make assignments).
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
	nbgrader := flag.Bool("nbgrader", false, "write nbgrader assignments: OUT/NAME_LANG/NAME.ipynb")
	flag.Parse()
	if err := run(*srcDir, *outDir, *nbgrader, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "nbgen:", err)
		os.Exit(1)
	}
}

func run(srcDir, outDir string, nbgrader bool, names []string) error {
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
			dir := filepath.Join(outDir, lang)
			if nbgrader {
				dir = filepath.Join(outDir, s.Name+"_"+lang)
			}
			if err := s.Write(dir, lang); err != nil {
				return err
			}
			fmt.Printf("%s → %s\n", s.Path, filepath.Join(dir, s.Name+".ipynb"))
		}
	}
	for n := range want {
		return fmt.Errorf("no source %s.nbsrc in %s", n, srcDir)
	}
	return nil
}
