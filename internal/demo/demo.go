// Package demo fills an empty Quire with the DLDE III workshop, so `make run`
// shows a living venue: its settings, a chair, a pool of reviewers and a few
// authors. Passwords are random and printed once, in the first run's log.
package demo

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/big"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/demo/pdfgen"
	"github.com/quirehq/quire/internal/matching"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/reminder"
	"github.com/quirehq/quire/internal/review"
	"github.com/quirehq/quire/internal/site"
	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/venue"
)

// Person is one demo account.
type Person struct {
	Email, Name, Affiliation string
	Keywords                 []string
}

// Chair, Reviewers and Authors are the demo venue's people. The names are
// invented; the expertise comes from the workshop's topics.
var (
	Admin = Person{"admin@quire.localhost", "Quire Administrator", "Quire", nil}
	Chair = Person{"chair@dlde.example.org", "Ada Chair", "Institute for Scientific Machine Learning", []string{"neural differential equations"}}

	Reviewers = []Person{
		{"r.okafor@ml-lab.example.edu", "Ngozi Okafor", "Lagos Institute of Technology", []string{"neural differential equations", "latent dynamical models"}},
		{"j.lindqvist@kth.example.se", "Johan Lindqvist", "Nordic Technical University", []string{"normalizing flows", "diffusion models"}},
		{"m.tanaka@kyoto.example.jp", "Mei Tanaka", "Kyoto Applied Mathematics", []string{"neural operators", "Fourier neural operators"}},
		{"p.ruiz@upm.example.es", "Pablo Ruiz", "Madrid Polytechnic", []string{"PINNs", "numerical methods for DEs"}},
		{"a.schmidt@tum.example.de", "Anna Schmidt", "Munich Technical University", []string{"state-space models", "S4", "Hyena"}},
		{"k.nair@iisc.example.in", "Kiran Nair", "Bangalore Institute of Science", []string{"graph neural diffusion", "neural operators"}},
		{"l.moreau@inria.example.fr", "Louise Moreau", "Paris Computing Research", []string{"score-based models", "diffusion models"}},
		{"d.kim@kaist.example.kr", "Daniel Kim", "Daejeon Advanced Institute", []string{"hypersolvers", "hybrid solvers"}},
		{"s.oconnor@ucd.example.ie", "Siobhan O'Connor", "Dublin Science University", []string{"training dynamics", "neural ODEs"}},
		{"t.nguyen@hust.example.vn", "Thanh Nguyen", "Hanoi Science and Technology", []string{"PINNs", "neural operators"}},
		{"e.rossi@polimi.example.it", "Elena Rossi", "Milan Polytechnic", []string{"latent dynamical models", "state-space models"}},
		{"b.adeyemi@uct.example.za", "Bola Adeyemi", "Cape Town Data Science", []string{"normalizing flows", "neural SDEs"}},
		{"i.petrova@msu.example.ru", "Irina Petrova", "Moscow Computational Mathematics", []string{"numerical methods for DEs", "stiff solvers"}},
		{"f.haddou@um6p.example.ma", "Fatima Haddou", "Benguerir Polytechnic", []string{"PINNs", "inverse problems"}},
		{"g.walker@anu.example.au", "George Walker", "Canberra National University", []string{"score-based models", "SDE samplers"}},
		{"h.sato@utokyo.example.jp", "Hiro Sato", "Tokyo Institute of Informatics", []string{"state-space models", "long-range sequence modelling"}},
		{"m.costa@ist.example.pt", "Mariana Costa", "Lisbon Technical Institute", []string{"graph neural diffusion", "message passing"}},
		{"n.berg@uio.example.no", "Nils Berg", "Oslo Computing Centre", []string{"neural operators", "climate emulation"}},
		{"a.mensah@knust.example.gh", "Ama Mensah", "Kumasi Science University", []string{"latent dynamical models", "Koopman operators"}},
		{"r.gupta@iitb.example.in", "Rohan Gupta", "Bombay Technology Institute", []string{"normalizing flows", "continuous normalizing flows"}},
		{"c.dubois@epfl.example.ch", "Claire Dubois", "Lausanne Polytechnic", []string{"hybrid solvers", "differentiable physics"}},
		{"w.zhang@nus.example.sg", "Wei Zhang", "Singapore National University", []string{"training dynamics", "gradient flows"}},
		{"l.fernandez@uba.example.ar", "Lucia Fernandez", "Buenos Aires Sciences", []string{"neural ODEs", "control"}},
		{"t.olsen@dtu.example.dk", "Thomas Olsen", "Lyngby Technical University", []string{"Fourier neural operators", "turbulence"}},
	}
	Authors = []Person{
		{"h.fischer@eth.example.ch", "Hannah Fischer", "Zurich Technical Institute", nil},
		{"c.silva@usp.example.br", "Carlos Silva", "Sao Paulo Mathematics", nil},
		{"y.chen@tsinghua.example.cn", "Yu Chen", "Beijing Engineering University", nil},
		{"o.haddad@aub.example.lb", "Omar Haddad", "Beirut Applied Sciences", nil},
	}
)

