package account

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/account/accountdb"
	"github.com/quirehq/quire/internal/auth"
	"github.com/quirehq/quire/internal/mail"
	"github.com/quirehq/quire/internal/problem"
)

// RegisterInput is what a person gives to sign up.
type RegisterInput struct {
	Email, Name, Password, Affiliation, ORCID string
	Keywords                                  []string
}

// Register creates an unverified account and mails a verification link. When
// the email already has an account, the owner is told by mail instead; the
// caller gets the same answer either way, in about the same time.
func (s *Service) Register(ctx context.Context, in RegisterInput, ip string) error {
	if err := s.limit(ctx, s.Limits.RegisterIP, "ip:"+ip); err != nil {
		return err
	}
	email, err := NormalizeEmail(in.Email)
	if err != nil {
		return err
	}
	if err := auth.CheckPassword(in.Password, email); err != nil {
		return problem.Invalid(passwordMessage(err), problem.FieldError{Field: "password", Message: passwordMessage(err)})
	}
	orcid, err := normalizeORCID(in.ORCID)
	if err != nil {
		return err
	}
	name := strings.TrimSpace(in.Name)
	if name == "" {
		return problem.Invalid("the name must not be empty", problem.FieldError{Field: "name", Message: "must not be empty"})
	}
	hash, err := s.Passwords.Hash(in.Password)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.inTx(ctx, func(tx pgx.Tx) error {
		u, err := q.CreateUser(ctx, tx, accountdb.CreateUserParams{
			Email: email, Name: name, Affiliation: strings.TrimSpace(in.Affiliation), Orcid: orcid,
			Keywords: CleanKeywords(in.Keywords), PasswordHash: hash, CreatedAt: now,
		})
		if errors.Is(err, pgx.ErrNoRows) { // the email is taken
			existing, err := q.GetUserByEmail(ctx, tx, email)
			if err != nil {
				return err
			}
			return s.Mail.Queue(ctx, tx, mail.TemplateNotice, "register-existing:"+strconv.FormatInt(existing.ID, 10)+":"+now.Format(time.RFC3339Nano), existing.Email, mail.NoticeData{
				Name:    existing.Name,
				Subject: "Someone tried to register with your email address",
				Body:    "Somebody (perhaps you) tried to create a Quire account with this email address, which already has one. If it was you and you forgot your password, reset it with the link below. Otherwise you can ignore this message.",
				Link:    s.link("/reset-password", ""),
			})
		}
		if err != nil {
			return err
		}
		return s.sendVerification(ctx, tx, fromRow(u), now)
	})
}

func passwordMessage(err error) string {
	msg := strings.TrimPrefix(err.Error(), "auth: ")
	return msg
}

func (s *Service) sendVerification(ctx context.Context, tx pgx.Tx, u User, now time.Time) error {
	plain, hash := auth.NewOpaqueToken()
	if err := q.InsertEmailToken(ctx, tx, accountdb.InsertEmailTokenParams{TokenHash: hash, UserID: u.ID, Purpose: "verify", CreatedAt: now, ExpiresAt: now.Add(VerifyTTL)}); err != nil {
		return err
	}
	return s.Mail.Queue(ctx, tx, mail.TemplateVerifyEmail, "verify:"+hex.EncodeToString(hash), u.Email, mail.VerifyEmailData{
		Name: u.Name, Link: s.link("/verify", plain), ValidFor: VerifyTTL,
	})
}

// Verify confirms an email address with the emailed single-use token.
func (s *Service) Verify(ctx context.Context, token string) error {
	now := s.Clock.Now()
	return s.inTx(ctx, func(tx pgx.Tx) error {
		uid, err := q.UseEmailToken(ctx, tx, accountdb.UseEmailTokenParams{TokenHash: auth.HashToken(token), Purpose: "verify", Now: &now})
		if errors.Is(err, pgx.ErrNoRows) {
			return problem.New(problem.ErrInvalid, "invalid_token", "this verification link is unknown, already used or expired; sign in and ask for a new one")
		}
		if err != nil {
			return err
		}
		return q.MarkEmailVerified(ctx, tx, accountdb.MarkEmailVerifiedParams{ID: uid, UpdatedAt: now})
	})
}

