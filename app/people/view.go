package people

import "github.com/atrium-portal/atrium/app/policy"

// View is a user as one actor may see them. It is the only value the
// edges build a user's HTML, JSON or CSV from, so a field the policy hides
// cannot reach any of them: the hidden fields are blank here, and
// ContactHidden says so for views that explain it.
type View struct {
	Listed
	// ContactHidden is set when the email, title, phone and status were
	// withheld (a deactivated user seen by someone who does not manage users).
	ContactHidden bool
}

// ViewFor filters l for actor a under the tenant's settings s.
func ViewFor(a policy.Actor, s policy.Settings, l Listed) View {
	v := View{Listed: l}
	if !policy.SeesContactDetails(a, s, l.Status == Deactivated) {
		v.Email, v.Title, v.Phone, v.Status = "", "", "", ""
		v.ContactHidden = true
	}
	return v
}
