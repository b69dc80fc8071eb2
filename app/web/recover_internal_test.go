package web

import (
	"bytes"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// TestPanicsStayInTheLog: a panicking handler answers a plain 500; the
// panic and its stack go to the log, never to the client.
func TestPanicsStayInTheLog(t *testing.T) {
	var logs bytes.Buffer
	s := &Server{Deps: Deps{Log: slog.New(slog.NewTextHandler(&logs, nil))}}
	s.app = fiber.New(fiber.Config{ErrorHandler: s.handleError, Immutable: true})
	s.app.Use(s.logRequests, s.recoverPanics)
	s.app.Get("/api/v1/boom", func(*fiber.Ctx) error { panic("secret internal detail") })
	s.app.Get("/boom", func(*fiber.Ctx) error { panic("secret internal detail") })
	for _, path := range []string{"/api/v1/boom", "/boom"} {
		res, err := s.app.Test(httptest.NewRequest("GET", path, nil))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != 500 || strings.Contains(string(body), "secret") || strings.Contains(string(body), "goroutine") {
			t.Errorf("%s: %d %s", path, res.StatusCode, body)
		}
	}
	if !strings.Contains(logs.String(), "secret internal detail") || !strings.Contains(logs.String(), "status=500") {
		t.Errorf("log lacks the panic or the request line:\n%s", logs.String())
	}
}
