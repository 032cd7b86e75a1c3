package dl

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
)

// Optimizer updates a model's weights from their gradients (Keras:
// keras.optimizers). Use &dl.Adam{}, &dl.AdamW{}, &dl.Nadam{},
// &dl.Adamax{}, &dl.SGD{}, &dl.RMSprop{} or &dl.Adagrad{}, or pass a name
// ("adam", "adamw", "sgd", ...) to Compile. An optimizer keeps per-weight
// state, so it belongs to the first model compiled with it: Compile of
// another model with the same value returns an error. Its settings are
// checked by Compile and again by Fit.
//
// The interface is closed (its unexported methods cannot be written
// outside dl) because an optimizer's state is part of the model's files:
// .keras and .weights.h5 store the optimizer's variables by position, in
// the order Keras creates them, and dl must write and read them in exactly
// that order so that Keras and dl load each other's files and continue
// training with the same numbers. Each optimizer therefore declares its
// Keras class, its settings with their Keras names and defaults, and its
// slots in Keras's order; an optimizer that Keras does not have could not
// be saved. Every optimizer lives in one file (optimizer_<name>.go) and is
// listed once in optimizerRegistry.
type Optimizer interface {
	// Name returns the optimizer's Keras class name, e.g. "Adam".
	Name() string
	// Iterations returns the number of updates applied so far.
	Iterations() int
	// CurrentLearningRate returns the learning rate the next update uses
	// (Keras: optimizer.learning_rate): the LearningRate field, or the
	// Keras default while it is zero, or the rate SetLearningRate set.
	CurrentLearningRate() float64
	// SetLearningRate changes the learning rate of the updates that follow
	// (Keras: optimizer.learning_rate = lr), as callbacks such as
	// ReduceLROnPlateau do; it sets the LearningRate field, and a rate of 0
	// is 0 (no change of the weights), not the default. A rate that is not
	// a finite number ≥ 0 makes Compile and Fit return an error.
	SetLearningRate(lr float64)

	// check reports a setting that Keras would reject, naming the field.
	check() error
	// settings lists the optimizer's Keras constructor arguments bound to
	// its fields, the learning rate first.
	settings() []setting
	// layout describes the optimizer's variables, as Keras creates them.
	layout() slotLayout
	// update applies one step to params with their current gradients.
	update(params []*param)
	// state returns the bookkeeping, which records the model the optimizer
	// belongs to.
	state() *optState
}

// optimizerRegistry maps the lower-case Keras name of every optimizer dl
// has to a constructor of one with Keras's defaults. Compile's names, the
// optimizers of .keras files and the error messages all read it; a new
// optimizer is one file and one line here.
var optimizerRegistry = map[string]func() Optimizer{
	"adagrad": func() Optimizer { return &Adagrad{} },
	"adam":    func() Optimizer { return &Adam{} },
	"adamax":  func() Optimizer { return &Adamax{} },
	"adamw":   func() Optimizer { return &AdamW{} },
	"nadam":   func() Optimizer { return &Nadam{} },
	"rmsprop": func() Optimizer { return &RMSprop{} },
	"sgd":     func() Optimizer { return &SGD{} },
}

// optimizerByName returns a new optimizer with Keras's defaults for a name
// Keras accepts: its class name in any case ("adam", "Adam", "ADAM"), as
// keras.optimizers.get does. It returns nil for another name.
func optimizerByName(name string) Optimizer {
	if f := optimizerRegistry[strings.ToLower(name)]; f != nil {
		return f()
	}
	return nil
}

// optimizerNames lists the names of optimizerRegistry, sorted and quoted,
// for error messages.
func optimizerNames() string {
	names := make([]string, 0, len(optimizerRegistry))
	for n := range optimizerRegistry {
		names = append(names, n)
	}
	sort.Strings(names)
	return `"` + strings.Join(names, `", "`) + `"`
}

