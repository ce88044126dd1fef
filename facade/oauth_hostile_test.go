package facade

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

const (
	clientSecret = "client-secret-5e3f0a9c"
	refreshToken = "refresh-token-7d41b2e8"
)

// TestOAuthErrorsCarryNoSecret: a token endpoint that answers 500 and
// echoes the form it got (as text, in a JSON error description, escaped
// in a JSON string, or the Authorization header) makes errors that quote
// none of the token request's secrets, in what the call returns, in the
// *oauth2.RetrieveError it wraps and in the log.
func TestOAuthErrorsCarryNoSecret(t *testing.T) {
	echoes := []struct {
		name string
		echo func(w http.ResponseWriter, r *http.Request, form string)
	}{
		{"form as text", func(w http.ResponseWriter, r *http.Request, form string) {
			http.Error(w, "upstream failed for "+form, http.StatusInternalServerError)
		}},
		{"form in a JSON error", func(w http.ResponseWriter, r *http.Request, form string) {
			writeJSON(w, 500, `{"error":"server_error","error_description":"bad request: `+form+`"}`)
		}},
		{"form as JSON", func(w http.ResponseWriter, r *http.Request, form string) {
			writeJSON(w, 500, `{"status":"error","request":{"refresh_token":"`+refreshToken+`","client_secret": "`+clientSecret+`","code":"auth-code-1234"},"echo":"{\"refresh_token\":\"`+refreshToken+`\"}"}`)
		}},
		{"authorization header", func(w http.ResponseWriter, r *http.Request, form string) {
			http.Error(w, "Authorization: Basic Y2xpZW50LWlkOmNsaWVudC1zZWNyZXQtNWUzZjBhOWM= rejected; "+form, http.StatusInternalServerError)
		}},
	}
	for _, tt := range echoes {
		t.Run(tt.name, func(t *testing.T) {
			srv := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
				if strings.HasSuffix(r.URL.Path, "/oauth/2026-03/token") {
					body, _ := io.ReadAll(r.Body)
					tt.echo(w, r, string(body))
					return
				}
				writeJSON(w, 200, `{"id":"1","properties":{}}`)
			})
			conf := &oauth2.Config{ClientID: "client-id", ClientSecret: clientSecret, Endpoint: OAuthEndpointAt(srv.URL + "/prefix")}
			expired := &oauth2.Token{AccessToken: "access-token-0f9e8d7c", RefreshToken: refreshToken, Expiry: time.Now().Add(-time.Minute)}
			var log bytes.Buffer
			c, err := New(WithTokenSource(conf.TokenSource(context.Background(), expired)), WithBaseURL(srv.URL+"/prefix"),
				WithRetryPolicy(RetryPolicy{MaxAttempts: 2}), withClock(newFakeClock()),
				WithLogger(slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Tasks.Get(context.Background(), "1", GetParams{})
			if err == nil {
				t.Fatal("the call succeeded without a token")
			}
			var re *oauth2.RetrieveError
			if !errors.As(err, &re) || re.Response == nil || re.Response.StatusCode != 500 {
				t.Fatalf("err = %v, want one that reaches the token endpoint's 500 (*oauth2.RetrieveError)", err)
			}
			for _, text := range []string{err.Error(), string(re.Body), re.ErrorDescription, log.String()} {
				for _, secret := range []string{clientSecret, refreshToken, "auth-code-1234", "Y2xpZW50LWlkOmNsaWVudC1zZWNyZXQtNWUzZjBhOWM="} {
					if strings.Contains(text, secret) {
						t.Errorf("%q quotes a secret of the token request", text)
					}
				}
			}
			if !strings.Contains(err.Error(), "REDACTED") {
				t.Errorf("err = %v, want the endpoint's answer with its secrets replaced by REDACTED", err)
			}
		})
	}
}

