package auth

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Access tokens are signed with Ed25519 rather than HS256. The verifying side
// then holds only public keys, so nothing that checks tokens (a second
// process, a log of the key ring, a future JWKS endpoint) can mint them; the
// signature is deterministic and has no parameters to get wrong; and the
// HS256-with-the-public-key confusion attack has nothing to confuse, because
// the ring never hands a key to anything but the EdDSA verifier.
const (
	signingAlg = "EdDSA"
	// tokenType follows RFC 9068 so an access token cannot be mistaken for
	// any other JWT Quire might one day sign with the same keys.
	tokenType = "at+jwt"
	// maxTokenBytes bounds work on hostile input; real tokens are ~350 bytes.
	maxTokenBytes = 8 << 10
)

// ErrInvalidToken is wrapped by every verification failure, so the API can
// answer 401 with one check and still log the precise reason.
var ErrInvalidToken = errors.New("auth: invalid access token")

// Reasons an access token is refused. Each wraps ErrInvalidToken.
var (
	ErrTokenMalformed     = fmt.Errorf("%w: malformed", ErrInvalidToken)
	ErrTokenUnsigned      = fmt.Errorf("%w: unsigned (alg none)", ErrInvalidToken)
	ErrTokenAlgorithm     = fmt.Errorf("%w: algorithm not allowed", ErrInvalidToken)
	ErrTokenType          = fmt.Errorf("%w: not an access token", ErrInvalidToken)
	ErrTokenMissingKID    = fmt.Errorf("%w: missing kid", ErrInvalidToken)
	ErrTokenUnknownKID    = fmt.Errorf("%w: unknown kid", ErrInvalidToken)
	ErrTokenSignature     = fmt.Errorf("%w: bad signature", ErrInvalidToken)
	ErrTokenExpired       = fmt.Errorf("%w: expired", ErrInvalidToken)
	ErrTokenNotYetValid   = fmt.Errorf("%w: not yet valid", ErrInvalidToken)
	ErrTokenIssuer        = fmt.Errorf("%w: wrong issuer", ErrInvalidToken)
	ErrTokenAudience      = fmt.Errorf("%w: wrong audience", ErrInvalidToken)
	ErrTokenMissingClaims = fmt.Errorf("%w: missing required claim", ErrInvalidToken)
)

// Claims are the registered claims Quire puts in an access token. Roles are
// deliberately absent: they are per venue and change, so they are looked up
// per request instead of being frozen into a 15-minute token.
type Claims struct {
	jwt.RegisteredClaims
	// SessionID names the login the token was issued for, so that the
	// token dies with it when the person signs out (see account.Authenticate).
	SessionID string `json:"sid,omitempty"`
}

// KeyRing signs access tokens with one active key and verifies with any key
// it holds. It is immutable and safe for concurrent use; rotating means
// building a new ring from a new key list.
type KeyRing struct {
	issuer   string
	audience string
	active   SigningKey
	public   map[string]ed25519.PublicKey
	// seeds are every key's private seed by kid: what Seal derives its
	// keys from, so that a secret sealed before a rotation still opens.
	seeds map[string][]byte
}

// NewKeyRing builds a ring whose first key signs and whose other keys only
// verify, matching the order ParseKeys keeps.
func NewKeyRing(issuer, audience string, keys []SigningKey) (*KeyRing, error) {
	if issuer == "" || audience == "" {
		return nil, fmt.Errorf("%w: issuer and audience are required", ErrKeyConfig)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%w: no keys", ErrKeyConfig)
	}
	r := &KeyRing{issuer: issuer, audience: audience, active: keys[0], public: map[string]ed25519.PublicKey{}, seeds: map[string][]byte{}}
	for _, k := range keys {
		if err := checkKID(k.ID); err != nil {
			return nil, err
		}
		if len(k.Private) != ed25519.PrivateKeySize {
			return nil, fmt.Errorf("%w: kid %q has no usable private key", ErrKeyConfig, k.ID)
		}
		if _, dup := r.public[k.ID]; dup {
			return nil, fmt.Errorf("%w: duplicate kid %q", ErrKeyConfig, k.ID)
		}
		r.public[k.ID] = k.Private.Public().(ed25519.PublicKey)
		r.seeds[k.ID] = k.Private.Seed()
	}
	return r, nil
}

// ActiveKID names the key new tokens are signed with.
func (r *KeyRing) ActiveKID() string { return r.active.ID }

// PublicKeys returns a copy of the verification keys by kid.
func (r *KeyRing) PublicKeys() map[string]ed25519.PublicKey { return maps.Clone(r.public) }

// Issue signs an access token for subject valid from now for ttl. The claims
// are returned so the caller can log the jti or set a cookie's expiry.
func (r *KeyRing) Issue(subject string, now time.Time, ttl time.Duration) (string, *Claims, error) {
	return r.IssueSession(subject, "", now, ttl)
}

