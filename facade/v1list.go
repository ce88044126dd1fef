package facade

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	v1 "github.com/engagekit/hubspot-engagements/gen/engagementsv1"
)

// Page-size limits of the v1 listings; each is also the listing's default,
// so that a listing takes as few requests as it can.
const (
	MaxV1PageLimit        = 250
	MaxRecentCount        = 100
	MaxModifiedAfterLimit = 1000
	recentModifiedCap     = 10000
)

// EngagementListParams are the parameters of Engagements.List and Engagements.Associated.
type EngagementListParams struct {
	// Limit is the page size, 1 to 250 (0: 250). On the 2026-03 wire a
	// page holds at most what the object API gives: 100 for List, 200 for
	// Associated (a search); a larger Limit is lowered to that.
	Limit int
	// Cursor resumes a listing where Pager.Cursor said it stood.
	Cursor string
}

// RecentlyModifiedParams are the parameters of Engagements.RecentlyModified.
type RecentlyModifiedParams struct {
	// Since keeps only records modified after it (zero: no bound).
	Since time.Time
	// Count is the page size, 1 to 100 (0: 100; on the 2026-03 wire,
	// where it is a search's page, 0 asks for 200, a search's largest).
	Count int
	// Cursor resumes a listing where Pager.Cursor said it stood.
	Cursor string
}

// ModifiedAfterParams are the parameters of Engagements.ModifiedAfter.
type ModifiedAfterParams struct {
	// Since is where to start: records modified after it. Required unless
	// Cursor is given.
	Since time.Time
	// Limit is the page size, 1 to 1000 (0: 1000). On the 2026-03 wire it
	// is a search's page: at most 200 (0: 200; a larger Limit is lowered).
	Limit int
	// Cursor resumes a listing where Pager.Cursor said it stood.
	Cursor string
}

// offsetPage is a v1 listing's page, from the generated EngagementPage,
// RecentEngagementPage or ModifiedAfterPage (v1Page and the others, which
// keep the records raw: each Engagement keeps its bytes).
type offsetPage struct {
	Results []Engagement
	HasMore bool
	Offset  string // the next page's offset
	Total   *int64
	After   string // ModifiedAfter's next cursor
}

type (
	v1PageFields     v1.EngagementPage
	v1RecentFields   v1.RecentEngagementPage
	v1ModifiedFields v1.ModifiedAfterPage
)

// v1Page is the answer of the paged and the associated listings.
type v1Page struct {
	v1PageFields
	Results []Engagement `json:"results"`
}

func (p *v1Page) get() offsetPage {
	return offsetPage{Results: p.Results, HasMore: p.HasMore, Offset: offsetToken(p.Offset, p.HasMore)}
}

// v1RecentPage is the answer of the recently modified listing.
type v1RecentPage struct {
	v1RecentFields
	Results []Engagement `json:"results"`
}

func (p *v1RecentPage) get() offsetPage {
	return offsetPage{Results: p.Results, HasMore: p.HasMore, Offset: offsetToken(p.Offset, p.HasMore), Total: p.Total}
}

// v1ModifiedPage is the answer of the modified-after listing.
type v1ModifiedPage struct {
	v1ModifiedFields
	Results []Engagement `json:"results"`
}

func (p *v1ModifiedPage) get() offsetPage {
	return offsetPage{Results: p.Results, HasMore: p.HasMore, After: rawString(deref(p.After))}
}

// offsetToken is the offset to send for the next page ("" when HubSpot
// sent none and has no more).
func offsetToken(off int64, more bool) string {
	if off == 0 && !more {
		return ""
	}
	return strconv.FormatInt(off, 10)
}

