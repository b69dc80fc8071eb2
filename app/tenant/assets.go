package tenant

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/uptrace/bun"

	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/valid"
)

// AssetKind names an uploaded branding image.
type AssetKind string

// The branding images a tenant may upload.
const (
	Logo    AssetKind = "logo"
	Favicon AssetKind = "favicon"
)

// Asset is an uploaded branding image, kept in the database so that every
// instance serves the same one.
type Asset struct {
	bun.BaseModel `bun:"table:tenant_assets,alias:ta"`
	store.TenantOwned

	ID          int64     `bun:"id,pk,autoincrement"`
	Kind        AssetKind `bun:"kind,notnull"`
	ContentType string    `bun:"content_type,notnull"`
	Data        []byte    `bun:"data,notnull"`
	ETag        string    `bun:"etag,notnull"`
	UpdatedAt   time.Time `bun:"updated_at,notnull"`
}

// allowedImages are the types accepted for uploads. SVG is refused: it can
// carry script, and a logo is served from the tenant's own origin.
var allowedImages = map[string]bool{
	"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true, "image/x-icon": true,
}

// SniffImage returns the content type of data when it is an accepted image.
func SniffImage(data []byte) (string, bool) {
	ct := http.DetectContentType(data)
	if bytes.HasPrefix(data, []byte{0, 0, 1, 0}) {
		ct = "image/x-icon"
	}
	return ct, allowedImages[ct]
}

// SaveAsset stores (or replaces) the tenant's image of kind after checking
// its size and type by content, not by the name or header the client sent.
func SaveAsset(ctx context.Context, db *store.Scoped, kind AssetKind, data []byte, maxBytes int) (*Asset, error) {
	field := string(kind)
	switch {
	case kind != Logo && kind != Favicon:
		return nil, valid.Errors{field: "Unknown image."}
	case len(data) == 0:
		return nil, valid.Errors{field: "Choose an image file."}
	case len(data) > maxBytes:
		return nil, valid.Errors{field: fmt.Sprintf("The image is larger than %d KB.", maxBytes/1024)}
	}
	ct, ok := SniffImage(data)
	if !ok {
		return nil, valid.Errors{field: "Use a PNG, JPEG, GIF, WebP or ICO image."}
	}
	sum := sha256.Sum256(data)
	a := &Asset{Kind: kind, ContentType: ct, Data: data, ETag: hex.EncodeToString(sum[:8]), UpdatedAt: time.Now().UTC()}
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		if _, err := tx.Delete((*Asset)(nil)).Where("kind = ?", kind).Exec(ctx); err != nil {
			return err
		}
		_, err := tx.Insert(a).Exec(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("tenant: save %s: %w", kind, err)
	}
	return a, nil
}

// DeleteAsset removes the tenant's image of kind, going back to the default.
func DeleteAsset(ctx context.Context, db *store.Scoped, kind AssetKind) error {
	if _, err := db.Delete((*Asset)(nil)).Where("kind = ?", kind).Exec(ctx); err != nil {
		return fmt.Errorf("tenant: delete %s: %w", kind, err)
	}
	return nil
}

// LoadAsset returns the tenant's image of kind, or nil when none was uploaded.
func LoadAsset(ctx context.Context, db *store.Scoped, kind AssetKind) (*Asset, error) {
	a := new(Asset)
	err := db.Select(a).Where("kind = ?", kind).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("tenant: load %s: %w", kind, err)
	}
	return a, nil
}

// AssetVersions returns the ETag of each uploaded image, for cache-busting URLs.
func AssetVersions(ctx context.Context, db *store.Scoped) (map[AssetKind]string, error) {
	var rows []Asset
	if err := db.Select(&rows).Column("kind", "etag").Scan(ctx); err != nil {
		return nil, fmt.Errorf("tenant: asset versions: %w", err)
	}
	out := map[AssetKind]string{}
	for _, r := range rows {
		out[r.Kind] = r.ETag
	}
	return out, nil
}
