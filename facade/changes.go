package facade

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"time"
)

// DefaultChangesOverlap is how far behind its checkpoint a changes feed
// reads again when it starts (Changes with a Cursor), so that a record
// HubSpot's search index shows only after the feed passed its
// modification time is still delivered; what was delivered already is
// dropped. HubSpot's index trails writes by a few seconds; one minute is
// also what Airbyte's HubSpot connector looks back by default
// (lookback_window of its incremental streams, in minutes).
const DefaultChangesOverlap = time.Minute

// ChangeKind says what happened to a record.
type ChangeKind string

// The kinds of change.
const (
	// ChangeCreated: the record was created after the feed's previous
	// checkpoint (or its Since).
	ChangeCreated ChangeKind = "created"
	// ChangeUpdated: the record existed before and was modified.
	ChangeUpdated ChangeKind = "updated"
	// ChangeArchived: the record was archived (deleted); HubSpot's search
	// does not find archived records, the feed lists them with
	// archived=true.
	ChangeArchived ChangeKind = "archived"
)

// Change is one change of a changes feed: a record as HubSpot sent it,
// what happened to it and when.
type Change struct {
	// ObjectType is the record's type (tasks, notes, …).
	ObjectType ObjectType `json:"objectType"`
	// ID is the record's id.
	ID string `json:"id"`
	// Kind says what happened.
	Kind ChangeKind `json:"kind"`
	// At is the record's modification time (hs_lastmodifieddate), or for
	// an archived record when it was archived.
	At time.Time `json:"at"`
	// Record is the record as HubSpot sent it.
	Record json.RawMessage `json:"record"`
}

// ChangesParams are the parameters of Changes.
type ChangesParams struct {
	// Objects are the object types to follow, each in turn (at least one).
	Objects []ObjectType
	// Since is where a new feed starts: changes at or after it. Ignored
	// when Cursor is given.
	Since time.Time
	// Overlap is how far behind the checkpoint a resumed feed reads again
	// (0: DefaultChangesOverlap; negative: none).
	Overlap time.Duration
	// Limit is the page size of the searches (0: 200, HubSpot's largest).
	Limit int
	// Cursor is a checkpoint: a Pager's Cursor, taken after any change.
	Cursor string
}

// feedMark is a point of a feed in (time ms, id) order: every change at or
// before it has been handled. ID 0 means none at T yet.
type feedMark struct {
	T  int64 `json:"t"`
	ID int64 `json:"i,omitempty"`
	// Tie, in where a search starts, reads the millisecond T by id.
	Tie bool `json:"e,omitempty"`
	// Ex, in where a search starts, are the ids of T held back from the
	// last page, which the search leaves out.
	Ex []int64 `json:"x,omitempty"`
}

func (m feedMark) after(o feedMark) bool { return m.T > o.T || m.T == o.T && m.ID > o.ID }

// feedType is a feed's state for one object type: how far its live
// records (Live) and its archived ones (Arch) have been delivered, and the
// changes delivered within the overlap window behind them ("id@ms", "a"
// before archived ones), which a re-read drops.
type feedType struct {
	Type string   `json:"o"`
	Live feedMark `json:"l"`
	Arch feedMark `json:"a"`
	Seen []string `json:"s,omitempty"`
	// Start and StartID are the live mark the current pass started from:
	// a record created after it, in (time, id) order, is ChangeCreated.
	Start   int64 `json:"c"`
	StartID int64 `json:"ci,omitempty"`
	// Floor is the feed's Since: nothing before it is a change.
	Floor int64 `json:"f"`
}

// behind is where a pass of t starts reading: the overlap behind its
// live mark, not before the feed's Since.
func (t feedType) behind(overlap int64) feedMark {
	return feedMark{T: max(t.Live.T-overlap, t.Floor)}
}

// feedShared is the part of a checkpoint that stays the same within a
// page (position.X): every type's state when the page was fetched, and
// the changes the page delivers, in order.
type feedShared struct {
	Types   []feedType `json:"y"`
	Overlap int64      `json:"w"`
	Limit   int        `json:"n"`
	Page    []string   `json:"p,omitempty"`
}

// feedAt is the part of a checkpoint that moves within a page
// (position.Token): the type and phase walked, the marks after the last
// change delivered, how many of the page's changes were delivered, and
// where the next search starts.
type feedAt struct {
	I     int      `json:"i"`
	Phase int      `json:"f,omitempty"` // 0 live, 1 archived
	Live  feedMark `json:"l"`
	Arch  feedMark `json:"a"`
	K     int      `json:"k,omitempty"`
	Q     feedMark `json:"q"`
}

