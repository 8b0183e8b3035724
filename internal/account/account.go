// Package account owns people: registration, email verification, login with
// rotating refresh tokens, password reset and profiles. Secrets are stored
// only as hashes; answers never reveal whether an email has an account.
package account

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/quirehq/quire/internal/account/accountdb"
	"github.com/quirehq/quire/internal/auth"
	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/problem"
)

// Lifetimes of the secrets this package hands out.
const (
	AccessTTL  = 15 * time.Minute
	RefreshTTL = 30 * 24 * time.Hour
	VerifyTTL  = 72 * time.Hour
	ResetTTL   = time.Hour
)

var q = accountdb.New()

// User is an account as the rest of Quire sees it.
type User struct {
	ID          int64
	Email       string
	Name        string
	Affiliation string
	ORCID       string
	Keywords    []string
	Verified    bool
	Admin       bool
}

// Role is a role held in a venue.
type Role struct{ Venue, Role string }

func fromRow(u accountdb.User) User {
	out := User{ID: u.ID, Email: u.Email, Name: u.Name, Affiliation: u.Affiliation, Keywords: u.Keywords,
		Verified: u.EmailVerifiedAt != nil, Admin: u.IsAdmin}
	if u.Orcid != nil {
		out.ORCID = *u.Orcid
	}
	if out.Keywords == nil {
		out.Keywords = []string{}
	}
	return out
}

// Limits are the abuse limits on the unauthenticated endpoints, per client IP
// and per account (SharedLimits keeps them in PostgreSQL, for every replica).
type Limits struct {
	LoginIP, LoginAccount, RegisterIP, ResetIP, ResetAccount auth.Limiter
	// Token limits each personal API token's requests (apitokens.go).
	Token auth.Limiter
}

// Mailer queues mail in the outbox inside the caller's transaction.
type Mailer interface {
	Queue(ctx context.Context, tx pgx.Tx, template, dedupeKey, to string, data any) error
}

// Service is the account domain.
type Service struct {
	DB        *pgxpool.Pool
	Clock     clock.Clock
	Keys      *auth.KeyRing
	Passwords auth.Params
	Limits    *Limits
	BaseURL   *url.URL
	Mail      Mailer
	Log       *slog.Logger
	// TwoFactorRule says whom the instance requires to sign in with a
	// second factor (twofactor_rule.go); empty means nobody.
	TwoFactorRule TwoFactorRule

	// duties caches who still owes a required second factor.
	duties dutyCache
	// sessions caches which logins are active (revocation.go).
	sessions sessionCache
}

// Tokens are what a successful login or refresh hands out.
type Tokens struct {
	Access         string
	AccessExpires  time.Time
	Refresh        string
	RefreshExpires time.Time
	CSRF           string
}

func (s *Service) link(path, token string) string {
	u := *s.BaseURL
	u.Path = strings.TrimSuffix(u.Path, "/") + path
	u.RawQuery = url.Values{"token": {token}}.Encode()
	return u.String()
}

func (s *Service) limit(ctx context.Context, l auth.Limiter, key string) error {
	if l == nil {
		return nil
	}
	ok, retry, err := l.Allow(ctx, key, s.Clock.Now())
	if err != nil {
		return err
	}
	if ok {
		return nil
	}
	e := problem.New(problem.ErrRateLimited, "rate_limited", fmt.Sprintf("too many attempts; try again in %d seconds", int(retry.Seconds()+0.999)))
	e.RetryAfter = retry
	return e
}

// NormalizeEmail trims and checks an address; case is kept for display but
// compared case-insensitively by the database.
func NormalizeEmail(email string) (string, error) {
	e := strings.TrimSpace(email)
	at := strings.LastIndexByte(e, '@')
	if at < 1 || at == len(e)-1 || strings.ContainsAny(e, " \t\r\n<>,;") || len(e) > 254 {
		return "", problem.Invalid("that is not an email address", problem.FieldError{Field: "email", Message: "must be an email address"})
	}
	return e, nil
}

func (s *Service) inTx(ctx context.Context, f func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.DB, f)
}

