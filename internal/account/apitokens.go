package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/account/accountdb"
	"github.com/quirehq/quire/internal/problem"
)

// Personal API tokens let a person's scripts call the API without a
// password sign-in, so an import script never meets the sign-in limit.
// Each token has scopes and an expiry; its secret is shown once and kept
// only as a SHA-256 hash.
const (
	// TokenPrefix starts every token secret, so that the API tells one
	// from an access token at a glance and a leaked one is easy to find.
	TokenPrefix = "qpat_"
	// MaxTokenLifetime is the longest a token may live.
	MaxTokenLifetime = 366 * 24 * time.Hour
	// ScopeRead allows safe (GET) requests only.
	ScopeRead = "read"
	// ScopeSubmit allows reading and the author's actions on their submissions.
	ScopeSubmit = "submit"
	// ScopeChairPrefix + a venue slug allows reading and that venue's chair actions.
	ScopeChairPrefix = "chair:"
)

// APIToken is a token as its owner sees it in the list; never the secret.
type APIToken struct {
	ID              int64
	Name            string
	Scopes          []string
	Created         time.Time
	Expires         time.Time
	LastUsed        *time.Time
	LastUsedAddress string
}

// Expired says whether the token no longer works at now.
func (t APIToken) Expired(now time.Time) bool { return !now.Before(t.Expires) }

// NewAPIToken is what creating a token asks for.
type NewAPIToken struct {
	Name    string
	Scopes  []string
	Expires time.Time
}

// TokenGrant is what a request authenticated by a personal token may do.
type TokenGrant struct {
	ID     int64
	Scopes []string
}

// Allows says whether the grant includes scope. Every scope includes read.
func (g TokenGrant) Allows(scope string) bool {
	return scope == ScopeRead || slices.Contains(g.Scopes, scope)
}

var (
	errTokenNotFound = problem.New(problem.ErrNotFound, "token_not_found", "there is no such token of yours")
	errTokenInvalid  = problem.New(problem.ErrUnauthorized, "token_invalid", "this API token is unknown")
	errTokenRevoked  = problem.New(problem.ErrUnauthorized, "token_revoked", "this API token was revoked; make a new one in your profile")
	errTokenExpired  = problem.New(problem.ErrUnauthorized, "token_expired", "this API token has expired; make a new one in your profile")
)

func hashToken(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// validScopes checks the asked scopes against the roles of the person: a
// chair scope only for a venue they chair.
func (s *Service) validScopes(ctx context.Context, userID int64, scopes []string) ([]string, error) {
	bad := func(msg string) error {
		return problem.Invalid(msg, problem.FieldError{Field: "scopes", Message: msg})
	}
	if len(scopes) == 0 {
		return nil, bad("choose at least one scope")
	}
	_, roles, err := s.Get(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(scopes))
	for _, sc := range scopes {
		switch {
		case sc == ScopeRead || sc == ScopeSubmit:
		case strings.HasPrefix(sc, ScopeChairPrefix):
			slug := strings.TrimPrefix(sc, ScopeChairPrefix)
			if !slices.Contains(roles, Role{Venue: slug, Role: "chair"}) {
				return nil, bad(fmt.Sprintf("you do not chair the venue %q", slug))
			}
		default:
			return nil, bad(fmt.Sprintf("unknown scope %q: use read, submit or chair:<venue>", sc))
		}
		if !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	return out, nil
}

// CreateAPIToken makes a token and returns it with its secret, the only
// time the secret is told.
func (s *Service) CreateAPIToken(ctx context.Context, userID int64, in NewAPIToken) (APIToken, string, error) {
	now := s.Clock.Now()
	name := strings.TrimSpace(in.Name)
	if name == "" || len(name) > 100 {
		return APIToken{}, "", problem.Invalid("name the token (up to 100 characters)", problem.FieldError{Field: "name", Message: "required, up to 100 characters"})
	}
	if !in.Expires.After(now) || in.Expires.After(now.Add(MaxTokenLifetime)) {
		return APIToken{}, "", problem.Invalid("the expiry must be in the future and at most a year away", problem.FieldError{Field: "expires_at", Message: "in the future, at most a year away"})
	}
	scopes, err := s.validScopes(ctx, userID, in.Scopes)
	if err != nil {
		return APIToken{}, "", err
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return APIToken{}, "", err
	}
	secret := TokenPrefix + base64.RawURLEncoding.EncodeToString(raw[:])
	t := APIToken{Name: name, Scopes: scopes, Created: now, Expires: in.Expires.UTC()}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		t.ID, err = q.InsertAPIToken(ctx, tx, accountdb.InsertAPITokenParams{UserID: userID, Name: name,
			TokenHash: hashToken(secret), Scopes: scopes, CreatedAt: now, ExpiresAt: t.Expires})
		if err != nil {
			return err
		}
		return s.auditSessions(ctx, tx, userID, "api_token.create", strconv.FormatInt(t.ID, 10),
			map[string]any{"name": name, "scopes": scopes, "expires_at": t.Expires}, now)
	})
	if err != nil {
		return APIToken{}, "", err
	}
	return t, secret, nil
}

