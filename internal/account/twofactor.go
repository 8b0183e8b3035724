package account

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/account/accountdb"
	"github.com/quirehq/quire/internal/audit"
	"github.com/quirehq/quire/internal/auth"
	"github.com/quirehq/quire/internal/problem"
)

// Two-factor sign-in: a time-based code from an authenticator app (RFC
// 6238) or a single-use recovery code, asked after the password once a
// person has turned it on.
const (
	// TwoFactorIssuer names Quire in the person's authenticator app.
	TwoFactorIssuer = "Quire"
	// RecoveryCodes is how many recovery codes a person gets at a time.
	RecoveryCodes = 10
	// TwoFactorTTL is how long the second step of a browser sign-in may
	// wait after the password was accepted.
	TwoFactorTTL = 5 * time.Minute
	// totpSeal is the purpose the TOTP secrets are sealed for in the
	// database (auth.KeyRing.Seal).
	totpSeal = "totp secret"
)

var (
	errTwoFactorRequired = problem.New(problem.ErrUnauthorized, "two_factor_required",
		"this account uses two-factor sign-in: send the code from the authenticator app (or a recovery code) in otp")
	errBadSecondFactor = &problem.Error{Kind: problem.ErrUnauthorized, Code: "invalid_two_factor_code",
		Detail: "the code is wrong, expired or already used",
		Fields: []problem.FieldError{{Field: "code", Message: "wrong, expired or already used; enter the current code from your app or an unused recovery code"}}}
	// ErrTwoFactorExpired ends a sign-in's second step: it must start
	// again from the password.
	ErrTwoFactorExpired = problem.New(problem.ErrUnauthorized, "two_factor_expired",
		"the sign-in waited too long for the code (or is not this browser's); enter your email and password again")
	errTwoFactorOn  = problem.New(problem.ErrConflict, "two_factor_on", "two-factor sign-in is already on for this account")
	errTwoFactorOff = problem.New(problem.ErrConflict, "two_factor_off", "two-factor sign-in is not on for this account")
	errNoEnrollment = problem.New(problem.ErrConflict, "two_factor_not_started", "start setting up two-factor sign-in first")
	errBadPassword  = problem.Invalid("the password is wrong", problem.FieldError{Field: "password", Message: "is wrong"})
)

// TwoFactor is a person's second factor as their profile shows it.
type TwoFactor struct {
	On bool
	// Pending is set while an enrollment waits for its first code.
	Pending *Enrollment
	// RecoveryLeft counts the unused recovery codes.
	RecoveryLeft int
}

// Enrollment is what a person copies into their authenticator app. It is
// shown only until the enrollment is confirmed.
type Enrollment struct{ Secret, URI string }

func enrollmentOf(secret []byte, email string) *Enrollment {
	return &Enrollment{Secret: auth.EncodeTOTPSecret(secret), URI: auth.TOTPURI(TwoFactorIssuer, email, secret)}
}

// TwoFactorStatus reads a person's second factor.
func (s *Service) TwoFactorStatus(ctx context.Context, uid int64) (TwoFactor, error) {
	var out TwoFactor
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		tf, err := q.GetTwoFactorForUpdate(ctx, tx, uid)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if tf.EnabledAt == nil {
			u, err := q.GetUser(ctx, tx, uid)
			if err != nil {
				return err
			}
			secret, _, err := s.Keys.Open(totpSeal, tf.Secret)
			if err != nil {
				return err
			}
			out.Pending = enrollmentOf(secret, u.Email)
			return nil
		}
		out.On = true
		n, err := q.CountRecoveryCodes(ctx, tx, uid)
		out.RecoveryLeft = int(n)
		return err
	})
	return out, err
}

// StartTwoFactor makes a new secret for the person to add to their app;
// two-factor sign-in is on only once ConfirmTwoFactor sees a code of it.
func (s *Service) StartTwoFactor(ctx context.Context, uid int64) (Enrollment, error) {
	secret := auth.NewTOTPSecret()
	var out Enrollment
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		on, err := q.TwoFactorEnabled(ctx, tx, uid)
		if err != nil {
			return err
		}
		if on {
			return errTwoFactorOn
		}
		u, err := q.GetUser(ctx, tx, uid)
		if err != nil {
			return err
		}
		sealed, err := s.Keys.Seal(totpSeal, secret)
		if err != nil {
			return err
		}
		if err := q.PutPendingTwoFactor(ctx, tx, accountdb.PutPendingTwoFactorParams{UserID: uid, Secret: sealed, CreatedAt: s.Clock.Now()}); err != nil {
			return err
		}
		out = *enrollmentOf(secret, u.Email)
		return nil
	})
	return out, err
}

