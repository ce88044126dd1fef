package hubspottest

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Faults describes the faults a server injects (see WithFaults). Each rate is
// a probability in [0, 1] drawn from a generator seeded with Seed, so a
// sequence of requests meets the same faults on every run.
type Faults struct {
	Seed int64
	// GatewayErrorRate is the probability of answering 502, 503 or 504 with
	// an HTML gateway page instead of handling the request.
	GatewayErrorRate float64
	// DropRate is the probability of closing the connection without an answer
	// instead of handling the request.
	DropRate float64
	// FaultAfterCommitRate is the probability, for a create (v1 create,
	// object create and batch create, on every wire), of storing the
	// records and then closing the connection instead of answering.
	FaultAfterCommitRate float64
}

// FaultStats counts the faults injected so far.
type FaultStats struct {
	Gateway     int // 502/503/504 HTML answers
	Dropped     int // connections closed before handling the request
	AfterCommit int // creates stored whose answer was lost
	Delayed     int // answers delayed by WithLatency
}

// FaultStats returns how many faults the server has injected.
func (s *Server) FaultStats() FaultStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// SetRateLimit changes the rolling-window limit while the server runs;
// max <= 0 turns it off.
func (s *Server) SetRateLimit(max int, window time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits.max, s.limits.window = max, window
}

type dayCount struct {
	day   string
	count int
}

type limiter struct {
	max      int
	window   time.Duration
	windows  map[string][]time.Time
	searches map[string][]time.Time
	days     map[string]dayCount
}

// prune keeps the times of ts after cut.
func prune(ts []time.Time, cut time.Time) []time.Time {
	i := 0
	for i < len(ts) && !ts[i].After(cut) {
		i++
	}
	return ts[i:]
}

// admit counts the request of token against the limits, setting the rate
// limit headers, and returns the 429 body when a limit is reached.
func (s *Server) admit(h http.Header, token string, search bool, group int) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	now, l := s.now(), &s.limits
	var refused *apiError
	day := now.UTC().Format(time.DateOnly)
	dc := l.days[token]
	if dc.day != day {
		dc = dayCount{day: day}
	}
	if s.cfg.daily > 0 && dc.count >= s.cfg.daily {
		refused = &apiError{Message: "You have reached your daily limit.", ErrorType: "RATE_LIMIT", PolicyName: "DAILY"}
	}
	if search && s.cfg.searchMax > 0 {
		ts := prune(l.searches[token], now.Add(-s.cfg.searchWindow))
		if refused == nil && len(ts) >= s.cfg.searchMax {
			refused = &apiError{Message: "You have reached your secondly limit.", Category: "RATE_LIMITS"}
		} else if refused == nil {
			ts = append(ts, now)
		}
		l.searches[token] = ts
	}
	if !search && l.max > 0 {
		ts := prune(l.windows[token], now.Add(-l.window))
		if refused == nil && len(ts) >= l.max {
			refused = &apiError{Message: "You have reached your ten_secondly_rolling limit.", ErrorType: "RATE_LIMIT", PolicyName: "TEN_SECONDLY_ROLLING"}
		} else if refused == nil {
			ts = append(ts, now)
		}
		l.windows[token] = ts
		h.Set("X-HubSpot-RateLimit-Max", strconv.Itoa(l.max))
		h.Set("X-HubSpot-RateLimit-Remaining", strconv.Itoa(l.max-len(ts)))
		h.Set("X-HubSpot-RateLimit-Interval-Milliseconds", strconv.FormatInt(l.window.Milliseconds(), 10))
	}
	if refused == nil {
		dc.count++
	}
	l.days[token] = dc
	if s.cfg.daily > 0 {
		h.Set("X-HubSpot-RateLimit-Daily", strconv.Itoa(s.cfg.daily))
		h.Set("X-HubSpot-RateLimit-Daily-Remaining", strconv.Itoa(max(0, s.cfg.daily-dc.count)))
	}
	if refused != nil && refused.ErrorType != "" {
		refused.GroupName = fmt.Sprintf("publicapi:private-app:%d", group)
		refused.RequestID = uuid()
	}
	return refused
}

// faultPlan is what the fault generator decided for one request.
type faultPlan struct {
	delay       time.Duration
	gateway     int
	drop        bool
	afterCommit bool
}

