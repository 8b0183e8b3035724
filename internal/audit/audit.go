// Package audit records who did what, when and from where. Entries are
// written in the transaction of the action they describe, so the log never
// claims an action that rolled back.
package audit

import (
	"context"
	"encoding/json"
	"time"

	"github.com/quirehq/quire/internal/audit/auditdb"
)

var q = auditdb.New()

// Entry is one recorded action.
type Entry struct {
	VenueID *int64
	ActorID *int64
	Action  string // e.g. "invitation.create", "decision.set"
	Subject string
	Detail  map[string]any
	IP      string
	At      time.Time
}

// Record writes an entry with db, which should be the action's transaction.
func Record(ctx context.Context, db auditdb.DBTX, e Entry) error {
	detail, err := json.Marshal(e.Detail)
	if err != nil {
		return err
	}
	if e.Detail == nil {
		detail = []byte("{}")
	}
	return q.Record(ctx, db, auditdb.RecordParams{VenueID: e.VenueID, ActorID: e.ActorID, Action: e.Action, Subject: e.Subject, Detail: detail, RemoteIp: e.IP, At: e.At})
}

// List returns a venue's log in time order.
func List(ctx context.Context, db auditdb.DBTX, venueID int64) ([]auditdb.AuditLog, error) {
	return q.ListForVenue(ctx, db, &venueID)
}
