package store_test

import (
	"errors"
	"testing"

	"github.com/atrium-portal/atrium/app/store"
)

func TestSortsAndTheirCursors(t *testing.T) {
	sorts := store.Sorts{
		{Name: "name", Expr: "x.name", ID: "x.id"},
		{Name: "-name", Expr: "x.name", ID: "x.id", Desc: true},
		{Name: "-created", ID: "x.id", Desc: true},
	}
	if o, ok := sorts.Find(""); !ok || o.Name != "name" {
		t.Errorf("default: %+v %v", o, ok)
	}
	if _, ok := sorts.Find("email"); ok {
		t.Error("an unknown sort is found")
	}
	if got := sorts.Names(); got != "name, -name, -created" {
		t.Errorf("names: %q", got)
	}
	byName, _ := sorts.Find("name")
	byNameDesc, _ := sorts.Find("-name")
	cur := byName.Encode("things", "Globex", 7)
	if c, ok, err := byName.Decode("things", cur); err != nil || !ok || c.Key != "Globex" || c.ID != 7 {
		t.Errorf("round trip: %+v %v %v", c, ok, err)
	}
	if _, _, err := byNameDesc.Decode("things", cur); !errors.Is(err, store.ErrBadCursor) {
		t.Errorf("a cursor of another sort: %v", err)
	}
	if _, _, err := byName.Decode("others", cur); !errors.Is(err, store.ErrBadCursor) {
		t.Errorf("a cursor of another list: %v", err)
	}
	newest, _ := sorts.Find("-created")
	if c, _, err := newest.Decode("things", newest.Encode("things", "ignored", 9)); err != nil || c.Key != "" || c.ID != 9 {
		t.Errorf("an ID sort carries no key: %+v %v", c, err)
	}
}
