package ui

import "testing"

func TestCountText(t *testing.T) {
	for _, tc := range []struct {
		l    ListView
		want string
	}{
		{ListView{Count: 0, One: "ticket", Many: "tickets"}, "0 tickets"},
		{ListView{Count: 1, One: "ticket", Many: "tickets"}, "1 ticket"},
		{ListView{Count: 999, One: "ticket", Many: "tickets"}, "999 tickets"},
		{ListView{Count: 15196, One: "ticket", Many: "tickets"}, "15,196 tickets"},
		{ListView{Count: 1000, CountMore: true, One: "ticket", Many: "tickets"}, "More than 1,000 tickets"},
		{ListView{Count: 1234567, One: "person", Many: "people"}, "1,234,567 people"},
	} {
		if got := tc.l.CountText(); got != tc.want {
			t.Errorf("CountText(%d, more %v) = %q, want %q", tc.l.Count, tc.l.CountMore, got, tc.want)
		}
	}
	if got := Thousands(-1234); got != "-1,234" {
		t.Errorf("Thousands(-1234) = %q", got)
	}
}
