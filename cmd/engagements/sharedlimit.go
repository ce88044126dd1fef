package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strconv"
	"strings"

	"github.com/engagekit/hubspot-engagements/facade"
	"github.com/engagekit/hubspot-engagements/facade/redislimit"
)

// sharedLimitVar is the environment variable --shared-limit defaults to.
const sharedLimitVar = "HUBSPOT_SHARED_LIMIT"

// sharedLimiter returns the Limiter that shares HubSpot's rate limit with
// every other process using the Redis at rawURL (a URL checkSharedLimit
// accepted) under budget (a hash of the token, never the token). When
// Redis does not answer it paces in this process and says so once on log;
// it rejoins when Redis answers. A Limiter that is an io.Closer is closed
// when the command ends. opts come after the command's own.
func sharedLimiter(ctx context.Context, rawURL, budget string, log io.Writer, opts ...redislimit.Option) (facade.Limiter, error) {
	opts = append([]redislimit.Option{redislimit.WithBudget(budget), redislimit.WithLogger(slog.New(slog.NewTextHandler(log, nil)))}, opts...)
	l, err := redislimit.FromURL(ctx, rawURL, opts...)
	var ve *facade.ValidationError
	if errors.As(err, &ve) {
		return nil, usagef("%v", err)
	}
	return l, err
}

// sharedLimitSetting reads --shared-limit, else HUBSPOT_SHARED_LIMIT, and
// checks it; "" (and source "") when none is asked for. An explicit
// --shared-limit "" turns off the variable's.
func (a *app) sharedLimitSetting() (rawURL, source string, err error) {
	v, source := a.setting("shared-limit", sharedLimitVar)
	if v == "" {
		return "", "", nil
	}
	if err := checkSharedLimit(v); err != nil {
		return "", "", usagef("%s: %v", source, err)
	}
	return v, source, nil
}

// maxSharedLimitURL bounds a --shared-limit value.
const maxSharedLimitURL = 1024

// checkSharedLimit accepts redis://HOST:PORT, redis://HOST:PORT/ and
// redis://HOST:PORT/DB (DB a number), and nothing else. Its errors never
// quote the value, which could hold a password.
func checkSharedLimit(raw string) error {
	const form = "use redis://HOST:PORT or redis://HOST:PORT/DB"
	if len(raw) > maxSharedLimitURL {
		return fmt.Errorf("longer than %d bytes: %s", maxSharedLimitURL, form)
	}
	for _, r := range raw {
		if r <= ' ' || r == 0x7f {
			return fmt.Errorf("holds a space or a control character: %s", form)
		}
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return fmt.Errorf("not a URL: %s", form)
	case u.Scheme != "redis" || u.Opaque != "":
		return fmt.Errorf("not a redis:// URL: %s", form)
	case u.User != nil:
		return fmt.Errorf("credentials in the URL are not accepted (a flag shows in ps): %s", form)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(raw, "#"):
		return fmt.Errorf("a query or fragment is not accepted: %s", form)
	case u.Hostname() == "":
		return fmt.Errorf("no host: %s", form)
	case u.Port() == "":
		return fmt.Errorf("no port: %s", form)
	}
	if p, err := strconv.Atoi(u.Port()); err != nil || p < 1 || p > 65535 {
		return fmt.Errorf("port out of range (1 to 65535): %s", form)
	}
	if u.RawPath != "" {
		return fmt.Errorf("the database is not a number: %s", form)
	}
	db, ok := strings.CutPrefix(u.Path, "/")
	if u.Path == "" || db == "" {
		return nil
	}
	if !ok || len(db) > 10 || strings.Trim(db, "0123456789") != "" {
		return fmt.Errorf("the database is not a number: %s", form)
	}
	if n, err := strconv.ParseInt(db, 10, 64); err != nil || n > redislimit.MaxDB {
		return fmt.Errorf("database number out of range: %s", form)
	}
	return nil
}