const feedKind = "changes"

type feedState struct {
	shared feedShared
	at     feedAt
	kind   string // the cursor's kind
	hooks  feedHooks
}

func decodeFeed(at position) (feedState, error) {
	var st feedState
	bad := &ValidationError{Field: "Cursor", Problem: "not a checkpoint of a changes feed"}
	if json.Unmarshal([]byte(at.X), &st.shared) != nil || json.Unmarshal([]byte(at.Token), &st.at) != nil {
		return st, bad
	}
	n := len(st.shared.Types)
	if n == 0 || st.at.I < 0 || st.at.I > n || st.at.K < 0 || st.at.K > len(st.shared.Page) {
		return st, bad
	}
	// The page's first K changes were delivered; the marks moved with them.
	if st.at.I < n {
		t := &st.shared.Types[st.at.I]
		t.Seen = append(t.Seen, st.shared.Page[:st.at.K]...)
		t.Live, t.Arch = st.at.Live, st.at.Arch
	}
	st.shared.Page = nil
	return st, nil
}

// prune keeps the seen changes within the overlap window behind the marks.
func (st *feedState) prune() {
	for i := range st.shared.Types {
		t := &st.shared.Types[i]
		t.Seen = slices.DeleteFunc(t.Seen, func(k string) bool {
			ms, mark := seenTime(k), t.Live.T
			if len(k) > 0 && k[0] == 'a' {
				mark = t.Arch.T
			}
			return ms < mark-st.shared.Overlap
		})
	}
}

func seenTime(k string) int64 {
	for i := len(k) - 1; i >= 0; i-- {
		if k[i] == '@' {
			n, _ := strconv.ParseInt(k[i+1:], 10, 64)
			return n
		}
	}
	return 0
}

func (st feedState) position(page []string, k int, done bool) position {
	sh := st.shared
	sh.Page = page
	x, _ := json.Marshal(sh)
	at := st.at
	at.K = k
	tok, _ := json.Marshal(at)
	return position{Kind: st.kind, Token: string(tok), X: string(x), Done: done}
}

// Changes pages through the changes of the records of p.Objects since
// p.Since: every record created, updated or archived, once per id and
// modification time, each type in turn; within a type its live records
// in order of modification time then id, then its archived records in
// order of archiving time then id. A record changed again later is a new
// change.
//
// The Pager's Cursor is a checkpoint: taken after any change, given back
// as p.Cursor (in this process or another), the feed continues with the
// next change. At the end of the feed (the records changed up to now) the
// Cursor continues with what changes later: poll by calling Changes again
// with it. A feed started from a Cursor reads p.Overlap behind it again
// and drops what it delivered already, so that records HubSpot's search
// index shows late are not skipped (such a record comes out of order).
//
// It reads past HubSpot's 10,000-result cap, also within one
// millisecond: a search by modification time (hs_lastmodifieddate GT t),
// and a millisecond that fills a page is read by id (hs_lastmodifieddate
// EQ t and hs_object_id GT the last id). Its searches share the Client's
// search rate limit. For the v1 calling code, Engagements.Changes is the
// same feed of engagements.
func (c *Client) Changes(ctx context.Context, p ChangesParams) *Pager[Change] {
	return c.changes(ctx, p, feedHooks{})
}

// feedHooks adapt the changes feed to a listing made of it
// (Engagements.Changes on the dated wires): its cursor's kind, the
// properties its reads ask for, and what a change of a record carries.
type feedHooks struct {
	kind   string
	props  func(objectType string) []string
	record func(objectType string, o Object) (ObjectType, string, json.RawMessage, error)
}

func (h feedHooks) properties(t string) []string {
	if h.props == nil {
		return nil
	}
	return h.props(t)
}

func (h feedHooks) change(t string, o Object) (ObjectType, string, json.RawMessage, error) {
	if h.record == nil {
		return ObjectType(t), o.ID(), o.JSON(), nil
	}
	return h.record(t, o)
}

