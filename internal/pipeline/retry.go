package pipeline

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	v1 "github.com/engagekit/hubspot-engagements/gen/engagementsv1"
	"github.com/engagekit/hubspot-engagements/internal/ratelimit"
)

// MaybeSentError is returned for a request of a Kind whose outcome a
// failure leaves unknown (a create): it may have reached HubSpot and been
// carried out.
type MaybeSentError struct{ Err error }

func (e *MaybeSentError) Error() string { return "outcome unknown: " + e.Err.Error() }

// Unwrap gives the failure.
func (e *MaybeSentError) Unwrap() error { return e.Err }

// NotSentError is a failure of a stage under the retry stage before the
// request was sent (no OAuth 2.0 token): a create that meets it is not
// uncertain. A Final one is not retried (the token endpoint refused).
type NotSentError struct {
	Err   error
	Final bool
}

func (e *NotSentError) Error() string { return e.Err.Error() }

// Unwrap gives the failure.
func (e *NotSentError) Unwrap() error { return e.Err }

// MaxErrorBody bounds how much of an error answer is read.
const MaxErrorBody = 1 << 20

// retry runs one logical request: it waits for the rate limiter, sends,
// reads a safe request's answer, and retries as the policy allows. Every
// wait fits in what the request has left (budget): one that would not
// fails the request at once.
type retry struct {
	cfg  Config
	next http.RoundTripper
	// announced is the last rolling limit HubSpot announced to this
	// pipeline, for the error of a limiter wait that does not fit.
	announced atomic.Pointer[ratelimit.Observation]
}

func (r *retry) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	op := OpOf(ctx)
	class := op.Kind.Class()
	start := r.cfg.Now()
	attempts, waits429 := 0, 0
	var before time.Duration // waited before the next attempt
	var refused *WaitError   // the last 429 of this request, for a wait it makes the limiter need
	for {
		waited, err := r.limiterWait(ctx, op, class, start, refused)
		before += waited
		if err != nil {
			return nil, err
		}
		attempt, err := rewind(req)
		if err != nil {
			return nil, err
		}
		attempts++
		sent := r.cfg.Now()
		resp, err := r.next.RoundTrip(attempt)
		var obs ratelimit.Observation
		var body429 []byte
		if err == nil {
			policy := ""
			if resp.StatusCode == http.StatusTooManyRequests {
				policy, body429 = peekPolicy(resp)
			}
			obs = ratelimit.Observe(class, resp.StatusCode, resp.Header, policy, RetryAfter(resp.Header, r.cfg.Now()))
			r.cfg.Limiter.Observe(obs)
			if obs.Max > 0 {
				r.announced.Store(&obs)
			}
		}
		var readErr error // a failure while reading a safe request's answer
		if err == nil && !op.Kind.MaybeSent() && resp.StatusCode/100 == 2 {
			readErr = readBody(resp, r.cfg.MaxBody)
		}
		took := r.cfg.Now().Sub(sent)
		if ctx.Err() != nil {
			r.attempt(attempt, op, attempts+waits429, before, took, resp, cmp.Or(err, readErr), false)
			if resp != nil {
				drain(resp)
			}
			if op.Kind.MaybeSent() {
				// The request was sent: it may have been carried out.
				return nil, &MaybeSentError{Err: ctx.Err()}
			}
			return nil, ctx.Err()
		}
		answered := resp
		if readErr != nil {
			// As if the answer never came: the request is sent again
			// like one whose connection dropped before the headers.
			resp, err = nil, readErr
		}
		again, delay, reason := r.decide(op.Kind, resp, obs, err, attempts, &waits429)
		if resp != nil && resp.StatusCode == http.StatusTooManyRequests {
			attempts-- // 429s count against MaxRateLimitWaits instead
			refused = &WaitError{Reason: reason, Wait: delay, RetryAfter: resp.Header.Get("Retry-After"), Policy: obs.Policy, Response: resp, body: body429}
		}
		// A wait past what the request has left fails now: a 429's with a
		// *WaitError, a backoff's with the failure it would have retried.
		// So does a capped Retry-After (a far-future one), whatever the
		// budget allows.
		var tooLong *WaitError
		if left, bound := r.budget(ctx, start); again && (delay < 0 || delay > left || delay >= maxRetryAfter) {
			again = false
			if refused != nil && resp == refused.Response {
				tooLong = refused.refuse(left, bound)
			}
		}
		r.attempt(attempt, op, attempts+waits429, before, took, answered, err, again)
		before = 0
		if tooLong != nil {
			return nil, r.announce(tooLong)
		}
		if !again {
			if err != nil {
				err = Redact(err, r.cfg.Token, Bearer(attempt))
				if op.Kind.MaybeSent() && !NeverSent(err) {
					return nil, &MaybeSentError{Err: err}
				}
			}
			return resp, err
		}
		if resp != nil {
			drain(resp)
		}
		if err := r.sleep(ctx, op.Name, reason, delay); err != nil {
			return nil, err
		}
		before += delay
	}
}

