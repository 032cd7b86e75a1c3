//go:build !race

package dl

// underRace says that the tests run under the race detector (see
// underrace_on_test.go).
const underRace = false
