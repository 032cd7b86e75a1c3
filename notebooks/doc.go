// Package notebooks holds the course's Jupyter notebooks (run by the GoNB
// kernel) and the test that executes them: `go test ./notebooks` runs every
// notebooks/*.ipynb headlessly and checks what each declares it must show
// (see README.md and package nbrun). The test skips, saying why, when
// Jupyter or GoNB is not installed (tools/lab/install.sh installs them), and
// fails instead when DLGO_REQUIRE_NOTEBOOKS is set, as in CI.
package notebooks
