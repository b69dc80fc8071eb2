package people

import "github.com/atrium-portal/atrium/app/policy"

// UnnamedUser is how a user without a name is shown to someone who may not
// see their address either. It says nothing of their status.
const UnnamedUser = "Unnamed user"

// View is a user as one actor may see them. It is the only value the
// edges build a user's HTML, JSON or CSV from, so a field the policy hides
// cannot reach any of them: the hidden fields are blank here, and
// ContactHidden and AdminHidden say so, for views that explain it and for
// JSON that leaves the fields out.
type View struct {
	Listed
	// ContactHidden is set when the email, title, phone and status were
	// withheld (a deactivated user seen by someone who does not manage users).
	ContactHidden bool
	// AdminHidden is set when the administrative fields (hidden pages,
	// modules, own-tickets-only, test user, manager) were withheld: they are
	// for those who manage users and for the user themselves.
	AdminHidden bool
}

// ViewFor filters l for actor a under the tenant's settings s.
func ViewFor(a policy.Actor, s policy.Settings, l Listed) View {
	v := View{Listed: l}
	if !policy.SeesContactDetails(a, s, l.Status == Deactivated) {
		v.Email, v.Title, v.Phone, v.Status = "", "", "", ""
		v.ContactHidden = true
	}
	if !policy.SeesAdminFields(a, s, l.ID) {
		v.HiddenPages, v.Modules, v.OwnTicketsOnly, v.TestUser, v.ManagerID = nil, nil, false, false, nil
		v.AdminHidden = true
	}
	return v
}

// DisplayName is the name; else the address when the viewer may see it;
// else UnnamedUser. It never falls back to a withheld address.
func (v View) DisplayName() string { return displayName(v.Name, v.Email) }

func displayName(name, email string) string {
	switch {
	case name != "":
		return name
	case email != "":
		return email
	}
	return UnnamedUser
}
