package contacts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// By is who performs a change: the actor, whose scope and rights decide,
// and the audit record's who.
type By struct {
	Actor policy.Actor
	Who   audit.Who
}

// ContactInput is what a create or change sets; nil leaves a field as it
// is (on create: empty). UserID 0 unlinks the portal user; ExternalID ""
// clears the external ID. The field names are those of the JSON API.
type ContactInput struct {
	CompanyID  *int64  `json:"company_id,omitempty"`
	Name       *string `json:"name,omitempty"`
	Email      *string `json:"email,omitempty"`
	Phone      *string `json:"phone,omitempty"`
	Title      *string `json:"title,omitempty"`
	Notes      *string `json:"notes,omitempty"`
	UserID     *int64  `json:"user_id,omitempty"`
	ExternalID *string `json:"external_id,omitempty"`
}

// Create adds a contact to a company actor by.Actor may edit contacts of
// (policy.CanEditContact; another company is *policy.ErrFieldForbidden
// for "company"), with its audit record. Bad values are valid.Errors.
func Create(ctx context.Context, db *store.Scoped, by By, in ContactInput) (*Contact, error) {
	var out *Contact
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		r, err := create(ctx, tx, by, in, nil)
		if err != nil {
			return err
		}
		out, err = Get(ctx, tx, by.Actor, r.ID)
		return err
	})
	return out, err
}

// create is Create inside a transaction; externalID, when set, is the new
// contact's external ID (the upsert's key).
func create(ctx context.Context, tx *store.Scoped, by By, in ContactInput, externalID *string) (*Row, error) {
	now := time.Now().UTC()
	r := &Row{CreatedAt: now, UpdatedAt: now, ExternalID: externalID}
	if by.Actor.UserID != 0 {
		id := by.Actor.UserID
		r.CreatedBy = &id
	}
	if in.Name == nil {
		in.Name = new(string)
	}
	if err := apply(ctx, tx, by.Actor, r, in); err != nil {
		return nil, err
	}
	if _, err := tx.Insert(r).Exec(ctx); err != nil {
		if store.IsUniqueViolation(err) {
			return nil, ErrConflict
		}
		return nil, fmt.Errorf("contacts: create: %w", err)
	}
	if err := audit.Record(ctx, tx, by.Who, audit.ContactChange, "contact", r.ID, "added contact "+r.Name); err != nil {
		return nil, err
	}
	return r, nil
}

// Update changes contact id, found through the actor's scope (else
// ErrNotFound). A change that sets every field to what it already holds
// writes nothing and records nothing.
func Update(ctx context.Context, db *store.Scoped, by By, id int64, in ContactInput) (*Contact, error) {
	var out *Contact
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		r, err := load(ctx, tx, by.Actor, id)
		if err != nil {
			return err
		}
		if err := update(ctx, tx, by, r, in); err != nil {
			return err
		}
		out, err = Get(ctx, tx, by.Actor, id)
		return err
	})
	return out, err
}

func update(ctx context.Context, tx *store.Scoped, by By, r *Row, in ContactInput) error {
	if !policy.CanEditContact(by.Actor, r.CompanyID) {
		return &policy.ErrFieldForbidden{Field: "company"}
	}
	old := *r
	if err := apply(ctx, tx, by.Actor, r, in); err != nil {
		return err
	}
	if same(old, *r) {
		return nil
	}
	r.UpdatedAt = time.Now().UTC()
	if _, err := tx.Update(r).WherePK().Exec(ctx); err != nil {
		if store.IsUniqueViolation(err) {
			return ErrConflict
		}
		return fmt.Errorf("contacts: update %d: %w", r.ID, err)
	}
	return audit.Record(ctx, tx, by.Who, audit.ContactChange, "contact", r.ID, "changed contact "+r.Name)
}

// Delete removes contact id, found through the actor's scope, with its
// audit record.
func Delete(ctx context.Context, db *store.Scoped, by By, id int64) error {
	return db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		r, err := load(ctx, tx, by.Actor, id)
		if err != nil {
			return err
		}
		if !policy.CanEditContact(by.Actor, r.CompanyID) {
			return &policy.ErrFieldForbidden{Field: "company"}
		}
		if _, err := tx.Delete((*Row)(nil)).Where("id = ?", r.ID).Exec(ctx); err != nil {
			return fmt.Errorf("contacts: delete %d: %w", r.ID, err)
		}
		return audit.Record(ctx, tx, by.Who, audit.ContactChange, "contact", r.ID, "deleted contact "+r.Name)
	})
}

// Upsert creates or changes the contact with external ID externalID, for a
// PSA's sync: created reports which. Only those who may set external IDs
// (policy.CanSetContactExternalID) use it. The same body sent twice
// changes nothing the second time and records nothing.
func Upsert(ctx context.Context, db *store.Scoped, by By, externalID string, in ContactInput) (out *Contact, created bool, err error) {
	externalID = strings.TrimSpace(externalID)
	if !policy.CanSetContactExternalID(by.Actor) {
		return nil, false, &policy.ErrFieldForbidden{Field: "external_id"}
	}
	if msg := checkExternalID(externalID); msg != "" {
		return nil, false, valid.Errors{"external_id": msg}
	}
	in.ExternalID = nil
	err = db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		r := new(Row)
		err := scoped(tx, r, by.Actor).Where("con.external_id = ?", externalID).Scan(ctx)
		switch {
		case err == nil:
			if err := update(ctx, tx, by, r, in); err != nil {
				return err
			}
		case errors.Is(err, sql.ErrNoRows):
			if r, err = create(ctx, tx, by, in, &externalID); err != nil {
				return err
			}
			created = true
		default:
			return fmt.Errorf("contacts: find external ID: %w", err)
		}
		out, err = Get(ctx, tx, by.Actor, r.ID)
		return err
	})
	return out, created, err
}

