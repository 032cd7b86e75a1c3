package dl

import "github.com/dlgo/dlgo/internal/kernels"

// A fused step applies the optimizer's update to a Dense layer's kernel
// inside the product that computes the kernel's gradient (xᵀ·dz), a band of
// rows at a time while the band is in cache (kernels.GemmRows), instead of
// writing the whole gradient out and reading it back for a separate pass
// over the weights. On a model whose weights and optimizer slots outgrow
// the processor's caches (the lecture's m5: 670,000 weights, 10.7 MB with
// Adam's slots in float32), the separate pass is bound by memory traffic,
// and the fused one moves about a third fewer bytes.
//
// The values are bitwise those of the separate step: each band holds the
// gradient the product would have written, and each value's update is the
// same. A weight is fused only where that holds: the kernel of a Dense
// layer applied once by the model itself (a shared layer's gradient is a
// sum over its applications), without a regularizer (whose gradient is
// added after the backward pass), with an optimizer that can update each
// value from its own gradient alone (Adam without amsgrad, so far).

// stepFuser is an optimizer that can apply its update inside the products
// that compute the gradients.
type stepFuser interface {
	// planFused prepares the fused update of the step to come for each
	// weight params[i] with fusable[i], setting its fused field; it may
	// prepare none.
	planFused(params []*param, fusable []bool)
}

// fusedMinValues is the size of the smallest kernel a fused step updates:
// a smaller one, its gradient and the optimizer's state stay in the cache
// anyway, and the banded product costs more than it saves.
const fusedMinValues = 1 << 12

// fusableParams reports which of m's weights a fused step may update: the
// kernels of at least fusedMinValues values of the Dense layers that m
// applies itself, once, and that no nested model applies.
func fusableParams(m *Model) []bool {
	uses := map[layer]int{}
	var count func(m *Model)
	count = func(m *Model) {
		for _, n := range m.nodes {
			if !n.applies {
				continue
			}
			uses[n.layer]++
			if nm, ok := n.layer.(*Model); ok {
				count(nm)
			}
		}
	}
	count(m)
	ok := make([]bool, len(m.params))
	for _, n := range m.nodes {
		d, isDense := n.layer.(*Dense)
		if !n.applies || !isDense || uses[d] != 1 {
			continue
		}
		for i, p := range m.params {
			if p == d.kernel && p.size() >= fusedMinValues {
				ok[i] = true
			}
		}
	}
	return ok
}

// planFusedStep prepares the fused updates of m's next training step, if
// its optimizer can fuse: fusable says which weights may be (see
// fusableParams); a weight with a regularizer is not.
func planFusedStep(o Optimizer, params []*param, fusable []bool) {
	f, ok := o.(stepFuser)
	if !ok || !fuseSteps {
		return
	}
	for i, p := range params {
		if fusable[i] && p.reg != nil {
			fusable[i] = false
		}
	}
	f.planFused(params, fusable)
}

// fuseSteps turns the fused steps on; tests turn them off to compare.
var fuseSteps = true

// endFusedStep forgets the step's fused updates, once the optimizer has
// applied the others.
func endFusedStep(params []*param) {
	for _, p := range params {
		p.fused, p.stepped = nil, false
	}
}

// fusedAdam is Adam's update of one weight, fused into the product that
// computes its gradient: the product hands it the gradient's rows.
type fusedAdam[T float] struct {
	w, m, v              []T
	cols                 int // the values of a row
	b1c, b2c, alpha, eps float64
	each                 func(r0, r1 int, g []T) // rows, made once: the weight's fused field
}

// rows applies the update to rows [r0, r1) of the weight, whose gradient
// is g.
func (f *fusedAdam[T]) rows(r0, r1 int, g []T) {
	lo, hi := r0*f.cols, r1*f.cols
	adamStep(f.w[lo:hi], g, f.m[lo:hi], f.v[lo:hi], f.b1c, f.b2c, f.alpha, f.eps)
}

// fusedGradient computes the gradient of kernel p of shape rows×cols, the
// product aᵀ·b (a is k×rows, b k×cols), and applies p's fused update to it
// (its fused field: a func(r0, r1 int, g []T) taking rows [r0, r1) of the
// gradient), reporting whether it did; if it did not, the caller computes
// the gradient as usual.
func fusedGradient[T float](p *param, rows, cols, k int, a, b []T) bool {
	each, ok := p.fused.(func(int, int, []T))
	if !ok {
		return false
	}
	var done bool
	switch a := any(a).(type) {
	case []float64:
		done = kernels.GemmRows(true, false, rows, cols, k, 1, a, any(b).([]float64), any(each).(func(int, int, []float64)))
	case []float32:
		done = kernels.SgemmRows(true, false, rows, cols, k, 1, a, any(b).([]float32), any(each).(func(int, int, []float32)))
	}
	p.stepped = done
	return done
}
