// Package mailtest runs a real SMTP server in-process for tests: what the
// product sends goes through a full SMTP conversation and lands here.
package mailtest

import (
	"io"
	"net"
	"regexp"
	"strings"
	"sync"
	"testing"

	gosmtp "github.com/emersion/go-smtp"
)

// Inbox is an SMTP server that keeps every message it accepts.
type Inbox struct {
	// Addr is host:port of the server.
	Addr string

	mu       sync.Mutex
	messages []Message
	refuse   bool
}

// Message is one accepted message: the envelope and the raw data.
type Message struct {
	From, To string
	Data     string
}

// Body is the message with quoted-printable soft line breaks undone, for searching.
func (m Message) Body() string {
	return strings.NewReplacer("=\r\n", "", "=3D", "=").Replace(m.Data)
}

// Link finds the first URL in the message whose path starts with prefix (e.g. "/invite/").
func (m Message) Link(prefix string) string {
	re := regexp.MustCompile(`https?://[A-Za-z0-9.\-]+(:\d+)?` + regexp.QuoteMeta(prefix) + `[A-Za-z0-9_\-]+`)
	return re.FindString(m.Body())
}

// Start runs an inbox until the test ends.
func Start(t testing.TB) *Inbox {
	t.Helper()
	in := &Inbox{}
	srv := gosmtp.NewServer(in)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	in.Addr = ln.Addr().String()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })
	return in
}

// Refuse makes the server answer 451 to every message (or accept again).
func (in *Inbox) Refuse(refuse bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.refuse = refuse
}

// Messages returns what was accepted so far.
func (in *Inbox) Messages() []Message {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]Message(nil), in.messages...)
}

// NewSession implements gosmtp.Backend.
func (in *Inbox) NewSession(*gosmtp.Conn) (gosmtp.Session, error) { return &session{in: in}, nil }

type session struct {
	in       *Inbox
	from, to string
}

func (s *session) Mail(from string, _ *gosmtp.MailOptions) error { s.from = from; return nil }
func (s *session) Rcpt(to string, _ *gosmtp.RcptOptions) error   { s.to = to; return nil }
func (s *session) Reset()                                        {}
func (s *session) Logout() error                                 { return nil }

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.in.mu.Lock()
	defer s.in.mu.Unlock()
	if s.in.refuse {
		return &gosmtp.SMTPError{Code: 451, Message: "try again later"}
	}
	s.in.messages = append(s.in.messages, Message{From: s.from, To: s.to, Data: string(b)})
	return nil
}
