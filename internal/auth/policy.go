package auth

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Password policy limits. The minimum counts characters, not bytes, so a
// passphrase in any script is judged by what the person typed. The maximum
// counts bytes because it exists to bound hashing work and request size.
const (
	MinPasswordChars = 10
	MaxPasswordBytes = 1024
)

// Errors returned by CheckPassword; each names the one rule broken so the
// API can tell the person what to change.
var (
	ErrPasswordTooShort = fmt.Errorf("auth: password must be at least %d characters", MinPasswordChars)
	ErrPasswordTooLong  = fmt.Errorf("auth: password must be at most %d bytes", MaxPasswordBytes)
	ErrPasswordIsEmail  = errors.New("auth: password must not be the email address")
	ErrPasswordEncoding = errors.New("auth: password is not valid UTF-8")
)

// CheckPassword applies the registration and reset policy. It deliberately
// has no composition rules (NIST SP 800-63B): length is what helps.
func CheckPassword(password, email string) error {
	switch {
	case len(password) > MaxPasswordBytes:
		return ErrPasswordTooLong
	case !utf8.ValidString(password):
		return ErrPasswordEncoding
	case utf8.RuneCountInString(password) < MinPasswordChars:
		return ErrPasswordTooShort
	case email != "" && strings.EqualFold(strings.TrimSpace(password), strings.TrimSpace(email)):
		return ErrPasswordIsEmail
	}
	return nil
}
