package reports

import (
	"fmt"
	"strings"

	"github.com/atrium-portal/atrium/app/valid"
)

// The editor writes the rows of a metrics or rocks part as lines of cells
// split by "|": "First response time (h) | 1.6 | ≤ 2" and "Roll out MFA |
// Ken Thompson | off track". These functions turn rows into lines and back;
// the rows are then checked like any others.

// MetricLines are rows as the editor's lines.
func MetricLines(rows []MetricRow) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(r.Label + " | " + r.Value)
		if r.Target != "" {
			b.WriteString(" | " + r.Target)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// RockLines are rows as the editor's lines.
func RockLines(rows []RockRow) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(r.Title + " | " + r.Owner + " | " + r.Status.Label() + "\n")
	}
	return b.String()
}

// cells splits the non-blank lines of text into at most n trimmed cells each.
func cells(text string, n int) ([][]string, error) {
	var out [][]string
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		cs := strings.Split(line, "|")
		if len(cs) > n {
			return nil, valid.Errors{"rows": fmt.Sprintf("Line %d has more than %d cells split by |.", i+1, n)}
		}
		for len(cs) < n {
			cs = append(cs, "")
		}
		for j := range cs {
			cs[j] = strings.TrimSpace(cs[j])
		}
		out = append(out, cs)
	}
	if len(out) > MaxRows {
		return nil, valid.Errors{"rows": fmt.Sprintf("At most %d rows.", MaxRows)}
	}
	return out, nil
}

// ParseMetricLines reads the editor's lines "label | value | target".
func ParseMetricLines(text string) ([]MetricRow, error) {
	cs, err := cells(text, 3)
	if err != nil {
		return nil, err
	}
	rows := []MetricRow{}
	for _, c := range cs {
		rows = append(rows, MetricRow{Label: c[0], Value: c[1], Target: c[2]})
	}
	return rows, nil
}

// ParseRockLines reads the editor's lines "title | owner | status", the
// status in words ("on track", "Off track", "done") or as stored.
func ParseRockLines(text string) ([]RockRow, error) {
	cs, err := cells(text, 3)
	if err != nil {
		return nil, err
	}
	rows := []RockRow{}
	for i, c := range cs {
		st := RockStatus(strings.ReplaceAll(strings.ToLower(c[2]), " ", "_"))
		if st == "" {
			st = OnTrack
		}
		switch st {
		case OnTrack, OffTrack, Done:
		default:
			return nil, valid.Errors{"rows": fmt.Sprintf("Line %d: the status is on track, off track or done.", i+1)}
		}
		rows = append(rows, RockRow{Title: c[0], Owner: c[1], Status: st})
	}
	return rows, nil
}
