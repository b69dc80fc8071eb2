// Package auth signs people in: password hashing, server-side sessions with
// their CSRF tokens, one-time tokens for invitations and resets, and the
// login limiter. Everything lives in the database so it holds across
// restarts and across instances.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"

	"github.com/atrium-portal/atrium/app/valid"
)

// argon2id parameters: OWASP's minimum (19 MiB, 2 passes, 1 lane).
const (
	argonMemoryKiB = 19 * 1024
	argonTime      = 2
	argonThreads   = 1
	argonKeyLen    = 32
	saltLen        = 16
)

// MinPasswordLength is the shortest password accepted; longer is suggested.
const MinPasswordLength = 8

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemoryKiB, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// dummyHash is verified against when no user matches, so that an unknown
// address costs the same time as a wrong password.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0rD4R2m0YJQGQ2m6Vv0k3Q5Yx9b8c7d6e5f4g3h2i1A"

// CheckPassword reports whether password matches the PHC-encoded hash. An
// empty or malformed hash never matches, but still costs one hashing.
func CheckPassword(hash, password string) bool {
	if hash == "" {
		hash = dummyHash
	}
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		parts = strings.Split(dummyHash, "$")
		hash = ""
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m > 256*1024 || t > 10 || p == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1 && hash != ""
}

// commonPasswords are refused outright: the first ones any guesser tries.
var commonPasswords = map[string]bool{
	"password": true, "password1": true, "12345678": true, "123456789": true, "1234567890": true,
	"qwertyuiop": true, "qwerty123": true, "iloveyou": true, "11111111": true, "00000000": true,
	"abc12345": true, "letmein1": true, "welcome1": true, "sunshine": true, "football": true,
	"baseball": true, "princess": true, "password123": true, "admin123": true, "changeme": true,
}

// CheckNewPassword returns field errors for a password that may not be set.
func CheckNewPassword(password string) error {
	switch {
	case len([]rune(password)) < MinPasswordLength:
		return valid.Errors{"password": fmt.Sprintf("Use at least %d characters; 15 or more is better.", MinPasswordLength)}
	case len(password) > 256:
		return valid.Errors{"password": "Use at most 256 characters."}
	case !valid.Text(password):
		return valid.Errors{"password": "Use letters, digits, spaces and symbols only."}
	case commonPasswords[strings.ToLower(password)]:
		return valid.Errors{"password": "This password is too common. Try a short sentence."}
	}
	return nil
}

// NewSecret returns a fresh secret token of 32 random bytes, base64url-encoded:
// what sessions, links and API tokens are made of.
func NewSecret() (string, error) { return randomToken(32) }

// randomToken returns n random bytes, base64url-encoded.
func randomToken(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", errors.New("auth: no randomness")
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
