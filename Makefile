# dlgo: make test runs every test; see README.md.

GO ?= go

.PHONY: test check unit race notebooks grader-test notebooks-refresh bench goldens lab lab-smoke assignments image-test hub hub-stop hub-test hub-check hub-loadtest

# test: formatting, vet, the whole Go test suite (examples included) and the
# notebooks, the grading cycle and, where installed, the class hub.
test: check unit race notebooks grader-test hub-check

# check: gofmt, go vet, and a tidy go.mod (go mod tidy -diff prints what
# tidying would change, and fails).
check:
	@unformatted="$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))"; \
	if [ -n "$$unformatted" ]; then echo "gofmt needed on:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) mod tidy -diff

# race: the packages that document concurrent use, under the race detector
# (-short: the numeric kernels' large reference checks run in unit already).
race:
	$(GO) test -race -short -count=1 ./dl/... ./notebook/... ./internal/kernels/...

# unit: the Go tests; the notebooks run in their own step below.
unit:
	DLGO_SKIP_NOTEBOOKS=1 $(GO) test -count=1 ./...
	@if [ -z "$${DLGO_PYTHON:-}" ] && [ ! -x tools/keras/.venv/bin/python ]; then \
		echo; echo "NOTE: the Keras interop tests were SKIPPED (no tools/keras/.venv: tools/keras/interop.sh creates it)"; echo; fi

# notebooks: execute every notebooks/*.ipynb headlessly with the gonb kernel
# and check what each declares (notebooks/README.md), test the runner on the
# broken notebooks of tools/nbrun/testdata, then run the smoke notebook through
# a real Jupyter server (tools/lab/smoke.sh). Skipped, saying so, until
# tools/lab/install.sh (or make lab) has run; DLGO_REQUIRE_NOTEBOOKS=1 (CI)
# makes that a failure.
notebooks:
	$(GO) test -count=1 -timeout 60m -v ./tools/nbrun/...
	@if [ -f tools/lab/.venv/share/jupyter/kernels/gonb/kernel.json ]; then tools/lab/smoke.sh; \
	elif [ -n "$${DLGO_REQUIRE_NOTEBOOKS:-}" ]; then echo "lab smoke test: Jupyter is not installed (tools/lab/install.sh)"; exit 1; \
	else echo "lab smoke test skipped: run make lab (or tools/lab/install.sh) first"; fi

# grader-test: the nbgrader cycle on the assignments (tools/grader/cycle.sh):
# generate, validate, three submissions (full marks, zero, partial), autograde,
# feedback. Skipped, saying so, until tools/grader/install.sh (or make
# assignments) has run; DLGO_REQUIRE_NOTEBOOKS=1 (CI) makes that a failure.
grader-test:
	@if [ -x tools/grader/.venv/bin/nbgrader ]; then tools/grader/cycle.sh; \
	elif [ -n "$${DLGO_REQUIRE_NOTEBOOKS:-}" ]; then echo "grader test: nbgrader is not installed (tools/grader/install.sh)"; exit 1; \
	else echo "grader test skipped: run make assignments (or tools/grader/install.sh) first"; fi

# assignments: the instructor's notebooks (assignments/*.nbsrc) into
# assignments/source/, and nbgrader's student release into
# assignments/release/ (installs nbgrader in tools/grader/.venv if missing).
assignments:
	tools/grader/assignments.sh

# notebooks-refresh: write both editions from their sources (course/*.nbsrc),
# execute every notebook and store its outputs in the committed file (the
# outputs are kept so the notebooks read well on a code host; make test checks
# that they still run). NB="notebooks/ko/07_performance.ipynb ..." refreshes
# only those.
notebooks-refresh:
	$(GO) run ./course/cmd/nbgen $(basename $(notdir $(NB)))
	out="$$(mktemp -d)" && trap 'rm -rf "$$out"' EXIT && \
	$(GO) run ./tools/nbrun/cmd/nbrun -out "$$out" $(NB) && \
	for d in en ko; do if [ -d "$$out/$$d" ]; then cp "$$out/$$d"/*.ipynb notebooks/$$d/; fi; done

# lab: install what the notebooks need (only what is missing) and start
# JupyterLab at 127.0.0.1 on work/ (your copies of notebooks/ko and
# notebooks/en), printing the URL. See notebooks/README.md.
lab:
	tools/lab/install.sh
	tools/lab/start.sh

# lab-smoke: start the lab's server on a free port, run the smoke notebook
# through its gonb kernel, stop it.
lab-smoke:
	tools/lab/install.sh
	tools/lab/smoke.sh

# image-test: build docker/Dockerfile with podman and check it as a lab and as
# a hub's single-user server (root; docker/README.md).
image-test:
	docker/test.sh

# hub: install (only what is missing) and start the class hub, JupyterHub for
# a class on one machine (root; tools/hub/README.md). Then add the instructor
# and the students: tools/hub/add-students --admin NAME; tools/hub/add-students class.csv
hub:
	tools/hub/install.sh
	tools/hub/start.sh

# hub-stop: stop the class hub and every student's server (files stay).
hub-stop:
	tools/hub/stop.sh

# hub-test: a hub of its own with 3 simulated students: logins, the notebook
# copies, a run of the smoke notebook, a course update, privacy (root).
hub-test:
	tools/hub/test.sh

# hub-check (part of make test): tools/hub/test.sh when the class hub is
# installed and make runs as root; skipped, saying so, otherwise
# (DLGO_REQUIRE_NOTEBOOKS=1, as in CI, makes that a failure).
hub-check:
	@if [ "$$(id -u)" = 0 ] && [ -x "$${HUB_PREFIX:-/opt/dlgo-hub}/venv-hub/bin/jupyterhub" ]; then tools/hub/test.sh; \
	elif [ -n "$${DLGO_REQUIRE_NOTEBOOKS:-}" ]; then echo "hub test: the class hub is not installed or make is not root (sudo tools/hub/install.sh)"; exit 1; \
	else echo "hub test skipped: the class hub is not installed (sudo make hub), or make is not root"; fi

# hub-loadtest: N simulated students (default 20; N=5,10,20,40 for several
# rounds) run chapter 7 at once against the running hub (root).
N ?= 20
hub-loadtest:
	tools/hub/loadtest --students $(N)

# bench: dl's lecture benchmarks side by side with the PyTorch reference.
bench:
	bench/run

# goldens: regenerate the Keras parity fixtures in dl/testdata/keras (needs PyPI).
goldens:
	tools/keras/run.sh