// ConfirmTwoFactor turns two-factor sign-in on when code comes from the
// pending secret, and returns the recovery codes to show once.
func (s *Service) ConfirmTwoFactor(ctx context.Context, uid int64, code, ip string) ([]string, error) {
	now := s.Clock.Now()
	var codes []string
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		tf, err := q.GetTwoFactorForUpdate(ctx, tx, uid)
		if errors.Is(err, pgx.ErrNoRows) {
			return errNoEnrollment
		}
		if err != nil {
			return err
		}
		if tf.EnabledAt != nil {
			return errTwoFactorOn
		}
		secret, _, err := s.Keys.Open(totpSeal, tf.Secret)
		if err != nil {
			return err
		}
		step, ok := auth.MatchTOTP(secret, code, now, 0)
		if !ok {
			return problem.Invalid("the code does not match", problem.FieldError{Field: "code",
				Message: "does not match; check that the app shows Quire with your email and that your phone's clock is right, then type the current code"})
		}
		if err := q.EnableTwoFactor(ctx, tx, accountdb.EnableTwoFactorParams{UserID: uid, EnabledAt: &now, LastStep: step}); err != nil {
			return err
		}
		if codes, err = s.replaceRecoveryCodes(ctx, tx, uid); err != nil {
			return err
		}
		return s.audit(ctx, tx, uid, "account.two_factor.enable", ip, now)
	})
	s.duties.forget(uid)
	return codes, err
}

// DisableTwoFactor turns two-factor sign-in off; it takes the password and
// a code, so that a session left open is not enough.
func (s *Service) DisableTwoFactor(ctx context.Context, uid int64, password, code, ip string) error {
	if err := s.codeLimits(ctx, uid, ip); err != nil {
		return err
	}
	now := s.Clock.Now()
	defer s.duties.forget(uid)
	return s.inTx(ctx, func(tx pgx.Tx) error {
		u, err := q.GetUser(ctx, tx, uid)
		if err != nil {
			return err
		}
		if ok, _, err := s.Passwords.Verify(u.PasswordHash, password); err != nil || !ok {
			return errBadPassword
		}
		if _, err := s.secondFactor(ctx, tx, uid, code, now); err != nil {
			return err
		}
		if err := q.DeleteRecoveryCodes(ctx, tx, uid); err != nil {
			return err
		}
		if err := q.DeleteTwoFactor(ctx, tx, uid); err != nil {
			return err
		}
		return s.audit(ctx, tx, uid, "account.two_factor.disable", ip, now)
	})
}

// RenewRecoveryCodes replaces every recovery code with new ones, given a
// current code.
func (s *Service) RenewRecoveryCodes(ctx context.Context, uid int64, code, ip string) ([]string, error) {
	if err := s.codeLimits(ctx, uid, ip); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	var codes []string
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := s.secondFactor(ctx, tx, uid, code, now); err != nil {
			return err
		}
		var err error
		if codes, err = s.replaceRecoveryCodes(ctx, tx, uid); err != nil {
			return err
		}
		return s.audit(ctx, tx, uid, "account.two_factor.recovery_codes", ip, now)
	})
	return codes, err
}

// codeLimits counts a code (or password) typed while signed in against the
// sign-in limits of the account, so that a session left open cannot be
// used to guess codes.
func (s *Service) codeLimits(ctx context.Context, uid int64, ip string) error {
	u, err := q.GetUser(ctx, s.DB, uid)
	if err != nil {
		return err
	}
	return s.loginLimits(ctx, u.Email, ip)
}

func (s *Service) replaceRecoveryCodes(ctx context.Context, tx pgx.Tx, uid int64) ([]string, error) {
	if err := q.DeleteRecoveryCodes(ctx, tx, uid); err != nil {
		return nil, err
	}
	codes := make([]string, RecoveryCodes)
	for i := range codes {
		codes[i] = auth.NewRecoveryCode()
		if err := q.InsertRecoveryCode(ctx, tx, accountdb.InsertRecoveryCodeParams{UserID: uid, CodeHash: auth.HashRecoveryCode(codes[i])}); err != nil {
			return nil, err
		}
	}
	return codes, nil
}

