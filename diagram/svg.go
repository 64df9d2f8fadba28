package diagram

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Layout, in SVG user units (pixels at 100%). Labels are monospace, so a
// line's width is its rune count times charWidth.
const (
	margin     = 24
	laneGap    = 400 // between page and browser, and browser and the first server
	serverGap  = 300 // between two server lanes
	headWidth  = 190
	headHeight = 46
	fontSize   = 12
	charWidth  = 7.3 // a 12px monospace glyph, with room for wide fonts
	lineHeight = 16
	labelPad   = 10 // between a lane line and the start of a label
	// maxLabelLines caps the lines one arrow shows, after wrapping; the
	// rest are counted in a last line ("… 3 more").
	maxLabelLines = 16
)

// style follows the reader's theme; every rule is scoped to the diagram so
// that the SVG can be inlined into a page.
const style = `
.corsim-diagram{--bg:#ffffff;--fg:#1f2328;--muted:#59636e;--lane:#afb8c1;--head:#f6f8fa;--req:#0550ae;--resp:#6639ba;--ok:#116329;--bad:#cf222e;--badbg:#ffebe9;--ghost:#8c959f}
@media (prefers-color-scheme: dark){.corsim-diagram{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--lane:#3d444d;--head:#151b23;--req:#79c0ff;--resp:#d2a8ff;--ok:#56d364;--bad:#ff7b72;--badbg:#3c1618;--ghost:#6e7681}}
.corsim-diagram text{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono","Liberation Mono",monospace;font-size:12px;fill:var(--fg)}
.corsim-diagram .bg{fill:var(--bg)}
.corsim-diagram .title{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;font-size:16px;font-weight:600}
.corsim-diagram .sub,.corsim-diagram .stepnote{fill:var(--muted)}
.corsim-diagram .stepnote{stroke:var(--bg);stroke-width:5px;paint-order:stroke;stroke-linejoin:round}
.corsim-diagram .head rect{fill:var(--head);stroke:var(--lane);stroke-width:1.5}
.corsim-diagram .head text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;font-size:14px;font-weight:600;text-anchor:middle}
.corsim-diagram .head text.o{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:12px;font-weight:400;fill:var(--muted)}
.corsim-diagram .lifeline{stroke:var(--lane);stroke-width:1.5;stroke-dasharray:6 5}
.corsim-diagram .sep{stroke:var(--lane);stroke-width:1}
.corsim-diagram line.arrow{stroke-width:2}
.corsim-diagram .call line.arrow{stroke:var(--fg)}
.corsim-diagram .wire line.arrow{stroke:var(--req)}
.corsim-diagram .response line.arrow{stroke:var(--resp)}
.corsim-diagram .cached line.arrow{stroke:var(--ghost);stroke-dasharray:4 5}
.corsim-diagram .cached text{fill:var(--ghost);font-style:italic}
.corsim-diagram .result line.arrow{stroke:var(--ok)}
.corsim-diagram .failed line.arrow{stroke:var(--bad)}
.corsim-diagram .failed text.t{fill:var(--bad)}
.corsim-diagram text.t{font-weight:700}
.corsim-diagram .m-fg{fill:var(--fg)}.corsim-diagram .m-req{fill:var(--req)}.corsim-diagram .m-resp{fill:var(--resp)}
.corsim-diagram .m-ghost{fill:var(--ghost)}.corsim-diagram .m-ok{fill:var(--ok)}.corsim-diagram .m-bad{fill:var(--bad)}
.corsim-diagram .block rect{fill:var(--badbg);stroke:var(--bad);stroke-width:2}
.corsim-diagram .block text.t{fill:var(--bad);font-size:13px}
.corsim-diagram .block text.fix{font-weight:700}
.corsim-diagram .xmark{fill:var(--bad)}
.corsim-diagram .xmark text{fill:var(--bg);font-weight:700;text-anchor:middle;font-size:13px}
`

// markers are the arrowheads, one per colour (an SVG marker does not take
// its colour from the line that uses it everywhere).
var markers = []string{"fg", "req", "resp", "ghost", "ok", "bad"}

func markerFor(a Arrow) string {
	switch {
	case a.Failed:
		return "bad"
	case a.Kind == Call:
		return "fg"
	case a.Kind == Preflight || a.Kind == Request:
		return "req"
	case a.Kind == Response:
		return "resp"
	case a.Kind == CachedHit:
		return "ghost"
	}
	return "ok"
}

