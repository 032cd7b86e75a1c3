package dl

import (
	"math"
	"strconv"
	"strings"
	"unicode"
)

// summaryRow is one row of a model summary table.
type summaryRow struct {
	Name        string   // layer name, e.g. "dense_1"
	Class       string   // Keras class name, e.g. "Dense", "InputLayer"
	OutputShape []int    // output shape without the batch axis; nil means never built ("?")
	OutputText  string   // when set, shown instead of OutputShape (several outputs: "[(None, 4), (None, 4)]")
	Params      int      // parameter count
	Unbuilt     bool     // the layer has not been built: Param # shows "0 (unbuilt)"
	ConnectedTo []string // 4-column layout only: "lstm[0][0]" entries; empty shows "-"
}

// summaryFooter holds the totals printed under the table.
type summaryFooter struct {
	Trainable, NonTrainable           int // parameter counts
	TrainableBytes, NonTrainableBytes int64
	Optimizer                         int // optimizer variable count (shown only if OptimizerBuilt)
	OptimizerBytes                    int64
	OptimizerBuilt                    bool
}

// summaryNotebookWidth is the table width Keras uses when stdout is not a terminal:
// shutil falls back to 80 columns and Keras subtracts 4.
const summaryNotebookWidth = 76

// summaryBox holds the characters of one horizontal rule of rich's HEAVY_HEAD box:
// left corner, fill, column junction and right corner.
type summaryBox struct {
	left, fill, junction, right string
}

// Horizontal rules of rich's HEAVY_HEAD box, the box Keras draws summaries with.
var (
	summaryTop      = summaryBox{"┏", "━", "┳", "┓"} // above the header
	summaryHeadRule = summaryBox{"┡", "━", "╇", "┩"} // between the header and the first row
	summaryRowRule  = summaryBox{"├", "─", "┼", "┤"} // between two rows (show_lines=True)
	summaryBottom   = summaryBox{"└", "─", "┴", "┘"} // below the last row
)

// Vertical borders of the HEAVY_HEAD box.
const (
	summaryHeadEdge = "┃" // borders of the header row
	summaryBodyEdge = "│" // borders of body rows
)

// summaryEllipsis ends a cell line that had to be cut.
const summaryEllipsis = '…'

// Column layouts: Keras's relative column end positions and header names.
var (
	summaryThreeCols = []float64{0.45, 0.80, 1.0}                                          // Sequential-like layout
	summaryFourCols  = []float64{0.3, 0.56, 0.74, 1.0}                                     // Functional layout
	summaryHeaders   = []string{"Layer (type)", "Output Shape", "Param #", "Connected to"} // header cells
)

// renderSummary returns the text Keras 3 prints for model.summary() when stdout is not a terminal.
// fourColumns selects the Functional "Connected to" layout. lineLength 0 means the notebook default (76).
//
// The table is laid out as rich lays out Keras's Table(width=lineLength, show_lines=True) with fixed
// column widths, and cells are wrapped as rich wraps them. Keras itself additionally crops every
// line to the console width (80 when stdout is a pipe and COLUMNS is unset); that cropping is not
// applied here, so wide tables come out whole.
func renderSummary(modelName string, rows []summaryRow, fourColumns bool, lineLength int, f summaryFooter) string {
	if lineLength <= 0 {
		lineLength = summaryNotebookWidth
	}
	positions := summaryThreeCols
	if fourColumns {
		positions = summaryFourCols
	}
	ncol := len(positions)
	widths := summaryColumnWidths(positions, lineLength)
	rightAligned := func(col int) bool { return col == 2 }

	var b strings.Builder
	b.WriteString(`Model: "`)
	b.WriteString(modelName)
	b.WriteString("\"\n")

	summaryRule(&b, summaryTop, widths)
	header := make([]string, ncol)
	copy(header, summaryHeaders[:ncol])
	summaryTableRow(&b, summaryHeadEdge, header, widths, rightAligned, true)
	summaryRule(&b, summaryHeadRule, widths)
	cells := make([]string, ncol)
	for i, r := range rows {
		cells[0] = r.Name + " (" + r.Class + ")"
		cells[1] = "?"
		if r.OutputText != "" {
			cells[1] = r.OutputText
		} else if r.OutputShape != nil {
			cells[1] = formatShape(r.OutputShape)
		}
		if r.Unbuilt {
			cells[2] = "0 (unbuilt)"
		} else {
			cells[2] = summaryThousands(r.Params)
		}
		if fourColumns {
			cells[3] = "-"
			if len(r.ConnectedTo) > 0 {
				cells[3] = strings.Join(r.ConnectedTo, ", ")
			}
		}
		summaryTableRow(&b, summaryBodyEdge, cells, widths, rightAligned, false)
		if i < len(rows)-1 {
			summaryRule(&b, summaryRowRule, widths)
		}
	}
	summaryRule(&b, summaryBottom, widths)

	optimizer, optimizerBytes := 0, int64(0)
	if f.OptimizerBuilt {
		optimizer, optimizerBytes = f.Optimizer, f.OptimizerBytes
	}
	total := f.Trainable + f.NonTrainable + optimizer
	totalBytes := f.TrainableBytes + f.NonTrainableBytes + optimizerBytes
	summaryFooterLine(&b, " Total params: ", total, totalBytes)
	summaryFooterLine(&b, " Trainable params: ", f.Trainable, f.TrainableBytes)
	summaryFooterLine(&b, " Non-trainable params: ", f.NonTrainable, f.NonTrainableBytes)
	if f.OptimizerBuilt {
		summaryFooterLine(&b, " Optimizer params: ", f.Optimizer, f.OptimizerBytes)
	}
	return b.String()
}

