package facade

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"time"

	v1 "github.com/engagekit/hubspot-engagements/gen/engagementsv1"
	"github.com/engagekit/hubspot-engagements/internal/v1map"
)

// EngagementsObjectType is the ObjectType of the changes of
// Engagements.Changes: every change is an engagement, whatever its type.
const EngagementsObjectType ObjectType = "engagements"

// EngagementChangesParams are the parameters of Engagements.Changes.
type EngagementChangesParams struct {
	// Since is where a new feed starts: changes at or after it. Required
	// unless Cursor is given.
	Since time.Time
	// Overlap is how far behind the checkpoint a resumed feed reads again
	// (0: DefaultChangesOverlap; negative: none).
	Overlap time.Duration
	// Limit is the page size, 1 to 1000 (0: 1000) on the v1 wire, where
	// the feed reads modified/after; on the dated wires it is a search's
	// page, at most 200 (0: 200; a larger Limit is lowered).
	Limit int
	// Cursor is a checkpoint: a Pager's Cursor, taken after any change.
	Cursor string
}

// Changes pages through the changes of every engagement since p.Since,
// with the checkpoint semantics of Client.Changes: each change is an
// Engagement's v1 JSON (Record) with ObjectType EngagementsObjectType,
// delivered once per id and modification time (lastUpdated); the Pager's
// Cursor, taken after any change, resumes the feed in this or another
// process with the next change; a feed resumed from a Cursor reads
// p.Overlap behind it again and drops what it delivered already; at the
// end of the feed the Cursor continues with what changes later.
//
// On the v1 wire the feed reads GET /engagements/v1/engagements/modified/after
// (no cap; HubSpot promises no order, so within a pass changes come in
// HubSpot's order, not by time). v1 lists no archived engagements: there
// the feed has created and updated changes only. On the dated wires it is
// Client.Changes over the engagement types (emails, calls, meetings, notes,
// tasks), archives included, each record made the v1 engagement as the
// other listings make it; search answers carry no associations, so these
// engagements list none.
func (s *EngagementsService) Changes(ctx context.Context, p EngagementChangesParams) *Pager[Change] {
	if s.dated() {
		if err := checkLimit("Limit", p.Limit, MaxModifiedAfterLimit); err != nil {
			return errPager[Change](err)
		}
		cp := ChangesParams{Since: p.Since, Overlap: p.Overlap, Limit: min(p.Limit, MaxSearchLimit), Cursor: p.Cursor}
		for _, t := range v1map.ObjectTypes {
			cp.Objects = append(cp.Objects, ObjectType(t))
		}
		return s.c.changes(ctx, cp, feedHooks{
			kind:  "v1.changes.dated",
			props: func(t string) []string { return readParams(t).Properties },
			record: func(t string, o Object) (ObjectType, string, json.RawMessage, error) {
				e, err := engagementOf(t, o, map[string][]string{})
				return EngagementsObjectType, o.ID(), e.JSON(), err
			},
		})
	}
	return s.v1Changes(ctx, p)
}

// v1Feed is the checkpoint of the v1 wire's changes feed, the part that
// stays the same within a page (position.X). A pass reads modified/after
// From (exclusive) to its end; the next pass starts Overlap behind Mark.
type v1Feed struct {
	// Floor is the feed's Since (ms): nothing before it is a change.
	Floor int64 `json:"f"`
	// From is where the pass reads from: records modified after it (ms).
	From int64 `json:"s"`
	// Start is the Mark the pass began with: records created after it
	// are ChangeCreated.
	Start int64 `json:"c"`
	// Mark is the latest modification time delivered.
	Mark    int64 `json:"m"`
	Overlap int64 `json:"w"`
	Limit   int   `json:"n"`
	// Seen are the changes ("id@ms") of earlier passes modified after
	// From, which this pass may read again; Cur those of this pass within
	// the overlap behind Mark, which the next pass may read again.
	Seen []string `json:"p,omitempty"`
	Cur  []string `json:"q,omitempty"`
	// Page are the changes the page delivers, in order.
	Page []string `json:"g,omitempty"`
}

// v1FeedAt is the part of the checkpoint that moves within a page
// (position.Token): the page's after, how many of its changes were
// delivered and Mark after them.
type v1FeedAt struct {
	After string `json:"a,omitempty"`
	K     int    `json:"k,omitempty"`
	Mark  int64  `json:"m"`
}

const v1FeedKind = "v1.changes"

func (f v1Feed) position(at v1FeedAt, done bool) position {
	x, _ := json.Marshal(f)
	tok, _ := json.Marshal(at)
	return position{Kind: v1FeedKind, Token: string(tok), X: string(x), Done: done}
}

// prune keeps of Cur the changes within the overlap behind Mark.
func (f *v1Feed) prune() {
	f.Cur = slices.DeleteFunc(f.Cur, func(k string) bool { return seenTime(k) < f.Mark-f.Overlap })
}

