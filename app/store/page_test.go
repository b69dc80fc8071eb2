package store_test

import (
	"errors"
	"testing"

	"github.com/atrium-portal/atrium/app/store"
)

func TestCursorRoundTripAndTampering(t *testing.T) {
	c := store.Cursor{Key: "Globex Corporation", ID: 1050}
	s := store.EncodeCursor("companies", c)
	got, ok, err := store.DecodeCursor("companies", s)
	if err != nil || !ok || got != c {
		t.Fatalf("round trip: %+v %v %v", got, ok, err)
	}
	if _, ok, err := store.DecodeCursor("companies", ""); ok || err != nil {
		t.Errorf("empty cursor: %v %v", ok, err)
	}
	for name, bad := range map[string]string{
		"other list": store.EncodeCursor("teams", c),
		"not base64": "!!!",
		"truncated":  s[:len(s)-6],
		"plain id":   "1050",
		"zero id":    store.EncodeCursor("companies", store.Cursor{ID: 0}),
		"flipped":    s[:3] + "A" + s[4:],
	} {
		if _, _, err := store.DecodeCursor("companies", bad); !errors.Is(err, store.ErrBadCursor) {
			t.Errorf("%s: %v", name, err)
		}
	}
	for limit, want := range map[int]int{0: 50, -1: 50, 1: 1, 200: 200, 201: 50} {
		if got := (store.Page{Limit: limit}).Size(); got != want {
			t.Errorf("Size(%d) = %d", limit, got)
		}
	}
}