func (c *Client) changes(ctx context.Context, p ChangesParams, h feedHooks) *Pager[Change] {
	kind := cmp.Or(h.kind, feedKind)
	if err := checkLimit("Limit", p.Limit, MaxSearchLimit); err != nil {
		return errPager[Change](err)
	}
	apis := wireAPIs(c.version)
	svcs := map[string]*ObjectService[Object]{}
	var st feedState
	if p.Cursor != "" {
		at, err := decodeCursor(kind, p.Cursor)
		if err == nil {
			st, err = decodeFeed(at)
		}
		if err != nil {
			return errPager[Change](err)
		}
		if st.at.I >= len(st.shared.Types) {
			st.at = feedAt{}
		}
		for i := range st.shared.Types {
			st.shared.Types[i].Start, st.shared.Types[i].StartID = st.shared.Types[i].Live.T, st.shared.Types[i].Live.ID
		}
		// Every type's pass begins behind its mark, by the overlap.
		cur := st.shared.Types[st.at.I]
		st.at.Live, st.at.Arch = cur.Live, cur.Arch
		st.at.Q = cur.behind(st.shared.Overlap)
	} else {
		if len(p.Objects) == 0 {
			return errPager[Change](&ValidationError{Field: "Objects", Problem: "required"})
		}
		if p.Since.IsZero() {
			return errPager[Change](&ValidationError{Field: "Since", Problem: "required unless Cursor is given"})
		}
		w := p.Overlap
		if w == 0 {
			w = DefaultChangesOverlap
		}
		st.shared.Overlap = max(0, w.Milliseconds())
		st.shared.Limit = cmpOr(p.Limit, MaxSearchLimit)
		since := feedMark{T: Millis(p.Since)}
		for _, o := range p.Objects {
			if slices.ContainsFunc(st.shared.Types, func(t feedType) bool { return t.Type == string(o) }) {
				continue
			}
			st.shared.Types = append(st.shared.Types, feedType{Type: string(o), Live: since, Arch: since, Start: since.T, Floor: since.T})
		}
		st.at = feedAt{Live: since, Arch: since, Q: since}
	}
	for _, t := range st.shared.Types {
		api, ok := apis[ObjectType(t.Type)]
		if !ok {
			return errPager[Change](&ValidationError{Field: "Objects", Problem: "not an object type of the " + string(c.version) + " wire", Actual: t.Type})
		}
		svcs[t.Type] = newObjectService(c, api, func(o Object) Object { return o })
	}
	st.kind, st.hooks = kind, h
	start := st.position(nil, 0, false)
	// The records of a millisecond a page ended in, read but not yet
	// delivered, for the fetch of the position after that page (fetches
	// are one after the other). Another process does without: its search
	// reads that millisecond again.
	var carry struct {
		token string
		cands []candidate
	}
	return newPager(ctx, c, "changes", start, func(ctx context.Context, at position) (fetched[Change], error) {
		st, err := decodeFeed(at)
		if err != nil {
			return fetched[Change]{}, err
		}
		st.kind, st.hooks = kind, h
		var carried []candidate
		if carry.token == at.Token {
			carried = carry.cands
		}
		f, out, err := st.fetch(ctx, svcs, carried)
		carry.token, carry.cands = f.next.Token, out
		return f, err
	})
}

// candidate is a record a page may deliver.
type candidate struct {
	o    Object
	mark feedMark
	key  string
	kind ChangeKind
}

