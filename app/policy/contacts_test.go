package policy_test

import (
	"testing"

	"github.com/atrium-portal/atrium/app/policy"
)

// TestContacts spells out who sees and edits which company's contacts,
// independent of the golden tables.
func TestContacts(t *testing.T) {
	shown := map[policy.Page]policy.Module{policy.PageContacts: {Show: true}}
	member := policy.Actor{UserID: 1, TenantID: 1, Kind: policy.Member}
	hiddenMember := member
	hiddenMember.HiddenPages = []policy.Page{policy.PageContacts}
	editor := policy.Actor{UserID: 2, TenantID: 1, Kind: policy.ExternalEditor, Companies: []int64{10}, Modules: shown}
	editorNoModule := editor
	editorNoModule.Modules = map[policy.Page]policy.Module{policy.PageTickets: {Show: true}}
	editorHidden := editor
	editorHidden.Modules = map[policy.Page]policy.Module{policy.PageContacts: {Show: false}}
	viewer := policy.Actor{UserID: 3, TenantID: 1, Kind: policy.ExternalViewer, Companies: []int64{10}, Modules: shown}
	client := policy.Actor{UserID: 4, TenantID: 1, Kind: policy.Client}

	tests := []struct {
		name       string
		a          policy.Actor
		scope      policy.ScopeKind
		edit       bool // EditContacts
		own, other bool // CanEditContact for company 10 and 20
		extID      bool // sees external_id; sets it when also edit
	}{
		{"member", member, policy.ScopeAll, true, true, true, true},
		{"member with the page hidden", hiddenMember, policy.ScopeNone, false, false, false, true},
		{"external editor", editor, policy.ScopeMember, true, true, false, false},
		{"external editor without the module", editorNoModule, policy.ScopeNone, false, false, false, false},
		{"external editor with the module not shown", editorHidden, policy.ScopeNone, false, false, false, false},
		{"external viewer", viewer, policy.ScopeMember, false, false, false, false},
		{"client", client, policy.ScopeNone, false, false, false, false},
		{"anonymous", policy.Actor{}, policy.ScopeNone, false, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if s := policy.ContactsScope(tt.a); s.Kind != tt.scope || s.List != policy.ListContacts {
				t.Errorf("scope = %+v, want %v", s, tt.scope)
			}
			if got := policy.Allows(tt.a, policy.Settings{}, policy.EditContacts); got != tt.edit {
				t.Errorf("EditContacts = %v", got)
			}
			if got := policy.CanEditContact(tt.a, 10); got != tt.own {
				t.Errorf("CanEditContact(own company) = %v", got)
			}
			if got := policy.CanEditContact(tt.a, 20); got != tt.other {
				t.Errorf("CanEditContact(other company) = %v", got)
			}
			if got := policy.SeesContactExternalID(tt.a); got != tt.extID {
				t.Errorf("sees external ID = %v", got)
			}
			if got := policy.CanSetContactExternalID(tt.a); got != (tt.extID && tt.edit) {
				t.Errorf("sets external ID = %v", got)
			}
		})
	}
	if !policy.TokenAllows([]policy.TokenScope{policy.ScopeContactsWrite}, "", policy.EditContacts, "POST") {
		t.Error("contacts:write does not open EditContacts")
	}
	if policy.TokenAllows([]policy.TokenScope{policy.ScopeCompaniesWrite}, policy.PageContacts, policy.EditContacts, "POST") ||
		policy.TokenAllows([]policy.TokenScope{policy.ScopeCompaniesWrite}, policy.PageContacts, policy.ViewPage(policy.PageContacts), "GET") {
		t.Error("companies:write opens contacts")
	}
}
