package httpapi

import (
	"bytes"
	"context"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/apigen"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/schedule"
	"github.com/quirehq/quire/internal/venue"
)

// viewer is the caller if signed in, nil for an anonymous reader of a
// public page.
func viewer(ctx context.Context) *account.Principal {
	if p, ok := account.PrincipalFrom(ctx); ok {
		return &p
	}
	return nil
}

func (h *handlers) GetSchedule(ctx context.Context, r apigen.GetScheduleRequestObject) (apigen.GetScheduleResponseObject, error) {
	day, err := h.Schedule.Get(ctx, r.Venue, viewer(ctx))
	if err != nil {
		return nil, err
	}
	if r.Params.Format != nil && *r.Params.Format == apigen.GetScheduleParamsFormatIcs {
		only := ""
		if r.Params.Item != nil {
			only = *r.Params.Item
			if _, ok := day.Item(only); !ok {
				return nil, problem.New(problem.ErrNotFound, "no_such_item", "the schedule has no item "+only)
			}
		}
		var buf bytes.Buffer
		if err := schedule.WriteICS(&buf, day, only); err != nil {
			return nil, err
		}
		name := r.Venue + "-schedule.ics"
		if only != "" {
			name = r.Venue + "-" + only + ".ics"
		}
		res := apigen.GetSchedule200TextcalendarResponse{Body: &buf, ContentLength: int64(buf.Len())}
		return download{attachment(name), res.VisitGetScheduleResponse}, nil
	}
	out, err := scheduleOut(day)
	return apigen.GetSchedule200JSONResponse(out), err
}

func (h *handlers) PutSchedule(ctx context.Context, r apigen.PutScheduleRequestObject) (apigen.PutScheduleResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	items := make([]venue.ScheduleItem, len(r.Body.Items))
	for i, in := range r.Body.Items {
		items[i] = venue.ScheduleItem{ID: deref(in.Id), Start: in.Start, End: in.End, Kind: venue.ItemKind(in.Kind), Title: in.Title,
			Speaker: deref(in.Speaker), Room: deref(in.Room), Stream: deref(in.Stream)}
		if in.Paper != nil {
			items[i].Paper = *in.Paper
		}
	}
	day, err := h.Schedule.Put(ctx, r.Venue, p, items, infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	out, err := scheduleOut(day)
	return apigen.PutSchedule200JSONResponse(out), err
}

func (h *handlers) PublishSchedule(ctx context.Context, r apigen.PublishScheduleRequestObject) (apigen.PublishScheduleResponseObject, error) {
	p, err := account.MustPrincipal(ctx)
	if err != nil {
		return nil, err
	}
	day, err := h.Schedule.Publish(ctx, r.Venue, p, r.Body.Published, infoFrom(ctx).IP)
	if err != nil {
		return nil, err
	}
	out, err := scheduleOut(day)
	return apigen.PublishSchedule200JSONResponse(out), err
}

func scheduleOut(d schedule.Day) (apigen.Schedule, error) {
	var out apigen.Schedule
	return out, convert(d, &out)
}
