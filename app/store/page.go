package store

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The size of one page of any list: DefaultLimit when the caller names none,
// never more than MaxLimit. Lists have no other cap: every row is reachable
// by following the cursors.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// ErrBadCursor means a cursor this list did not hand out: tampered with,
// truncated, or taken from another list.
var ErrBadCursor = errors.New("store: bad cursor")

// Page asks for one page of a list: at most Limit rows after the position
// Cursor names ("" for the first page).
type Page struct {
	Limit  int
	Cursor string
}

// Size is the number of rows to return: Limit within 1..MaxLimit, else the default.
func (p Page) Size() int {
	if p.Limit < 1 || p.Limit > MaxLimit {
		return DefaultLimit
	}
	return p.Limit
}

// Cursor is the position after the last row of a page: that row's sort key
// (empty for lists ordered by ID alone) and ID.
type Cursor struct {
	Key string
	ID  int64
}

// maxCursorKey bounds the sort key a cursor may carry.
const maxCursorKey = 1024

// EncodeCursor turns a position in list into an opaque string for
// next_cursor: the list's name, the ID and the key, with a checksum so that
// an edited or truncated cursor is refused rather than read as another
// position. The checksum guards against mistakes, not attackers: whatever
// position a cursor names, the list stays within the actor's scope.
func EncodeCursor(list string, c Cursor) string {
	payload := []byte(list + "\x00" + strconv.FormatInt(c.ID, 10) + "\x00" + c.Key)
	return base64.RawURLEncoding.EncodeToString(binary.BigEndian.AppendUint32(payload, crc32.ChecksumIEEE(payload)))
}

// DecodeCursor reads a cursor of list. The empty string is the first page
// (ok false); anything EncodeCursor did not produce for this list is ErrBadCursor.
func DecodeCursor(list, s string) (c Cursor, ok bool, err error) {
	if s == "" {
		return Cursor{}, false, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) < 4 {
		return Cursor{}, false, ErrBadCursor
	}
	b, sum := b[:len(b)-4], binary.BigEndian.Uint32(b[len(b)-4:])
	if crc32.ChecksumIEEE(b) != sum || !utf8.Valid(b) {
		return Cursor{}, false, ErrBadCursor
	}
	parts := strings.SplitN(string(b), "\x00", 3)
	if len(parts) != 3 || parts[0] != list || len(parts[2]) > maxCursorKey {
		return Cursor{}, false, ErrBadCursor
	}
	id, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || id <= 0 || parts[1] != strconv.FormatInt(id, 10) {
		return Cursor{}, false, ErrBadCursor
	}
	return Cursor{Key: parts[2], ID: id}, true, nil
}