// SVG draws the diagram. The output is deterministic, well-formed XML and
// needs no fonts, scripts or files beyond itself. A label line longer than
// its arrow wraps; an arrow shows at most maxLabelLines lines and counts the
// rest.
func (d *Diagram) SVG() []byte {
	laneX := func(l Lane) float64 {
		x := margin + headWidth/2 + (int(l)+2)*laneGap
		if l > 0 {
			x -= int(l) * (laneGap - serverGap)
		}
		return float64(x)
	}
	last := Browser + Lane(len(d.Servers))
	width := int(laneX(last)) + headWidth/2 + margin
	// Leave the block note room when nothing was sent to any server.
	width = max(width, int(laneX(Browser))+laneGap+margin)
	var body bytes.Buffer
	y := float64(margin)

	// Title and subtitle.
	titleChars := int(float64(width-2*margin) / 8.6)
	for _, line := range wrap(d.Title, titleChars) {
		y += 20
		fmt.Fprintf(&body, `<text class="title" x="%d" y="%s">%s</text>`+"\n", margin, num(y), esc(line))
	}
	y += lineHeight + 4
	fmt.Fprintf(&body, `<text class="sub" x="%d" y="%s">%s</text>`+"\n", margin, num(y),
		esc("page at "+d.Origin+" · simulated as "+d.Profile))
	y += 18

	// Lane heads.
	headTop := y
	heads := []struct{ name, sub string }{{"page", d.Origin}, {"browser", d.Profile}}
	for _, s := range d.Servers {
		heads = append(heads, struct{ name, sub string }{"server", s})
	}
	for i, h := range heads {
		x := laneX(Lane(i - 2))
		fmt.Fprintf(&body, `<g class="head"><rect x="%s" y="%s" width="%d" height="%d" rx="6"/>`, num(x-headWidth/2), num(headTop), headWidth, headHeight)
		fmt.Fprintf(&body, `<text x="%s" y="%s">%s</text>`, num(x), num(headTop+19), esc(h.name))
		fmt.Fprintf(&body, `<text class="o" x="%s" y="%s">%s</text></g>`+"\n", num(x), num(headTop+36), esc(clip(h.sub, headWidth/7-1)))
	}
	y = headTop + headHeight + 16

	var arrows bytes.Buffer // drawn after the lifelines, so on top of them
	for _, st := range d.Steps {
		y += 8
		fmt.Fprintf(&arrows, `<line class="sep" x1="%d" y1="%s" x2="%d" y2="%s"/>`+"\n", margin, num(y), width-margin, num(y))
		y += 16
		fmt.Fprintf(&arrows, `<text class="stepnote" x="%d" y="%s">%s</text>`+"\n", margin, num(y),
			esc("step "+strconv.Itoa(st.Index+1)+" · at "+strconv.FormatFloat(st.At, 'g', -1, 64)+" s"))
		y += 6
		for _, a := range st.Arrows {
			if a.Kind == Result && st.Block != nil {
				y = drawBlock(&arrows, st.Block, laneX(Browser), float64(width-margin), y)
			}
			y = drawArrow(&arrows, a, laneX(a.From), laneX(a.To), y)
		}
	}
	y += 16
	for i := range heads {
		x := laneX(Lane(i - 2))
		fmt.Fprintf(&body, `<line class="lifeline" x1="%s" y1="%s" x2="%s" y2="%s"/>`+"\n", num(x), num(headTop+headHeight), num(x), num(y))
	}
	body.Write(arrows.Bytes())
	height := int(y) + margin

	var out bytes.Buffer
	fmt.Fprintf(&out, `<svg xmlns="http://www.w3.org/2000/svg" class="corsim-diagram" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s">`+"\n",
		width, height, width, height, esc("CORS sequence diagram: "+d.Title))
	fmt.Fprintf(&out, "<title>%s</title>\n<style>%s</style>\n<defs>", esc(d.Title), style)
	for _, m := range markers {
		fmt.Fprintf(&out, `<marker id="cd-ah-%s" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path class="m-%s" d="M0,0L10,5L0,10z"/></marker>`, m, m)
	}
	out.WriteString("</defs>\n")
	fmt.Fprintf(&out, `<rect class="bg" x="0" y="0" width="%d" height="%d"/>`+"\n", width, height)
	out.Write(body.Bytes())
	out.WriteString("</svg>\n")
	return out.Bytes()
}