// offsetPager builds the pager of a v1 listing that pages with offset and
// hasMore; build makes the request for an offset (nil for the first page).
func (s *EngagementsService) offsetPager(ctx context.Context, kind, name, cursor string, build func(server string, offset *int64) (*http.Request, error), capped bool, mk func() shape[offsetPage]) *Pager[Engagement] {
	at, err := decodeCursor(kind, cursor)
	if err != nil {
		return errPager[Engagement](err)
	}
	o := op{Name: name, Kind: opSafe}
	return newPager(ctx, s.c, name, at, func(ctx context.Context, at position) (fetched[Engagement], error) {
		var off *int64
		if at.Token != "" {
			n, err := strconv.ParseInt(at.Token, 10, 64)
			if err != nil {
				return fetched[Engagement]{}, &ValidationError{Field: "Cursor", Problem: "bad offset", Actual: at.Token}
			}
			off = &n
		}
		pg, err := sendFor(ctx, s.c, o, func(server string) (*http.Request, error) { return build(server, off) }, mk)
		if err != nil {
			return fetched[Engagement]{}, err
		}
		next := position{Kind: kind, Token: pg.Offset, Read: at.Read + len(pg.Results), Done: !pg.HasMore}
		f := fetched[Engagement]{items: pg.Results, next: next, total: pg.Total}
		if capped && !pg.HasMore && pg.Total != nil && int64(next.Read) < *pg.Total && next.Read >= recentModifiedCap-MaxRecentCount {
			f.next.Done = false
			f.stop = fmt.Errorf("%w (%d of %d read)", ErrRecentModifiedCap, next.Read, *pg.Total)
		}
		return f, nil
	})
}

func newV1Page() shape[offsetPage] { return new(v1Page) }

// List pages through every engagement of the account
// (GET /engagements/v1/engagements/paged), 250 per request unless Limit
// says otherwise.
func (s *EngagementsService) List(ctx context.Context, p EngagementListParams) *Pager[Engagement] {
	if err := checkLimit("Limit", p.Limit, MaxV1PageLimit); err != nil {
		return errPager[Engagement](err)
	}
	if s.dated() {
		return s.datedList(ctx, p)
	}
	limit := optInt(cmpOr(p.Limit, MaxV1PageLimit))
	return s.offsetPager(ctx, "v1.paged", "engagements.list", p.Cursor, func(server string, off *int64) (*http.Request, error) {
		return v1.NewListEngagementsRequest(server, &v1.ListEngagementsParams{Limit: limit, Offset: off})
	}, false, newV1Page)
}

// AssociatedObjectType names a record type of the v1 associated listing
// (Associated): HubSpot's v1 names, upper case.
type AssociatedObjectType string

// The record types of the v1 associated listing.
const (
	AssociatedContact AssociatedObjectType = "CONTACT"
	AssociatedCompany AssociatedObjectType = "COMPANY"
	AssociatedDeal    AssociatedObjectType = "DEAL"
	AssociatedTicket  AssociatedObjectType = "TICKET"
	AssociatedQuote   AssociatedObjectType = "QUOTE"
)

// Associated pages through the engagements of one record: its activity
// timeline (GET /engagements/v1/engagements/associated/{objectType}/{objectId}/paged),
// 250 per request unless Limit says otherwise. objectType is one of the
// Associated… constants (AssociatedContact, …).
func (s *EngagementsService) Associated(ctx context.Context, objectType AssociatedObjectType, objectID int64, p EngagementListParams) *Pager[Engagement] {
	if objectType == "" {
		return errPager[Engagement](&ValidationError{Field: "objectType", Problem: "required"})
	}
	if err := checkEnum("objectType", objectType, AssociatedContact, AssociatedCompany, AssociatedDeal, AssociatedTicket, AssociatedQuote); err != nil {
		return errPager[Engagement](err)
	}
	if err := validID("objectId", objectID); err != nil {
		return errPager[Engagement](err)
	}
	if err := checkLimit("Limit", p.Limit, MaxV1PageLimit); err != nil {
		return errPager[Engagement](err)
	}
	if s.dated() {
		return s.datedAssociated(ctx, objectType, objectID, p)
	}
	limit := optInt(cmpOr(p.Limit, MaxV1PageLimit))
	return s.offsetPager(ctx, "v1.associated", "engagements.associated", p.Cursor, func(server string, off *int64) (*http.Request, error) {
		return v1.NewListAssociatedEngagementsRequest(server, v1.AssociatedObjectType(objectType), objectID,
			&v1.ListAssociatedEngagementsParams{Limit: limit, Offset: off})
	}, false, newV1Page)
}

