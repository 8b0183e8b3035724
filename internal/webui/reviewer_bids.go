package webui

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/venue"
)

type bidOption struct{ Value, Label string }

// bidOptions are the bids in the order people weigh them; "" clears a bid.
var bidOptions = []bidOption{{"", "No bid"}, {"eager", "Eager"}, {"willing", "Willing"}, {"pinch", "In a pinch"}, {"not_willing", "Not willing"}}

func bidLabel(v string) string {
	for _, o := range bidOptions {
		if o.Value == v {
			return o.Label
		}
	}
	return v
}

type bidRow struct {
	SubmissionID    int64
	Number          int
	Title, Abstract string
	Track           string
	Keywords        []string
	Affinity        string
	Bid, BidLabel   string
	Saved           bool
}

type bidsPage struct {
	Slug, VenueName string
	// Sort is "affinity" (the service's order) or "number".
	Sort    string
	Rows    []bidRow
	Options []bidOption
	Gate    gateView
	// Refused is the refusal of the bid just sent.
	Refused string
}

func (u *ui) bidsModel(c echo.Context, s *session) (bidsPage, error) {
	ctx := c.Request().Context()
	slug := c.Param("slug")
	items, err := u.Matching.BiddingList(ctx, slug, s.P)
	if err != nil {
		return bidsPage{}, err
	}
	rec, err := u.Venues.BySlug(ctx, u.DB, slug)
	if err != nil {
		return bidsPage{}, err
	}
	p := bidsPage{Slug: rec.Slug, VenueName: rec.Name, Sort: "affinity", Options: bidOptions}
	if c.QueryParam("sort") == "number" || c.FormValue("sort") == "number" {
		p.Sort = "number"
		sort.SliceStable(items, func(i, j int) bool { return items[i].Number < items[j].Number })
	}
	if p.Gate, err = u.gate(ctx, rec, venue.ActionBid, s.P.UserID, "Bidding ends"); err != nil {
		return p, err
	}
	for _, it := range items {
		p.Rows = append(p.Rows, bidRow{SubmissionID: it.SubmissionID, Number: it.Number, Title: it.Title, Abstract: it.Abstract,
			Track: trackName(rec.Settings, it.Track), Keywords: it.Keywords, Affinity: strconv.FormatFloat(it.Affinity, 'f', 2, 64),
			Bid: it.Bid, BidLabel: bidLabel(it.Bid)})
	}
	return p, nil
}

func (u *ui) bidsPage(c echo.Context, s *session) error {
	p, err := u.bidsModel(c, s)
	if err != nil {
		return err
	}
	v := view{Title: "Bidding at " + p.VenueName, S: s, Page: p}
	if saved, err := strconv.ParseInt(c.QueryParam("saved"), 10, 64); err == nil {
		for i := range p.Rows {
			if p.Rows[i].SubmissionID == saved {
				p.Rows[i].Saved = true
				v.Notice = "Your bid on #" + strconv.Itoa(p.Rows[i].Number) + " is saved: " + p.Rows[i].BidLabel + "."
			}
		}
		v.Page = p
	}
	return u.render(c, http.StatusOK, "reviewer_bids", v)
}

func (u *ui) saveBid(c echo.Context, s *session) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	bid := c.FormValue("bid")
	err = u.Matching.Bid(c.Request().Context(), c.Param("slug"), s.P, id, bid)
	if wantsJSON(c) {
		if err != nil {
			return jsonError(c, err, nil)
		}
		return c.JSON(http.StatusOK, map[string]string{"bid": bid, "message": "Saved: " + bidLabel(bid)})
	}
	if err == nil {
		q := url.Values{"saved": {strconv.FormatInt(id, 10)}}
		if c.FormValue("sort") == "number" {
			q.Set("sort", "number")
		}
		return c.Redirect(http.StatusSeeOther, "/venues/"+url.PathEscape(c.Param("slug"))+"/bids?"+q.Encode()+"#s-"+strconv.FormatInt(id, 10))
	}
	if !inputError(err) {
		return err
	}
	p, merr := u.bidsModel(c, s)
	if merr != nil {
		return merr
	}
	status, _, detail := describe(err)
	p.Refused = "Your bid was not saved. " + detail
	return u.render(c, status, "reviewer_bids", view{Title: "Bidding at " + p.VenueName, S: s, Page: p})
}

type conflictRow struct {
	ID      int64
	Number  int
	Title   string
	Checked bool
}

type conflictsPage struct {
	Slug, VenueName string
	Rows            []conflictRow
	Errors          *formErrors
}

func (u *ui) conflictsModel(c echo.Context, s *session) (conflictsPage, error) {
	ctx := c.Request().Context()
	slug := c.Param("slug")
	items, err := u.Matching.BiddingList(ctx, slug, s.P)
	if err != nil {
		return conflictsPage{}, err
	}
	rec, err := u.Venues.BySlug(ctx, u.DB, slug)
	if err != nil {
		return conflictsPage{}, err
	}
	declared, err := u.Matching.DeclaredByReviewer(ctx, slug, s.P)
	if err != nil {
		return conflictsPage{}, err
	}
	p := conflictsPage{Slug: rec.Slug, VenueName: rec.Name}
	for _, d := range declared {
		p.Rows = append(p.Rows, conflictRow{ID: d.SubmissionID, Number: d.Number, Title: d.Title, Checked: true})
	}
	for _, it := range items {
		p.Rows = append(p.Rows, conflictRow{ID: it.SubmissionID, Number: it.Number, Title: it.Title})
	}
	sort.Slice(p.Rows, func(i, j int) bool { return p.Rows[i].Number < p.Rows[j].Number })
	return p, nil
}

func (u *ui) conflictsPage(c echo.Context, s *session) error {
	p, err := u.conflictsModel(c, s)
	if err != nil {
		return err
	}
	v := view{Title: "Conflicts at " + p.VenueName, S: s, Page: p}
	if c.QueryParam("saved") != "" {
		v.Notice = "Your conflicts are saved."
	}
	return u.render(c, http.StatusOK, "reviewer_conflicts", v)
}

func (u *ui) saveConflicts(c echo.Context, s *session) error {
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	var ids []int64
	for _, v := range form["submission"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			continue // not from our form; the service rejects unknown ids
		}
		ids = append(ids, id)
	}
	err = u.Matching.DeclareAsReviewer(c.Request().Context(), c.Param("slug"), s.P, ids)
	if err == nil {
		return c.Redirect(http.StatusSeeOther, "/venues/"+url.PathEscape(c.Param("slug"))+"/conflicts?saved=1")
	}
	if !inputError(err) {
		return err
	}
	p, merr := u.conflictsModel(c, s)
	if merr != nil {
		return merr
	}
	p.Errors = formErrorsOf(err, nil)
	status, _, _ := describe(err)
	return u.render(c, status, "reviewer_conflicts", view{Title: "Conflicts at " + p.VenueName, S: s, Page: p})
}