// secondFactor accepts a code from the app (once per time step, never an
// earlier step than the last accepted) or an unused recovery code, which
// it uses up. It reports whether a recovery code was used.
func (s *Service) secondFactor(ctx context.Context, tx pgx.Tx, uid int64, code string, now time.Time) (recovery bool, err error) {
	tf, err := q.GetTwoFactorForUpdate(ctx, tx, uid)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, errTwoFactorOff
	}
	if err != nil {
		return false, err
	}
	if tf.EnabledAt == nil {
		return false, errTwoFactorOff
	}
	if auth.LooksLikeTOTP(code) {
		secret, current, err := s.Keys.Open(totpSeal, tf.Secret)
		if err != nil {
			return false, err
		}
		step, ok := auth.MatchTOTP(secret, code, now, tf.LastStep)
		if !ok {
			return false, errBadSecondFactor
		}
		if !current {
			// From before sealing, or sealed under a key since rotated out
			// of signing: seal it under the current one.
			sealed, err := s.Keys.Seal(totpSeal, secret)
			if err != nil {
				return false, err
			}
			if err := q.SetTwoFactorSecret(ctx, tx, accountdb.SetTwoFactorSecretParams{UserID: uid, Secret: sealed}); err != nil {
				return false, err
			}
		}
		return false, q.SetTwoFactorStep(ctx, tx, accountdb.SetTwoFactorStepParams{UserID: uid, LastStep: step})
	}
	n, err := q.UseRecoveryCode(ctx, tx, accountdb.UseRecoveryCodeParams{UserID: uid, CodeHash: auth.HashRecoveryCode(code), UsedAt: &now})
	if err != nil {
		return false, err
	}
	if n != 1 {
		return false, errBadSecondFactor
	}
	return true, nil
}

func (s *Service) audit(ctx context.Context, tx pgx.Tx, uid int64, action, ip string, now time.Time) error {
	return audit.Record(ctx, tx, audit.Entry{ActorID: &uid, Action: action, Subject: "user:" + strconv.FormatInt(uid, 10), IP: ip, At: now})
}

// finishWithSecondFactor checks the second factor and starts the login in
// one transaction, so a code is used up only by a login that started.
func (s *Service) finishWithSecondFactor(ctx context.Context, uid int64, code, ip string) (Tokens, error) {
	now := s.Clock.Now()
	var t Tokens
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		recovery, err := s.secondFactor(ctx, tx, uid, code, now)
		if err != nil {
			return err
		}
		if recovery {
			if err := s.audit(ctx, tx, uid, "account.sign_in.recovery_code", ip, now); err != nil {
				return err
			}
		}
		t, err = s.issue(ctx, tx, uid, uuid.New(), now)
		return err
	})
	return t, err
}

// A challenge is the browser's proof, between the two steps of a sign-in,
// that the password was right: the account, an expiry and a tag of the
// password hash (so that a password change ends it), signed with the
// token keys. It is carried in a cookie; the codes it lets a browser try
// count against the same sign-in limits as passwords.
const challengePurpose = "login-two-factor"

func passwordTag(hash string) string {
	sum := sha256.Sum256([]byte(hash))
	return hex.EncodeToString(sum[:8])
}

func (s *Service) newChallenge(u accountdb.User, now time.Time) string {
	msg := fmt.Sprintf("%d.%d.%s", u.ID, now.Add(TwoFactorTTL).Unix(), passwordTag(u.PasswordHash))
	return base64.RawURLEncoding.EncodeToString([]byte(msg)) + "." + s.Keys.SignValue(challengePurpose, []byte(msg))
}

// challengeUser returns the account a valid, unexpired challenge is for.
func (s *Service) challengeUser(ctx context.Context, challenge string) (accountdb.User, error) {
	enc, sig, ok := strings.Cut(challenge, ".")
	if !ok {
		return accountdb.User{}, ErrTwoFactorExpired
	}
	msg, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil || !s.Keys.CheckValue(challengePurpose, msg, sig) {
		return accountdb.User{}, ErrTwoFactorExpired
	}
	parts := strings.Split(string(msg), ".")
	if len(parts) != 3 {
		return accountdb.User{}, ErrTwoFactorExpired
	}
	uid, err1 := strconv.ParseInt(parts[0], 10, 64)
	exp, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil || !s.Clock.Now().Before(time.Unix(exp, 0)) {
		return accountdb.User{}, ErrTwoFactorExpired
	}
	u, err := q.GetUser(ctx, s.DB, uid)
	if errors.Is(err, pgx.ErrNoRows) {
		return accountdb.User{}, ErrTwoFactorExpired
	}
	if err != nil {
		return accountdb.User{}, err
	}
	if passwordTag(u.PasswordHash) != parts[2] {
		return accountdb.User{}, ErrTwoFactorExpired
	}
	return u, nil
}

// FinishLogin is the second step of a browser sign-in: the challenge
// BeginLogin gave and a code from the app or a recovery code.
func (s *Service) FinishLogin(ctx context.Context, challenge, code, ip string) (Tokens, error) {
	u, err := s.challengeUser(ctx, challenge)
	if err != nil {
		return Tokens{}, err
	}
	if err := s.loginLimits(ctx, u.Email, ip); err != nil {
		return Tokens{}, err
	}
	if strings.TrimSpace(code) == "" {
		return Tokens{}, problem.Invalid("enter a code", problem.FieldError{Field: "code", Message: "enter the code from your app or a recovery code"})
	}
	return s.finishWithSecondFactor(ctx, u.ID, code, ip)
}
