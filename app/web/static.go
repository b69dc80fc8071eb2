package web

import (
	"mime"
	"path"

	"github.com/gofiber/fiber/v2"
)

type staticFile struct {
	data        []byte
	contentType string
}

func contentTypeOf(name string) string {
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		return ct
	}
	return "application/octet-stream"
}

// serveStatic serves the embedded ui/static files. A URL carrying the
// current version (?v=) is cached for a year; any other for a minute.
func (s *Server) serveStatic(c *fiber.Ctx) error {
	f, ok := s.static[c.Path()]
	if !ok {
		return errNotFound
	}
	if c.Query("v") == s.staticV {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Set(fiber.HeaderCacheControl, "public, max-age=60")
	}
	c.Set(fiber.HeaderETag, `"`+s.staticV+`"`)
	if c.Get(fiber.HeaderIfNoneMatch) == `"`+s.staticV+`"` {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, f.contentType)
	return c.Send(f.data)
}
