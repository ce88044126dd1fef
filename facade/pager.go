package facade

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"sync/atomic"

	"github.com/engagekit/hubspot-engagements/internal/prefetch"
)

// ErrPaginationLoop is returned when HubSpot hands back a cursor it already
// gave, or says there is more while sending an empty page: following it
// would never end.
var ErrPaginationLoop = errors.New("hubspot: pagination does not advance")

// position is where a listing stands, encoded in Cursor. Token is the
// style's own cursor (a v1 offset, a v3 after, a search offset); Skip counts
// the records of the page at Token already handed out; Base is the search
// restart point; Read counts the records of the listing before the page at
// Token (fetch functions set it, for caps).
type position struct {
	Kind  string `json:"k"`
	Token string `json:"t,omitempty"`
	Skip  int    `json:"s,omitempty"`
	Base  string `json:"b,omitempty"`
	Read  int    `json:"r,omitempty"`
	Done  bool   `json:"d,omitempty"`
	// X is a listing's own state that stays the same within a page (the
	// changes feed's checkpoint); it is no part of a page's identity.
	X string `json:"x,omitempty"`
}

func (p position) encode() string {
	b, _ := json.Marshal(p)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads a cursor given back by a caller for a listing of kind.
func decodeCursor(kind, cursor string) (position, error) {
	if cursor == "" {
		return position{Kind: kind}, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	var p position
	if err == nil {
		err = json.Unmarshal(b, &p)
	}
	if err != nil || p.Kind != kind || p.Skip < 0 || p.Read < 0 {
		return position{}, &ValidationError{Field: "Cursor", Problem: "not a cursor of this listing (" + kind + ")", Actual: cursor}
	}
	return p, nil
}

// fetched is one page as a listing style reads it: the records, and the
// position of the page after it (Done when there is none).
type fetched[T any] struct {
	items []T
	next  position
	// stop, when set, ends the listing with this error after the items
	// (a cap reached): the items are still handed out first.
	stop error
	// total is how many records the whole listing has, when HubSpot says.
	total *int64
	// after, when set, is the position after each item: a cursor taken
	// inside the page resumes there, not at the page's start plus Skip
	// (the changes feed, whose pages a new request would not repeat).
	after []position
}

// fetchFunc reads the page at a position.
type fetchFunc[T any] func(ctx context.Context, at position) (fetched[T], error)

// Pager walks a listing: every listing of the v1 and v3 APIs returns one.
// Range over All for the records, or call NextPage for a page at a time.
// Nothing is requested before the first record or page is asked for.
// Cursor says where the walk stands; give it back in the listing's params
// (Cursor field) to resume exactly there, in this process or another.
// A Pager is not safe for concurrent use.
type Pager[T any] struct {
	ctx      context.Context
	fetch    fetchFunc[T]
	at       position
	seen     map[string]string // page fetched from → its next cursor
	err      error
	pending  error // a stop error to return once the page before it is used
	prefetch bool
	op       string
	onPage   func(RecordsEvent) // the Client's Observer.Records, or nil
	total    atomic.Int64       // HubSpot's total + 1; 0 while unknown
}

func newPager[T any](ctx context.Context, c *Client, op string, at position, fetch fetchFunc[T]) *Pager[T] {
	return &Pager[T]{ctx: ctx, fetch: fetch, at: at, seen: map[string]string{}, prefetch: c.prefetch, op: op, onPage: c.observer.Records}
}

// Total returns how many records the whole listing has, when HubSpot says
// (search answers, v1 recent/modified), once a page has been fetched.
func (p *Pager[T]) Total() (int64, bool) {
	n := p.total.Load()
	return n - 1, n > 0
}

// errPager is a Pager that yields err and nothing else: invalid params.
func errPager[T any](err error) *Pager[T] { return &Pager[T]{err: err} }

// Page is one page of a listing.
type Page[T any] struct {
	// Records are the page's records, in HubSpot's order.
	Records []T
	// Cursor resumes the listing after this page.
	Cursor string
}

// More reports whether NextPage has a page to return.
func (p *Pager[T]) More() bool { return p.err == nil && (!p.at.Done || p.pending != nil) }

// Cursor is an opaque string that resumes the listing where the caller
// stands: after the last record All yielded, or after the last page
// NextPage returned. It is "" only for a listing not yet started.
func (p *Pager[T]) Cursor() string {
	if p.at == (position{Kind: p.at.Kind}) {
		return ""
	}
	return p.at.encode()
}

// Err is the error that stopped the listing, if any.
func (p *Pager[T]) Err() error { return p.err }

// NextPage fetches the next page. After the last page it returns an error
// that wraps ErrNoMorePages.
func (p *Pager[T]) NextPage(ctx context.Context) (*Page[T], error) {
	if p.err != nil {
		return nil, p.err
	}
	if p.pending != nil {
		p.err, p.pending = p.pending, nil
		return nil, p.err
	}
	if p.at.Done {
		return nil, ErrNoMorePages
	}
	f, err := p.get(ctx, p.at)
	if err != nil {
		p.err = err
		return nil, err
	}
	items := f.items[min(p.at.Skip, len(f.items)):]
	p.at = f.next
	if f.stop != nil {
		p.at.Done, p.pending = true, f.stop
	}
	return &Page[T]{Records: items, Cursor: p.Cursor()}, nil
}

// ErrNoMorePages is returned by NextPage after the last page.
var ErrNoMorePages = errors.New("hubspot: no more pages")

// get fetches the page at pos and checks that the listing advances.
func (p *Pager[T]) get(ctx context.Context, at position) (fetched[T], error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := ctx.Err(); err != nil {
		return fetched[T]{}, err
	}
	f, err := p.fetch(ctx, at)
	if err != nil {
		return f, err
	}
	total := int64(-1)
	if f.total != nil {
		total = *f.total
		p.total.Store(total + 1)
	}
	if p.onPage != nil {
		p.onPage(RecordsEvent{Op: p.op, Records: len(f.items), Total: total})
	}
	if !f.next.Done && f.stop == nil {
		from, to := at.Token+"\x00"+at.Base, f.next.Token+"\x00"+f.next.Base
		if len(f.items) == 0 {
			return f, fmt.Errorf("%w: an empty page says there is more", ErrPaginationLoop)
		}
		// Fetching a page again (to resume inside it) may give the same next
		// cursor; a next cursor that leads back to a page already fetched
		// does not advance.
		if prev, again := p.seen[from]; !again || prev != to {
			if to == from || p.seen[to] != "" {
				return f, fmt.Errorf("%w: cursor %q came back twice", ErrPaginationLoop, f.next.Token)
			}
		}
		p.seen[from] = to
	}
	return f, nil
}

// All yields every record from where the listing stands to its end, with
// a nil error; on a failure it yields the error once and stops. Breaking
// out of the loop is fine: Cursor then resumes after the last record
// yielded. While the caller handles one page, the next is fetched.
func (p *Pager[T]) All() iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if p.pending != nil {
			p.err, p.pending = p.pending, nil
		}
		if p.err != nil {
			yield(zero, p.err)
			return
		}
		parent := p.ctx
		if parent == nil {
			parent = context.Background()
		}
		ctx, cancel := context.WithCancel(parent)
		var ahead prefetch.Ahead[pageKey, fetched[T]]
		defer func() {
			cancel()
			ahead.Wait()
		}()
		for !p.at.Done {
			var f fetched[T]
			var err error
			if err := parent.Err(); err != nil {
				// Done: a page fetched ahead is not handed out.
				p.err = err
				yield(zero, err)
				return
			}
			// The page fetched ahead is taken only if it is the one asked
			// for, from its start.
			taken := false
			if p.at.Skip == 0 {
				f, taken, err = ahead.Take(keyOf(p.at))
			}
			if !taken {
				ahead.Wait()
				f, err = p.get(ctx, p.at)
			}
			if err != nil {
				if ctxErr := parent.Err(); ctxErr != nil {
					err = ctxErr
				}
				p.err = err
				yield(zero, err)
				return
			}
			if p.prefetch && !f.next.Done && f.stop == nil {
				next := f.next
				ahead.Start(ctx, keyOf(next), func(ctx context.Context) (fetched[T], error) { return p.get(ctx, next) })
			}
			for i := p.at.Skip; i < len(f.items); i++ {
				if f.after != nil {
					p.at = f.after[i]
				} else {
					p.at.Skip = i + 1
				}
				if !yield(f.items[i], nil) {
					if i+1 >= len(f.items) {
						p.at = f.next
					}
					if f.stop != nil && p.at.Done {
						p.pending = f.stop
					}
					return
				}
			}
			p.at = f.next
			if f.stop != nil {
				p.at.Done, p.err = true, f.stop
				yield(zero, f.stop)
				return
			}
		}
	}
}

// pageKey names a page for the lookahead: where it starts.
type pageKey struct{ token, base string }

func keyOf(at position) pageKey { return pageKey{at.Token, at.Base} }