// ResendVerification mails a fresh link to a signed-in, unverified account.
func (s *Service) ResendVerification(ctx context.Context, id int64) error {
	now := s.Clock.Now()
	return s.inTx(ctx, func(tx pgx.Tx) error {
		u, err := q.GetUser(ctx, tx, id)
		if err != nil {
			return err
		}
		if u.EmailVerifiedAt != nil {
			return nil
		}
		return s.sendVerification(ctx, tx, fromRow(u), now)
	})
}

var errBadLogin = problem.New(problem.ErrUnauthorized, "invalid_credentials", "the email or the password is wrong")

// Login checks a password and starts a new login (a refresh-token family).
// With two-factor sign-in on, otp must carry a code from the app or a
// recovery code; without it the answer is two_factor_required.
func (s *Service) Login(ctx context.Context, email, password, otp, ip string) (Tokens, error) {
	u, err := s.checkPassword(ctx, email, password, ip)
	if err != nil {
		return Tokens{}, err
	}
	on, err := q.TwoFactorEnabled(ctx, s.DB, u.ID)
	if err != nil {
		return Tokens{}, err
	}
	if !on {
		return s.startLogin(ctx, u.ID)
	}
	if strings.TrimSpace(otp) == "" {
		return Tokens{}, errTwoFactorRequired
	}
	return s.finishWithSecondFactor(ctx, u.ID, otp, ip)
}

// BeginLogin is the first step of a browser sign-in. Without two-factor
// sign-in it starts the login; with it, it returns instead a challenge for
// FinishLogin, valid for TwoFactorTTL.
func (s *Service) BeginLogin(ctx context.Context, email, password, ip string) (t Tokens, challenge string, err error) {
	u, err := s.checkPassword(ctx, email, password, ip)
	if err != nil {
		return Tokens{}, "", err
	}
	on, err := q.TwoFactorEnabled(ctx, s.DB, u.ID)
	if err != nil {
		return Tokens{}, "", err
	}
	if on {
		return Tokens{}, s.newChallenge(u, s.Clock.Now()), nil
	}
	t, err = s.startLogin(ctx, u.ID)
	return t, "", err
}

func (s *Service) loginLimits(ctx context.Context, email, ip string) error {
	if err := s.limit(ctx, s.Limits.LoginIP, "ip:"+ip); err != nil {
		return err
	}
	return s.limit(ctx, s.Limits.LoginAccount, "acct:"+strings.ToLower(strings.TrimSpace(email)))
}

// checkPassword finds the account of email and checks its password, within
// the sign-in limits.
func (s *Service) checkPassword(ctx context.Context, email, password, ip string) (accountdb.User, error) {
	if err := s.loginLimits(ctx, email, ip); err != nil {
		return accountdb.User{}, err
	}
	u, err := q.GetUserByEmail(ctx, s.DB, strings.TrimSpace(email))
	if errors.Is(err, pgx.ErrNoRows) {
		s.Passwords.DummyVerify(password) // same time as a real check
		return accountdb.User{}, errBadLogin
	}
	if err != nil {
		return accountdb.User{}, err
	}
	ok, rehash, err := s.Passwords.Verify(u.PasswordHash, password)
	if err != nil || !ok {
		return accountdb.User{}, errBadLogin
	}
	if rehash {
		if h, err := s.Passwords.Hash(password); err == nil {
			if q.SetPassword(ctx, s.DB, accountdb.SetPasswordParams{ID: u.ID, PasswordHash: h, UpdatedAt: s.Clock.Now()}) == nil {
				u.PasswordHash = h
			}
		}
	}
	return u, nil
}

func (s *Service) startLogin(ctx context.Context, uid int64) (Tokens, error) {
	var t Tokens
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		t, err = s.issue(ctx, tx, uid, uuid.New(), s.Clock.Now())
		return err
	})
	return t, err
}

// issue makes an access token and a new refresh token in family.
func (s *Service) issue(ctx context.Context, tx pgx.Tx, uid int64, family uuid.UUID, now time.Time) (Tokens, error) {
	access, claims, err := s.Keys.IssueSession(strconv.FormatInt(uid, 10), family.String(), now, AccessTTL)
	if err != nil {
		return Tokens{}, err
	}
	plain, hash := auth.NewOpaqueToken()
	if err := q.InsertRefreshToken(ctx, tx, accountdb.InsertRefreshTokenParams{TokenHash: hash, UserID: uid, Family: family, CreatedAt: now, ExpiresAt: now.Add(RefreshTTL)}); err != nil {
		return Tokens{}, err
	}
	if err := recordLogin(ctx, tx, uid, family, now); err != nil {
		return Tokens{}, err
	}
	return Tokens{Access: access, AccessExpires: claims.ExpiresAt.Time, Refresh: plain, RefreshExpires: now.Add(RefreshTTL), CSRF: csrfFor(access)}, nil
}