func (s *EngagementsService) v1Changes(ctx context.Context, p EngagementChangesParams) *Pager[Change] {
	if err := checkLimit("Limit", p.Limit, MaxModifiedAfterLimit); err != nil {
		return errPager[Change](err)
	}
	var start position
	if p.Cursor != "" {
		at, err := decodeCursor(v1FeedKind, p.Cursor)
		var f v1Feed
		var fa v1FeedAt
		if err == nil {
			f, fa, err = decodeV1Feed(at)
		}
		if err != nil {
			return errPager[Change](err)
		}
		if at.Done || fa.After == "" && fa.K == 0 {
			// At a pass's end (or start): the next pass, behind the mark.
			f = f.nextPass()
			fa = v1FeedAt{Mark: f.Mark}
		}
		start = f.position(fa, false)
	} else {
		if p.Since.IsZero() {
			return errPager[Change](&ValidationError{Field: "Since", Problem: "required unless Cursor is given"})
		}
		w := p.Overlap
		if w == 0 {
			w = DefaultChangesOverlap
		}
		since := Millis(p.Since)
		f := v1Feed{Floor: since, From: since - 1, Start: since - 1, Mark: since - 1, Overlap: max(0, w.Milliseconds()), Limit: cmpOr(p.Limit, MaxModifiedAfterLimit)}
		start = f.position(v1FeedAt{Mark: f.Mark}, false)
	}
	o := op{Name: "engagements.changes", Kind: opSafe}
	return newPager(ctx, s.c, o.Name, start, func(ctx context.Context, at position) (fetched[Change], error) {
		f, fa, err := decodeV1Feed(at)
		if err != nil {
			return fetched[Change]{}, err
		}
		limit := optInt(f.Limit)
		for {
			after := fa.After
			if after == "" {
				after = strconv.FormatInt(f.From, 10)
			}
			pg, err := sendFor(ctx, s.c, o, func(server string) (*http.Request, error) {
				return v1.NewListEngagementsModifiedAfterRequest(server, &v1.ListEngagementsModifiedAfterParams{After: &after, Limit: limit})
			}, func() shape[offsetPage] { return new(v1ModifiedPage) })
			if err != nil {
				return fetched[Change]{}, err
			}
			seen := make(map[string]bool, len(f.Seen)+len(f.Cur))
			for _, k := range slices.Concat(f.Seen, f.Cur) {
				seen[k] = true
			}
			var items []Change
			var page []string
			var marks []int64
			mark := fa.Mark
			for _, e := range pg.Results {
				ms := Millis(e.UpdatedAt())
				key := strconv.FormatInt(e.ID(), 10) + "@" + strconv.FormatInt(ms, 10)
				if seen[key] || ms < f.Floor || ms <= f.From {
					continue
				}
				seen[key] = true
				mark = max(mark, ms)
				kind := ChangeUpdated
				if Millis(e.CreatedAt()) > f.Start {
					kind = ChangeCreated
				}
				page = append(page, key)
				marks = append(marks, mark)
				items = append(items, Change{ObjectType: EngagementsObjectType, ID: strconv.FormatInt(e.ID(), 10), Kind: kind, At: fromMillis(ms), Record: e.JSON()})
			}
			more := pg.HasMore && pg.After != "" && pg.After != fa.After
			// The state after the page: its changes in Cur, the mark moved.
			next := f
			next.Cur = append(slices.Clip(f.Cur), page...)
			next.Mark = mark
			next.prune()
			var nextPos position
			if more {
				nextPos = next.position(v1FeedAt{After: pg.After, Mark: mark}, false)
			} else {
				nextPos = next.position(v1FeedAt{Mark: mark}, true)
			}
			if len(items) == 0 {
				if !more {
					return fetched[Change]{next: nextPos}, nil
				}
				f, fa = next, v1FeedAt{After: pg.After, Mark: mark}
				continue // all delivered before: read on
			}
			sh := f
			sh.Page = page
			positions := make([]position, len(items))
			for k := range items {
				positions[k] = sh.position(v1FeedAt{After: fa.After, K: k + 1, Mark: marks[k]}, false)
			}
			positions[len(items)-1] = nextPos
			return fetched[Change]{items: items, after: positions, next: nextPos}, nil
		}
	})
}

// decodeV1Feed reads the checkpoint at a position: the page's first K
// changes were delivered, so they join Cur and Mark moves with them.
func decodeV1Feed(at position) (v1Feed, v1FeedAt, error) {
	var f v1Feed
	var fa v1FeedAt
	if json.Unmarshal([]byte(at.X), &f) != nil || json.Unmarshal([]byte(at.Token), &fa) != nil ||
		fa.K < 0 || fa.K > len(f.Page) || f.Limit < 1 || f.Limit > MaxModifiedAfterLimit || f.Overlap < 0 {
		return f, fa, &ValidationError{Field: "Cursor", Problem: "not a checkpoint of an engagements changes feed"}
	}
	f.Cur = append(f.Cur, f.Page[:fa.K]...)
	f.Page = nil
	f.Mark = max(f.Mark, fa.Mark)
	fa.K = 0
	return f, fa, nil
}

// nextPass is the feed's state for a pass after this one: it reads from
// Overlap behind Mark, and what was delivered after that is dropped.
func (f v1Feed) nextPass() v1Feed {
	from := max(f.Mark-f.Overlap, f.Floor-1)
	n := f
	n.From, n.Start, n.Cur, n.Page = from, f.Mark, nil, nil
	n.Seen = nil
	dup := map[string]bool{}
	for _, k := range slices.Concat(f.Seen, f.Cur) {
		if seenTime(k) > from && !dup[k] {
			dup[k] = true
			n.Seen = append(n.Seen, k)
		}
	}
	return n
}