func same(a, b Row) bool {
	return a.CompanyID == b.CompanyID && eqPtr(a.UserID, b.UserID) && a.Name == b.Name && a.Email == b.Email &&
		a.Phone == b.Phone && a.Title == b.Title && a.Notes == b.Notes && eqPtr(a.ExternalID, b.ExternalID)
}

func eqPtr[T comparable](a, b *T) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

func checkExternalID(s string) string {
	if s == "" {
		return fmt.Sprintf("Use an external ID of 1 to %d characters.", MaxExternalID)
	}
	if !valid.Text(s) {
		return "Use text only."
	}
	return valid.Line(s, MaxExternalID)
}

// line validates a one-line field: trimmed, at most max characters, no
// control characters.
func line(errs valid.Errors, field string, v *string, max int, dst *string) {
	if v == nil {
		return
	}
	s := strings.TrimSpace(*v)
	if !valid.Text(s) {
		errs.Add(field, "Use text only.")
	} else if msg := valid.Line(s, max); msg != "" {
		errs.Add(field, msg)
	}
	*dst = s
}

// apply validates the fields in sets and writes them to r, for actor a:
// the company must be one a may edit contacts of, the user an active
// external user of that company, the external ID one a may set.
func apply(ctx context.Context, tx *store.Scoped, a policy.Actor, r *Row, in ContactInput) error {
	if in.ExternalID != nil && !policy.CanSetContactExternalID(a) {
		return &policy.ErrFieldForbidden{Field: "external_id"}
	}
	errs := valid.Errors{}
	companyChanged := false
	if r.ID == 0 && in.CompanyID == nil {
		errs.Add("company", "Choose a company from the list.")
	}
	if in.CompanyID != nil && (*in.CompanyID != r.CompanyID || r.ID == 0) {
		id := *in.CompanyID
		switch {
		case id <= 0:
			errs.Add("company", "Choose a company from the list.")
		case !policy.CanEditContact(a, id):
			return &policy.ErrFieldForbidden{Field: "company"}
		default:
			n, err := tx.Select((*people.Company)(nil)).Where("c.id = ?", id).Count(ctx)
			if err != nil {
				return fmt.Errorf("contacts: check company %d: %w", id, err)
			}
			if n == 0 {
				errs.Add("company", "Choose a company from the list.")
			}
		}
		r.CompanyID, companyChanged = id, true
	}
	if in.Name != nil {
		line(errs, "name", in.Name, MaxName, &r.Name)
		if r.Name == "" {
			errs.Add("name", "Enter the contact's name.")
		}
	}
	if in.Email != nil {
		s := strings.TrimSpace(*in.Email)
		if s != "" {
			if addr, err := mail.ParseAddress(s); err != nil || addr.Address != s || len(s) > valid.MaxEmail {
				errs.Add("email", "Enter an address like name@example.com, or leave it empty.")
			}
		}
		r.Email = s
	}
	line(errs, "phone", in.Phone, MaxPhone, &r.Phone)
	line(errs, "title", in.Title, MaxTitle, &r.Title)
	if in.Notes != nil {
		s := strings.TrimSpace(*in.Notes)
		if !valid.Text(s) {
			errs.Add("notes", "Use text only.")
		} else if msg := valid.MultiLine(s, MaxNotes); msg != "" {
			errs.Add("notes", msg)
		}
		r.Notes = s
	}
	userChanged := false
	if in.UserID != nil {
		switch id := *in.UserID; {
		case id < 0:
			errs.Add("user", "Choose a portal user of the contact's company.")
		case id == 0:
			r.UserID = nil
		case r.UserID == nil || *r.UserID != id:
			r.UserID, userChanged = &id, true
		}
	}
	if r.UserID != nil && (userChanged || companyChanged) && errs["company"] == "" {
		ok, err := isCandidate(ctx, tx, *r.UserID, r.CompanyID)
		if err != nil {
			return err
		}
		if !ok {
			errs.Add("user", "Choose a portal user of the contact's company.")
		}
	}
	if in.ExternalID != nil {
		if s := strings.TrimSpace(*in.ExternalID); s == "" {
			r.ExternalID = nil
		} else if msg := checkExternalID(s); msg != "" {
			errs.Add("external_id", msg)
		} else {
			r.ExternalID = &s
		}
	}
	return errs.Err()
}

// isCandidate reports whether user id may be linked to a contact of
// company companyID: an active external user assigned to that company.
func isCandidate(ctx context.Context, tx *store.Scoped, id, companyID int64) (bool, error) {
	n, err := tx.Select((*people.User)(nil)).
		Where("u.id = ? AND u.status = ? AND u.kind IN (?, ?)", id, people.Active, policy.ExternalEditor, policy.ExternalViewer).
		Where("u.id IN (SELECT ucx.user_id FROM user_companies AS ucx WHERE ucx.tenant_id = ? AND ucx.company_id = ?)", tx.TenantID(), companyID).
		Count(ctx)
	if err != nil {
		return false, fmt.Errorf("contacts: check user %d: %w", id, err)
	}
	return n > 0, nil
}
