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
	// unnamed holds the Inputs created since the last name was given, in
	// order: each takes its default name (input_layer, input_layer_1, ...)
	// before the next name is given, unless Node.Named names it first, so
	// that a named Input takes no number from the counter, as in Keras.
	unnamed []*InputLayer
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
	nameInputsLocked()
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
	nameInputsLocked()
	return uniqueNameLocked(prefix)
}

// uniqueNameLocked is uniqueName with the session locked.
func uniqueNameLocked(prefix string) string {
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

// deferInputName puts a new Input without a Name in the queue of inputs
// that take their default name before the next name is given.
func deferInputName(l *InputLayer) {
	session.Lock()
	defer session.Unlock()
	session.unnamed = append(session.unnamed, l)
}

// nameInputsLocked gives the queued Inputs their default names, in the
// order they were created; the session must be locked.
func nameInputsLocked() {
	for _, l := range session.unnamed {
		if l.name == "" && l.Name == "" {
			l.name = uniqueNameLocked(toSnakeCase(l.className()))
			l.Name = l.name
		}
	}
	session.unnamed = nil
}

// inputName returns the name of an InputLayer, under the session's lock:
// the name of a queued Input is given by whichever goroutine next gives a
// name.
func inputName(l *InputLayer) string {
	session.Lock()
	defer session.Unlock()
	if l.name == "" {
		if l.Name != "" {
			l.name = l.Name
		} else {
			nameInputsLocked() // l, if queued, is named with the Inputs created before it
			if l.name == "" {
				l.name = uniqueNameLocked(toSnakeCase(l.className()))
				l.Name = l.name
			}
		}
	}
	return l.name
}

// renameInput gives l the name the user chose. If l was still queued for
// its default name it leaves the queue, and takes no number from the
// counter.
func renameInput(l *InputLayer, name string) {
	session.Lock()
	defer session.Unlock()
	for i, q := range session.unnamed {
		if q == l {
			session.unnamed = append(session.unnamed[:i], session.unnamed[i+1:]...)
			break
		}
	}
	l.Name, l.name = name, name
}
