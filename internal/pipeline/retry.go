package pipeline

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
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

// MaxErrorBody bounds how much of an error answer is read.
const MaxErrorBody = 1 << 20

// retry runs one logical request: it waits for the rate limiter, sends,
// and retries as the policy allows.
type retry struct {
	cfg  Config
	next http.RoundTripper
}

func (r *retry) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	op := OpOf(ctx)
	class := op.Kind.Class()
	start := r.cfg.Now()
	p := r.cfg.Policy
	attempts, waits429 := 0, 0
	var before time.Duration // waited before the next attempt
	for {
		waited, err := r.cfg.Limiter.Wait(ctx, class)
		before += waited
		if waited > 0 && r.cfg.Hooks.Wait != nil {
			r.cfg.Hooks.Wait(Wait{Op: op.Name, Reason: WaitRateLimit, Duration: waited})
		}
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
		took := r.cfg.Now().Sub(sent)
		var obs ratelimit.Observation
		if err == nil {
			policy := ""
			if resp.StatusCode == http.StatusTooManyRequests {
				policy = peekPolicy(resp)
			}
			obs = ratelimit.Observe(class, resp.StatusCode, resp.Header, policy, RetryAfter(resp.Header, r.cfg.Now()))
			r.cfg.Limiter.Observe(obs)
		}
		if ctx.Err() != nil {
			r.attempt(attempt, op, attempts+waits429, before, took, resp, err, false)
			if resp != nil {
				drain(resp)
			}
			if op.Kind.MaybeSent() {
				// The request was sent: it may have been carried out.
				return nil, &MaybeSentError{Err: ctx.Err()}
			}
			return nil, ctx.Err()
		}
		again, delay, reason := r.decide(op.Kind, resp, obs, err, attempts, &waits429)
		if resp != nil && resp.StatusCode == http.StatusTooManyRequests {
			attempts-- // 429s count against MaxRateLimitWaits instead
		}
		// A wait past what the policy has left fails now, with the answer
		// that asked for it; so does one RetryAfter capped (a far-future
		// Retry-After), whatever MaxElapsed allows.
		if left := p.MaxElapsed - r.cfg.Now().Sub(start); again && (delay < 0 || delay > left || delay >= maxRetryAfter) {
			again = false
		}
		r.attempt(attempt, op, attempts+waits429, before, took, resp, err, again)
		before = 0
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
		if err := r.cfg.Sleep(ctx, delay); err != nil {
			return nil, err
		}
		before += delay
		if delay > 0 && r.cfg.Hooks.Wait != nil {
			r.cfg.Hooks.Wait(Wait{Op: op.Name, Reason: reason, Duration: delay})
		}
	}
}

// decide says whether to send the request again, after how long and why.
func (r *retry) decide(kind Kind, resp *http.Response, obs ratelimit.Observation, err error, attempts int, waits429 *int) (bool, time.Duration, WaitReason) {
	p := r.cfg.Policy
	if err != nil {
		if kind.MaybeSent() && !NeverSent(err) {
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
	} else {
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
// server: the connection could not be made.
func NeverSent(err error) bool {
	if errors.Is(err, syscall.ECONNREFUSED) {
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

// peekPolicy reads the policyName of a 429 answer and leaves the body
// readable for the caller.
func peekPolicy(resp *http.Response) string {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, MaxErrorBody))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var eb v1.Error
	if json.Unmarshal(body, &eb) != nil || eb.PolicyName == nil {
		return ""
	}
	return *eb.PolicyName
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
