package auth_test

import (
	"strings"
	"testing"

	"github.com/atrium-portal/atrium/app/auth"
)

func TestPasswordHash(t *testing.T) {
	h, err := auth.HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not argon2id with OWASP's parameters", h)
	}
	h2, _ := auth.HashPassword("correct horse battery staple")
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	tests := []struct {
		hash, password string
		want           bool
	}{
		{h, "correct horse battery staple", true},
		{h, "correct horse battery stapl", false},
		{h, "", false},
		{"", "", false},
		{"$bcrypt$garbage", "x", false},
		{"$argon2id$v=19$m=99999999,t=2,p=1$c2FsdA$a2V5", "x", false}, // absurd cost refused
	}
	for _, tt := range tests {
		if got := auth.CheckPassword(tt.hash, tt.password); got != tt.want {
			t.Errorf("CheckPassword(%.20q, %q) = %v", tt.hash, tt.password, got)
		}
	}
}

func TestNewPasswordRules(t *testing.T) {
	for pw, ok := range map[string]bool{
		"short":                  false,
		"password":               false,
		"Password123":            false,
		"a sentence is fine":     true,
		"12345678x":              true,
		strings.Repeat("x", 300): false,
	} {
		if err := auth.CheckNewPassword(pw); (err == nil) != ok {
			t.Errorf("CheckNewPassword(%.20q) = %v", pw, err)
		}
	}
}