// fetch reads the next page of changes; a type and phase with nothing
// (left) hand over to the next in the same fetch.
func (st feedState) fetch(ctx context.Context, svcs map[string]*ObjectService[Object], carried []candidate) (fetched[Change], []candidate, error) {
	for st.at.I < len(st.shared.Types) {
		t := st.shared.Types[st.at.I]
		s := svcs[t.Type]
		var cands []candidate
		next := st.at
		var phaseDone bool
		if st.at.Phase == 0 {
			var err error
			cands, next.Q, carried, phaseDone, err = st.live(ctx, s, carried)
			if err != nil {
				return fetched[Change]{}, nil, err
			}
		} else {
			var err error
			cands, err = st.archived(ctx, s)
			if err != nil {
				return fetched[Change]{}, nil, err
			}
			phaseDone = true
		}
		// Drop what was delivered already; deliver the rest.
		seen := make(map[string]bool, len(t.Seen))
		for _, k := range t.Seen {
			seen[k] = true
		}
		var items []Change
		var page []string
		var marks []feedAt // st.at's marks after each change
		moved := st.at
		for _, c := range cands {
			mark := &moved.Live
			if c.kind == ChangeArchived {
				mark = &moved.Arch
			}
			switch {
			case c.mark.after(*mark):
				*mark = c.mark
			case seen[c.key] || c.mark.T < mark.T-st.shared.Overlap || c.mark.T < t.Floor:
				continue // delivered already, before the window (an earlier pass's), or before Since
			}
			seen[c.key] = true
			page = append(page, c.key)
			marks = append(marks, moved)
			ot, id, rec, err := st.hooks.change(t.Type, c.o)
			if err != nil {
				return fetched[Change]{}, nil, err
			}
			items = append(items, Change{ObjectType: ot, ID: id, Kind: c.kind, At: fromMillis(c.mark.T), Record: rec})
		}
		next.Live, next.Arch = moved.Live, moved.Arch
		st2 := st
		st2.at = next
		if phaseDone {
			// Hand over: the next phase, or the next type from its marks.
			st2.shared.Types = slices.Clone(st.shared.Types)
			cur := &st2.shared.Types[st.at.I]
			cur.Seen = append(slices.Clip(cur.Seen), page...)
			cur.Live, cur.Arch = next.Live, next.Arch
			switch {
			case st.at.Phase == 0:
				st2.at = feedAt{I: st.at.I, Phase: 1, Live: next.Live, Arch: next.Arch}
			case st.at.I+1 < len(st.shared.Types):
				n := st2.shared.Types[st.at.I+1]
				st2.at = feedAt{I: st.at.I + 1, Live: n.Live, Arch: n.Arch, Q: n.behind(st.shared.Overlap)}
			default:
				st2.at = feedAt{I: len(st.shared.Types)}
			}
			st2.prune()
		}
		if len(items) == 0 {
			st = st2 // nothing new here (all delivered before): read on
			continue
		}
		// The position after each change: the page's shared part, and the
		// marks after it.
		sh := st.shared
		sh.Page = page
		x, _ := json.Marshal(sh)
		after := make([]position, len(items))
		for k := range items {
			a := marks[k]
			a.K = k + 1
			tok, _ := json.Marshal(a)
			after[k] = position{Kind: st.kind, Token: string(tok), X: string(x)}
		}
		nextPos := after[len(after)-1]
		if phaseDone {
			nextPos = st2.position(nil, 0, st2.at.I >= len(st2.shared.Types))
			after[len(after)-1] = nextPos
		} else {
			a := next
			a.K = len(items)
			tok, _ := json.Marshal(a)
			nextPos.Token = string(tok)
			after[len(after)-1] = nextPos
		}
		return fetched[Change]{items: items, after: after, next: nextPos}, carried, nil
	}
	return fetched[Change]{next: st.position(nil, 0, true)}, nil, nil
}

// maxCarried is the most records of one millisecond a feed holds back
// from a page and leaves out of the next search (NOT_IN takes 100 values).
const maxCarried = 100

