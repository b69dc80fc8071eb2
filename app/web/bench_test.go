package web_test

import (
	"net/http/httptest"
	"testing"
)

// Benchmarks of whole requests through the server (routing, tenant and
// session lookup, policy, rendering) on a real SQLite file with the demo data:
//
//	go test ./app/web -run '^$' -bench . -benchmem -count 6
func benchRequest(b *testing.B, path string, signedIn bool) {
	e := newEnv(b, nil)
	cookie := ""
	if signedIn {
		c := e.client("acme.localhost").mustLogin("ken@acme.test", "demo-pass-1")
		cookie = "atrium_session=" + c.cookies["atrium_session"]
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := httptest.NewRequest("GET", path, nil)
		req.Host = "acme.localhost"
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		res, err := e.srv.App().Test(req, -1)
		if err != nil || res.StatusCode != 200 {
			b.Fatalf("%s: %v %v", path, res.StatusCode, err)
		}
		res.Body.Close()
	}
}

func BenchmarkHealthz(b *testing.B)      { benchRequest(b, "/healthz", false) }
func BenchmarkLoginPage(b *testing.B)    { benchRequest(b, "/login", false) }
func BenchmarkHomeSignedIn(b *testing.B) { benchRequest(b, "/", true) }
func BenchmarkMeAPI(b *testing.B)        { benchRequest(b, "/api/v1/me", true) }
func BenchmarkUsersListAPI(b *testing.B) { benchRequest(b, "/api/v1/users", true) }
