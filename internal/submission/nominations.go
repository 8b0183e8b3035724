package submission

import (
	"context"
	"slices"
	"strings"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/venue"
)

// Nominations is where a venue's reciprocal rule stands: which papers
// name no reviewing author yet, and who is named for how many.
type Nominations struct {
	Rule venue.Reciprocal
	// Papers counts the submissions that are not withdrawn; Named those of
	// them that name their reviewing author.
	Papers, Named int
	Missing       []Submission // by number
	Nominees      []Nominee    // by name
}

// Nominee is an author a venue's papers name as their reviewer.
type Nominee struct {
	Name, Email string
	Numbers     []int // the papers that name them
	Load        int   // the rule's load for them
	// InPool is whether they review for the venue; an author without an
	// account joins when they make one and the paper is saved again, or
	// by invitation.
	InPool     bool
	HasAccount bool
}

// NominationsOf works out the rule's state from a venue's submissions
// (with their authors and answers), as a chair's list has them.
func NominationsOf(set *venue.Settings, subs []Submission) Nominations {
	n := Nominations{Rule: set.ReciprocalReviewing}
	if !n.Rule.On() {
		return n
	}
	byEmail := map[string]*Nominee{}
	for _, s := range subs {
		if s.WithdrawnAt != nil {
			continue
		}
		n.Papers++
		email, _ := s.Fields[n.Rule.Field].(string)
		if email == "" {
			n.Missing = append(n.Missing, s)
			continue
		}
		n.Named++
		key := strings.ToLower(email)
		who := byEmail[key]
		if who == nil {
			who = &Nominee{Email: email, Name: email}
			for _, a := range s.Authors {
				if strings.EqualFold(a.Email, email) {
					who.Name = a.Name
				}
			}
			byEmail[key] = who
		}
		who.Numbers = append(who.Numbers, s.Number)
		who.Load = n.Rule.Load(len(who.Numbers))
	}
	for _, who := range byEmail {
		n.Nominees = append(n.Nominees, *who)
	}
	slices.SortFunc(n.Missing, func(a, b Submission) int { return a.Number - b.Number })
	slices.SortFunc(n.Nominees, func(a, b Nominee) int { return strings.Compare(a.Name+a.Email, b.Name+b.Email) })
	return n
}

// Nominations is the rule's state for a venue's chairs: the papers they
// may see, and whether each nominee reviews for the venue yet.
func (s *Service) Nominations(ctx context.Context, slug string, p account.Principal) (Nominations, error) {
	subs, err := s.ListVenue(ctx, slug, p, Filter{})
	if err != nil {
		return Nominations{}, err
	}
	rec, err := s.Venues.BySlug(ctx, s.DB, slug)
	if err != nil {
		return Nominations{}, err
	}
	n := NominationsOf(rec.Settings, subs)
	for i, who := range n.Nominees {
		u, ok, err := s.Accounts.ByEmail(ctx, s.DB, who.Email)
		if err != nil {
			return n, err
		}
		if !ok {
			continue
		}
		n.Nominees[i].HasAccount = true
		roles, err := s.Venues.RolesOf(ctx, s.DB, rec.ID, u.ID)
		if err != nil {
			return n, err
		}
		n.Nominees[i].InPool = slices.Contains(roles, venue.RoleReviewer)
	}
	return n, nil
}
