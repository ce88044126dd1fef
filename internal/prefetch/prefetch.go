// Package prefetch fetches one value ahead, in the background, while its
// owner works on the one before: the one-page lookahead under the
// facade's pagers. It knows nothing of pages or of HubSpot; the owner
// names each value by a key, and a value fetched ahead is handed out only
// for the key it was fetched for.
package prefetch

import "context"

// Ahead runs at most one fetch at a time in the background. Its owner
// starts a fetch of the value of a key, and later takes that value if it
// is the one it needs. Take and Wait return only once the fetch has
// finished, so a goroutine started here never outlives an owner that
// calls Wait before it returns.
//
// The zero Ahead is ready to use. Its methods are called by one goroutine,
// its owner; only the fetch runs in another.
type Ahead[K comparable, V any] struct {
	cur *flight[K, V] // the fetch started and not yet taken or dropped
}

// flight is one fetch: its result is written by the fetch's goroutine
// before done is closed, and read by the owner after.
type flight[K comparable, V any] struct {
	key  K
	done chan struct{}
	val  V
	err  error
}

// Start fetches the value of key with fetch(ctx) in a new goroutine. A
// fetch started before and not taken is waited for and dropped first, so
// that at most one fetch runs.
func (a *Ahead[K, V]) Start(ctx context.Context, key K, fetch func(context.Context) (V, error)) {
	a.Wait()
	f := &flight[K, V]{key: key, done: make(chan struct{})}
	a.cur = f
	go func() {
		defer close(f.done)
		f.val, f.err = fetch(ctx)
	}()
}

// Take hands out the value fetched for key, once: it waits for the fetch
// to finish and returns its value and error with ok true. When no fetch
// was started for key (another key's was, or none), it waits for that
// fetch, drops it, and returns ok false: the owner fetches key itself.
func (a *Ahead[K, V]) Take(key K) (v V, ok bool, err error) {
	f := a.cur
	a.Wait()
	if f == nil || f.key != key {
		return v, false, nil
	}
	return f.val, true, f.err
}

// Wait waits for the fetch in flight, if any, to finish, and drops its
// value.
func (a *Ahead[K, V]) Wait() {
	if a.cur != nil {
		<-a.cur.done
		a.cur = nil
	}
}
