package policy_test

import (
	"testing"

	"github.com/atrium-portal/atrium/app/policy"
)

// Benchmarks of the decisions every list request makes:
//
//	go test ./app/policy -run '^$' -bench . -benchmem -count 6
//
// BenchmarkTicketsScope is the tickets scope of an external editor of 8
// companies in a tenant of 12 boards: some open to every company, some to
// a few, some to other kinds only.
func BenchmarkTicketsScope(b *testing.B) {
	a := policy.Actor{UserID: 7, TenantID: 1, Kind: policy.ExternalEditor, Companies: []int64{1, 2, 3, 4, 5, 6, 7, 8},
		Modules: map[policy.Page]policy.Module{policy.PageTickets: {Show: true}}}
	var r policy.TicketRules
	for id := int64(1); id <= 12; id++ {
		rule := policy.BoardRule{ID: id}
		switch id % 3 {
		case 0:
			rule.Kinds, rule.AllCompanies = []policy.Kind{policy.ExternalEditor, policy.ExternalViewer}, true
		case 1:
			rule.Kinds, rule.Companies = []policy.Kind{policy.ExternalEditor}, []int64{id % 8, id%8 + 1, 9, 10}
		case 2:
			rule.Kinds, rule.AllCompanies = []policy.Kind{policy.Client}, true
		}
		r.Boards = append(r.Boards, rule)
	}
	if s := policy.TicketsScope(a, r); s.None() || s.All {
		b.Fatalf("scope %+v", s)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		policy.TicketsScope(a, r)
	}
}
