package webhook

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

const (
	testSecret = "test-client-secret-0123456789"
	testURL    = "https://hooks.example.com/hubspot?tenant=a%2Ab"
)

// delivery builds a request HubSpot would send: v3-signed at ts.
func delivery(secret, target, body string, ts time.Time) *http.Request {
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	stamp := Timestamp(ts)
	r.Header.Set(HeaderTimestamp, stamp)
	r.Header.Set(HeaderSignatureV3, SignV3(secret, http.MethodPost, target, []byte(body), stamp))
	r.Header.Set("Content-Type", "application/json")
	return r
}

// recorder counts the events the application was given.
type recorder struct {
	mu     sync.Mutex
	calls  int
	events []Event
	err    error
}

func (rec *recorder) fn(_ context.Context, events []Event) error {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.calls++
	if rec.err != nil {
		return rec.err
	}
	rec.events = append(rec.events, events...)
	return nil
}

func newHandler(t *testing.T, rec *recorder, opts ...Option) *Handler {
	t.Helper()
	h, err := New(testSecret, rec.fn, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestHandlerRefuses(t *testing.T) {
	now := time.Now()
	v1 := func(r *http.Request) {
		r.Header.Del(HeaderSignatureV3)
		r.Header.Set(HeaderSignatureVersion, "v1")
		r.Header.Set(HeaderSignature, SignV1(testSecret, []byte(docBody)))
	}
	tests := []struct {
		name   string
		req    func() *http.Request
		status int
	}{
		{"unsigned", func() *http.Request {
			r := delivery(testSecret, testURL, docBody, now)
			r.Header.Del(HeaderSignatureV3)
			return r
		}, 401},
		{"wrong secret", func() *http.Request { return delivery("other-secret", testURL, docBody, now) }, 401},
		{"body changed", func() *http.Request {
			r := delivery(testSecret, testURL, docBody, now)
			r.Body = httptestBody(strings.Replace(docBody, `"objectId":123`, `"objectId":124`, 1))
			return r
		}, 401},
		{"other URL", func() *http.Request {
			r := delivery(testSecret, testURL, docBody, now)
			r.Host = "evil.example.com"
			return r
		}, 401},
		{"signature not base64", func() *http.Request {
			r := delivery(testSecret, testURL, docBody, now)
			r.Header.Set(HeaderSignatureV3, "not base64!")
			return r
		}, 401},
		{"stale timestamp", func() *http.Request {
			return delivery(testSecret, testURL, docBody, now.Add(-5*time.Minute-time.Second))
		}, 401},
		{"timestamp far ahead", func() *http.Request { return delivery(testSecret, testURL, docBody, now.Add(6*time.Minute)) }, 401},
		{"timestamp missing", func() *http.Request {
			r := delivery(testSecret, testURL, docBody, now)
			r.Header.Del(HeaderTimestamp)
			return r
		}, 401},
		{"timestamp not a number", func() *http.Request {
			r := delivery(testSecret, testURL, docBody, now)
			r.Header.Set(HeaderTimestamp, "soon")
			return r
		}, 401},
		{"v1 only, legacy off", func() *http.Request {
			r := delivery(testSecret, testURL, docBody, now)
			v1(r)
			return r
		}, 401},
		{"oversized body", func() *http.Request { return delivery(testSecret, testURL, "["+strings.Repeat(" ", 2000)+"]", now) }, 413},
		{"signed but not events", func() *http.Request { return delivery(testSecret, testURL, `{"eventId":1}`, now) }, 400},
		{"signed event without id", func() *http.Request { return delivery(testSecret, testURL, `[{"objectId":1}]`, now) }, 400},
		{"GET", func() *http.Request {
			r := delivery(testSecret, testURL, docBody, now)
			r.Method = http.MethodGet
			return r
		}, 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			rec := &recorder{}
			h := newHandler(t, rec, WithMaxBody(1024), WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
			r := tt.req()
			sig := r.Header.Get(HeaderSignatureV3) + r.Header.Get(HeaderSignature)
			w := serve(h, r)
			if w.Code != tt.status {
				t.Errorf("status %d (%s), want %d", w.Code, strings.TrimSpace(w.Body.String()), tt.status)
			}
			if rec.calls != 0 {
				t.Errorf("the application was called %d times", rec.calls)
			}
			for _, secret := range []string{testSecret, sig} {
				if secret == "" {
					continue
				}
				if strings.Contains(logs.String(), secret) || strings.Contains(w.Body.String(), secret) {
					t.Errorf("a secret or signature was written: log %q, answer %q", logs.String(), w.Body.String())
				}
			}
			if !strings.Contains(logs.String(), "status="+strconv.Itoa(tt.status)) {
				t.Errorf("no log of the refusal: %q", logs.String())
			}
		})
	}
}

func httptestBody(s string) *readCloser { return &readCloser{strings.NewReader(s)} }

type readCloser struct{ *strings.Reader }

func (readCloser) Close() error { return nil }

func TestHandlerDeliversOnce(t *testing.T) {
	rec := &recorder{}
	h := newHandler(t, rec)
	body := `[{"eventId":1,"subscriptionId":2,"portalId":3,"subscriptionType":"object.creation","objectTypeId":"0-27","objectId":10},` +
		`{"eventId":1,"subscriptionId":2,"portalId":3,"subscriptionType":"object.creation","objectTypeId":"0-27","objectId":10},` +
		`{"eventId":2,"subscriptionId":2,"portalId":3,"subscriptionType":"object.deletion","objectTypeId":"0-27","objectId":10}]`
	if w := serve(h, delivery(testSecret, testURL, body, time.Now())); w.Code != http.StatusNoContent {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	if rec.calls != 1 || len(rec.events) != 2 {
		t.Fatalf("%d calls, %d events; want 1 call of 2 events (the repeated one once)", rec.calls, len(rec.events))
	}
	// HubSpot's redelivery: the same events, attemptNumber 1, signed anew.
	redelivered := strings.ReplaceAll(body, `"objectId":10`, `"objectId":10,"attemptNumber":1`)
	if w := serve(h, delivery(testSecret, testURL, redelivered, time.Now())); w.Code != http.StatusNoContent {
		t.Fatalf("redelivery: status %d", w.Code)
	}
	// One new event with one seen: only the new one goes through.
	mixed := `[{"eventId":2,"subscriptionId":2,"portalId":3},{"eventId":3,"subscriptionId":2,"portalId":3}]`
	if w := serve(h, delivery(testSecret, testURL, mixed, time.Now())); w.Code != http.StatusNoContent {
		t.Fatalf("mixed: status %d", w.Code)
	}
	if rec.calls != 2 || len(rec.events) != 3 || rec.events[2].EventID != 3 {
		t.Errorf("%d calls, events %v; want a second call with event 3 alone", rec.calls, rec.events)
	}
	// An event id of another portal is another event.
	other := `[{"eventId":1,"subscriptionId":2,"portalId":4}]`
	if w := serve(h, delivery(testSecret, testURL, other, time.Now())); w.Code != http.StatusNoContent || rec.calls != 3 {
		t.Errorf("other portal: status %d, %d calls", w.Code, rec.calls)
	}
}

func TestHandlerRetriesAfterFailure(t *testing.T) {
	rec := &recorder{err: errors.New("database down")}
	h := newHandler(t, rec)
	if w := serve(h, delivery(testSecret, testURL, docBody, time.Now())); w.Code != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", w.Code)
	} else if strings.Contains(w.Body.String(), "database") {
		t.Errorf("the application's error reached the answer: %q", w.Body)
	}
	rec.err = nil
	if w := serve(h, delivery(testSecret, testURL, docBody, time.Now())); w.Code != http.StatusNoContent {
		t.Fatalf("retry: status %d", w.Code)
	}
	if rec.calls != 2 || len(rec.events) != 1 {
		t.Errorf("%d calls, %d events; want the retry handled", rec.calls, len(rec.events))
	}
}

func TestHandlerApplicationPanics(t *testing.T) {
	calls := 0
	h, err := New(testSecret, func(context.Context, []Event) error {
		calls++
		if calls == 1 {
			panic("bug")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if w := serve(h, delivery(testSecret, testURL, docBody, time.Now())); w.Code != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", w.Code)
	}
	if w := serve(h, delivery(testSecret, testURL, docBody, time.Now())); w.Code != http.StatusNoContent || calls != 2 {
		t.Errorf("retry: status %d, %d calls", w.Code, calls)
	}
}

type failingStore struct{ seen, add error }

func (f failingStore) Seen(_ context.Context, keys []string) ([]bool, error) {
	return make([]bool, len(keys)), f.seen
}
func (f failingStore) Add(context.Context, []string) error { return f.add }

func TestHandlerStoreFailure(t *testing.T) {
	for _, st := range []failingStore{{seen: errors.New("down")}, {add: errors.New("down")}} {
		rec := &recorder{}
		h := newHandler(t, rec, WithStore(st))
		if w := serve(h, delivery(testSecret, testURL, docBody, time.Now())); w.Code != http.StatusInternalServerError {
			t.Errorf("%+v: status %d, want 500", st, w.Code)
		}
	}
}

func TestHandlerLegacySignatures(t *testing.T) {
	const target = "https://www.example.com/webhook_uri"
	for _, version := range []string{"v1", "v2"} {
		rec := &recorder{}
		h := newHandler(t, rec, WithLegacySignatures())
		r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(docBody))
		sig := SignV1(testSecret, []byte(docBody))
		if version == "v2" {
			sig = SignV2(testSecret, http.MethodPost, target, []byte(docBody))
		}
		r.Header.Set(HeaderSignatureVersion, version)
		r.Header.Set(HeaderSignature, sig)
		if w := serve(h, r); w.Code != http.StatusNoContent || rec.calls != 1 {
			t.Errorf("%s: status %d, %d calls", version, w.Code, rec.calls)
		}
		r = httptest.NewRequest(http.MethodPost, target, strings.NewReader(docBody))
		r.Header.Set(HeaderSignatureVersion, version)
		r.Header.Set(HeaderSignature, SignV1("other", []byte(docBody)))
		if w := serve(h, r); w.Code != http.StatusUnauthorized {
			t.Errorf("%s wrongly signed: status %d", version, w.Code)
		}
	}
}

func TestHandlerBehindProxy(t *testing.T) {
	rec := &recorder{}
	h := newHandler(t, rec, WithURL("https://hooks.example.com/hubspot"))
	// HubSpot signed the public URL; the proxy forwards to another.
	signed := delivery(testSecret, testURL, docBody, time.Now())
	r := httptest.NewRequest(http.MethodPost, "http://10.0.0.5:8080/internal?tenant=a%2Ab", strings.NewReader(docBody))
	r.Header = signed.Header
	if w := serve(h, r); w.Code != http.StatusNoContent {
		t.Errorf("status %d: %s", w.Code, w.Body)
	}
	// Without WithURL, X-Forwarded-Proto gives the scheme back.
	h = newHandler(t, rec)
	signed = delivery(testSecret, "https://hooks.example.com/x", docBody, time.Now())
	r = httptest.NewRequest(http.MethodPost, "http://hooks.example.com/x", strings.NewReader(docBody))
	r.Header = signed.Header
	if w := serve(h, r); w.Code != http.StatusUnauthorized {
		t.Errorf("http for https: status %d", w.Code)
	}
	r = httptest.NewRequest(http.MethodPost, "http://hooks.example.com/x", strings.NewReader(docBody))
	r.Header = signed.Header.Clone()
	r.Header.Set("X-Forwarded-Proto", "https")
	if w := serve(h, r); w.Code != http.StatusNoContent {
		t.Errorf("X-Forwarded-Proto: status %d", w.Code)
	}
}

// TestHandlerTimeout: an application slower than HubSpot's timeout gets a
// 503 by the deadline; when it succeeds later, HubSpot's retry finds the
// events handled.
func TestHandlerTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		deadlines := make(chan time.Time, 2)
		h, err := New(testSecret, func(ctx context.Context, _ []Event) error {
			d, _ := ctx.Deadline()
			deadlines <- d
			<-release // ignores ctx: the worst case
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		w := serve(h, delivery(testSecret, testURL, docBody, start))
		if w.Code != http.StatusServiceUnavailable {
			t.Fatalf("status %d, want 503", w.Code)
		}
		deadline := <-deadlines
		if took := time.Since(start); took != DefaultTimeout-500*time.Millisecond || !deadline.Equal(start.Add(took)) {
			t.Errorf("answered after %v (deadline %v after the start), want %v", took, deadline.Sub(start), DefaultTimeout-500*time.Millisecond)
		}
		// A retry while the first call still runs: 409, not a second call.
		if w := serve(h, delivery(testSecret, testURL, docBody, time.Now())); w.Code != http.StatusConflict {
			t.Errorf("concurrent retry: status %d, want 409", w.Code)
		}
		close(release)
		h.Wait()
		if w := serve(h, delivery(testSecret, testURL, docBody, time.Now())); w.Code != http.StatusNoContent || len(deadlines) != 0 {
			t.Errorf("retry after the late success: status %d, %d more calls", w.Code, len(deadlines))
		}
	})
}

func TestHandlerTimeoutHeader(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h, err := New(testSecret, func(ctx context.Context, _ []Event) error {
			<-ctx.Done()
			return ctx.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		r := delivery(testSecret, testURL, docBody, start)
		r.Header.Set(HeaderTimeout, "2000")
		if w := serve(h, r); w.Code != http.StatusServiceUnavailable {
			t.Fatalf("status %d", w.Code)
		}
		if took := time.Since(start); took != 1800*time.Millisecond {
			t.Errorf("answered after %v, want 1.8s (2s less a tenth)", took)
		}
	})
}

func TestNewValidates(t *testing.T) {
	fn := (&recorder{}).fn
	tests := []struct {
		name   string
		secret string
		fn     Func
		opts   []Option
	}{
		{"no secret", "", fn, nil},
		{"no func", "s", nil, nil},
		{"tiny body", "s", fn, []Option{WithMaxBody(1)}},
		{"zero age", "s", fn, []Option{WithMaxAge(0)}},
		{"short timeout", "s", fn, []Option{WithTimeout(time.Millisecond)}},
		{"nil store", "s", fn, []Option{WithStore(nil)}},
		{"relative URL", "s", fn, []Option{WithURL("/hook")}},
		{"URL with query", "s", fn, []Option{WithURL("https://x.example/h?a=1")}},
	}
	for _, tt := range tests {
		_, err := New(tt.secret, tt.fn, tt.opts...)
		if _, ok := errors.AsType[*ConfigError](err); !ok {
			t.Errorf("%s: err = %v, want a *ConfigError", tt.name, err)
		}
	}
}
