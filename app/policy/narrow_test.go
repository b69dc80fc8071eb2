package policy_test

import (
	"slices"
	"testing"

	"github.com/atrium-portal/atrium/app/policy"
)

// TestNarrowTo: the company switcher narrows an external user with several
// companies to one of theirs, and every company-keyed scope with it; any
// other choice leaves the actor with all of their companies.
func TestNarrowTo(t *testing.T) {
	ext := policy.Actor{UserID: 7, TenantID: 1, Kind: policy.ExternalEditor, Companies: []int64{3, 4},
		Modules: map[policy.Page]policy.Module{policy.PageContacts: {Show: true}, policy.PageCompanies: {Show: true}}}
	n := ext.NarrowTo(4)
	if !n.Narrowed() || !slices.Equal(n.Companies, []int64{4}) || !slices.Equal(ext.Companies, []int64{3, 4}) {
		t.Fatalf("narrowed to 4: %+v (original %+v)", n.Companies, ext.Companies)
	}
	for _, sc := range []policy.Scope{policy.CompaniesScope(n), policy.ContactsScope(n)} {
		if sc.Kind != policy.ScopeMember || !slices.Equal(sc.Companies, []int64{4}) {
			t.Errorf("%s scope of the narrowed actor: %s %v", sc.List, sc, sc.Companies)
		}
	}
	if sc := policy.CompaniesScope(ext); sc.Companies != nil {
		t.Errorf("scope of the whole actor narrows: %v", sc.Companies)
	}
	for name, a := range map[string]policy.Actor{
		"not theirs":  ext.NarrowTo(9),
		"one company": policy.Actor{UserID: 7, TenantID: 1, Kind: policy.ExternalViewer, Companies: []int64{3}}.NarrowTo(3),
		"member":      policy.Actor{UserID: 1, TenantID: 1, Kind: policy.Member}.NarrowTo(3),
	} {
		if a.Narrowed() {
			t.Errorf("%s: narrowed", name)
		}
	}
}