// drawArrow draws a's label above its line, starting at y, and returns
// the y below it.
func drawArrow(b *bytes.Buffer, a Arrow, x1, x2, y float64) float64 {
	class := a.Kind.class()
	if a.Failed {
		class += " failed"
	}
	left, span := x1, x2-x1
	if span < 0 {
		left, span = x2, -span
	}
	maxChars := int((span - 2*labelPad) / charWidth)
	var lines []labelLine
	for i, l := range a.Lines {
		for _, w := range wrapLabel(l, maxChars) {
			w.title = i == 0
			lines = append(lines, w)
		}
	}
	if len(lines) > maxLabelLines {
		more := len(lines) - (maxLabelLines - 1)
		lines = append(lines[:maxLabelLines-1], labelLine{text: "… " + strconv.Itoa(more) + " more lines"})
	}
	fmt.Fprintf(b, `<g class="%s">`, class)
	for _, line := range lines {
		y += lineHeight
		cls := ""
		if line.title {
			cls = ` class="t"`
		}
		x := left + labelPad
		if line.cont {
			x += 2 * charWidth
		}
		fmt.Fprintf(b, `<text%s x="%s" y="%s">%s</text>`, cls, num(x), num(y), esc(line.text))
	}
	y += 9
	end := x2 - 2
	if x2 < x1 {
		end = x2 + 2
	}
	fmt.Fprintf(b, `<line class="arrow" x1="%s" y1="%s" x2="%s" y2="%s" marker-end="url(#cd-ah-%s)"/>`, num(x1), num(y), num(end), num(y), markerFor(a))
	if a.Failed && a.Kind == Response {
		// ✗ where the browser refused the answer.
		fmt.Fprintf(b, `<g class="xmark"><circle cx="%s" cy="%s" r="9"/><text x="%s" y="%s">✗</text></g>`, num(x2+32), num(y), num(x2+32), num(y+4.5))
	}
	b.WriteString("</g>\n")
	return y + 10
}

// drawBlock draws the block note from the browser lane to the right edge.
func drawBlock(b *bytes.Buffer, bl *Block, browserX, right, y float64) float64 {
	left := browserX - headWidth/2
	w := right - left
	chars := int((w - 24) / charWidth)
	var lines []struct{ cls, text string }
	add := func(cls, text string) {
		for _, l := range wrap(text, chars) {
			lines = append(lines, struct{ cls, text string }{cls, l})
		}
	}
	add("t", "✗ blocked: "+bl.Reason)
	if bl.Step != "" {
		add("", "at "+bl.Step)
	}
	add("", bl.Sentence)
	if bl.Fix != "" {
		add("fix", "fix: "+bl.Fix)
	} else {
		add("", "no response header can let this through")
	}
	y += 6
	h := float64(len(lines))*lineHeight + 14
	fmt.Fprintf(b, `<g class="block"><rect x="%s" y="%s" width="%s" height="%s" rx="6"/>`, num(left), num(y), num(w), num(h))
	ty := y + 4
	for _, l := range lines {
		ty += lineHeight
		cls := ""
		if l.cls != "" {
			cls = ` class="` + l.cls + `"`
		}
		fmt.Fprintf(b, `<text%s x="%s" y="%s">%s</text>`, cls, num(left+12), num(ty), esc(l.text))
	}
	b.WriteString("</g>\n")
	return y + h + 4
}

// labelLine is one drawn line of a label; a continuation is indented.
type labelLine struct {
	text  string
	cont  bool
	title bool // part of the arrow's first line, drawn bold
}

// wrapLabel breaks a label line into lines of at most n runes (the
// continuations indented by two), after a space, comma, slash, ampersand or
// question mark where it can, never inside "//".
func wrapLabel(s string, n int) []labelLine {
	if n < 16 {
		n = 16
	}
	var out []labelLine
	r := []rune(s)
	width := n
	for len(r) > width {
		cut := width
		for i := width; i > width/2; i-- {
			if strings.ContainsRune(" ,/&?", r[i-1]) && !(r[i-1] == '/' && (r[i] == '/' || i >= 2 && r[i-2] == '/')) {
				cut = i
				break
			}
		}
		out = append(out, labelLine{text: string(r[:cut]), cont: len(out) > 0})
		r = r[cut:]
		width = n - 2
	}
	return append(out, labelLine{text: string(r), cont: len(out) > 0})
}

// esc escapes text for XML; characters XML cannot hold become U+FFFD.
func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// clip cuts s to n runes, ending in "…" when cut.
func clip(s string, n int) string {
	if n < 2 {
		n = 2
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// wrap breaks s into lines of at most n runes, at spaces where it can.
func wrap(s string, n int) []string {
	if n < 8 {
		n = 8
	}
	var out []string
	for utf8.RuneCountInString(s) > n {
		r := []rune(s)
		cut := n
		for i := n; i > n/2; i-- {
			if r[i] == ' ' {
				cut = i
				break
			}
		}
		out = append(out, strings.TrimRight(string(r[:cut]), " "))
		s = strings.TrimLeft(string(r[cut:]), " ")
	}
	if s != "" || len(out) == 0 {
		out = append(out, s)
	}
	return out
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
