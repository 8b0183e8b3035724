package openreview

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/review"
	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/submission/submissiondb"
	"github.com/quirehq/quire/internal/venue"
)

// Export is a venue as OpenReview notes (API v2, wrapped values), the
// profile map that names the reviewers behind the reviews' signatures,
// and the PDFs by the note ids whose content.pdf names them.
type Export struct {
	Notes    []Note
	Profiles Profiles
	// ProfileIDs lists the map's ids in the order of the notes.
	ProfileIDs []string
	// PDFs maps a submission note's id to its PDF's hash in the store.
	PDFs map[string]string
	// Supplementary maps the file name content.supplementary_material
	// ends in to the material's hash in the store: written beside the
	// PDFs, where the import looks for it.
	Supplementary map[string]string
}

// stored is what the map holds of a venue's notes.
type stored struct {
	byID   map[string]Note
	subs   map[int64]Note          // the submission note of a submission
	revs   map[[2]int64]Note       // the review note of (submission, reviewer)
	other  map[int64]map[Kind]Note // decision and meta-review notes
	coms   map[int64]Note          // the comment note of a comment
	resp   map[int64][]Note        // the authors' comments of a submission, by date
	nums   map[int64]int           // OpenReview numbers
	domain string
}

func (s *Service) stored(ctx context.Context, venueID int64) (stored, error) {
	st := stored{byID: map[string]Note{}, subs: map[int64]Note{}, revs: map[[2]int64]Note{}, other: map[int64]map[Kind]Note{}, coms: map[int64]Note{}, resp: map[int64][]Note{}, nums: map[int64]int{}}
	rows, err := orq.StoredNotes(ctx, s.DB, venueID)
	if err != nil {
		return st, err
	}
	for _, r := range rows {
		var n Note
		if err := json.Unmarshal(r.Note, &n); err != nil {
			return st, err
		}
		sub, reviewer := r.SubmissionID, r.ReviewerID
		st.byID[n.ID] = n
		switch Kind(r.Kind) {
		case KindSubmission:
			st.subs[sub], st.nums[sub] = n, int(r.Number)
			if st.domain == "" {
				st.domain = n.Domain
			}
		case KindReview:
			st.revs[[2]int64{sub, reviewer}] = n
		case KindComment:
			if r.CommentID == 0 { // the authors': the response's, or kept for lack of one
				st.resp[sub] = append(st.resp[sub], n)
				continue
			}
			st.coms[r.CommentID] = n
		default:
			if st.other[sub] == nil {
				st.other[sub] = map[Kind]Note{}
			}
			st.other[sub][Kind(r.Kind)] = n
		}
	}
	for _, ns := range st.resp {
		sortNotes(ns)
	}
	return st, nil
}

// noteID makes an id in OpenReview's style (ten letters and digits) for a
// row that did not come from OpenReview, the same on every export.
func noteID(parts ...string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	out := make([]byte, 10)
	for i := range out {
		out[i] = alphabet[int(sum[i])%len(alphabet)]
	}
	return string(out)
}

func ms(t interface{ UnixMilli() int64 }) int64 { return t.UnixMilli() }

// Export writes the venue slug as notes, for its chairs and the site's
// administrators. Notes that came from OpenReview keep their ids,
// invitations, signatures and the content Quire has no place for; Quire
// writes the rest.
func (s *Service) Export(ctx context.Context, slug string, actor int64) (Export, error) {
	rec, err := s.Venues.BySlug(ctx, s.DB, slug)
	if err != nil {
		return Export{}, err
	}
	if err := s.requireImporter(ctx, rec, actor); err != nil {
		return Export{}, err
	}
	return s.export(ctx, rec)
}