// optimizerClasses lists the Keras class names of optimizerRegistry,
// sorted, for error messages.
func optimizerClasses() string {
	names := make([]string, 0, len(optimizerRegistry))
	for _, f := range optimizerRegistry {
		names = append(names, f().Name())
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// setting is one Keras constructor argument of an optimizer, bound to the
// Go field that holds it: a number (num) or a flag (flag).
type setting struct {
	key   string   // the Keras argument, e.g. "beta_1"
	field string   // the Go field, e.g. "Beta1"
	num   *float64 // the field of a number, or nil
	flag  *bool    // the field of a flag, or nil
	def   float64  // Keras's default, which a zero num stands for
	// valid reports a number that Keras would reject, or nil for any.
	valid func(class, field string, v float64) error
}

// value returns the number in effect: the field, or the default while the
// field is zero.
func (s setting) value() float64 { return or(*s.num, s.def) }

// rateSetting is the learning rate, whose Keras default is def.
func rateSetting(lr *float64, def float64) setting {
	return setting{key: "learning_rate", field: "LearningRate", num: lr, def: def, valid: checkNonNegative}
}

// betaSetting is a decay rate in [0, 1) such as Adam's beta_1.
func betaSetting(key, field string, v *float64, def float64) setting {
	return setting{key: key, field: field, num: v, def: def, valid: checkBeta}
}

// unitSetting is a number in [0, 1] such as SGD's momentum.
func unitSetting(key, field string, v *float64, def float64) setting {
	return setting{key: key, field: field, num: v, def: def, valid: checkUnit}
}

// positiveSetting is a finite number ≥ 0 such as epsilon.
func positiveSetting(key, field string, v *float64, def float64) setting {
	return setting{key: key, field: field, num: v, def: def, valid: checkNonNegative}
}

// flagSetting is a boolean argument such as amsgrad.
func flagSetting(key, field string, v *bool) setting {
	return setting{key: key, field: field, flag: v}
}

// checkSettings reports the first setting of o that Keras would reject.
func checkSettings(o Optimizer) error {
	for _, s := range o.settings() {
		if s.num == nil || s.valid == nil {
			continue
		}
		if err := s.valid(o.Name(), s.field, *s.num); err != nil {
			return err
		}
	}
	return nil
}

// optimizerConfig serializes an optimizer with Keras's class and argument
// names, writing the defaults explicitly.
func optimizerConfig(o Optimizer) obj {
	cfg := obj{{"name", toSnakeCase(o.Name())}}
	for i, s := range o.settings() {
		switch {
		case i == 0:
			cfg = append(cfg, kv{s.key, pyFloat(o.CurrentLearningRate())})
		case s.num != nil:
			cfg = append(cfg, kv{s.key, pyFloat(s.value())})
		default:
			cfg = append(cfg, kv{s.key, *s.flag})
		}
	}
	return kerasObj("keras.optimizers", o.Name(), cfg)
}

// optimizerFromConfig creates an optimizer from its serialized form: a
// name, or Keras's object with class_name and config.
func optimizerFromConfig(raw json.RawMessage) (Optimizer, error) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if o := optimizerByName(s); o != nil {
			return o, nil
		}
		return nil, fmt.Errorf("optimizer %q is not supported (supported: %s)", s, optimizerNames())
	}
	var r rawObj
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("unreadable optimizer: %v", err)
	}
	o := optimizerByName(r.ClassName)
	if o == nil {
		return nil, fmt.Errorf("optimizer class %q is not supported (supported: %s)", r.ClassName, optimizerClasses())
	}
	for _, s := range o.settings() {
		dst := any(s.num)
		if s.flag != nil {
			dst = s.flag
		}
		if err := r.field(s.key, dst); err != nil {
			return nil, err
		}
	}
	if lr, given := r.Config["learning_rate"]; given && string(lr) != "null" && *o.settings()[0].num == 0 {
		o.state().zeroRate = true // an explicit 0, not the default
	}
	return o, nil
}