// csrfFor derives the CSRF token from the access token: a page on another
// site cannot read the HttpOnly access cookie, so it cannot compute the
// token; it changes with every refresh and needs no storage of its own.
func csrfFor(access string) string {
	sum := sha256.Sum256([]byte("quire-csrf:" + access))
	return hex.EncodeToString(sum[:16])
}

var errBadRefresh = problem.New(problem.ErrUnauthorized, "invalid_refresh_token", "the session has ended; sign in again")

// Refresh rotates a refresh token. Presenting one that was already rotated
// means it was stolen or replayed: its whole family is revoked.
func (s *Service) Refresh(ctx context.Context, refresh string) (Tokens, error) {
	if refresh == "" {
		return Tokens{}, errBadRefresh
	}
	now := s.Clock.Now()
	var t Tokens
	var reused bool
	var family uuid.UUID
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		rt, err := q.GetRefreshTokenForUpdate(ctx, tx, auth.HashToken(refresh))
		if errors.Is(err, pgx.ErrNoRows) {
			return errBadRefresh
		}
		if err != nil {
			return err
		}
		switch {
		case rt.RevokedAt != nil:
			return errBadRefresh
		case rt.UsedAt != nil:
			reused, family = true, rt.Family
			return q.RevokeRefreshFamily(ctx, tx, accountdb.RevokeRefreshFamilyParams{Family: rt.Family, RevokedAt: &now})
		case !now.Before(rt.ExpiresAt):
			return errBadRefresh
		}
		if err := q.MarkRefreshTokenUsed(ctx, tx, accountdb.MarkRefreshTokenUsedParams{TokenHash: rt.TokenHash, UsedAt: &now}); err != nil {
			return err
		}
		t, err = s.issue(ctx, tx, rt.UserID, rt.Family, now)
		return err
	})
	if reused {
		s.sessions.forget(family)
		s.Log.Warn("refresh token reused: login revoked", "reason", "possible token theft")
		return Tokens{}, problem.New(problem.ErrUnauthorized, "refresh_token_reused", "this session was ended because an old refresh token was used again; sign in again")
	}
	return t, err
}

// Logout ends a login: the one the refresh token belongs to, and the one
// of the caller's access token (p, zero when the caller sent none). Its
// access tokens stop working at once on this replica and within
// SessionCheckTTL on the others. Unknown tokens are ignored: logging out is
// always possible.
func (s *Service) Logout(ctx context.Context, refresh string, p Principal) error {
	now := s.Clock.Now()
	var ended []uuid.UUID
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if p.Session != uuid.Nil {
			ended = append(ended, p.Session)
			if err := q.RevokeSession(ctx, tx, accountdb.RevokeSessionParams{Family: p.Session, UserID: p.UserID, RevokedAt: &now}); err != nil {
				return err
			}
		}
		if refresh == "" {
			return nil
		}
		rt, err := q.GetRefreshTokenForUpdate(ctx, tx, auth.HashToken(refresh))
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		ended = append(ended, rt.Family)
		return q.RevokeRefreshFamily(ctx, tx, accountdb.RevokeRefreshFamilyParams{Family: rt.Family, RevokedAt: &now})
	})
	// Forgotten once committed: a request that read the login as active
	// while this ran cannot put it back.
	for _, sid := range ended {
		s.sessions.forget(sid)
	}
	return err
}

// RequestReset mails a single-use reset link when the account exists; the
// caller cannot tell whether it does.
func (s *Service) RequestReset(ctx context.Context, email, ip string) error {
	if err := s.limit(ctx, s.Limits.ResetIP, "ip:"+ip); err != nil {
		return err
	}
	if err := s.limit(ctx, s.Limits.ResetAccount, "acct:"+strings.ToLower(strings.TrimSpace(email))); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.inTx(ctx, func(tx pgx.Tx) error {
		u, err := q.GetUserByEmail(ctx, tx, strings.TrimSpace(email))
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		plain, hash := auth.NewOpaqueToken()
		if err := q.InsertEmailToken(ctx, tx, accountdb.InsertEmailTokenParams{TokenHash: hash, UserID: u.ID, Purpose: "reset", CreatedAt: now, ExpiresAt: now.Add(ResetTTL)}); err != nil {
			return err
		}
		return s.Mail.Queue(ctx, tx, mail.TemplatePasswordReset, "reset:"+hex.EncodeToString(hash), u.Email, mail.PasswordResetData{
			Name: u.Name, Link: s.link("/reset-password", plain), ValidFor: ResetTTL,
		})
	})
}