// summaryColumnWidths returns the rendered width of each column segment (cell padding included,
// borders excluded) for a table of total width lineLength. Keras requests int(p_i·L) − int(p_{i−1}·L)
// cells per column; rich adds one cell of padding on each side, finds the sum too wide for L minus
// the borders, and takes the excess back evenly with ratio_reduce.
func summaryColumnWidths(positions []float64, lineLength int) []int {
	n := len(positions)
	maxWidth := lineLength - (n + 1) // n+1 vertical borders
	widths := make([]int, n)
	current := 0
	for i, p := range positions {
		w := int(p*float64(lineLength)) - current
		current += w
		widths[i] = min(w+2, maxWidth)
	}
	sum := 0
	for _, w := range widths {
		sum += w
	}
	if excess := sum - maxWidth; excess > 0 {
		// rich's ratio_reduce with every ratio 1 and each column's own width as its maximum;
		// a column already at zero width takes no share.
		remaining, totalRatio := excess, 0
		for _, w := range widths {
			if w != 0 {
				totalRatio++
			}
		}
		for i, w := range widths {
			if w == 0 {
				continue
			}
			d := min(w, int(math.RoundToEven(float64(remaining)/float64(totalRatio))))
			widths[i] = w - d
			remaining -= d
			totalRatio--
		}
	}
	for i, w := range widths {
		widths[i] = max(w, 0)
	}
	return widths
}

// summaryRule writes one horizontal rule of the table followed by a newline.
func summaryRule(b *strings.Builder, box summaryBox, widths []int) {
	b.WriteString(box.left)
	for i, w := range widths {
		if i > 0 {
			b.WriteString(box.junction)
		}
		b.WriteString(strings.Repeat(box.fill, w))
	}
	b.WriteString(box.right)
	b.WriteByte('\n')
}

// summaryTableRow writes one table row, which spans as many lines as its tallest wrapped cell.
// Header cells are aligned to the bottom of the row, body cells to the top, as rich does.
func summaryTableRow(b *strings.Builder, edge string, cells []string, widths []int, right func(int) bool, header bool) {
	wrapped := make([][]string, len(cells))
	height := 1
	for i, c := range cells {
		inner := max(widths[i]-2, 0)
		wrapped[i] = summaryWrap(c, inner, right(i))
		height = max(height, len(wrapped[i]))
	}
	for line := 0; line < height; line++ {
		b.WriteString(edge)
		for i, lines := range wrapped {
			if i > 0 {
				b.WriteString(edge)
			}
			idx := line
			if header {
				idx = line - (height - len(lines))
			}
			inner := max(widths[i]-2, 0)
			if widths[i] < 2 {
				b.WriteString(strings.Repeat(" ", widths[i]))
				continue
			}
			b.WriteByte(' ')
			if idx >= 0 && idx < len(lines) {
				b.WriteString(lines[idx])
			} else {
				b.WriteString(strings.Repeat(" ", inner))
			}
			b.WriteByte(' ')
		}
		b.WriteString(edge)
		b.WriteByte('\n')
	}
}