func (s *Service) export(ctx context.Context, rec venue.Record) (Export, error) {
	st, err := s.stored(ctx, rec.ID)
	if err != nil {
		return Export{}, err
	}
	domain := st.domain
	if domain == "" {
		domain = "Quire/" + rec.Slug
	}
	subs, err := subq.ListForVenue(ctx, s.DB, rec.ID)
	if err != nil {
		return Export{}, err
	}
	ids := make([]int64, 0, len(subs))
	for _, r := range subs {
		ids = append(ids, r.Submission.ID)
	}
	authorRows, err := subq.AuthorsOf(ctx, s.DB, ids)
	if err != nil {
		return Export{}, err
	}
	authors := map[int64][]submissiondb.SubmissionAuthor{}
	for _, a := range authorRows {
		authors[a.SubmissionID] = append(authors[a.SubmissionID], a)
	}
	for id := range authors {
		sort.Slice(authors[id], func(i, j int) bool { return authors[id][i].Position < authors[id][j].Position })
	}
	answerRows, err := subq.FieldAnswersOf(ctx, s.DB, ids)
	if err != nil {
		return Export{}, err
	}
	answers := map[int64]submission.Answers{}
	for _, a := range answerRows {
		m := submission.Answers{}
		if err := json.Unmarshal(a.Answers, &m); err != nil {
			return Export{}, err
		}
		answers[a.SubmissionID] = m
	}
	out := Export{Profiles: Profiles{}, PDFs: map[string]string{}, Supplementary: map[string]string{}}
	// OpenReview's numbers stay; Quire's own papers take theirs where free,
	// else one past the largest, so no two notes share a number.
	taken, top := map[int]bool{}, 0
	for _, n := range st.nums {
		taken[n], top = true, max(top, n)
	}
	for _, r := range subs {
		row := r.Submission
		base, known := st.subs[row.ID]
		number := st.nums[row.ID]
		if !known || number == 0 {
			if !known {
				base = Note{ID: noteID(rec.Slug, "submission", strconv.FormatInt(row.ID, 10)), Domain: domain,
					Invitations: []string{domain + "/-/Submission"}}
			}
			number = int(row.Number)
			if taken[number] {
				number = top + 1
			}
			taken[number], top = true, max(top, number)
		}
		n := base
		n.Forum, n.ReplyTo, n.Number, n.Domain = n.ID, "", number, domain
		n.Invitation = ""
		n.CDate, n.MDate = ms(row.CreatedAt), ms(row.UpdatedAt)
		n.Content = Content{}
		for k, v := range base.Content {
			n.Content[k] = v
		}
		n.Content["title"] = row.Title
		n.Content["abstract"] = row.Abstract
		n.Content["keywords"] = stringsAny(row.Keywords)
		names, aids, affs, emails, anyAff := []any{}, []any{}, []any{}, []string{}, false
		oldNames, oldIDs := base.Content.Strings("authors"), base.Content.Strings("authorids")
		for i, a := range authors[row.ID] {
			names = append(names, a.Name)
			id := a.Email
			// An author who came with a profile id keeps it.
			if i < len(oldIDs) && i < len(oldNames) && oldNames[i] == a.Name && strings.HasPrefix(oldIDs[i], "~") {
				id = oldIDs[i]
			}
			// The map gives a profile id its email.
			if a.Email != "" && strings.HasPrefix(id, "~") {
				if _, seen := out.Profiles[id]; !seen {
					out.ProfileIDs = append(out.ProfileIDs, id)
				}
				out.Profiles[id] = Profile{Email: a.Email, Name: a.Name}
			}
			affs = append(affs, a.Affiliation)
			emails = append(emails, a.Email)
			anyAff = anyAff || a.Affiliation != ""
			aids = append(aids, id)
		}
		n.Content["authors"], n.Content["authorids"] = names, aids
		// Notes carry no affiliations (OpenReview keeps them in profiles);
		// Quire keeps one per author and paper, so it writes its own field.
		delete(n.Content, affiliationsKey)
		if anyAff {
			n.Content[affiliationsKey] = affs
		}
		writeAnswers(rec.Settings, row.Track, emails, n.Content, base.Content, answers[row.ID])
		delete(n.Content, suppKey)
		if row.SuppSha != nil {
			name := suppFile(base.Content, n.ID, row.SuppType)
			n.Content[suppKey] = "/attachment/" + name
			out.Supplementary[name] = *row.SuppSha
		}
		delete(n.Content, "pdf")
		if row.PdfSha != nil {
			n.Content["pdf"] = "/pdf/" + n.ID + ".pdf"
			out.PDFs[n.ID] = *row.PdfSha
		}
		n.Content["venueid"] = domain
		invs := []string{}
		for _, inv := range n.Invitations {
			if !strings.HasSuffix(inv, "/Withdrawn_Submission") {
				invs = append(invs, inv)
			}
		}
		if row.WithdrawnAt != nil {
			n.Content["venueid"] = domain + "/Withdrawn_Submission"
			invs = append(invs, domain+"/-/Withdrawn_Submission")
		}
		n.Invitations = invs
		out.Notes = append(out.Notes, n)
		replies, err := s.exportReplies(ctx, rec, st, row, n, domain, &out)
		if err != nil {
			return Export{}, err
		}
		out.Notes = append(out.Notes, replies...)
	}
	return out, nil
}

func stringsAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// reply starts a reply note to sub from what the map kept, or a new one
// under the invitation OpenReview would have used.
func reply(base Note, known bool, sub Note, domain, invitation string, parts ...string) Note {
	n := base
	if !known {
		n = Note{ID: noteID(parts...), Invitations: []string{domain + "/Submission" + strconv.Itoa(sub.Number) + "/-/" + invitation}}
	}
	if len(n.Invitations) == 0 && n.Invitation != "" {
		// an API v1 note: its invitation goes out as v2 writes it
		n.Invitations = []string{n.Invitation}
	}
	n.Forum, n.ReplyTo, n.Domain, n.Number, n.Invitation = sub.ID, sub.ID, domain, 0, ""
	return n
}

func (s *Service) exportReplies(ctx context.Context, rec venue.Record, st stored, row submissiondb.Submission, sub Note, domain string, out *Export) ([]Note, error) {
	var notes []Note
	sigs := map[int64]string{} // a reviewer's signature on this paper
	reviews, err := revq.ReviewsOf(ctx, s.DB, row.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range reviews {
		if r.Status != "submitted" {
			continue
		}
		base, known := st.revs[[2]int64{row.ID, r.ReviewerID}]
		n := reply(base, known, sub, domain, "Official_Review", rec.Slug, "review", strconv.FormatInt(r.ID, 10))
		if !known {
			n.Signatures = []string{domain + "/Submission" + strconv.Itoa(sub.Number) + "/Reviewer_" + noteID(rec.Slug, "reviewer", strconv.FormatInt(r.ID, 10))[:4]}
		}
		var fields map[string]any
		if err := json.Unmarshal(r.Fields, &fields); err != nil {
			return nil, err
		}
		n.Content = Content{}
		for _, ff := range rec.Settings.ReviewForm {
			if v, ok := fields[ff.Key]; ok {
				n.Content[ff.Key] = v
			}
		}
		n.CDate, n.MDate = ms(r.CreatedAt), ms(r.UpdatedAt)
		n.TCDate = 0
		for _, sig := range n.Signatures {
			if !strings.Contains(sig, "@") {
				out.Profiles[sig] = Profile{Email: r.ReviewerEmail, Name: r.ReviewerName}
				out.ProfileIDs = append(out.ProfileIDs, sig)
				sigs[r.ReviewerID] = sig
				break
			}
		}
		notes = append(notes, n)
	}
	meta, err := decq.GetMetaReview(ctx, s.DB, row.ID)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, err
	}
	if err == nil {
		base, known := st.other[row.ID][KindMetaReview]
		n := reply(base, known, sub, domain, "Meta_Review", rec.Slug, "meta", strconv.FormatInt(row.ID, 10))
		label := meta.Recommendation
		if d, ok := rec.Settings.Decision(meta.Recommendation); ok {
			label = d.Label
		}
		n.Content = Content{"metareview": meta.Body, "recommendation": label}
		n.CDate, n.MDate = ms(meta.UpdatedAt), ms(meta.UpdatedAt)
		n.TCDate = 0
		notes = append(notes, n)
	}
	dec, err := decq.GetDecision(ctx, s.DB, row.ID)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, err
	}
	if err == nil {
		base, known := st.other[row.ID][KindDecision]
		n := reply(base, known, sub, domain, "Decision", rec.Slug, "decision", strconv.FormatInt(row.ID, 10))
		label := dec.Category
		if d, ok := rec.Settings.Decision(dec.Category); ok {
			label = d.Label
		}
		n.Content = Content{"decision": label}
		if dec.Note != "" {
			n.Content["comment"] = dec.Note
		}
		n.CDate, n.MDate = ms(dec.DecidedAt), ms(dec.DecidedAt)
		n.TCDate = 0
		notes = append(notes, n)
	}
	comments, err := s.exportComments(ctx, rec, st, row.ID, sub, domain, sigs, out)
	if err != nil {
		return nil, err
	}
	notes = append(notes, comments...)
	resp, err := s.exportResponse(ctx, rec, st, row.ID, sub, domain)
	if err != nil {
		return nil, err
	}
	return append(notes, resp...), nil
}

