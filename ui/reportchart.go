package ui

import (
	"fmt"
	"html"
	"strings"
)

// The chart of a report: tickets opened and closed per week as an SVG
// drawn on the server. It is markup, not script, so the strict CSP holds;
// its colours come from the stylesheet (classes, no style attributes). It
// carries a <title> and a <desc> for assistive technology, and the page
// puts the same numbers in a table next to it.

const (
	chartW, chartH             = 640, 220
	chartLeft, chartRight      = 36, 8
	chartTop, chartBottom      = 12, 28
	chartPlotW                 = chartW - chartLeft - chartRight
	chartPlotH                 = chartH - chartTop - chartBottom
	chartMaxLabels             = 14
	chartBarShare, chartBarGap = 0.36, 0.04
)

// chartSVG draws c. Every text in it is escaped.
func chartSVG(c ReportChart) string {
	esc := html.EscapeString
	maxN := 1
	total := [2]int{}
	for _, w := range c.Weeks {
		maxN = max(maxN, w.Opened, w.Closed)
		total[0] += w.Opened
		total[1] += w.Closed
	}
	var b strings.Builder
	titleID, descID := c.ID+"-title", c.ID+"-desc"
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-labelledby="%s %s" xmlns="http://www.w3.org/2000/svg">`,
		chartW, chartH, esc(titleID), esc(descID))
	fmt.Fprintf(&b, `<title id="%s">Tickets opened and closed per week</title>`, esc(titleID))
	fmt.Fprintf(&b, `<desc id="%s">%d weeks: %d tickets opened and %d closed in all; at most %d in one week.</desc>`,
		esc(descID), len(c.Weeks), total[0], total[1], maxN)
	// Axis and grid: zero, half and the maximum.
	for _, v := range []int{0, (maxN + 1) / 2, maxN} {
		y := chartTop + chartPlotH - float64(v)*chartPlotH/float64(maxN)
		fmt.Fprintf(&b, `<line class="chart-grid" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/>`, chartLeft, chartW-chartRight, y, y)
		fmt.Fprintf(&b, `<text class="chart-axis" x="%d" y="%.1f" text-anchor="end">%d</text>`, chartLeft-6, y+4, v)
		if maxN == 1 {
			break
		}
	}
	n := len(c.Weeks)
	if n == 0 {
		b.WriteString(`</svg>`)
		return b.String()
	}
	group := float64(chartPlotW) / float64(n)
	bar := group * chartBarShare
	every := (n + chartMaxLabels - 1) / chartMaxLabels
	for i, w := range c.Weeks {
		x := float64(chartLeft) + float64(i)*group + group*(1-2*chartBarShare-chartBarGap)/2
		for j, v := range []int{w.Opened, w.Closed} {
			h := float64(v) * chartPlotH / float64(maxN)
			cls := [2]string{"chart-opened", "chart-closed"}[j]
			bx := x + float64(j)*(bar+group*chartBarGap)
			fmt.Fprintf(&b, `<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s: %d %s</title></rect>`,
				cls, bx, float64(chartTop+chartPlotH)-h, bar, h, esc(w.Label), v, [2]string{"opened", "closed"}[j])
		}
		if i%every == 0 {
			fmt.Fprintf(&b, `<text class="chart-axis" x="%.1f" y="%d" text-anchor="middle">%s</text>`,
				float64(chartLeft)+float64(i)*group+group/2, chartH-8, esc(w.Label))
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
}
