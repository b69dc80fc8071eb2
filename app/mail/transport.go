package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/netip"
	"net/smtp"
	"net/textproto"
	"strconv"
	"syscall"
	"time"

	"github.com/atrium-portal/atrium/app/valid"
)

// Envelope is a message ready to send.
type Envelope struct {
	From      mail.Address
	To        string
	Subject   string
	Text      string
	HTML      string
	MessageID string // stable across retries, so a receiver can drop a duplicate
}

// Transport delivers one message. Send returns nil only once the receiving
// server has accepted it.
type Transport interface {
	Send(ctx context.Context, e Envelope) error
	Name() string
}

// LogTransport writes messages, links included, to the log: the demo's
// default and what runs when no SMTP server is configured.
type LogTransport struct{ Log *slog.Logger }

// The names of the transports, recorded on each message they deliver
// (Message.DeliveredBy).
const (
	ByLog  = "log"
	BySMTP = "smtp"
)

// Name is "log".
func (LogTransport) Name() string { return ByLog }

// Send logs the message, then each link in it on a line of its own, so
// that an evaluator can copy an invitation or reset link from the log.
func (l LogTransport) Send(_ context.Context, e Envelope) error {
	l.Log.Info("email (log transport)", "from", e.From.String(), "to", e.To, "subject", e.Subject, "body", e.Text)
	for _, link := range Links(e.Text) {
		l.Log.Info("email link", "to", e.To, "subject", e.Subject, "url", link)
	}
	return nil
}

// SMTPTransport talks to an SMTP server.
type SMTPTransport struct {
	Host     string
	Port     int
	Username string
	Password string
	TLS      string // starttls (required), tls (implicit) or none
	Timeout  time.Duration
	// PublicOnly refuses to connect to a loopback, private, link-local or
	// otherwise non-public address, checked on the address actually dialled
	// (after DNS), so a name that resolves inward is refused too.
	PublicOnly bool
}

// ErrPrivateAddress is the refusal of a PublicOnly transport.
var ErrPrivateAddress = errors.New("this SMTP server is on a private or local network address, which tenant email settings may not use; ask the operator to allow it (smtp.tenant_private_hosts) or use a public server")

// publicOnly is a dialer Control that refuses non-public addresses.
func publicOnly(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return err
	}
	a = a.Unmap()
	cgnat := netip.MustParsePrefix("100.64.0.0/10")
	if a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() || a.IsMulticast() ||
		a.IsUnspecified() || a.IsInterfaceLocalMulticast() || cgnat.Contains(a) {
		return ErrPrivateAddress
	}
	return nil
}

// Name is "smtp".
func (SMTPTransport) Name() string { return BySMTP }

// Send delivers e and returns after the server's answer to the end of DATA.
func (s SMTPTransport) Send(ctx context.Context, e Envelope) error {
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	addr := net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
	d := net.Dialer{Timeout: timeout}
	if s.PublicOnly {
		d.Control = publicOnly
	}
	var conn net.Conn
	var err error
	if s.TLS == "tls" {
		conn, err = tls.DialWithDialer(&d, "tcp", addr, &tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12})
	} else {
		conn, err = d.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return fmt.Errorf("smtp: connect %s: %w", addr, err)
	}
	deadline := time.Now().Add(timeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	_ = conn.SetDeadline(deadline)
	c, err := smtp.NewClient(conn, s.Host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("smtp: greeting from %s: %w", addr, err)
	}
	defer c.Close()
	if s.TLS == "starttls" {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return fmt.Errorf("smtp: %s does not offer STARTTLS", addr)
		}
		if err := c.StartTLS(&tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12}); err != nil {
			return fmt.Errorf("smtp: starttls: %w", err)
		}
	}
	if s.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, s.Host)); err != nil {
			return fmt.Errorf("smtp: auth: %w", err)
		}
	}
	if err := c.Mail(e.From.Address); err != nil {
		return fmt.Errorf("smtp: MAIL FROM: %w", err)
	}
	if err := c.Rcpt(e.To); err != nil {
		return fmt.Errorf("smtp: RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp: DATA: %w", err)
	}
	raw, err := Compose(e, time.Now())
	if err != nil {
		return err
	}
	if _, err := w.Write(raw); err != nil {
		return fmt.Errorf("smtp: write: %w", err)
	}
	// Close sends the final dot and waits for the server's verdict: only a
	// 250 here means the message was accepted.
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp: message refused: %w", err)
	}
	_ = c.Quit()
	return nil
}

// Compose renders e as a multipart/alternative MIME message (text and HTML).
func Compose(e Envelope, now time.Time) ([]byte, error) {
	// An address with a line break could add headers or recipients: refuse
	// it. A name or subject is kept, on one line.
	if valid.HasControl(e.To) || valid.HasControl(e.From.Address) || valid.HasControl(e.MessageID) {
		return nil, errors.New("mail: compose: an address has a line break")
	}
	e.From.Name, e.Subject = OneLine(e.From.Name), OneLine(e.Subject)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, part := range []struct{ ct, content string }{{"text/plain; charset=utf-8", e.Text}, {"text/html; charset=utf-8", e.HTML}} {
		pw, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.ct},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		qw := quotedprintable.NewWriter(pw)
		if _, err := qw.Write([]byte(part.content)); err != nil {
			return nil, err
		}
		if err := qw.Close(); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	msgID := e.MessageID
	if msgID == "" {
		b := make([]byte, 12)
		_, _ = rand.Read(b)
		msgID = "<" + hex.EncodeToString(b) + "@atrium>"
	}
	hdr := []struct{ k, v string }{
		{"From", e.From.String()},
		{"To", e.To},
		{"Subject", mime.QEncoding.Encode("utf-8", e.Subject)},
		{"Date", now.UTC().Format(time.RFC1123Z)},
		{"Message-ID", msgID},
		{"MIME-Version", "1.0"},
		{"Content-Type", "multipart/alternative; boundary=" + mw.Boundary()},
	}
	for _, h := range hdr {
		fmt.Fprintf(&out, "%s: %s\r\n", h.k, h.v)
	}
	out.WriteString("\r\n")
	out.Write(body.Bytes())
	return out.Bytes(), nil
}
