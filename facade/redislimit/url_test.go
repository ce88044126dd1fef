package redislimit

import (
	"context"
	"encoding/binary"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/engagekit/hubspot-engagements/facade"
)

func TestParseURL(t *testing.T) {
	cases := []struct {
		url      string
		addr     string
		db       int
		user     string
		password string
		tls      bool
	}{
		{url: "redis://127.0.0.1:6380/2", addr: "127.0.0.1:6380", db: 2},
		{url: "redis://cache.internal", addr: "cache.internal:6379"},
		{url: "redis://cache.internal/", addr: "cache.internal:6379"},
		{url: "redis://:s3cret@[::1]:7000/15", addr: "[::1]:7000", db: 15, password: "s3cret"},
		{url: "rediss://worker:pw@redis.example:6390/0", addr: "redis.example:6390", user: "worker", password: "pw", tls: true},
	}
	for _, tc := range cases {
		o, err := parseURL(tc.url)
		if err != nil {
			t.Errorf("%s: %v", tc.url, err)
			continue
		}
		if o.Addr != tc.addr || o.DB != tc.db || o.Username != tc.user || o.Password != tc.password || (o.TLSConfig != nil) != tc.tls {
			t.Errorf("%s: addr %s db %d user %q password %q tls %v", tc.url, o.Addr, o.DB, o.Username, o.Password, o.TLSConfig != nil)
		}
	}
	for _, bad := range []string{"", "127.0.0.1:6379", "http://127.0.0.1:6379", "redis://", "redis:///0", "redis://h:0",
		"redis://h:65536", "redis://h:port", "redis://h/-1", "redis://h/+1", "redis://h/65536", "redis://h/1/2", "redis://h/db",
		"redis://h?dial_timeout=1", "redis://h#x", "redis:h", "unix:///tmp/redis.sock", "redis://h:6379/0 ",
		"redis://" + strings.Repeat("a", maxURL)} {
		_, err := parseURL(bad)
		var ve *facade.ValidationError
		if !errors.As(err, &ve) || ve.Field != "url" {
			t.Errorf("%q: %v, want a ValidationError of url", bad, err)
		}
	}
}

// TestFromURL: an invalid URL fails before anything is sent; an
// unreachable Redis is not an error (the Limiter starts in process); a
// done context is.
func TestFromURL(t *testing.T) {
	ctx := context.Background()
	if _, err := FromURL(ctx, "redis://:pw@127.0.0.1:6379/x", WithBudget("b")); err == nil || strings.Contains(err.Error(), "pw") {
		t.Errorf("invalid URL: %v", err)
	}
	if _, err := FromURL(ctx, "redis://127.0.0.1:6379/0"); err == nil {
		t.Error("no budget: no error")
	}
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := "redis://" + l.Addr().String() + "/0"
	l.Close()
	ev := newEvents()
	lim, err := FromURL(ctx, closed, WithBudget("b"), ev.option())
	if err != nil {
		t.Fatalf("unreachable Redis: %v", err)
	}
	defer lim.Close()
	ev.await(t, FellBack)
	if lim.Shared() {
		t.Error("Shared with no Redis")
	}
	done, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := FromURL(done, closed, WithBudget("b")); !errors.Is(err, context.Canceled) {
		t.Errorf("done context: %v", err)
	}
}

// FuzzParseURL: any input is refused or read into options that make
// sense, and no error repeats a password.
func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"redis://127.0.0.1:6379/0", "rediss://u:p@h:1/65535", "redis://:secret@[::1]/", "redis://h:99999",
		"redis://%zz", "redis://h/ 1", "redis://h\x00/0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		o, err := parseURL(raw)
		if err != nil {
			if i := strings.Index(raw, "://"); i >= 0 {
				if at := strings.LastIndex(raw, "@"); at > i {
					if _, pw, ok := strings.Cut(raw[i+3:at], ":"); ok && len(pw) > 3 && strings.Contains(err.Error(), pw) {
						t.Fatalf("the error repeats the password: %v", err)
					}
				}
			}
			return
		}
		host, port, err := net.SplitHostPort(o.Addr)
		p, perr := strconv.Atoi(port)
		if err != nil || host == "" || perr != nil || p < 1 || p > 65535 || o.DB < 0 || o.DB > 65535 || o.Network != "tcp" {
			t.Fatalf("%q read as %s db %d", raw, o.Addr, o.DB)
		}
	})
}

// FuzzReplies: whatever Redis answers, the Limiter takes only sane values.
func FuzzReplies(f *testing.F) {
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 0, 128, 150, 152, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		var v []int64
		for ; len(b) >= 8; b = b[8:] {
			v = append(v, int64(binary.LittleEndian.Uint64(b)))
		}
		if a, err := parseAcquire(v); err == nil {
			if a.max < 1 || a.max > maxLimit || a.window < minWindow || a.window > maxWindow || a.wait < 0 || a.wait > 2*maxWindow ||
				a.peers < 1 || (!a.admitted && a.wait == 0) {
				t.Fatalf("%v read as %+v", v, a)
			}
		}
		if added, m, w, err := parseFill(v); err == nil {
			if added < 0 || m < 1 || m > maxLimit || w < time.Millisecond || w > time.Hour {
				t.Fatalf("%v read as %d, %d, %v", v, added, m, w)
			}
		}
	})
}
