package dl

import (
	"fmt"
	"strings"
)

// Summary prints a table of the model's layers, their output shapes and
// parameter counts, in Keras 3's format (Keras: model.summary()). Layers of
// a model that is not built yet show "?" and "0 (unbuilt)".
func (m *Model) Summary() {
	fmt.Fprint(output(), m.summaryText(0))
}

// summaryText renders the summary at the given line length (0 = 76, the
// width Keras uses when the output is not a terminal, as in notebooks).
func (m *Model) summaryText(lineLength int) string {
	var rows []summaryRow
	if !m.built {
		for _, l := range m.Layers() {
			ll := asLayer(l)
			row := summaryRow{Name: layerName(ll), Class: ll.className(), Params: countParams(ll)}
			if ll.base().built {
				row.OutputShape = ll.base().outShape
			} else {
				row.Unbuilt = true
			}
			rows = append(rows, row)
		}
	}
	for _, l := range m.layers {
		row := summaryRow{Name: layerName(l), Class: l.className(), Params: countParams(l)}
		var shapes []string
		for _, n := range m.nodes {
			if n.layer != l {
				continue
			}
			row.ConnectedTo = append(row.ConnectedTo, m.connectedTo(n)...)
			s := formatShape(n.outShapes[0])
			if len(n.outShapes) > 1 {
				parts := make([]string, len(n.outShapes))
				for i, sh := range n.outShapes {
					parts[i] = formatShape(sh)
				}
				s = "[" + strings.Join(parts, ", ") + "]"
			}
			shapes = append(shapes, s)
		}
		row.OutputText = shapes[0]
		for _, s := range shapes[1:] {
			if s != shapes[0] {
				row.OutputText = "multiple"
			}
		}
		rows = append(rows, row)
	}
	trainable := m.CountParams()
	if !m.built {
		for _, r := range rows {
			trainable += r.Params
		}
	}
	size := int64(m.effectiveDtype().bytes())
	f := summaryFooter{Trainable: trainable, TrainableBytes: int64(trainable) * size}
	if c := m.compiled; c != nil {
		if n := optimizerVariables(c.optimizer); n > 0 {
			f.OptimizerBuilt = true
			f.Optimizer = n
			// The iteration counter is an int32 (4 bytes) in Keras's JAX
			// backend; the learning rate and the slots are of the model's
			// dtype.
			f.OptimizerBytes = 4 + int64(n-1)*size
		}
	}
	return renderSummary(m.Name, rows, !m.sequentialLike(), lineLength, f)
}

// optimizerVariables counts an optimizer's variables as Keras does once it
// is built (after the first update): the iteration counter, the learning
// rate, its slots per weight and its own scalars. It is 0 before the first
// update.
func optimizerVariables(o Optimizer) int {
	st := o.state()
	if !st.built {
		return 0
	}
	return 2 + len(st.scalars) + st.slotValues()
}