// slotLayout describes an optimizer's variables after the iteration count
// and the learning rate, as Keras creates them and stores them in the
// weights file (optimizer/vars/2, 3, ...).
type slotLayout struct {
	// groups are the Keras names of the slots each weight has (Keras:
	// "momentum", "velocity", ...), by the Keras call that creates them:
	// one add_optimizer_variables call creates its slots weight by
	// weight, interleaved (m0, v0, m1, v1, ...), then the next call's.
	// dl's slots[weight] lists them in this order too.
	groups [][]string
	// init is every slot's initial value.
	init float64
	// scalars are the Keras names of the optimizer's own scalar variables,
	// which follow the slots (Nadam's u_product); each starts at 1.
	scalars []string
}

// perWeight returns the number of slot vectors per weight.
func (l slotLayout) perWeight() int {
	n := 0
	for _, g := range l.groups {
		n += len(g)
	}
	return n
}

// index returns dl's slot index of the Keras slot name kind, or -1.
func (l slotLayout) index(kind string) int {
	i := 0
	for _, g := range l.groups {
		for _, k := range g {
			if k == kind {
				return i
			}
			i++
		}
	}
	return -1
}

// slotRef names one slot vector: the weight it belongs to and which of
// the optimizer's slots it is.
type slotRef struct{ param, slot int }

// kerasOrder lists the slot vectors of params weights in the order Keras
// stores its variables, after the iteration count and the learning rate
// and before the scalars.
func (l slotLayout) kerasOrder(params int) []slotRef {
	var out []slotRef
	first := 0
	for _, g := range l.groups {
		for p := 0; p < params; p++ {
			for s := range g {
				out = append(out, slotRef{p, first + s})
			}
		}
		first += len(g)
	}
	return out
}

// optState is the bookkeeping shared by every optimizer: the step counter
// and one slice of slot vectors per weight (Keras: optimizer variables).
type optState struct {
	iterations int
	built      bool          // slots exist (Keras: the optimizer is built)
	slots      [][][]float64 // slots[weight][slot] of a float64 model
	slots32    [][][]float32 // those of a float32 model
	job        any           // the update's reusable parallel job, if it has one
	fused      any           // the reusable fused updates (see stepFuser), if it has them
	scalars    []float64     // the optimizer's own scalar variables
	zeroRate   bool          // the learning rate is 0, not the default
	owner      *Model        // the model compiled with it, guarded by optOwners
}

// Iterations returns the number of updates applied so far (Keras: iterations).
func (s *optState) Iterations() int { return s.iterations }

// rate returns the learning rate in effect for the LearningRate field
// field of Keras default def: the field, or 0 after SetLearningRate(0), or
// the default.
func (s *optState) rate(field, def float64) float64 {
	if field == 0 && s.zeroRate {
		return 0
	}
	return or(field, def)
}

// setRate sets the LearningRate field *field to lr, remembering that a
// rate of 0 is 0 and not the default.
func (s *optState) setRate(field *float64, lr float64) {
	*field = lr
	s.zeroRate = lr == 0
}

func (s *optState) state() *optState { return s }

// ensureSlots allocates the slot vectors of optimizer o (see slotLayout)
// for every weight on first use, in element type T, and returns them.
func ensureSlots[T float](s *optState, params []*param, o Optimizer) [][][]T {
	if slots, ok := any(s.slots).([][][]T); ok && s.built && len(slots) == len(params) {
		return slots
	}
	if slots, ok := any(s.slots32).([][][]T); ok && s.built && len(slots) == len(params) {
		return slots
	}
	l := o.layout()
	n := l.perWeight()
	s.built = true
	slots := make([][][]T, len(params))
	for i, p := range params {
		slots[i] = make([][]T, n)
		for j := range slots[i] {
			v := make([]T, p.size())
			if l.init != 0 {
				for k := range v {
					v[k] = T(l.init)
				}
			}
			slots[i][j] = v
		}
	}
	s.slots, s.slots32 = nil, nil
	if v, ok := any(slots).([][][]float64); ok {
		s.slots = v
	} else {
		s.slots32 = any(slots).([][][]float32)
	}
	s.scalars = make([]float64, len(l.scalars))
	for i := range s.scalars {
		s.scalars[i] = 1
	}
	return slots
}