// summaryWrap wraps text into lines of exactly width characters the way rich renders a table cell
// with overflow "ellipsis": lines break at spaces, a word longer than the width keeps a line of
// its own and is cut to width−1 characters plus '…', and each line is padded on the right (or,
// when right is set, stripped of trailing spaces and padded on the left). Characters are counted
// as one cell each.
func summaryWrap(text string, width int, right bool) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		runes := []rune(para)
		for _, line := range summaryDivide(runes, width) {
			// Text.rstrip_end: drop trailing whitespace beyond the width.
			if excess := len(line) - width; excess > 0 {
				ws := 0
				for ws < len(line) && unicode.IsSpace(line[len(line)-1-ws]) {
					ws++
				}
				line = line[:len(line)-min(ws, excess)]
			}
			if right {
				for len(line) > 0 && unicode.IsSpace(line[len(line)-1]) {
					line = line[:len(line)-1]
				}
			}
			if len(line) > width {
				if width > 0 {
					cut := make([]rune, width)
					copy(cut, line[:width-1])
					cut[width-1] = summaryEllipsis
					line = cut
				} else {
					line = nil
				}
			}
			pad := strings.Repeat(" ", width-len(line))
			if right {
				out = append(out, pad+string(line))
			} else {
				out = append(out, string(line)+pad)
			}
		}
	}
	return out
}

// summaryDivide splits runes into lines as rich's divide_line does without folding. A word is a run of
// non-space characters with the spaces after it (the first word also takes leading spaces); a word
// that does not fit on the current line starts a new one, and a word wider than the whole width is
// left to overflow its own line.
func summaryDivide(runes []rune, width int) [][]rune {
	var breaks []int
	offset := 0
	pos := 0
	for pos < len(runes) {
		start := pos
		end := pos
		for end < len(runes) && unicode.IsSpace(runes[end]) {
			end++
		}
		if end == len(runes) {
			break // only whitespace remains: no further word
		}
		for end < len(runes) && !unicode.IsSpace(runes[end]) {
			end++
		}
		wordLen := end - start // length without trailing spaces
		for end < len(runes) && unicode.IsSpace(runes[end]) {
			end++
		}
		switch {
		case width-offset >= wordLen:
			offset += end - start
		case wordLen > width:
			if start > 0 {
				breaks = append(breaks, start)
			}
			offset = end - start
		case offset > 0 && start > 0:
			breaks = append(breaks, start)
			offset = end - start
		}
		pos = end
	}
	lines := make([][]rune, 0, len(breaks)+1)
	prev := 0
	for _, br := range breaks {
		lines = append(lines, runes[prev:br])
		prev = br
	}
	return append(lines, runes[prev:])
}

// summaryFooterLine writes one footer line such as " Total params: 965 (3.77 KB)".
func summaryFooterLine(b *strings.Builder, label string, count int, bytes int64) {
	b.WriteString(label)
	b.WriteString(summaryThousands(count))
	b.WriteString(" (")
	b.WriteString(formatBytes(bytes))
	b.WriteString(")\n")
}

// formatShape formats an output shape with the batch axis as None: []int{10, 64} -> "(None, 10, 64)".
// A negative dimension stands for an unknown size and prints as None. Like Keras, an empty shape
// prints as "(None)".
func formatShape(shape []int) string {
	var b strings.Builder
	b.WriteString("(None")
	for _, d := range shape {
		b.WriteString(", ")
		if d < 0 {
			b.WriteString("None")
		} else {
			b.WriteString(strconv.Itoa(d))
		}
	}
	b.WriteByte(')')
	return b.String()
}

// summaryThousands formats n with commas between groups of three digits, as Python's f"{n:,}".
func summaryThousands(n int) string {
	s := strconv.Itoa(n)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	if len(s) <= 3 {
		return sign + s
	}
	var b strings.Builder
	b.WriteString(sign)
	head := len(s) % 3
	if head == 0 {
		head = 3
	}
	b.WriteString(s[:head])
	for i := head; i < len(s); i += 3 {
		b.WriteByte(',')
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// formatBytes formats a byte count as Keras does: "3.77 KB", "0.00 B".
// The size is divided by 1024 until it drops below 1024, through B, KB, MB, GB, TB and PB.
// Like Keras, a size of 1024 PB or more is divided once more and still labelled PB.
func formatBytes(n int64) string {
	units := [...]string{"B", "KB", "MB", "GB", "TB", "PB"}
	size := float64(n)
	for _, u := range units {
		if size/1024 < 1 {
			return strconv.FormatFloat(size, 'f', 2, 64) + " " + u
		}
		size /= 1024
	}
	return strconv.FormatFloat(size, 'f', 2, 64) + " " + units[len(units)-1]
}