// Get returns an account and its venue roles.
func (s *Service) Get(ctx context.Context, id int64) (User, []Role, error) {
	u, err := q.GetUser(ctx, s.DB, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return User{}, nil, problem.New(problem.ErrUnauthorized, "unknown_account", "the account no longer exists")
	}
	if err != nil {
		return User{}, nil, err
	}
	rows, err := q.ListUserRoles(ctx, s.DB, id)
	if err != nil {
		return User{}, nil, err
	}
	roles := make([]Role, 0, len(rows))
	for _, r := range rows {
		roles = append(roles, Role{Venue: r.Slug, Role: r.Role})
	}
	return fromRow(u), roles, nil
}

// ByEmail finds an account by email (any case).
func (s *Service) ByEmail(ctx context.Context, db accountdb.DBTX, email string) (User, bool, error) {
	u, err := q.GetUserByEmail(ctx, db, email)
	if errors.Is(err, pgx.ErrNoRows) {
		return User{}, false, nil
	}
	if err != nil {
		return User{}, false, err
	}
	return fromRow(u), true, nil
}

// ProfileUpdate holds the fields a person may change; nil leaves a field as is.
type ProfileUpdate struct {
	Name, Affiliation, ORCID *string
	Keywords                 *[]string
}

// UpdateProfile changes the caller's own profile.
func (s *Service) UpdateProfile(ctx context.Context, id int64, p ProfileUpdate) (User, error) {
	cur, err := q.GetUser(ctx, s.DB, id)
	if err != nil {
		return User{}, err
	}
	arg := accountdb.UpdateProfileParams{ID: id, Name: cur.Name, Affiliation: cur.Affiliation, Orcid: cur.Orcid, Keywords: cur.Keywords, UpdatedAt: s.Clock.Now()}
	if p.Name != nil {
		if strings.TrimSpace(*p.Name) == "" {
			return User{}, problem.Invalid("the name must not be empty", problem.FieldError{Field: "name", Message: "must not be empty"})
		}
		arg.Name = strings.TrimSpace(*p.Name)
	}
	if p.Affiliation != nil {
		arg.Affiliation = strings.TrimSpace(*p.Affiliation)
	}
	if p.ORCID != nil {
		o, err := normalizeORCID(*p.ORCID)
		if err != nil {
			return User{}, err
		}
		arg.Orcid = o
	}
	if p.Keywords != nil {
		arg.Keywords = CleanKeywords(*p.Keywords)
	}
	u, err := q.UpdateProfile(ctx, s.DB, arg)
	if err != nil {
		return User{}, err
	}
	return fromRow(u), nil
}

// CleanKeywords trims, drops empties and duplicates (case-insensitively),
// keeping the first spelling.
func CleanKeywords(in []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, k := range in {
		k = strings.Join(strings.Fields(k), " ")
		if k == "" || seen[strings.ToLower(k)] {
			continue
		}
		seen[strings.ToLower(k)] = true
		out = append(out, k)
	}
	return out
}

// normalizeORCID accepts an iD with or without the https://orcid.org/ prefix
// and checks its ISO 7064 check digit; empty removes it.
func normalizeORCID(s string) (*string, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(s), "https://orcid.org/"), "http://orcid.org/"))
	if s == "" {
		return nil, nil
	}
	bad := problem.Invalid("that is not a valid ORCID iD", problem.FieldError{Field: "orcid", Message: "must look like 0000-0002-1825-0097 with a valid check digit"})
	digits := strings.ReplaceAll(s, "-", "")
	if len(s) != 19 || len(digits) != 16 {
		return nil, bad
	}
	total := 0
	for _, c := range digits[:15] {
		if c < '0' || c > '9' {
			return nil, bad
		}
		total = (total + int(c-'0')) * 2
	}
	check := (12 - total%11) % 11
	want := byte('0' + check)
	if check == 10 {
		want = 'X'
	}
	if digits[15] != want {
		return nil, bad
	}
	return &s, nil
}

// MarkVerified confirms an account's email inside tx (an invitation link sent
// to it was used).
func (s *Service) MarkVerified(ctx context.Context, tx pgx.Tx, id int64) error {
	return q.MarkEmailVerified(ctx, tx, accountdb.MarkEmailVerifiedParams{ID: id, UpdatedAt: s.Clock.Now()})
}