// IssueSession is Issue for a token that belongs to the login session.
func (r *KeyRing) IssueSession(subject, session string, now time.Time, ttl time.Duration) (string, *Claims, error) {
	if subject == "" {
		return "", nil, fmt.Errorf("auth: issuing token: empty subject")
	}
	if ttl <= 0 {
		return "", nil, fmt.Errorf("auth: issuing token: ttl %v must be positive", ttl)
	}
	claims := &Claims{RegisteredClaims: jwt.RegisteredClaims{
		Issuer:    r.issuer,
		Subject:   subject,
		Audience:  jwt.ClaimStrings{r.audience},
		IssuedAt:  jwt.NewNumericDate(now),
		NotBefore: jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
		ID:        randomID(),
	}, SessionID: session}
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims)
	t.Header["kid"] = r.active.ID
	t.Header["typ"] = tokenType
	signed, err := t.SignedString(r.active.Private)
	if err != nil {
		return "", nil, fmt.Errorf("auth: signing token: %w", err)
	}
	return signed, claims, nil
}

// header is the part of a JOSE header Verify inspects before trusting
// anything; reading it ourselves lets us tell "alg none" from "wrong alg"
// from "unknown kid", which the jwt parser folds into one error.
type header struct {
	Alg  string          `json:"alg"`
	Kid  *string         `json:"kid"`
	Typ  string          `json:"typ"`
	Crit json.RawMessage `json:"crit"`
}

// Verify checks token as of now and returns its claims. Every failure wraps
// ErrInvalidToken and exactly one of the specific ErrToken* reasons.
func (r *KeyRing) Verify(token string, now time.Time) (*Claims, error) {
	key, err := r.keyFor(token)
	if err != nil {
		return nil, err
	}
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{signingAlg}),
		jwt.WithIssuer(r.issuer),
		jwt.WithAudience(r.audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithStrictDecoding(),
		jwt.WithTimeFunc(func() time.Time { return now }),
	)
	claims := &Claims{}
	_, err = parser.ParseWithClaims(token, claims, func(*jwt.Token) (any, error) { return key, nil })
	if err != nil {
		return nil, classifyJWTError(err)
	}
	if claims.Subject == "" || claims.ID == "" || claims.IssuedAt == nil {
		return nil, fmt.Errorf("%w: sub, jti and iat are required", ErrTokenMissingClaims)
	}
	return claims, nil
}

func (r *KeyRing) keyFor(token string) (ed25519.PublicKey, error) {
	if len(token) > maxTokenBytes {
		return nil, fmt.Errorf("%w: %d bytes", ErrTokenMalformed, len(token))
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("%w: %d segments", ErrTokenMalformed, len(parts))
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(parts[0])
	if err != nil {
		return nil, fmt.Errorf("%w: header: %w", ErrTokenMalformed, err)
	}
	var h header
	if err := json.Unmarshal(raw, &h); err != nil {
		return nil, fmt.Errorf("%w: header: %w", ErrTokenMalformed, err)
	}
	switch {
	case strings.EqualFold(h.Alg, "none"):
		return nil, ErrTokenUnsigned
	case h.Alg != signingAlg:
		return nil, fmt.Errorf("%w: %q", ErrTokenAlgorithm, h.Alg)
	case h.Crit != nil:
		return nil, fmt.Errorf("%w: unsupported crit header", ErrTokenMalformed)
	case h.Typ != tokenType:
		return nil, fmt.Errorf("%w: typ %q", ErrTokenType, h.Typ)
	case h.Kid == nil || *h.Kid == "":
		return nil, ErrTokenMissingKID
	}
	key, ok := r.public[*h.Kid]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrTokenUnknownKID, *h.Kid)
	}
	return key, nil
}

// classifyJWTError maps the jwt library's errors onto ours. Order matters
// when several apply (an expired token from the wrong issuer): time first,
// because that is the reason a legitimate client most often hits.
func classifyJWTError(err error) error {
	for _, m := range []struct{ theirs, ours error }{
		{jwt.ErrTokenMalformed, ErrTokenMalformed},
		{jwt.ErrTokenSignatureInvalid, ErrTokenSignature},
		{jwt.ErrTokenRequiredClaimMissing, ErrTokenMissingClaims},
		{jwt.ErrTokenExpired, ErrTokenExpired},
		{jwt.ErrTokenNotValidYet, ErrTokenNotYetValid},
		{jwt.ErrTokenUsedBeforeIssued, ErrTokenNotYetValid},
		{jwt.ErrTokenInvalidIssuer, ErrTokenIssuer},
		{jwt.ErrTokenInvalidAudience, ErrTokenAudience},
	} {
		if errors.Is(err, m.theirs) {
			return fmt.Errorf("%w: %w", m.ours, err)
		}
	}
	return fmt.Errorf("%w: %w", ErrTokenMalformed, err)
}

// randomID returns 128 random bits, URL-safe: enough that jtis never collide.
func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails since Go 1.24.
	return base64.RawURLEncoding.EncodeToString(b)
}
