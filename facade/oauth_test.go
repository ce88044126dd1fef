package facade

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

type staticSource string

func (s staticSource) Token() (*oauth2.Token, error) {
	return &oauth2.Token{AccessToken: string(s)}, nil
}

// countingSource hands out a new token on every call, valid for an hour.
type countingSource struct{ n atomic.Int64 }

func (s *countingSource) Token() (*oauth2.Token, error) {
	n := s.n.Add(1)
	return &oauth2.Token{AccessToken: fmt.Sprintf("fresh-%d", n), TokenType: "Bearer", Expiry: time.Now().Add(time.Hour)}, nil
}

func TestOAuthRefreshesAnExpiredTokenOnceUnderConcurrency(t *testing.T) {
	var mu sync.Mutex
	auths := map[string]int{}
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		mu.Lock()
		auths[r.Header.Get("Authorization")]++
		mu.Unlock()
		writeJSON(w, 200, `{"id":"1","properties":{}}`)
	})
	refresh := &countingSource{}
	// The application's source holds an expired token and refreshes from
	// `refresh`, as oauth2.Config.TokenSource does.
	expired := &oauth2.Token{AccessToken: "expired", Expiry: time.Now().Add(-time.Minute)}
	c, err := New(WithTokenSource(oauth2.ReuseTokenSource(expired, refresh)), WithBaseURL(s.URL+"/prefix"), WithRateLimit(1000, time.Second))
	if err != nil {
		t.Fatal(err)
	}
	const calls = 50
	var wg sync.WaitGroup
	errs := make(chan error, calls)
	for range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Tasks.Get(context.Background(), "1", GetParams{})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := refresh.n.Load(); got != 1 {
		t.Errorf("token refreshed %d times, want 1", got)
	}
	if auths["Bearer fresh-1"] != calls || len(auths) != 1 {
		t.Errorf("authorizations seen: %v", auths)
	}
}

func TestOAuthSourceIsAskedOnceForManyCalls(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) { writeJSON(w, 200, `[]`) })
	src := &countingSource{}
	c, err := New(WithTokenSource(src), WithBaseURL(s.URL+"/prefix"))
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if _, err := c.Engagements.Dispositions(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if src.n.Load() != 1 {
		t.Errorf("source asked %d times, want 1 (token cached until expiry)", src.n.Load())
	}
}
