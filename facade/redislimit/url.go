package redislimit

import (
	"context"
	"crypto/tls"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"

	"github.com/engagekit/hubspot-engagements/facade"
)

// maxURL bounds the length of a Redis URL.
const maxURL = 2048

// MaxDB is the largest database number a URL may name (Redis's default
// configuration has 16 databases; a server may be configured with more).
const MaxDB = 65535

// FromURL returns a Limiter on the Redis server of rawURL,
// redis://[USER:PASSWORD@]HOST[:PORT][/DB] (rediss:// for TLS; port 6379
// and database 0 by default; no query parameters: the timeouts are the
// Limiter's). Its client never retries a call and gives up on every call
// after WithTimeout. An invalid URL or option fails with a
// *facade.ValidationError before anything is sent. FromURL then loads the
// scripts, within the timeout and ctx: when Redis does not answer, the
// Limiter starts pacing in process (logged) and joins Redis once it
// answers; only ctx ending is an error. Close the Limiter when done.
//
// The command-line tool's --shared-limit flag is this URL.
func FromURL(ctx context.Context, rawURL string, opts ...Option) (*Limiter, error) {
	ro, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	cfg, err := configure(opts)
	if err != nil {
		return nil, err
	}
	ro.DialTimeout, ro.ReadTimeout, ro.WriteTimeout, ro.PoolTimeout = cfg.timeout, cfg.timeout, cfg.timeout, cfg.timeout
	ro.ContextTimeoutEnabled = true
	ro.MaxRetries = -1 // a retried script could count a start twice
	ro.DialerRetries = 1
	ro.DisableIdentity = true
	ro.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	l := newLimiter(redis.NewClient(ro), true, cfg)
	lctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()
	err = acquireScript.Load(lctx, l.rdb).Err()
	if err == nil {
		err = fillScript.Load(lctx, l.rdb).Err()
	}
	if err != nil {
		if ctx.Err() != nil {
			_ = l.Close()
			return nil, ctx.Err()
		}
		l.fallBack(err)
	}
	return l, nil
}

// parseURL reads a Redis URL into client options, refusing anything else
// (the URL comes from a flag or the environment). Errors never repeat the
// URL: it may hold a password.
func parseURL(raw string) (*redis.Options, error) {
	if len(raw) > maxURL {
		return nil, &facade.ValidationError{Field: "url", Problem: "too long", Limit: maxURL, Actual: len(raw)}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, invalid("url", "not a URL", nil)
	}
	if u.Scheme != "redis" && u.Scheme != "rediss" {
		return nil, invalid("url", "the scheme must be redis:// or rediss://", nil)
	}
	if u.Opaque != "" || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.Host == "" {
		return nil, invalid("url", "want redis://[USER:PASSWORD@]HOST[:PORT][/DB] without a query or fragment", nil)
	}
	host, port := u.Hostname(), u.Port()
	if host == "" || strings.ContainsAny(host, " /\\@") {
		return nil, invalid("url", "invalid host", nil)
	}
	if port == "" {
		port = "6379"
	}
	if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 || len(port) > 5 {
		return nil, invalid("url", "the port must be 1 to 65535", nil)
	}
	o := &redis.Options{Network: "tcp", Addr: net.JoinHostPort(host, port)}
	if db := strings.TrimPrefix(u.Path, "/"); db != "" {
		n, err := strconv.Atoi(db)
		if err != nil || n < 0 || n > MaxDB || len(db) > 5 || db[0] == '+' {
			return nil, invalid("url", "the database must be a number from 0 to 65535", nil)
		}
		o.DB = n
	}
	if u.User != nil {
		o.Username = u.User.Username()
		o.Password, _ = u.User.Password()
	}
	if u.Scheme == "rediss" {
		o.TLSConfig = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	}
	return o, nil
}
