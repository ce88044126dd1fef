package hubspottest

import (
	"fmt"
	"time"
)

// WithIndexLag makes searches trail writes by lag, as HubSpot's search
// index does (a few seconds): a record created or updated is found by a
// search only lag after the write (by the server's clock), though reads
// and listings see it at once. Off (0) by default.
func WithIndexLag(lag time.Duration) Option {
	return func(c *config) {
		if lag < 0 {
			c.fail(fmt.Errorf("hubspottest: WithIndexLag(%v): want a lag >= 0", lag))
		}
		c.indexLag = lag
	}
}

// SetIndexLag changes the index lag of the writes from now on (the writes
// before keep theirs): with it a test makes a record visible to searches
// after a later one, as HubSpot's index sometimes does.
func (s *Server) SetIndexLag(lag time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg.indexLag = max(0, lag)
}

// indexed reports whether a search finds o yet; st.s.mu held.
func (st *objectStore) indexed(o *object) bool {
	return !o.indexedAt.After(st.s.cfg.now())
}
