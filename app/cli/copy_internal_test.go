package cli

import (
	"strings"
	"testing"
	"time"
)

// TestConvertValue: what the SQLite driver reads becomes what the
// PostgreSQL column takes, and what cannot is an error, not a guess.
func TestConvertValue(t *testing.T) {
	at := time.Date(2026, 11, 22, 2, 30, 38, 59932000, time.UTC)
	for _, tc := range []struct {
		pgType string
		in     any
		want   any
	}{
		{"boolean", int64(1), true},
		{"boolean", int64(0), false},
		{"boolean", "true", true},
		{"boolean", nil, nil},
		// Bun's sqlite dialect, the driver's own time.Time.String, ISO 8601.
		{"timestamp with time zone", "2026-11-22 02:30:38.059932+00:00", at},
		{"timestamp with time zone", "2026-11-22 02:30:38.059932 +0000 UTC m=+0.001", at},
		{"timestamp with time zone", "2026-11-22T04:30:38.059932+02:00", at},
		{"timestamp with time zone", at.In(time.FixedZone("x", 3600)), at},
		// CURRENT_TIMESTAMP: UTC without a zone.
		{"timestamp with time zone", "2026-11-22 02:30:38", at.Truncate(time.Second)},
		{"bytea", "png", []byte("png")},
		{"bigint", int64(42), int64(42)},
		{"integer", float64(587), int64(587)},
		{"text", []byte("héllo"), "héllo"},
		{"text", "[]", "[]"},
	} {
		got, err := convertValue(tc.pgType, tc.in)
		if err != nil {
			t.Errorf("%s %#v: %v", tc.pgType, tc.in, err)
			continue
		}
		switch w := tc.want.(type) {
		case time.Time:
			if g, ok := got.(time.Time); !ok || !g.Equal(w) || g.Location() != time.UTC {
				t.Errorf("%s %#v: %#v, want %v", tc.pgType, tc.in, got, w)
			}
		case []byte:
			if g, ok := got.([]byte); !ok || string(g) != string(w) {
				t.Errorf("%s %#v: %#v", tc.pgType, tc.in, got)
			}
		default:
			if got != tc.want {
				t.Errorf("%s %#v: %#v, want %#v", tc.pgType, tc.in, got, tc.want)
			}
		}
	}
	for _, tc := range []struct {
		pgType string
		in     any
	}{
		{"boolean", int64(2)},
		{"boolean", "maybe"},
		{"timestamp with time zone", "next tuesday"},
		{"timestamp with time zone", int64(1700000000)},
		{"bigint", "12abc"},
		{"integer", 1.5},
	} {
		if got, err := convertValue(tc.pgType, tc.in); err == nil {
			t.Errorf("%s %#v became %#v", tc.pgType, tc.in, got)
		}
	}
}

// TestOrderTables: parents before children, ties by name, a self-reference
// is no dependency, and a cycle is named.
func TestOrderTables(t *testing.T) {
	byName := map[string]*copyTable{
		"tenants":      {name: "tenants"},
		"users":        {name: "users", deps: []string{"tenants"}, selfRef: []string{"manager_id"}},
		"companies":    {name: "companies", deps: []string{"tenants"}},
		"user_company": {name: "user_company", deps: []string{"users", "companies", "tenants"}},
	}
	names := []string{"companies", "tenants", "user_company", "users"}
	got, err := orderTables(names, byName)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, t := range got {
		order = append(order, t.name)
	}
	if strings.Join(order, ",") != "tenants,companies,users,user_company" {
		t.Errorf("order: %v", order)
	}
	byName["tenants"].deps = []string{"user_company"}
	if _, err := orderTables(names, byName); err == nil || !strings.Contains(err.Error(), "cycle") {
		t.Errorf("a cycle: %v", err)
	}
}