// Load creates the demo venue and its people when the site has no venue yet.
// It reports whether it did anything.
func Load(ctx context.Context, pool *pgxpool.Pool, accounts *account.Service, sites *site.Service, venues *venue.Store, subs *submission.Service, match *matching.Service, reviews *review.Service, reminders *reminder.Service, log *slog.Logger) (bool, error) {
	n, err := venues.Count(ctx, pool)
	if err != nil || n > 0 {
		return false, err
	}
	// role says what each account is for in the demo, so that a newcomer
	// knows whom to sign in as.
	type created struct{ who, email, password, role string }
	var made []created
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		mk := func(p Person, admin bool, role string) (account.User, error) {
			pw := password()
			u, err := accounts.Create(ctx, tx, account.NewAccount{Email: p.Email, Name: p.Name, Password: pw, Affiliation: p.Affiliation, Keywords: p.Keywords, Admin: admin})
			if err == nil {
				made = append(made, created{p.Name, p.Email, pw, role})
			}
			return u, err
		}
		admin, err := mk(Admin, true, "administrator (the /admin console)")
		if err != nil {
			return err
		}
		if _, err := mk(Chair, false, "chair of dlde-2023"); err != nil {
			return err
		}
		rec, err := sites.CreateVenueTx(ctx, tx, &admin, venue.DemoYAML(), []string{Chair.Email}, "")
		if err != nil {
			return fmt.Errorf("demo venue: %w", err)
		}
		for _, p := range Reviewers {
			u, err := mk(p, false, "reviewer")
			if err != nil {
				return err
			}
			if err := venues.Grant(ctx, tx, rec.ID, u.ID, venue.RoleReviewer, &admin.ID); err != nil {
				return err
			}
		}
		for _, p := range Authors {
			if _, err := mk(p, false, "author"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	if err := loadSubmissions(ctx, pool, accounts, venues, subs, log); err != nil {
		return false, fmt.Errorf("demo submissions: %w", err)
	}
	if err := loadMatching(ctx, accounts, match, log); err != nil {
		return false, fmt.Errorf("demo assignment: %w", err)
	}
	// A week before the review deadline every reviewer was reminded; a day
	// before, only those whose reviews were still missing.
	if reminders != nil {
		if _, err := reminders.SeedStep(ctx, "dlde-2023", venue.RemindReview, "-7d"); err != nil {
			return false, fmt.Errorf("demo reminders: %w", err)
		}
	}
	if err := loadReviews(ctx, pool, venues, reviews, log); err != nil {
		return false, fmt.Errorf("demo reviews: %w", err)
	}
	if reminders != nil {
		if _, err := reminders.SeedStep(ctx, "dlde-2023", venue.RemindReview, "-1d"); err != nil {
			return false, fmt.Errorf("demo reminders: %w", err)
		}
	}
	log.Info("loaded the DLDE III demo venue (dlde-2023); these passwords are shown only this once")
	for _, c := range made {
		log.Info("demo account", "role", c.role, "email", c.email, "password", c.password, "name", c.who)
	}
	return true, nil
}

// loadSubmissions seeds the demo papers as they stood in the week before the
// 2023 deadline. Each file goes through the real PDF check: the papers over
// the limit stay without a PDF (their authors have yet to fix them), except
// one whose longer length a chair waived.
func loadSubmissions(ctx context.Context, pool *pgxpool.Pool, accounts *account.Service, venues *venue.Store, subs *submission.Service, log *slog.Logger) error {
	rec, err := venues.BySlug(ctx, pool, "dlde-2023")
	if err != nil {
		return err
	}
	limit := rec.Settings.Pages.Limit
	start := time.Date(2023, 9, 25, 9, 0, 0, 0, time.UTC)
	chair, ok, err := accounts.ByEmail(ctx, pool, Chair.Email)
	if err != nil || !ok {
		return fmt.Errorf("demo chair %s: %v", Chair.Email, err)
	}
	waived, refused := false, 0
	for i, ds := range Submissions {
		in := submission.Input{Title: ds.Title, Abstract: ds.Abstract, Keywords: ds.Keywords, Track: ds.Track, Declaration: true, Fields: answersOf(ds)}
		for k, email := range ds.Authors {
			// Only some papers keep their reviewer co-authors: with four
			// authors writing every paper, a reviewer who co-wrote one of
			// them would be conflicted with a quarter of the venue, far
			// more than at a real workshop.
			if k > 0 && isReviewer(email) && i%6 != 0 {
				continue
			}
			p, ok := PersonByEmail(email)
			if !ok {
				return fmt.Errorf("demo paper %q names unknown author %s", ds.Title, email)
			}
			in.Authors = append(in.Authors, submission.Author{Name: p.Name, Email: p.Email, Affiliation: p.Affiliation})
		}
		submitter, ok, err := accounts.ByEmail(ctx, pool, ds.Authors[0])
		if err != nil || !ok {
			return fmt.Errorf("demo submitter %s: %v", ds.Authors[0], err)
		}
		waive := ""
		if int(math.Ceil(ds.PDF.BodyPages)) > limit && !waived {
			waive, waived = "a chair allowed the longer paper: its extra page is a full-page figure", true
		}
		at := start.Add(time.Duration(i) * 4 * time.Hour)
		res, err := subs.Seed(ctx, rec, submitter.ID, in, pdfgen.Bytes(ds.Paper()), at, waive)
		if err != nil {
			return fmt.Errorf("demo paper %q: %w", ds.Title, err)
		}
		if res.Refused != nil {
			refused++
		}
		if err := settleDemoHold(ctx, rec, subs, chair, submitter.ID, ds, res.Submission, at); err != nil {
			return fmt.Errorf("demo paper %q: %w", ds.Title, err)
		}
	}
	log.Info("loaded the demo submissions", "count", len(Submissions), "without_pdf_after_a_refused_check", refused)
	return nil
}

// settleDemoHold plays out what happened to a held demo paper: the
// authors uploaded the anonymous build a day later, or a chair released a
// false positive. The others stay as the check left them.
func settleDemoHold(ctx context.Context, rec venue.Record, subs *submission.Service, chair account.User, submitter int64, ds Submission, sub submission.Submission, at time.Time) error {
	if !sub.Hold.Active() {
		return nil
	}
	switch {
	case ds.Fixed:
		p := ds.Paper()
		p.Footer, p.AuthorBlock = pdfgen.AnonymousFooter, false
		res, err := subs.SeedUpload(ctx, rec, sub.ID, submitter, pdfgen.Bytes(p), at.Add(24*time.Hour))
		if err == nil && res.Submission.Hold.Active() {
			err = fmt.Errorf("the fixed file is still held: %v", res.Submission.Findings())
		}
		return err
	case ds.HoldRelease != "":
		_, err := subs.ReleaseHold(ctx, sub.ID, account.Principal{UserID: chair.ID}, ds.HoldRelease, "")
		return err
	}
	return nil
}

func isReviewer(email string) bool {
	for _, r := range Reviewers {
		if r.Email == email {
			return true
		}
	}
	return false
}

// loadMatching gives the demo venue a few declared conflicts, bids from
// every reviewer (eager on their best matches, unwilling on a few) and a
// committed automatic assignment, as a venue looks once reviewing starts.
func loadMatching(ctx context.Context, accounts *account.Service, match *matching.Service, log *slog.Logger) error {
	chair, _, err := accounts.ByEmail(ctx, match.DB, Chair.Email)
	if err != nil {
		return err
	}
	cp := account.Principal{UserID: chair.ID}
	const slug = "dlde-2023"
	// Two reviewers declare a conflict with a paper each (a former student, a competitor).
	if err := match.SetConflict(ctx, slug, cp, 3, Reviewers[0].Email, "declared by the reviewer: former student of an author", false, ""); err != nil {
		return err
	}
	if err := match.SetConflict(ctx, slug, cp, 7, Reviewers[4].Email, "declared by the authors: direct competitor", false, ""); err != nil {
		return err
	}
	// One reviewer said, on accepting, that three papers is all they can take.
	busy, _, err := accounts.ByEmail(ctx, match.DB, Reviewers[len(Reviewers)-1].Email)
	if err != nil {
		return err
	}
	if _, err := match.SetCapacity(ctx, slug, account.Principal{UserID: busy.ID}, matching.Capacity{MaxLoad: 3}, ""); err != nil {
		return err
	}
	// Another offered to help only in an emergency: runs leave them out.
	helper, _, err := accounts.ByEmail(ctx, match.DB, Reviewers[len(Reviewers)-2].Email)
	if err != nil {
		return err
	}
	if _, err := match.SetCapacity(ctx, slug, account.Principal{UserID: helper.ID}, matching.Capacity{MaxLoad: 2, EmergencyOnly: true}, ""); err != nil {
		return err
	}
	for i, r := range Reviewers {
		rev, _, err := accounts.ByEmail(ctx, match.DB, r.Email)
		if err != nil {
			return err
		}
		items, err := match.BiddingList(ctx, slug, account.Principal{UserID: rev.ID})
		if err != nil {
			return err
		}
		for k, it := range items {
			bid := ""
			switch {
			case k < 4:
				bid = "eager"
			case k < 8:
				bid = "willing"
			case k == len(items)-1-i%3:
				bid = "not_willing"
			case k%7 == 3:
				bid = "pinch"
			}
			if bid != "" {
				if err := match.SeedBid(ctx, it.SubmissionID, rev.ID, bid); err != nil {
					return err
				}
			}
		}
	}
	id, err := match.StartRun(ctx, slug, cp, matching.Params{})
	if err != nil {
		return err
	}
	run, err := match.WaitRun(ctx, slug, cp, id)
	if err != nil {
		return err
	}
	if run.Status != "done" {
		// The demo still starts; the chair's page shows why.
		log.Warn("the demo assignment was not committed", "status", run.Status, "why", run.Explanation)
		return nil
	}
	if err := match.CommitRun(ctx, slug, cp, id, nil, ""); err != nil {
		return err
	}
	log.Info("committed the demo assignment", "reviews", len(run.Proposal.Pairs), "cost", run.Proposal.Cost)
	return loadEmergency(ctx, accounts, match, cp, run.Proposal.Pairs)
}

// loadEmergency has one reviewer drop a paper and the emergency reviewer
// take it, as chairs do a week before the deadline.
func loadEmergency(ctx context.Context, accounts *account.Service, match *matching.Service, cp account.Principal, pairs []matching.ProposalPair) error {
	const slug = "dlde-2023"
	if len(pairs) == 0 {
		return nil
	}
	drop := pairs[len(pairs)/2]
	if err := match.Decline(ctx, slug, account.Principal{UserID: drop.ReviewerID}, drop.SubmissionID, "A family emergency; I am sorry to drop this late.", ""); err != nil {
		return err
	}
	plan, err := match.Emergency(ctx, slug, cp)
	if err != nil {
		return err
	}
	// The dropped paper goes to an emergency reviewer, whichever the
	// proposal prefers for the other short papers (once the demo's
	// deadlines have passed, every late review counts as dropped too).
	for _, sp := range plan.Papers {
		if sp.SubmissionID != drop.SubmissionID {
			continue
		}
		for _, c := range plan.Candidates {
			err := match.AssignEmergency(ctx, slug, cp, []matching.EmergencyPick{{Number: sp.Number, Email: c.Email}}, plan.Due, "")
			if !errors.Is(err, problem.ErrInvalid) {
				return err // done, or a fault; a refused pick tries the next
			}
		}
	}
	return nil
}

// loadReviews writes the reviews as they stood on the review deadline: most
// submitted, a few still drafts, a few never started (so the progress view
// shows late reviewers), with scores that sometimes disagree.
func loadReviews(ctx context.Context, pool *pgxpool.Pool, venues *venue.Store, reviews *review.Service, log *slog.Logger) error {
	rec, err := venues.BySlug(ctx, pool, "dlde-2023")
	if err != nil {
		return err
	}
	rows, err := pool.Query(ctx, `SELECT a.submission_id, a.user_id, s.number FROM assignments a JOIN submissions s ON s.id = a.submission_id
		WHERE s.venue_id = $1 AND a.declined_at IS NULL ORDER BY s.number, a.user_id`, rec.ID)
	if err != nil {
		return err
	}
	type pair struct {
		sub, user int64
		number    int32
	}
	var pairs []pair
	for rows.Next() {
		var p pair
		if err := rows.Scan(&p.sub, &p.user, &p.number); err != nil {
			return err
		}
		pairs = append(pairs, p)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	verdicts := []string{"", "The claims are not supported by the experiments.", "Interesting but preliminary.", "A solid workshop contribution.", "Clear, well-executed and relevant.", "Excellent; a spotlight candidate."}
	at := time.Date(2023, 10, 15, 10, 0, 0, 0, time.UTC)
	written, drafts := 0, 0
	for i, p := range pairs {
		if i%9 == 4 {
			continue // not started: a late reviewer
		}
		overall := 1 + int(p.number*7+int32(i)*3)%5
		fields := map[string]any{"overall": float64(overall), "confidence": float64(2 + i%3),
			"summary":      fmt.Sprintf("The paper (#%d) studies a differential-equation view of a deep learning method and reports experiments on standard benchmarks.", p.number),
			"strengths":    "A clear question, a simple method and honest ablations.",
			"weaknesses":   "The experiments are small; the comparison with strong baselines is missing.",
			"confidential": verdicts[overall]}
		submit := i%11 != 7
		if err := reviews.Seed(ctx, rec, p.sub, p.user, fields, submit, at.Add(time.Duration(i)*37*time.Minute)); err != nil {
			return err
		}
		written++
		if !submit {
			drafts++
		}
	}
	log.Info("loaded the demo reviews", "written", written, "drafts", drafts, "not_started", len(pairs)-written)
	return nil
}

// password makes a random password of 16 unambiguous characters in four
// groups, easy to copy from a log.
func password() string {
	const letters = "abcdefghijkmnpqrstuvwxyz23456789"
	b := make([]byte, 16)
	for i := range b {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(letters))))
		b[i] = letters[n.Int64()]
	}
	return string(b[:4]) + "-" + string(b[4:8]) + "-" + string(b[8:12]) + "-" + string(b[12:])
}
