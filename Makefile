# dlgo: make test runs every test; see README.md.

GO ?= go

.PHONY: test check unit bench goldens

# test: formatting, vet and the whole Go test suite (examples included).
test: check unit

check:
	@unformatted="$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))"; \
	if [ -n "$$unformatted" ]; then echo "gofmt needed on:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

unit:
	$(GO) test -count=1 ./...

# bench: dl's lecture benchmarks side by side with the PyTorch reference.
bench:
	bench/run

# goldens: regenerate the Keras parity fixtures in dl/testdata/keras (needs PyPI).
goldens:
	tools/keras/run.sh