// sleep waits d before a retry, telling the hooks Waiting before and Wait
// after (also when the context ends it: then with the time slept).
func (r *retry) sleep(ctx context.Context, op string, reason WaitReason, d time.Duration) error {
	h := r.cfg.Hooks
	start := r.cfg.Now()
	ev := Wait{Op: op, Reason: reason, Start: start, Duration: d}
	if d > 0 && h.Waiting != nil {
		h.Waiting(ev)
	}
	err := r.cfg.Sleep(ctx, d)
	if d > 0 && h.Wait != nil && (err == nil || h.Waiting != nil) {
		if err != nil {
			ev.Duration = min(max(r.cfg.Now().Sub(start), 0), d)
		}
		h.Wait(ev)
	}
	return err
}

// budget is what a request that started at start has left to wait: the
// rest of the policy's MaxElapsed or, when sooner, of the context's
// deadline; and which of the two it is.
func (r *retry) budget(ctx context.Context, start time.Time) (time.Duration, string) {
	left, bound := r.cfg.Policy.MaxElapsed-r.cfg.Now().Sub(start), BoundMaxElapsed
	if dl, ok := ctx.Deadline(); ok {
		if d := time.Until(dl); d < left {
			left, bound = d, BoundDeadline
		}
	}
	return max(left, 0), bound
}

// limiterWait waits for the limiter, within the request's budget. refused
// is the 429 that last refused the request, if any: the wait it makes the
// limiter need is reported with it.
func (r *retry) limiterWait(ctx context.Context, op Op, class ratelimit.Class, start time.Time, refused *WaitError) (time.Duration, error) {
	left, bound := r.budget(ctx, start)
	lctx, cancel := context.WithTimeout(ctx, left)
	waited, err := r.told(op.Name, func() (time.Duration, error) { return r.cfg.Limiter.Wait(lctx, class) })
	cancel()
	switch {
	case err == nil:
		return waited, nil
	case ctx.Err() != nil:
		return waited, ctx.Err()
	case lctx.Err() == nil && !errors.Is(err, context.DeadlineExceeded):
		return waited, err // the limiter's own failure
	}
	we := &WaitError{Reason: WaitRateLimit, Wait: waited}
	if refused != nil {
		*we = *refused
		we.Reason, we.Wait = WaitRateLimit, waited
	}
	var pd *ratelimit.PastDeadlineError
	if errors.As(err, &pd) {
		we.Wait = waited + pd.Wait
	}
	return waited, r.announce(we.refuse(left, bound))
}

// told runs wait, the rate limiter's, telling the hooks: Waiting once the
// limiter has held the request for WaitingAfter, Wait when it lets it go
// (after a Waiting, also when the wait failed).
func (r *retry) told(op string, wait func() (time.Duration, error)) (time.Duration, error) {
	h := r.cfg.Hooks
	start := r.cfg.Now()
	ev := Wait{Op: op, Reason: WaitRateLimit, Start: start}
	var said chan struct{}
	var timer *time.Timer
	if h.Waiting != nil {
		said = make(chan struct{})
		timer = time.AfterFunc(WaitingAfter, func() {
			defer close(said)
			h.Waiting(ev)
		})
	}
	waited, err := wait()
	wasWaiting := timer != nil && !timer.Stop()
	if wasWaiting {
		<-said // Waiting happens before its Wait
		if waited <= 0 {
			waited = max(r.cfg.Now().Sub(start), 0)
		}
	}
	if (waited > 0 || wasWaiting) && h.Wait != nil {
		ev.Duration = waited
		h.Wait(ev)
	}
	return waited, err
}