// APITokens lists a person's tokens that are not revoked, newest first.
func (s *Service) APITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	rows, err := q.ListAPITokens(ctx, s.DB, userID)
	if err != nil {
		return nil, err
	}
	out := make([]APIToken, 0, len(rows))
	for _, r := range rows {
		out = append(out, APIToken{ID: r.ID, Name: r.Name, Scopes: r.Scopes, Created: r.CreatedAt,
			Expires: r.ExpiresAt, LastUsed: r.LastUsedAt, LastUsedAddress: r.LastUsedAddress})
	}
	return out, nil
}

// RevokeAPIToken ends one of a person's tokens; it stops working at once.
// Another person's token, or one already revoked, is not found.
func (s *Service) RevokeAPIToken(ctx context.Context, userID, id int64) error {
	now := s.Clock.Now()
	return s.inTx(ctx, func(tx pgx.Tx) error {
		n, err := q.RevokeAPIToken(ctx, tx, accountdb.RevokeAPITokenParams{ID: id, UserID: userID, Now: &now})
		if err != nil {
			return err
		}
		if n == 0 {
			return errTokenNotFound
		}
		return s.auditSessions(ctx, tx, userID, "api_token.revoke", strconv.FormatInt(id, 10), nil, now)
	})
}

// AuthenticateAPIToken checks a token secret and names its holder and what
// it may do. It is looked up on every request (no cache), so that revoking
// works at once; it takes one attempt from the token's own rate limit, not
// the sign-in limit, and records the use at most once a minute.
func (s *Service) AuthenticateAPIToken(ctx context.Context, secret string) (Principal, error) {
	row, err := q.GetAPITokenByHash(ctx, s.DB, hashToken(secret))
	if errors.Is(err, pgx.ErrNoRows) {
		return Principal{}, errTokenInvalid
	}
	if err != nil {
		return Principal{}, fmt.Errorf("account: looking up an API token: %w", err)
	}
	now := s.Clock.Now()
	switch {
	case row.RevokedAt != nil:
		return Principal{}, errTokenRevoked
	case !now.Before(row.ExpiresAt):
		return Principal{}, errTokenExpired
	}
	if s.Limits != nil {
		if err := s.limit(ctx, s.Limits.Token, strconv.FormatInt(row.ID, 10)); err != nil {
			return Principal{}, err
		}
	}
	err = q.TouchAPIToken(ctx, s.DB, accountdb.TouchAPITokenParams{ID: row.ID, Now: &now,
		Address: truncate(clientFrom(ctx).Address, 64), Stale: ptr(now.Add(-touchEvery))})
	if err != nil {
		s.Log.WarnContext(ctx, "recording the last use of an API token", "err", err)
	}
	return Principal{UserID: row.UserID, Token: &TokenGrant{ID: row.ID, Scopes: row.Scopes}}, nil
}

func ptr[T any](v T) *T { return &v }