// RecentlyModified pages through the engagements modified recently, newest
// first (GET /engagements/v1/engagements/recent/modified), 100 per request
// unless Count says otherwise. HubSpot returns at most 10,000 records (and
// only the last 30 days); when that cap cuts the listing short, the pager
// ends with ErrRecentModifiedCap: use ModifiedAfter.
func (s *EngagementsService) RecentlyModified(ctx context.Context, p RecentlyModifiedParams) *Pager[Engagement] {
	if err := checkLimit("Count", p.Count, MaxRecentCount); err != nil {
		return errPager[Engagement](err)
	}
	var since *int64
	if !p.Since.IsZero() {
		since = ptr(Millis(p.Since))
	}
	if s.dated() {
		var since int64
		if !p.Since.IsZero() {
			since = Millis(p.Since)
		}
		return s.datedRecent(ctx, p.Cursor, p.Count, since)
	}
	count := optInt(cmpOr(p.Count, MaxRecentCount))
	return s.offsetPager(ctx, "v1.recent", "engagements.recent", p.Cursor, func(server string, off *int64) (*http.Request, error) {
		return v1.NewListRecentEngagementsRequest(server, &v1.ListRecentEngagementsParams{Count: count, Offset: off, Since: since})
	}, true, func() shape[offsetPage] { return new(v1RecentPage) })
}

// ModifiedAfter pages through every engagement modified after p.Since, with
// no cap (GET /engagements/v1/engagements/modified/after), 1,000 per
// request unless Limit says otherwise: the way to sync incrementally.
// HubSpot does not promise an order.
func (s *EngagementsService) ModifiedAfter(ctx context.Context, p ModifiedAfterParams) *Pager[Engagement] {
	if err := checkLimit("Limit", p.Limit, MaxModifiedAfterLimit); err != nil {
		return errPager[Engagement](err)
	}
	if s.dated() {
		if p.Cursor == "" && p.Since.IsZero() {
			return errPager[Engagement](&ValidationError{Field: "Since", Problem: "required"})
		}
		var since int64
		if !p.Since.IsZero() {
			since = Millis(p.Since)
		}
		return s.datedModifiedAfter(ctx, p.Cursor, p.Limit, since)
	}
	at, err := decodeCursor("v1.modified", p.Cursor)
	if err != nil {
		return errPager[Engagement](err)
	}
	if p.Cursor == "" {
		if p.Since.IsZero() {
			return errPager[Engagement](&ValidationError{Field: "Since", Problem: "required"})
		}
		at.Base = strconv.FormatInt(Millis(p.Since), 10)
	}
	limit := optInt(cmpOr(p.Limit, MaxModifiedAfterLimit))
	o := op{Name: "engagements.modifiedAfter", Kind: opSafe}
	return newPager(ctx, s.c, o.Name, at, func(ctx context.Context, at position) (fetched[Engagement], error) {
		after := at.Token
		if after == "" {
			after = at.Base
		}
		pg, err := sendFor(ctx, s.c, o, func(server string) (*http.Request, error) {
			return v1.NewListEngagementsModifiedAfterRequest(server, &v1.ListEngagementsModifiedAfterParams{After: &after, Limit: limit})
		}, func() shape[offsetPage] { return new(v1ModifiedPage) })
		if err != nil {
			return fetched[Engagement]{}, err
		}
		next := position{Kind: at.Kind, Base: at.Base, Token: pg.After, Read: at.Read + len(pg.Results)}
		next.Done = !pg.HasMore || next.Token == ""
		return fetched[Engagement]{items: pg.Results, next: next}, nil
	})
}
