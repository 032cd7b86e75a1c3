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
	var sources []*course.Source
	if len(names) == 0 {
		var err error
		if sources, err = course.Sources(srcDir); err != nil {
			return err
		}
	}
	for _, n := range names { // only the named sources are read
		s, err := course.Parse(filepath.Join(srcDir, n+".nbsrc"))
		if err != nil {
			return err
		}
		sources = append(sources, s)
	}
	for _, s := range sources {
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
	return nil
}
