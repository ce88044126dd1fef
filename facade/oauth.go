package facade

import (
	"strings"

	"golang.org/x/oauth2"
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