// announce adds to e the rolling limit HubSpot last announced.
func (r *retry) announce(e *WaitError) *WaitError {
	if a := r.announced.Load(); a != nil {
		e.Max, e.Interval = a.Max, a.Interval
	}
	return e
}

// The budgets a wait can go past (WaitError.Bound).
const (
	BoundMaxElapsed = "RetryPolicy.MaxElapsed"
	BoundDeadline   = "the context's deadline"
)

// WaitError is returned when a wait the request needs does not fit in what
// it has left: the facade turns it into a *facade.RateLimitError.
type WaitError struct {
	// Reason is the wait's: WaitRateLimit (the limiter's) or WaitRetryAfter.
	Reason WaitReason
	// Wait is the wait needed, when known (a limiter that waited until the
	// deadline did not say).
	Wait time.Duration
	// Left is what the request had left, Bound which budget that was.
	Left  time.Duration
	Bound string
	// Max and Interval are the rolling limit HubSpot last announced (0
	// when it announced none).
	Max      int
	Interval time.Duration
	// RetryAfter and Policy are the last 429's Retry-After header and
	// policyName, "" when absent or when there was no 429.
	RetryAfter, Policy string
	// Response is the last 429 answer, its body readable; nil when none.
	Response *http.Response
	body     []byte
}

func (e *WaitError) Error() string {
	return fmt.Sprintf("rate limit: a wait of %v does not fit in %s (%v left)", e.Wait, e.Bound, e.Left)
}

// refuse is a copy of e for a wait refused because only left was left of
// bound; its Response's body can be read again.
func (e *WaitError) refuse(left time.Duration, bound string) *WaitError {
	c := *e
	c.Left, c.Bound = left, bound
	if c.Response != nil {
		resp := *c.Response
		resp.Body = io.NopCloser(bytes.NewReader(e.body))
		c.Response = &resp
	}
	return &c
}

// readBody reads a successful answer's body, so that a failure while
// reading it (a connection cut, an answer that stops coming until the
// attempt's timeout) is the attempt's failure, retried as one. It reads at
// most max bytes (0: no bound): past that, the rest is left to the caller,
// who refuses an answer too large. resp.Body is replaced by what was read.
func readBody(resp *http.Response, max int64) error {
	var buf bytes.Buffer
	if n := resp.ContentLength; n > 0 && (max <= 0 || n <= max) {
		buf.Grow(int(n))
	}
	var src io.Reader = resp.Body
	if max > 0 && max < math.MaxInt64 {
		src = io.LimitReader(resp.Body, max+1)
	}
	if _, err := buf.ReadFrom(src); err != nil {
		resp.Body.Close()
		return err
	}
	if max > 0 && int64(buf.Len()) > max {
		resp.Body = readCloser{io.MultiReader(&buf, resp.Body), resp.Body}
		return nil
	}
	resp.Body.Close()
	resp.Body = io.NopCloser(&buf)
	return nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

// decide says whether to send the request again, after how long and why.
func (r *retry) decide(kind Kind, resp *http.Response, obs ratelimit.Observation, err error, attempts int, waits429 *int) (bool, time.Duration, WaitReason) {
	p := r.cfg.Policy
	if err != nil {
		var ns *NotSentError
		if kind.MaybeSent() && !NeverSent(err) || errors.As(err, &ns) && ns.Final {
			return false, 0, 0
		}
		return attempts < p.MaxAttempts, p.backoff(attempts, r.cfg.Jitter), WaitBackoff
	}
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests:
		if *waits429 >= max(p.MaxRateLimitWaits, 0) || obs.Policy == "DAILY" {
			return false, 0, 0
		}
		*waits429++
		switch {
		case obs.RetryAfter > 0:
			return true, obs.RetryAfter, WaitRetryAfter
		case kind == Search || obs.Policy == "SECONDLY":
			return true, time.Second, WaitRetryAfter
		}
		// TEN_SECONDLY_ROLLING (or unnamed): the limiter was told the
		// window is full, and makes the next attempt wait until it frees.
		return true, 0, WaitRateLimit
	case code >= 500:
		if kind.MaybeSent() {
			return false, 0, 0
		}
		return attempts < p.MaxAttempts, p.backoff(attempts, r.cfg.Jitter), WaitBackoff
	}
	return false, 0, 0
}

