package dl

import (
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// DefaultSeed is the global seed in effect until SetRandomSeed is called, so
// that a program (or a notebook cell) prints the same numbers on every run.
const DefaultSeed = 1

// session is the process-wide state that Keras keeps in its global state:
// the seed source and the per-prefix name counters. Its mutex makes
// SetRandomSeed, ClearSession and the building of layers and models safe
// from several goroutines at once.
var session struct {
	sync.Mutex
	rng   *rand.Rand
	names map[string]int
}

func init() {
	SetRandomSeed(DefaultSeed)
	ClearSession()
}

// SetRandomSeed seeds every random choice dl makes afterwards: weight
// initialization, dropout masks and shuffling (Keras:
// keras.utils.set_random_seed). Models built after the call draw their
// seeds from it in order, so the same program gives the same numbers.
//
// It may be called from any goroutine. When several goroutines build models
// at once, the order in which they draw from the global seed, and so their
// weights, depend on timing: give each such model its own Model.Seed (a
// Sequential model then draws its initial weights, dropout masks and
// shuffling from it alone).
func SetRandomSeed(seed uint64) {
	session.Lock()
	defer session.Unlock()
	session.rng = rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
}

// ClearSession resets the layer-name counters, so that the next Dense is
// named "dense" again (Keras: keras.backend.clear_session). As in Keras, it
// does not touch the random seed: the global seed stream goes on where it
// was (call SetRandomSeed after ClearSession to start it again). Existing
// models keep working and keep their names. It may be called from any
// goroutine; models built at the same time in other goroutines may then get
// names from before or after the reset.
func ClearSession() {
	session.Lock()
	defer session.Unlock()
	session.names = map[string]int{}
}

// nextSeed draws a seed for a new model from the global source.
func nextSeed() uint64 {
	session.Lock()
	defer session.Unlock()
	return session.rng.Uint64()
}

// uniqueName returns prefix the first time it is asked for, then prefix_1,
// prefix_2, ... (Keras's uniquify with process-global counters).
func uniqueName(prefix string) string {
	session.Lock()
	defer session.Unlock()
	n := session.names[prefix]
	session.names[prefix] = n + 1
	if n == 0 {
		return prefix
	}
	return prefix + "_" + strconv.Itoa(n)
}

var (
	snakeUpperRun = regexp.MustCompile(`(.)([A-Z][a-z]+)`)
	snakeLowerUp  = regexp.MustCompile(`([a-z])([A-Z])`)
	nonWord       = regexp.MustCompile(`\W+`)
)

// toSnakeCase converts a class name as Keras's to_snake_case does:
// Dense → dense, SimpleRNN → simple_rnn, InputLayer → input_layer.
func toSnakeCase(name string) string {
	name = nonWord.ReplaceAllString(name, "")
	name = snakeUpperRun.ReplaceAllString(name, "${1}_${2}")
	name = snakeLowerUp.ReplaceAllString(name, "${1}_${2}")
	return strings.ToLower(name)
}
