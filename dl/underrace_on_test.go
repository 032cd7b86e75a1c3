//go:build race

package dl

// underRace says that the tests run under the race detector, which
// multiplies memory use and slows child processes: the tests that measure
// a child's memory or kill children at random moments skip.
const underRace = true
