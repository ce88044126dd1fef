package pipeline

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		header string
		want   time.Duration
	}{
		{"", 0},
		{"3", 3 * time.Second},
		{" 3 ", 3 * time.Second},
		{"-1", 0},
		{"999999", maxRetryAfter},
		{"9223372036854775807", maxRetryAfter},
		{"Mon, 30 Nov 2026 12:00:10 GMT", 10 * time.Second},
		{"Mon, 30 Nov 2026 11:00:00 GMT", 0},
		{"Fri, 31 Dec 9999 23:59:59 GMT", maxRetryAfter},
		{"soon", 0},
	}
	for _, tt := range tests {
		h := http.Header{}
		if tt.header != "" {
			h.Set("Retry-After", tt.header)
		}
		if got := RetryAfter(h, now); got != tt.want {
			t.Errorf("Retry-After %q = %v, want %v", tt.header, got, tt.want)
		}
	}
}

func TestRedact(t *testing.T) {
	const token = "pat-na1-abcdef"
	err := Redact(errors.New("dial: Authorization: Bearer "+token), token)
	if strings.Contains(err.Error(), token) || !strings.Contains(err.Error(), "Bearer "+Redacted) {
		t.Errorf("Redact = %v", err)
	}
	base := errors.New("x")
	if !errors.Is(Redact(base, "x"), base) {
		t.Error("a redacted error no longer unwraps")
	}
	if got := RedactString("abc", "ab"); got != "abc" {
		t.Errorf("a 2-character token was replaced: %q", got)
	}
}

// TestTimeoutCoversTheBody: the per-attempt timeout bounds the answer's
// body too, and ends (no leak) when the body is closed. (A create's body is
// read by the caller; a safe request's by the retry stage, see
// TestSafeAnswerCutOrStalledIsRetried.)
func TestTimeoutCoversTheBody(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		_, _ = io.WriteString(w, "{")
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	rt := New(Config{Timeout: 50 * time.Millisecond, Policy: DefaultRetryPolicy()})
	req, _ := http.NewRequestWithContext(WithOp(context.Background(), Op{Name: "test", Kind: Create}), http.MethodPost, srv.URL, nil)
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.ReadAll(resp.Body); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("reading a stalled body: %v, want the deadline", err)
	}
}

func TestKindsAndOps(t *testing.T) {
	if !Create.MaybeSent() || !Unsafe.MaybeSent() || Safe.MaybeSent() || Search.MaybeSent() {
		t.Error("MaybeSent")
	}
	if OpOf(context.Background()).Kind != Safe {
		t.Error("a request without an op is not Safe")
	}
	if got := OpOf(WithOp(context.Background(), Op{Name: "a", Kind: Create})); got.Name != "a" || got.Kind != Create {
		t.Errorf("OpOf = %+v", got)
	}
}

func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"", "0", "120", "-5", "1e9", "Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 02 Jan 2006 15:04:05 GMT", "99999999999999999999"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d := RetryAfter(http.Header{"Retry-After": {v}}, now)
		if d < 0 || d > maxRetryAfter {
			t.Fatalf("Retry-After %q = %v", v, d)
		}
	})
}
