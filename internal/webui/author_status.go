package webui

import (
	"context"
	"errors"
	"strings"

	"github.com/quirehq/quire/internal/decision"
	"github.com/quirehq/quire/internal/problem"
)

// decisionStatus is a released decision as the authors' status line reads
// it: the venue's label ("Accept as a poster") in the past tense
// ("Accepted as a poster"), and the key the page's styles and tests use.
func decisionStatus(label string, accept bool) (status, text string) {
	status = "rejected"
	if accept {
		status = "accepted"
	}
	for _, verb := range [][2]string{{"Accept", "Accepted"}, {"Reject", "Rejected"}} {
		if rest, ok := strings.CutPrefix(label, verb[0]); ok && (rest == "" || rest[0] == ' ') {
			return status, verb[1] + rest
		}
	}
	if accept {
		return status, "Accepted: " + label
	}
	return status, "Not accepted: " + label
}

// releasedDecision is the decision on a submission once the chairs have
// released it to its authors; nil before (the service refuses) or when
// the paper was not decided.
func (u *ui) releasedDecision(ctx context.Context, id int64, s *session) (*decision.Decision, error) {
	if u.Decisions == nil {
		return nil, nil
	}
	d, err := u.Decisions.Of(ctx, id, s.P)
	if errors.Is(err, problem.ErrForbidden) {
		return nil, nil
	}
	return d, err
}
