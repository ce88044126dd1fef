package webhook

import (
	"context"
	"sync"
)

// Store remembers which events were handled, by Event.Key, so that a
// redelivery is not handed to the application again. The Handler asks Seen
// before calling the application and calls Add only after it succeeded.
// Implementations must be safe for concurrent use; a shared store (a
// database, Redis) lets several receivers de-duplicate together.
type Store interface {
	// Seen reports, for each key, whether Add recorded it.
	Seen(ctx context.Context, keys []string) ([]bool, error)
	// Add records keys as handled.
	Add(ctx context.Context, keys []string) error
}

// DefaultMemoryKeys is how many keys NewMemoryStore(0) remembers: HubSpot
// retries a delivery for about a day, and 100,000 keys (about 10 MB)
// outlast a day of a busy portal's redeliveries.
const DefaultMemoryKeys = 100_000

// MemoryStore is a Store in memory that remembers the last n keys added,
// forgetting the oldest first. It is the Handler's default; its memory does
// not survive the process.
type MemoryStore struct {
	mu   sync.Mutex
	set  map[string]struct{}
	size int      // how many keys it remembers
	ring []string // the keys in the order added; once full, next is the oldest
	next int
}

// NewMemoryStore returns a MemoryStore remembering the last n keys
// (DefaultMemoryKeys when n <= 0).
func NewMemoryStore(n int) *MemoryStore {
	if n <= 0 {
		n = DefaultMemoryKeys
	}
	return &MemoryStore{set: make(map[string]struct{}), size: n}
}

// Seen reports which keys the store remembers.
func (m *MemoryStore) Seen(_ context.Context, keys []string) ([]bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]bool, len(keys))
	for i, k := range keys {
		_, out[i] = m.set[k]
	}
	return out, nil
}

// Add remembers keys, forgetting the oldest beyond the store's size.
func (m *MemoryStore) Add(_ context.Context, keys []string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, k := range keys {
		if _, ok := m.set[k]; ok {
			continue
		}
		m.set[k] = struct{}{}
		if len(m.ring) < m.size {
			m.ring = append(m.ring, k)
			continue
		}
		delete(m.set, m.ring[m.next])
		m.ring[m.next] = k
		m.next = (m.next + 1) % m.size
	}
	return nil
}

// Len returns how many keys the store remembers.
func (m *MemoryStore) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.set)
}
