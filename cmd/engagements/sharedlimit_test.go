package main

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/engagekit/hubspot-engagements/facade"
	"github.com/engagekit/hubspot-engagements/facade/redislimit"
	"github.com/engagekit/hubspot-engagements/hubspottest"
)

func TestCheckSharedLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url  string
		want string // "" accepted, else part of the error
	}{
		{"redis://127.0.0.1:6379", ""},
		{"redis://127.0.0.1:6379/", ""},
		{"redis://localhost:6379/0", ""},
		{"redis://redis.internal:6380/15", ""},
		{"redis://[::1]:6379/2", ""},
		{"REDIS://h:1/65535", ""},
		{"redis://h:1/65536", "out of range"},
		{"", "not a redis:// URL"},
		{"127.0.0.1:6379", "not a URL"},
		{"localhost:6379", "not a redis:// URL"},
		{"http://h:6379", "not a redis:// URL"},
		{"rediss://h:6379", "not a redis:// URL"},
		{"redis:h:6379", "not a redis:// URL"},
		{"redis://h", "no port"},
		{"redis://h:/0", "no port"},
		{"redis://:6379", "no host"},
		{"redis:///0", "no host"},
		{"redis://h:0", "port out of range"},
		{"redis://h:65536", "port out of range"},
		{"redis://h:x", "not a URL"},
		{"redis://h:6379/x", "not a number"},
		{"redis://h:6379/-1", "not a number"},
		{"redis://h:6379/+1", "not a number"},
		{"redis://h:6379/1/2", "not a number"},
		{"redis://h:6379/%31", "not a number"},
		{"redis://h:6379/2147483648", "out of range"},
		{"redis://h:6379/99999999999", "not a number"},
		{"redis://user:s3cret@h:6379/0", "credentials"},
		{"redis://:s3cret@h:6379/0", "credentials"},
		{"redis://h:6379/0?dial_timeout=1s", "query"},
		{"redis://h:6379/0?", "query"},
		{"redis://h:6379/0#x", "fragment"},
		{"redis://h:6379/ 1", "space"},
		{"redis://h:6379/0\n", "control character"},
		{"redis://" + strings.Repeat("h", 2000) + ":6379", "longer than"},
	}
	for _, tt := range tests {
		err := checkSharedLimit(tt.url)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%q refused: %v", tt.url, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%q: %v, want an error with %q", tt.url, err, tt.want)
		case err != nil && (strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "redis://HOST:PORT/DB")):
			t.Errorf("%q: %v: quotes the value or does not say the form", tt.url, err)
		}
	}
}

// sharedLimitReasons are the reasons checkSharedLimit gives.
var sharedLimitReasons = []string{
	"longer than " + strconv.Itoa(maxSharedLimitURL) + " bytes", "holds a space or a control character", "not a URL",
	"not a redis:// URL", "credentials in the URL are not accepted (a flag shows in ps)", "a query or fragment is not accepted",
	"no host", "no port", "port out of range (1 to 65535)", "the database is not a number", "database number out of range",
}

// FuzzCheckSharedLimit: what checkSharedLimit accepts is a redis:// URL
// with a host, a port in range, no credentials, no query and at most a
// database number; its errors never quote the value.
func FuzzCheckSharedLimit(f *testing.F) {
	for _, s := range []string{"redis://127.0.0.1:6379/0", "redis://[::1]:1", "redis://u:p@h:1/0", "redis://h:1/0?x", "redis://h:1/%30", "redis://h:99999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := checkSharedLimit(s)
		if err != nil {
			// One of a fixed set of reasons, so never the value.
			reason, ok := strings.CutSuffix(err.Error(), ": use redis://HOST:PORT or redis://HOST:PORT/DB")
			if !ok || !slices.Contains(sharedLimitReasons, reason) {
				t.Fatalf("error %q is not one of the known reasons", err)
			}
			return
		}
		u, perr := url.Parse(s)
		if perr != nil || u.Scheme != "redis" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Hostname() == "" || strings.ContainsAny(s, " \t\r\n@?#") {
			t.Fatalf("accepted %q (%+v, %v)", s, u, perr)
		}
		if p, err := strconv.Atoi(u.Port()); err != nil || p < 1 || p > 65535 {
			t.Fatalf("accepted %q: port %q", s, u.Port())
		}
		if db := strings.TrimPrefix(u.Path, "/"); db != "" {
			if n, err := strconv.ParseInt(db, 10, 64); err != nil || n < 0 || n > redislimit.MaxDB || strings.Trim(db, "0123456789") != "" {
				t.Fatalf("accepted %q: database %q", s, db)
			}
		}
	})
}

