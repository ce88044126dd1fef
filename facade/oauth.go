package facade

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"golang.org/x/oauth2"

	"github.com/engagekit/hubspot-engagements/internal/pipeline"
)

// OAuth 2.0 paths of HubSpot's date-versioned OAuth API. The v1 token
// endpoint (/oauth/v1/token) is deprecated on 2027-02-16.
const (
	oauthAuthorizeURL = "https://app.hubspot.com/oauth/authorize"
	oauthTokenPath    = "/oauth/2026-03/token"
)

// OAuthEndpoint is HubSpot's OAuth 2.0 endpoint for an oauth2.Config: the
// authorization page, and the token endpoint of the dated OAuth API
// (POST /oauth/2026-03/token), which takes the client id and secret in
// the form body (oauth2.AuthStyleInParams), as HubSpot documents it.
//
//	conf := &oauth2.Config{ClientID: id, ClientSecret: secret, Endpoint: facade.OAuthEndpoint, Scopes: scopes, RedirectURL: redirect}
//	c, err := facade.New(facade.WithTokenSource(conf.TokenSource(context.Background(), saved)))
var OAuthEndpoint = OAuthEndpointAt(DefaultBaseURL)

// OAuthEndpointAt is OAuthEndpoint with the token endpoint under another
// base URL (a proxy, or a fake HubSpot in tests).
func OAuthEndpointAt(baseURL string) oauth2.Endpoint {
	return oauth2.Endpoint{
		AuthURL:   oauthAuthorizeURL,
		TokenURL:  strings.TrimSuffix(baseURL, "/") + oauthTokenPath,
		AuthStyle: oauth2.AuthStyleInParams,
	}
}

// oauthTransport authenticates each attempt with a token from fetch, like
// oauth2.Transport, but waits for the token no longer than the request's
// context.
type oauthTransport struct {
	fetch *tokenFetch
	base  http.RoundTripper
}

func (t *oauthTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	tok, err := t.fetch.token(req.Context())
	if err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		// The endpoint's refusal (4xx: a revoked or unknown refresh token, a
		// wrong secret) is not retried; its failures and silences are.
		var re *oauth2.RetrieveError
		refused := errors.As(err, &re) && re.Response != nil && re.Response.StatusCode/100 == 4
		return nil, &pipeline.NotSentError{Err: fmt.Errorf("fetching the OAuth 2.0 token: %w", err), Final: refused}
	}
	r := req.Clone(req.Context())
	tok.SetAuthHeader(r)
	return t.base.RoundTrip(r)
}

// tokenFetch hands out a long-lived source's token, fetching it once for
// however many requests ask at the same time. A request waits for a fetch
// until its context ends; the fetch goes on (an oauth2.TokenSource takes no
// context) and its token serves the requests after.
type tokenFetch struct {
	src oauth2.TokenSource // a ReuseTokenSource over the caller's, its errors redacted
	mu  sync.Mutex
	tok *oauth2.Token // the last token fetched
	cur *fetching     // the fetch in flight, nil when none
}

type fetching struct {
	done chan struct{}
	tok  *oauth2.Token
	err  error
}

func (f *tokenFetch) token(ctx context.Context) (*oauth2.Token, error) {
	f.mu.Lock()
	if f.tok.Valid() {
		tok := f.tok
		f.mu.Unlock()
		return tok, nil
	}
	fl := f.cur
	if fl == nil {
		fl = &fetching{done: make(chan struct{})}
		f.cur = fl
		go func() {
			fl.tok, fl.err = f.src.Token()
			f.mu.Lock()
			f.cur = nil
			if fl.err == nil {
				f.tok = fl.tok
			}
			f.mu.Unlock()
			close(fl.done)
		}()
	}
	f.mu.Unlock()
	select {
	case <-fl.done:
		return fl.tok, fl.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// redactingSource is a TokenSource whose errors carry none of the token
// request's secrets: x/oauth2 quotes the token endpoint's answer in its
// errors, and an endpoint may echo the form it got (client_secret,
// refresh_token, code).
type redactingSource struct{ ts oauth2.TokenSource }

func (s redactingSource) Token() (*oauth2.Token, error) {
	tok, err := s.ts.Token()
	if err != nil {
		return nil, redactTokenError(err)
	}
	return tok, nil
}

// redactTokenError is err with every secret of a token request redacted.
// An *oauth2.RetrieveError stays one (errors.As reaches it), its body and
// fields redacted and its response reduced to status and headers.
func redactTokenError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		c := &oauth2.RetrieveError{Body: []byte(redactSecrets(string(re.Body))), ErrorCode: redactSecrets(re.ErrorCode),
			ErrorDescription: redactSecrets(re.ErrorDescription), ErrorURI: redactSecrets(re.ErrorURI)}
		if re.Response != nil {
			c.Response = &http.Response{Status: re.Response.Status, StatusCode: re.Response.StatusCode, Proto: re.Response.Proto, Header: re.Response.Header.Clone()}
			c.Response.Header.Del("Set-Cookie")
		}
		return c
	}
	if msg := err.Error(); redactSecrets(msg) != msg {
		return errors.New(redactSecrets(msg))
	}
	return err
}

// secretParam finds the value of a secret of an OAuth 2.0 token request or
// answer, in a form (client_secret=…), in JSON ("refresh_token":"…",
// escaped or not) or URL-encoded; secretHeader a credential after its
// scheme (Authorization: Basic …).
var (
	secretParam  = regexp.MustCompile(`(?i)(\b(?:client_secret|client_assertion|refresh_token|access_token|id_token|code_verifier|code|password|assertion)(?:\\?["'])?\s*(?:=|:|%3D)\s*(?:\\?["'])?)(?:[^&"'\s,;}\]\\%]|%[^2]|%2[^6])+`)
	secretHeader = regexp.MustCompile(`(?i)\b(Basic|Bearer)\s+[A-Za-z0-9._~+/=-]+`)
)

// redactSecrets replaces every secret of a token request in s with
// REDACTED.
func redactSecrets(s string) string {
	s = secretParam.ReplaceAllString(s, "${1}"+pipeline.Redacted)
	return secretHeader.ReplaceAllString(s, "$1 "+pipeline.Redacted)
}
