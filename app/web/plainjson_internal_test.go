package web

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/atrium-portal/atrium/app/tickets"
)

// TestPlainJSONIsEncodingJSON: every value the fast path writes, it writes
// as json.Marshal does; what it cannot write, json.Marshal does.
func TestPlainJSONIsEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("aZ09 .,-_/:;!?'\"\\<>&\t\n\x00\x7fé€😀\u2028")
	randString := func() string {
		n := r.IntN(12)
		out := make([]rune, n)
		for i := range out {
			if r.IntN(3) == 0 {
				out[i] = alphabet[r.IntN(len(alphabet))]
			} else {
				out[i] = rune('a' + r.IntN(26))
			}
		}
		return string(out)
	}
	invalid := string([]byte{0xff, 'a'})
	values := []any{"", "plain", invalid, int64(0), int64(-42), true, false, (*string)(nil), (*nameRef)(nil),
		tickets.StatusInProgress, tickets.Priority("high"), 3.5, []string{"x"}}
	for range 2000 {
		s := randString()
		values = append(values, s, &s, &nameRef{ID: r.Int64N(1000), Name: s}, tickets.Status(s), r.Int64())
	}
	fast := 0
	for _, v := range values {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := appendPlainJSON(nil, v)
		if ok {
			fast++
			if !bytes.Equal(got, want) {
				t.Errorf("%#v: fast %s, json.Marshal %s", v, got, want)
			}
		}
		viaShown, err := json.Marshal(shown[any]{ok: true, v: v})
		if err != nil || !bytes.Equal(viaShown, want) {
			t.Errorf("%#v through shown: %s %v, want %s", v, viaShown, err, want)
		}
	}
	if fast < len(values)/2 {
		t.Errorf("the fast path took %d of %d values", fast, len(values))
	}
}