// TestRedactSecrets: what is a secret of a token request, and what is not.
func TestRedactSecrets(t *testing.T) {
	tests := []struct{ in, want string }{
		{"grant_type=refresh_token&refresh_token=abc&client_id=id&client_secret=xyz", "grant_type=refresh_token&refresh_token=REDACTED&client_id=id&client_secret=REDACTED"},
		{"grant_type=authorization_code&code=c0de&redirect_uri=x&code_verifier=v3r", "grant_type=authorization_code&code=REDACTED&redirect_uri=x&code_verifier=REDACTED"},
		{`{"access_token":"at","refresh_token" : "rt","error_code":"E1"}`, `{"access_token":"REDACTED","refresh_token" : "REDACTED","error_code":"E1"}`},
		{`"{\"client_secret\":\"s\"}"`, `"{\"client_secret\":\"REDACTED\"}"`},
		{"refresh_token%3Dabc%26x", "refresh_token%3DREDACTED%26x"},
		{"refresh_token=a%2Fb%2Bc&x=1", "refresh_token=REDACTED&x=1"},
		{"Authorization: Bearer at.x-y", "Authorization: Bearer REDACTED"},
		{"status code 500: internal error", "status code 500: internal error"},
	}
	for _, tt := range tests {
		if got := redactSecrets(tt.in); got != tt.want {
			t.Errorf("redactSecrets(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestOAuthTokenWaitEndsWithTheContext: a token endpoint that never answers
// holds a call no longer than its context; a later call gets the token the
// fetch brings once it answers, without fetching again.
func TestOAuthTokenWaitEndsWithTheContext(t *testing.T) {
	release := make(chan struct{})
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	// Against a Client that waited for the token past its context, the
	// endpoint answers after 5 s, and the first call fails on the time it
	// took rather than hang the test.
	defer time.AfterFunc(5*time.Second, free).Stop()
	var fetches atomic.Int64
	srv := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		if strings.HasSuffix(r.URL.Path, "/oauth/2026-03/token") {
			fetches.Add(1)
			<-release
			writeJSON(w, 200, `{"access_token":"fresh","expires_in":1800,"token_type":"bearer"}`)
			return
		}
		if r.Header.Get("Authorization") != "Bearer fresh" {
			writeJSON(w, 401, `{"status":"error","message":"expired","category":"INVALID_AUTHENTICATION"}`)
			return
		}
		writeJSON(w, 200, `{"id":"1","properties":{}}`)
	})
	conf := &oauth2.Config{ClientID: "client-id", ClientSecret: clientSecret, Endpoint: OAuthEndpointAt(srv.URL + "/prefix")}
	expired := &oauth2.Token{AccessToken: "old", RefreshToken: refreshToken, Expiry: time.Now().Add(-time.Minute)}
	c, err := New(WithTokenSource(conf.TokenSource(context.Background(), expired)), WithBaseURL(srv.URL+"/prefix"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = c.Tasks.Get(ctx, "1", GetParams{})
	if took := time.Since(start); !errors.Is(err, context.DeadlineExceeded) || took > 5*time.Second {
		t.Fatalf("after %v: err = %v, want the context's deadline, promptly", took, err)
	}
	free()
	if _, err := c.Tasks.Get(context.Background(), "1", GetParams{}); err != nil {
		t.Fatal(err)
	}
	if n := fetches.Load(); n != 1 {
		t.Errorf("%d token fetches, want the one that was in flight", n)
	}
}

// TestCreateWithoutATokenIsNotUncertain: a create that failed because no
// token could be fetched never left the process: it is an error, not an
// *UncertainError, and the create is never sent. The endpoint's refusal
// (400 invalid_grant) is asked once, not retried.
func TestCreateWithoutATokenIsNotUncertain(t *testing.T) {
	srv := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		if strings.HasSuffix(r.URL.Path, "/oauth/2026-03/token") {
			writeJSON(w, 400, `{"error":"invalid_grant","error_description":"missing or unknown refresh token"}`)
			return
		}
		writeJSON(w, 201, createdTask)
	})
	conf := &oauth2.Config{ClientID: "client-id", ClientSecret: clientSecret, Endpoint: OAuthEndpointAt(srv.URL + "/prefix")}
	expired := &oauth2.Token{AccessToken: "old", RefreshToken: refreshToken, Expiry: time.Now().Add(-time.Minute)}
	c, err := New(WithTokenSource(conf.TokenSource(context.Background(), expired)), WithBaseURL(srv.URL+"/prefix"), withClock(newFakeClock()))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Tasks.Create(context.Background(), CreateInput{Properties: Properties{"hs_task_subject": "a"}})
	var u *UncertainError
	var re *oauth2.RetrieveError
	if err == nil || errors.As(err, &u) || !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
		t.Fatalf("err = %v, want the token endpoint's refusal, not an *UncertainError", err)
	}
	for _, r := range srv.requests() {
		if !strings.HasSuffix(r.Path, "/oauth/2026-03/token") {
			t.Errorf("%s %s sent without a token", r.Method, r.Path)
		}
	}
	if n := srv.count(); n != 1 {
		t.Errorf("%d requests, want the one refused token request", n)
	}
}