// exportResponse writes the authors' response as the official comments
// they sign: the notes it came from as they came while Quire holds it as
// they made it (and those a venue without responses kept), else one note
// with the response as Quire has it, in the first one's place.
func (s *Service) exportResponse(ctx context.Context, rec venue.Record, st stored, id int64, sub Note, domain string) ([]Note, error) {
	kept := st.resp[id]
	r, err := revq.GetResponse(ctx, s.DB, id)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return nil, err
	case r.Status == "submitted" && strings.TrimSpace(r.Body) != "" && r.Body != responseBody(kept):
		var base Note
		if len(kept) > 0 {
			base = kept[0]
		}
		n := reply(base, len(kept) > 0, sub, domain, "Official_Comment", rec.Slug, "response", strconv.FormatInt(id, 10))
		if base.ReplyTo != "" {
			n.ReplyTo = base.ReplyTo
		}
		if len(kept) == 0 {
			paper := domain + "/Submission" + strconv.Itoa(sub.Number)
			n.Signatures, n.Writers = []string{paper + "/Authors"}, []string{paper + "/Authors"}
			n.Readers = []string{domain + "/Program_Chairs", paper + "/Reviewers", paper + "/Authors"}
		}
		at := r.UpdatedAt
		if r.SubmittedAt != nil {
			at = *r.SubmittedAt
		}
		n.Content = Content{"comment": r.Body}
		n.CDate, n.MDate, n.TCDate, n.TMDate = ms(at), ms(r.UpdatedAt), 0, 0
		return []Note{n}, nil
	}
	out := make([]Note, 0, len(kept))
	for _, base := range kept {
		n := reply(base, true, sub, domain, "Official_Comment")
		if base.ReplyTo != "" {
			n.ReplyTo = base.ReplyTo
		}
		out = append(out, n)
	}
	return out, nil
}

// exportComments writes a paper's comments as official comments: one that
// came from OpenReview keeps its note (readers, signatures, reply-to, its
// title) while Quire holds it as it came; any other is written with the
// readers of its kind and signed by its reviewer's signature or the
// program chairs.
func (s *Service) exportComments(ctx context.Context, rec venue.Record, st stored, id int64, sub Note, domain string, sigs map[int64]string, out *Export) ([]Note, error) {
	rows, err := orq.CommentsForExport(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	paper := domain + "/Submission" + strconv.Itoa(sub.Number)
	var notes []Note
	for _, c := range rows {
		base, known := st.coms[c.ID]
		n := reply(base, known, sub, domain, "Official_Comment", rec.Slug, "comment", strconv.FormatInt(c.ID, 10))
		if known && base.ReplyTo != "" {
			n.ReplyTo = base.ReplyTo
		}
		if kind, _ := readersOf(base.Readers); !known || kind != c.Kind {
			n.Readers = []string{domain + "/Program_Chairs"}
			if c.Kind == review.KindDiscussion {
				n.Readers = append(n.Readers, paper+"/Reviewers")
			}
		}
		if !known {
			n.Signatures = []string{domain + "/Program_Chairs"}
			if sig, ok := sigs[c.AuthorID]; ok {
				n.Signatures = []string{sig}
			}
			n.Writers = n.Signatures
		}
		n.Content = Content{"comment": c.Body}
		if known && commentBody(base.Content) == c.Body {
			n.Content = Content{}
			for k, v := range base.Content {
				n.Content[k] = v
			}
		}
		// A signer Quire knows by an anonymous id or a profile goes in
		// the map, so the comment comes back in their name.
		for _, sig := range n.Signatures {
			if _, seen := out.Profiles[sig]; !seen && (strings.HasPrefix(sig, "~") || strings.Contains(sig, "/Reviewer_")) {
				out.Profiles[sig] = Profile{Email: c.AuthorEmail, Name: c.AuthorName}
				out.ProfileIDs = append(out.ProfileIDs, sig)
			}
		}
		n.CDate, n.TCDate = ms(c.CreatedAt), 0
		if !known {
			n.MDate = n.CDate
		}
		notes = append(notes, n)
	}
	return notes, nil
}