func (r *retry) attempt(req *http.Request, op Op, n int, waited, took time.Duration, resp *http.Response, err error, again bool) {
	if r.cfg.Hooks.Attempt == nil {
		return
	}
	ev := Attempt{Op: op.Name, Method: req.Method, Path: req.URL.Path, Attempt: n, Retry: again, Duration: took, Waited: waited,
		RateLimit: RateLimitHeaders{Max: -1, Remaining: -1, IntervalMillis: -1, DailyRemaining: -1}}
	if err != nil {
		ev.Err = Redact(err, r.cfg.Token, Bearer(req))
	}
	if resp != nil {
		ev.Status = resp.StatusCode
		h := resp.Header
		ev.RateLimit = RateLimitHeaders{Max: headerInt(h, "X-HubSpot-RateLimit-Max"), Remaining: headerInt(h, "X-HubSpot-RateLimit-Remaining"),
			IntervalMillis: headerInt(h, "X-HubSpot-RateLimit-Interval-Milliseconds"), DailyRemaining: headerInt(h, "X-HubSpot-RateLimit-Daily-Remaining")}
	}
	r.cfg.Hooks.Attempt(ev)
}

func headerInt(h http.Header, name string) int {
	n, err := strconv.Atoi(h.Get(name))
	if err != nil {
		return -1
	}
	return n
}

// NeverSent reports an error that proves the request never reached the
// server: the connection could not be made, or a stage under the retry
// stage refused to send it (a *NotSentError).
func NeverSent(err error) bool {
	var ns *NotSentError
	if errors.Is(err, syscall.ECONNREFUSED) || errors.As(err, &ns) {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// rewind gives a copy of req, with its own headers, whose body can be read
// again.
func rewind(req *http.Request) (*http.Request, error) {
	r := req.Clone(req.Context())
	if req.Body != nil && req.Body != http.NoBody {
		if req.GetBody == nil {
			return nil, errors.New("request body cannot be sent again (no GetBody)")
		}
		b, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		r.Body = b
	}
	return r, nil
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, MaxErrorBody))
	resp.Body.Close()
}

// peekPolicy reads the policyName of a 429 answer and its body, and
// leaves the body readable for the caller.
func peekPolicy(resp *http.Response) (string, []byte) {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, MaxErrorBody))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var eb v1.Error
	if json.Unmarshal(body, &eb) != nil || eb.PolicyName == nil {
		return "", body
	}
	return *eb.PolicyName, body
}

// maxRetryAfter caps what a Retry-After header can ask for, so that a
// far-future date or a huge number of seconds cannot overflow a duration.
const maxRetryAfter = 24 * time.Hour

// RetryAfter parses a Retry-After header (seconds or an HTTP date) at now.
// A wait of a day or more is capped at a day, and the retrier treats a
// capped wait as one no policy waits for: the request fails at once with the
// answer that asked for it.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s < 0 {
			return 0
		}
		return time.Duration(min(s, int64(maxRetryAfter/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if t.After(now.Add(maxRetryAfter)) {
			return maxRetryAfter
		}
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// Bearer is the token of req's Authorization header, for redaction.
func Bearer(req *http.Request) string {
	if req == nil {
		return ""
	}
	const p = "Bearer "
	if h := req.Header.Get("Authorization"); len(h) > len(p) && strings.EqualFold(h[:len(p)], p) {
		return h[len(p):]
	}
	return ""
}

// Redacted is what a token is replaced with.
const Redacted = "REDACTED"

// RedactString removes every token (and "Bearer <token>") from s.
func RedactString(s string, tokens ...string) string {
	for _, t := range tokens {
		if redactable(t) {
			s = strings.ReplaceAll(s, t, Redacted)
		}
	}
	return s
}

// RedactBytes removes every token from b, as RedactString does; it returns
// b itself, uncopied, when no token occurs in it.
func RedactBytes(b []byte, tokens ...string) []byte {
	for _, t := range tokens {
		if redactable(t) && bytes.Contains(b, []byte(t)) {
			b = bytes.ReplaceAll(b, []byte(t), []byte(Redacted))
		}
	}
	return b
}

// redactable reports whether t is long enough to be a token: replacing a
// shorter string would garble text.
func redactable(t string) bool { return len(t) >= 4 }

// Redact returns err with every token removed from its text; errors.Is and
// errors.As still reach the original.
func Redact(err error, tokens ...string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if red := RedactString(msg, tokens...); red != msg {
		return &redactedError{msg: red, err: err}
	}
	return err
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
