package facade

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
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
		if _, err := drain(c.Engagements.Dispositions(context.Background())); err != nil {
			t.Fatal(err)
		}
	}
	if src.n.Load() != 1 {
		t.Errorf("source asked %d times, want 1 (token cached until expiry)", src.n.Load())
	}
}

// TestOAuthEndpointRefreshesThroughTheDatedTokenEndpoint: an oauth2.Config
// built on OAuthEndpoint refreshes with a form body sent to
// /oauth/2026-03/token, client credentials in the body.
func TestOAuthEndpointRefreshesThroughTheDatedTokenEndpoint(t *testing.T) {
	var form url.Values
	var path, auth string
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		if strings.HasSuffix(r.URL.Path, "/oauth/2026-03/token") {
			path, auth = r.URL.Path, r.Header.Get("Authorization")
			_ = r.ParseForm()
			form = r.PostForm
			writeJSON(w, 200, `{"access_token":"fresh","refresh_token":"r2","expires_in":1800,"token_type":"bearer"}`)
			return
		}
		if r.Header.Get("Authorization") != "Bearer fresh" {
			writeJSON(w, 401, `{"status":"error","message":"expired","category":"INVALID_AUTHENTICATION"}`)
			return
		}
		writeJSON(w, 200, `{"id":"1","properties":{}}`)
	})
	conf := &oauth2.Config{ClientID: "client-id", ClientSecret: "client-secret", Endpoint: OAuthEndpointAt(s.URL + "/prefix")}
	expired := &oauth2.Token{AccessToken: "old", RefreshToken: "r1", Expiry: time.Now().Add(-time.Minute)}
	c, err := New(WithTokenSource(conf.TokenSource(context.Background(), expired)), WithBaseURL(s.URL+"/prefix"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Tasks.Get(context.Background(), "1", GetParams{}); err != nil {
		t.Fatal(err)
	}
	if path != "/prefix/oauth/2026-03/token" || auth != "" {
		t.Errorf("token request to %q with Authorization %q, want the dated path and the credentials in the body", path, auth)
	}
	want := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"r1"}, "client_id": {"client-id"}, "client_secret": {"client-secret"}}
	for k, v := range want {
		if form.Get(k) != v[0] {
			t.Errorf("form %s = %q, want %q", k, form.Get(k), v[0])
		}
	}
	if OAuthEndpoint.TokenURL != "https://api.hubapi.com/oauth/2026-03/token" || OAuthEndpoint.AuthStyle != oauth2.AuthStyleInParams {
		t.Errorf("OAuthEndpoint = %+v", OAuthEndpoint)
	}
}