// ConfirmReset sets a new password with a reset token and ends every session
// of the account. The token proves control of the email, so it also verifies it.
func (s *Service) ConfirmReset(ctx context.Context, token, password string) error {
	now := s.Clock.Now()
	var reset int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		uid, err := q.UseEmailToken(ctx, tx, accountdb.UseEmailTokenParams{TokenHash: auth.HashToken(token), Purpose: "reset", Now: &now})
		if errors.Is(err, pgx.ErrNoRows) {
			return problem.New(problem.ErrInvalid, "invalid_token", "this reset link is unknown, already used or expired; ask for a new one")
		}
		if err != nil {
			return err
		}
		u, err := q.GetUser(ctx, tx, uid)
		if err != nil {
			return err
		}
		if err := auth.CheckPassword(password, u.Email); err != nil {
			return problem.Invalid(passwordMessage(err), problem.FieldError{Field: "password", Message: passwordMessage(err)})
		}
		hash, err := s.Passwords.Hash(password)
		if err != nil {
			return err
		}
		if err := q.SetPassword(ctx, tx, accountdb.SetPasswordParams{ID: uid, PasswordHash: hash, UpdatedAt: now}); err != nil {
			return err
		}
		if err := q.MarkEmailVerified(ctx, tx, accountdb.MarkEmailVerifiedParams{ID: uid, UpdatedAt: now}); err != nil {
			return err
		}
		reset = uid
		return q.RevokeUserRefreshTokens(ctx, tx, accountdb.RevokeUserRefreshTokensParams{UserID: uid, RevokedAt: &now})
	})
	if reset != 0 {
		s.sessions.forgetUser(reset)
	}
	return err
}

// NewAccount is an account made by an administrator, the demo loader or an
// accepted invitation: the email is known to be controlled, so it is verified.
type NewAccount struct {
	Email, Name, Password, Affiliation string
	Keywords                           []string
	Admin                              bool
}

// Create makes a verified account inside tx. It fails with a conflict when
// the email is taken.
func (s *Service) Create(ctx context.Context, tx pgx.Tx, a NewAccount) (User, error) {
	email, err := NormalizeEmail(a.Email)
	if err != nil {
		return User{}, err
	}
	if err := auth.CheckPassword(a.Password, email); err != nil {
		return User{}, problem.Invalid(passwordMessage(err), problem.FieldError{Field: "password", Message: passwordMessage(err)})
	}
	if strings.TrimSpace(a.Name) == "" {
		return User{}, problem.Invalid("the name must not be empty", problem.FieldError{Field: "name", Message: "must not be empty"})
	}
	hash, err := s.Passwords.Hash(a.Password)
	if err != nil {
		return User{}, err
	}
	now := s.Clock.Now()
	u, err := q.CreateUser(ctx, tx, accountdb.CreateUserParams{
		Email: email, Name: strings.TrimSpace(a.Name), Affiliation: strings.TrimSpace(a.Affiliation),
		Keywords: CleanKeywords(a.Keywords), PasswordHash: hash, EmailVerifiedAt: &now, IsAdmin: a.Admin, CreatedAt: now,
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return User{}, problem.New(problem.ErrConflict, "email_taken", "an account with this email already exists")
	}
	if err != nil {
		return User{}, err
	}
	return fromRow(u), nil
}

// StartSession issues tokens for a user inside tx (after an invitation created
// the account, say).
func (s *Service) StartSession(ctx context.Context, tx pgx.Tx, uid int64) (Tokens, error) {
	return s.issue(ctx, tx, uid, uuid.New(), s.Clock.Now())
}

// CSRFMatches reports whether a CSRF header fits the access cookie it came with.
func CSRFMatches(accessCookie, header string) bool {
	if accessCookie == "" || header == "" {
		return false
	}
	return auth.ValidCSRF(csrfFor(accessCookie), header)
}