// live reads the next search page of the type's live records from st.at.Q:
// the candidates to deliver in (time, id) order, where the next search
// starts, the records held back for it (carried in, the records of Q.T
// read before and left out of this search), and whether the type's live
// records are all read.
func (st feedState) live(ctx context.Context, s *ObjectService[Object], carried []candidate) ([]candidate, feedMark, []candidate, bool, error) {
	q, limit := st.at.Q, st.shared.Limit
	ms := strconv.FormatInt(q.T, 10)
	var p SearchParams
	switch {
	case q.Tie:
		// A millisecond that fills a page: its records by id.
		p = SearchParams{FilterGroups: []FilterGroup{{Filters: []Filter{
			{PropertyName: ModifiedProperty, Operator: OpEQ, Value: ms},
			{PropertyName: ObjectIDProperty, Operator: OpGT, Value: strconv.FormatInt(q.ID, 10)},
		}}}, Sorts: []Sort{{PropertyName: ObjectIDProperty, Direction: Ascending}}}
	case len(q.Ex) > 0 && len(carried) == len(q.Ex):
		// The rest of the millisecond the last page ended in, then on.
		p = SearchParams{FilterGroups: []FilterGroup{
			{Filters: []Filter{{PropertyName: ModifiedProperty, Operator: OpEQ, Value: ms},
				{PropertyName: ObjectIDProperty, Operator: OpNotIn, Values: each(q.Ex, func(id int64) string { return strconv.FormatInt(id, 10) })}}},
			{Filters: []Filter{{PropertyName: ModifiedProperty, Operator: OpGT, Value: ms}}},
		}, Sorts: []Sort{{PropertyName: ModifiedProperty, Direction: Ascending}}}
	default:
		carried = nil
		p = SearchParams{FilterGroups: []FilterGroup{{Filters: []Filter{
			{PropertyName: ModifiedProperty, Operator: OpGTE, Value: ms},
		}}}, Sorts: []Sort{{PropertyName: ModifiedProperty, Direction: Ascending}}}
	}
	p.Limit = limit
	p.Properties = st.hooks.properties(st.shared.Types[st.at.I].Type)
	pg := s.Search(ctx, p)
	pg.onPage = nil
	page, err := pg.NextPage(ctx)
	if err != nil {
		return nil, q, nil, false, err
	}
	t := st.shared.Types[st.at.I]
	cands := slices.Clone(carried)
	for _, o := range page.Records {
		cands = append(cands, liveCandidate(o, feedMark{T: t.Start, ID: t.StartID}))
	}
	sortCandidates(cands)
	full := len(page.Records) >= limit
	if total, ok := pg.Total(); ok && total <= int64(len(page.Records)) {
		full = false // HubSpot says there is no more: no search to learn it
	}
	switch {
	case q.Tie && full:
		return cands, feedMark{T: q.T, ID: cands[len(cands)-1].mark.ID, Tie: true}, nil, false, nil
	case q.Tie:
		return cands, feedMark{T: q.T + 1}, nil, false, nil
	case !full:
		return cands, q, nil, true, nil
	}
	// The page's last millisecond may go on past it: its records are held
	// back and the next search leaves them out (or, too many, reads that
	// millisecond again, by id when it fills a page).
	last := cands[len(cands)-1].mark.T
	n := slices.IndexFunc(cands, func(c candidate) bool { return c.mark.T == last })
	tail := cands[n:]
	switch {
	case len(tail) <= maxCarried:
		return cands[:n], feedMark{T: last, Ex: each(tail, func(c candidate) int64 { return c.mark.ID })}, tail, false, nil
	case n == 0:
		return nil, feedMark{T: last, Tie: true}, nil, false, nil
	}
	return cands[:n], feedMark{T: last}, nil, false, nil
}

func liveCandidate(o Object, start feedMark) candidate {
	id, _ := strconv.ParseInt(o.ID(), 10, 64)
	ms := Millis(o.UpdatedAt())
	if v, ok := o.Property(ModifiedProperty); ok && !v.Null {
		if t, err := time.Parse(time.RFC3339Nano, v.Value); err == nil {
			ms = Millis(t)
		} else if n, err := strconv.ParseInt(v.Value, 10, 64); err == nil {
			ms = n
		}
	}
	kind := ChangeUpdated
	if (feedMark{T: Millis(o.CreatedAt()), ID: id}).after(start) {
		kind = ChangeCreated
	}
	return candidate{o: o, mark: feedMark{T: ms, ID: id}, key: o.ID() + "@" + strconv.FormatInt(ms, 10), kind: kind}
}

func sortCandidates(cs []candidate) {
	slices.SortStableFunc(cs, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(a.mark.T, b.mark.T), cmp.Compare(a.mark.ID, b.mark.ID))
	})
}

// archived lists the type's archived records (archived=true: the search
// does not find them) archived within the overlap window behind st's
// archive mark or after it, in (archiving time, id) order.
func (st feedState) archived(ctx context.Context, s *ObjectService[Object]) ([]candidate, error) {
	from := max(st.at.Arch.T-st.shared.Overlap, st.shared.Types[st.at.I].Floor)
	var cands []candidate
	for o, err := range s.List(ctx, ListParams{Archived: true, Properties: st.hooks.properties(st.shared.Types[st.at.I].Type)}).All() {
		if err != nil {
			return nil, err
		}
		var v struct {
			ArchivedAt string `json:"archivedAt"`
		}
		_ = json.Unmarshal(o.JSON(), &v)
		at := o.UpdatedAt()
		if t, err := time.Parse(time.RFC3339Nano, v.ArchivedAt); err == nil {
			at = t
		}
		ms := Millis(at)
		if ms < from {
			continue
		}
		id, _ := strconv.ParseInt(o.ID(), 10, 64)
		cands = append(cands, candidate{o: o, mark: feedMark{T: ms, ID: id}, key: "a" + o.ID() + "@" + strconv.FormatInt(ms, 10), kind: ChangeArchived})
	}
	sortCandidates(cands)
	return cands, nil
}