// slotsOf returns the slots made by ensureSlots[T].
func slotsOf[T float](s *optState) [][][]T {
	if v, ok := any(s.slots).([][][]T); ok && s.slots != nil {
		return v
	}
	return any(s.slots32).([][][]T)
}

// ensureSlotsFor is ensureSlots in the dtype of params.
func (s *optState) ensureSlotsFor(params []*param, o Optimizer) {
	if dtypeOfParams(params) == float32Type {
		ensureSlots[float32](s, params, o)
	} else {
		ensureSlots[float64](s, params, o)
	}
}

// slot returns slot j of weight i as float64 values (a copy for float32).
func (s *optState) slot(i, j int) []float64 {
	if s.slots != nil {
		return s.slots[i][j]
	}
	v := make([]float64, len(s.slots32[i][j]))
	convert(v, s.slots32[i][j])
	return v
}

// setSlot sets slot j of weight i from float64 values; with adopt a float64
// slot takes data itself.
func (s *optState) setSlot(i, j int, data []float64, adopt bool) {
	switch {
	case s.slots == nil:
		convert(s.slots32[i][j], data)
	case adopt:
		s.slots[i][j] = data
	default:
		copy(s.slots[i][j], data)
	}
}

// slotValues returns the number of values in all slots.
func (s *optState) slotValues() int {
	n := 0
	for _, slots := range s.slots {
		for _, v := range slots {
			n += len(v)
		}
	}
	for _, slots := range s.slots32 {
		for _, v := range slots {
			n += len(v)
		}
	}
	return n
}

// reset forgets the slots, which are made again at the next update: the
// weights changed dtype.
func (s *optState) reset() {
	s.built, s.slots, s.slots32, s.scalars = false, nil, nil, nil
}

// dtypeOfParams returns the dtype the weights are kept in.
func dtypeOfParams(params []*param) dtype {
	if len(params) > 0 {
		return params[0].dtype()
	}
	return float64Type
}

// byDtype runs the update of optimizer o in the dtype of params: f32 or f64.
func byDtype[O any](o O, params []*param, f32 func(O, []*param), f64 func(O, []*param)) {
	if dtypeOfParams(params) == float32Type {
		f32(o, params)
		return
	}
	f64(o, params)
}

// optOwners guards the owner of every optimizer: two models may be compiled
// at once in two goroutines.
var optOwners sync.Mutex

// claimOptimizer makes m the owner of o, or explains that o belongs to
// another model.
func claimOptimizer(o Optimizer, m *Model) error {
	optOwners.Lock()
	defer optOwners.Unlock()
	st := o.state()
	if st.owner != nil && st.owner != m {
		return fmt.Errorf("this %T is already the optimizer of the model %q; an optimizer keeps state (such as Adam's moments) for the weights of one model, "+
			"so give each model its own, such as Optimizer: &dl.%s{} or a name such as %q", o, st.owner.Name, o.Name(), strings.ToLower(o.Name()))
	}
	st.owner = m
	return nil
}

// checkBeta reports a setting that is not a number in [0, 1).
func checkBeta(class, field string, v float64) error {
	if !(v >= 0 && v < 1) {
		return fmt.Errorf("&dl.%s{%s: %v}: %s must be a number in [0, 1) (0 means the default); received %s=%v", class, field, v, field, field, v)
	}
	return nil
}

// checkUnit reports a setting that is not a number in [0, 1].
func checkUnit(class, field string, v float64) error {
	if !(v >= 0 && v <= 1) {
		return fmt.Errorf("&dl.%s{%s: %v}: %s must be a number between 0 and 1; received %s=%v", class, field, v, field, field, v)
	}
	return nil
}

// checkNonNegative reports a setting that is not a finite number ≥ 0.
func checkNonNegative(class, field string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return fmt.Errorf("&dl.%s{%s: %v}: %s must be a finite number ≥ 0 (0 means the default); received %s=%v", class, field, v, field, field, v)
	}
	return nil
}

// kerasEpsilon is the default epsilon of Keras's optimizers (Keras:
// keras.config.epsilon()).
const kerasEpsilon = 1e-7

// or returns v, or def when v is zero (the zero value means the Keras default).
func or(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}