// countingLimiter paces with an in-process limiter and counts the request
// starts it was asked for, and whether it was closed.
type countingLimiter struct {
	facade.Limiter
	waits  atomic.Int64
	closed atomic.Bool
}

func (l *countingLimiter) Wait(ctx context.Context, c facade.LimitClass) (time.Duration, error) {
	l.waits.Add(1)
	return l.Limiter.Wait(ctx, c)
}

func (l *countingLimiter) Close() error {
	l.closed.Store(true)
	return nil
}

// --shared-limit (or HUBSPOT_SHARED_LIMIT; the flag wins) on every command
// that talks to HubSpot: a bad value exits 2 before any request; a good one
// reaches sharedLimiter, whose Limiter paces every request and is closed at
// the end; --shared-limit "" turns the variable's off.
func TestSharedLimitFlag(t *testing.T) {
	t.Parallel()
	const (
		a = "redis://127.0.0.1:6379/0"
		b = "redis://10.0.0.7:6380/3"
	)
	tests := []struct {
		name    string
		env     string   // HUBSPOT_SHARED_LIMIT
		args    []string // before the command
		hook    bool     // a counting limiter instead of facade/redislimit
		code    int
		limiter string   // the URL sharedLimiter got, "" when not called
		errs    []string // in the message when the code is not 0
	}{
		{"none", "", nil, true, 0, "", nil},
		{"flag", "", []string{"--shared-limit", a}, true, 0, a, nil},
		{"variable", b, nil, true, 0, b, nil},
		{"flag wins over the variable", b, []string{"--shared-limit", a}, true, 0, a, nil},
		{"flag wins over a bad variable", "nonsense", []string{"--shared-limit", a}, true, 0, a, nil},
		{"empty flag turns the variable off", b, []string{"--shared-limit", ""}, true, 0, "", nil},
		{"bad flag", "", []string{"--shared-limit", "localhost:6379"}, true, exitUsage, "", []string{"--shared-limit", "redis://HOST:PORT"}},
		{"bad variable", "redis://h:6379/x", nil, true, exitUsage, "", []string{"HUBSPOT_SHARED_LIMIT", "database is not a number"}},
		{"credentials", "", []string{"--shared-limit", "redis://:hunter2@h:6379"}, true, exitUsage, "", []string{"credentials"}},
		// The real limiter, with no Redis listening: it paces in process,
		// says so once, and the command succeeds.
		{"Redis unreachable", "", []string{"--shared-limit", "redis://127.0.0.1:1/0"}, false, 0, "", []string{"Redis unavailable, pacing requests in this process"}},
	}
	for _, tt := range tests {
		runHubSpotCommands(t, tt.name, tt.args, func(t *testing.T, srv *hubspottest.Server, _ string, args []string) {
			c := newCLI(t, srv)
			c.env[sharedLimitVar] = tt.env
			var mu sync.Mutex
			var got []string
			lim := &countingLimiter{Limiter: facade.NewLimiter(facade.LimiterConfig{})}
			if tt.hook {
				c.hooks.sharedLimiter = func(_ context.Context, u string) (facade.Limiter, error) {
					mu.Lock()
					defer mu.Unlock()
					got = append(got, u)
					return lim, nil
				}
			}
			code, _, errs := c.run(args...)
			reqs := len(srv.Requests())
			if code != tt.code {
				t.Fatalf("exit %d, want %d: %s", code, tt.code, errs)
			}
			for _, w := range tt.errs {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr %q lacks %q", errs, w)
				}
			}
			if strings.Contains(errs, "hunter2") {
				t.Errorf("the password is printed: %s", errs)
			}
			if code != 0 {
				if reqs != 0 || len(lines(errs)) != 1 {
					t.Errorf("%d requests, stderr %q: want none and one line", reqs, errs)
				}
				return
			}
			want := []string(nil)
			if tt.limiter != "" {
				want = []string{tt.limiter}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("sharedLimiter got %q, want %q", got, want)
			}
			if n := lim.waits.Load(); tt.limiter != "" && (n != int64(reqs) || n == 0) || tt.limiter == "" && n != 0 {
				t.Errorf("the shared limiter paced %d request starts; the fake saw %d", n, reqs)
			}
			if lim.closed.Load() != (tt.limiter != "") {
				t.Errorf("closed %v", lim.closed.Load())
			}
		})
	}
}