// plan draws the faults of one request. Every draw happens whatever the
// outcome, so that the sequence of faults depends only on the seed and the
// order of requests.
func (s *Server) plan(create bool) faultPlan {
	s.mu.Lock()
	defer s.mu.Unlock()
	var p faultPlan
	rng, f := s.faultRNG, s.cfg.faults
	if s.cfg.hasDelaying {
		p.delay = s.cfg.latency
		if j := int64(s.cfg.jitter); j > 0 {
			// base ± jitter, uniformly
			p.delay += time.Duration(rng.Int64N(2*j+1) - j)
			p.delay = max(p.delay, 0)
		}
	}
	if !s.cfg.hasFaults {
		return p
	}
	drop, gw, code, commit := rng.Float64(), rng.Float64(), 502+rng.IntN(3), rng.Float64()
	switch {
	case drop < f.DropRate:
		p.drop = true
	case gw < f.GatewayErrorRate:
		p.gateway = code
	case create && commit < f.FaultAfterCommitRate:
		p.afterCommit = true
	}
	return p
}

func (s *Server) count(f func(*FaultStats)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.stats)
}

// isCreate reports whether r creates records (the requests a fault after
// commit applies to): a v1 create, an object create or batch create.
func isCreate(r *http.Request) bool {
	p := strings.TrimSuffix(r.URL.Path, "/")
	return r.Method == http.MethodPost && (p == "/engagements/v1/engagements" ||
		(strings.HasPrefix(p, "/crm/v3/objects/") || strings.HasPrefix(p, "/crm/objects/")) &&
			(strings.Count(p, "/") == 4 || strings.HasSuffix(p, "/batch/create")))
}

// recorder remembers the status written through it.
type recorder struct {
	http.ResponseWriter
	status int
}

func (rw *recorder) WriteHeader(code int) {
	if rw.status == 0 {
		rw.status = code
	}
	rw.ResponseWriter.WriteHeader(code)
}

func (rw *recorder) Write(b []byte) (int, error) {
	if rw.status == 0 {
		rw.status = http.StatusOK
	}
	return rw.ResponseWriter.Write(b)
}

func (rw *recorder) Unwrap() http.ResponseWriter { return rw.ResponseWriter }

// buffer holds an answer back until the middleware decides its fate.
type buffer struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *buffer) Header() http.Header { return b.header }
func (b *buffer) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}
func (b *buffer) Write(p []byte) (int, error) {
	b.WriteHeader(http.StatusOK)
	return b.body.Write(p)
}

// hangUp closes the connection of w without an answer.
func hangUp(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}

const gatewayPage = `<html>
<head><title>%[1]d %[2]s</title></head>
<body>
<center><h1>%[1]d %[2]s</h1></center>
<hr><center>cloudflare</center>
</body>
</html>
`

// middleware adds, around the API: the correlation id, the request log,
// authentication, rate limits, latency and faults.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := &reqInfo{correlationID: uuid()}
		r = withInfo(r, info)
		w.Header().Set("X-HubSpot-Correlation-Id", info.correlationID)
		rec := &recorder{ResponseWriter: w}
		// The log entry is written before a connection is hung up, so that a
		// client that sees the hang-up also sees the entry.
		logged := sync.OnceFunc(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Status: rec.status, CorrelationID: info.correlationID})
		})
		defer logged()
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		s.mu.Lock()
		group, known := s.tokens[token]
		s.mu.Unlock()
		if !ok || !known {
			writeError(rec, r, http.StatusUnauthorized, apiError{
				Message:  "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
				Category: "INVALID_AUTHENTICATION",
			})
			return
		}
		p := s.plan(isCreate(r))
		if p.delay > 0 {
			s.count(func(f *FaultStats) { f.Delayed++ })
			t := time.NewTimer(p.delay)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		switch {
		case p.drop:
			s.count(func(f *FaultStats) { f.Dropped++ })
			logged()
			hangUp(w)
			return
		case p.gateway != 0:
			s.count(func(f *FaultStats) { f.Gateway++ })
			rec.Header().Set("Content-Type", "text/html")
			rec.WriteHeader(p.gateway)
			fmt.Fprintf(rec, gatewayPage, p.gateway, http.StatusText(p.gateway))
			return
		}
		search := r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/search")
		if e := s.admit(rec.Header(), token, search, group); e != nil {
			writeError(rec, r, http.StatusTooManyRequests, *e)
			return
		}
		if !p.afterCommit {
			next.ServeHTTP(rec, r)
			return
		}
		buf := &buffer{header: http.Header{}}
		next.ServeHTTP(buf, r)
		if buf.status >= 200 && buf.status < 300 {
			s.count(func(f *FaultStats) { f.AfterCommit++ })
			logged()
			hangUp(w)
			return
		}
		for k, v := range buf.header {
			rec.Header()[k] = v
		}
		rec.WriteHeader(buf.status)
		_, _ = rec.Write(buf.body.Bytes())
	})
}
