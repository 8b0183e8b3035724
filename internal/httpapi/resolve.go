package httpapi

import (
	"context"

	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue"
	"github.com/quirehq/quire/internal/venue/venuedb"
)

// resolveReviewer finds the reviewer of a venue with an email, for extensions.
func (h *handlers) resolveReviewer(ctx context.Context, db venuedb.DBTX, venueID int64, email string) (int64, error) {
	u, ok, err := h.Accounts.ByEmail(ctx, db, email)
	if err != nil {
		return 0, err
	}
	notReviewer := problem.Invalid("no reviewer of this venue has the email "+email, problem.FieldError{Field: "reviewer", Message: "must be a reviewer of this venue"})
	if !ok {
		return 0, notReviewer
	}
	if err := h.Venues.Require(ctx, db, venueID, u.ID, venue.RoleReviewer); err != nil {
		return 0, notReviewer
	}
	return u.ID, nil
}
