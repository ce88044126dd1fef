package hubspottest_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/engagekit/hubspot-engagements/hubspottest"
)

func TestRateLimitWindowSlides(t *testing.T) {
	clock := newClock()
	srv, c := start(t, hubspottest.WithClock(clock.Now), hubspottest.WithRateLimit(3, 10*time.Second), hubspottest.WithDailyLimit(100))
	get := func(want int, remaining string) *http.Response {
		t.Helper()
		resp := c.call("GET", "/calling/v1/dispositions", nil, want, nil)
		h := resp.Header
		if h.Get("X-HubSpot-RateLimit-Remaining") != remaining || h.Get("X-HubSpot-RateLimit-Interval-Milliseconds") != "10000" || h.Get("X-HubSpot-RateLimit-Daily") != "100" || h.Get("X-HubSpot-RateLimit-Daily-Remaining") == "" {
			t.Errorf("headers %v, want Remaining %s", h, remaining)
		}
		return resp
	}
	get(200, "2") // t=0
	clock.Add(4 * time.Second)
	get(200, "1") // t=4
	clock.Add(4 * time.Second)
	get(200, "0") // t=8
	clock.Add(time.Second)
	e := c.fail("GET", "/calling/v1/dispositions", nil, 429) // t=9
	if e.ErrorType != "RATE_LIMIT" || e.PolicyName == nil || *e.PolicyName != "TEN_SECONDLY_ROLLING" || e.GroupName == "" || e.RequestID == "" || e.Message != "You have reached your ten_secondly_rolling limit." {
		t.Errorf("429 body %+v", e)
	}
	clock.Add(time.Second + time.Millisecond) // t=10.001: the t=0 request left the window
	get(200, "0")
	clock.Add(500 * time.Millisecond)
	c.fail("GET", "/calling/v1/dispositions", nil, 429)
	srv.SetRateLimit(5, 10*time.Second)
	resp := get(200, "1")
	if resp.Header.Get("X-HubSpot-RateLimit-Max") != "5" {
		t.Errorf("Max after SetRateLimit: %s", resp.Header.Get("X-HubSpot-RateLimit-Max"))
	}
	other := *c
	other.token = "other"
	srv.AddToken("other")
	other.call("GET", "/calling/v1/dispositions", nil, 200, nil) // limits are per token
}

func TestDailyLimit(t *testing.T) {
	clock := newClock()
	_, c := start(t, hubspottest.WithClock(clock.Now), hubspottest.WithDailyLimit(2))
	for range 2 {
		c.call("GET", "/crm/v3/objects/tasks", nil, 200, nil)
	}
	resp, _, _ := c.do("GET", "/crm/v3/objects/tasks", nil)
	e := c.fail("GET", "/crm/v3/objects/tasks", nil, 429)
	if *e.PolicyName != "DAILY" || e.ErrorType != "RATE_LIMIT" || resp.Header.Get("X-HubSpot-RateLimit-Daily-Remaining") != "0" || resp.Header.Get("X-HubSpot-RateLimit-Max") != "" {
		t.Errorf("daily 429 %+v, headers %v", e, resp.Header)
	}
	clock.Add(10 * time.Hour) // past midnight UTC
	c.call("GET", "/crm/v3/objects/tasks", nil, 200, nil)
}

func TestSearchRateLimit(t *testing.T) {
	clock := newClock()
	_, c := start(t, hubspottest.WithClock(clock.Now), hubspottest.WithSearchRateLimit(2, time.Second), hubspottest.WithRateLimit(1, time.Second), hubspottest.WithDailyLimit(1000))
	for range 2 {
		resp := c.call("POST", "/crm/v3/objects/tasks/search", map[string]any{}, 200, nil)
		if resp.Header.Get("X-HubSpot-RateLimit-Daily") == "" || resp.Header.Get("X-HubSpot-RateLimit-Max") != "" || resp.Header.Get("X-HubSpot-RateLimit-Interval-Milliseconds") != "" {
			t.Errorf("search headers %v: want only the daily pair", resp.Header)
		}
	}
	e := c.fail("POST", "/crm/v3/objects/tasks/search", map[string]any{}, 429)
	if e.Category != "RATE_LIMITS" || e.PolicyName != nil || e.Message != "You have reached your secondly limit." {
		t.Errorf("search 429 %+v", e)
	}
	c.call("GET", "/crm/v3/objects/tasks", nil, 200, nil) // search does not use the window
	clock.Add(time.Second)
	c.call("POST", "/crm/v3/objects/emails/search", map[string]any{}, 200, nil)
}

func TestSearch429LooksRecorded(t *testing.T) {
	want := recorded(t, "error-429-search-secondly.json")
	_, c := start(t, hubspottest.WithSearchRateLimit(1, time.Second), hubspottest.WithClock(newClock().Now))
	c.call("POST", "/crm/v3/objects/tasks/search", map[string]any{}, 200, nil)
	_, got, _ := c.do("POST", "/crm/v3/objects/tasks/search", map[string]any{})
	if k1, k2 := jsonKeys(t, got), jsonKeys(t, want); !sameSet(k1, k2) {
		t.Errorf("keys %v, recorded %v", k1, k2)
	}
}

// faultClient is a client without keep-alives, so that a closed connection
// is never retried by the transport.
func faultClient(t *testing.T, opts ...hubspottest.Option) (*hubspottest.Server, *client) {
	srv, c := start(t, opts...)
	c.hc.Transport = validator{t, &http.Transport{DisableKeepAlives: true}}
	return srv, c
}

func TestGatewayFaults(t *testing.T) {
	srv, c := faultClient(t, hubspottest.WithFaults(hubspottest.Faults{Seed: 1, GatewayErrorRate: 1}))
	for range 5 {
		resp, body, err := c.do("POST", "/crm/v3/objects/tasks", map[string]any{})
		if err != nil || resp.StatusCode < 502 || resp.StatusCode > 504 || resp.Header.Get("Content-Type") != "text/html" || !strings.HasPrefix(string(body), "<html>") {
			t.Errorf("gateway fault: %v %v %s", err, resp, body)
		}
	}
	if st := srv.FaultStats(); st.Gateway != 5 || srv.TaskCount() != 0 {
		t.Errorf("stats %+v, %d tasks", st, srv.TaskCount())
	}
	c.token = ""
	c.fail("GET", "/crm/v3/objects/tasks", nil, 401) // no fault for auth failures
}

func TestDroppedConnections(t *testing.T) {
	srv, c := faultClient(t, hubspottest.WithFaults(hubspottest.Faults{Seed: 1, DropRate: 1}))
	if _, _, err := c.do("GET", "/crm/v3/objects/tasks", nil); err == nil {
		t.Error("a dropped request got an answer")
	}
	if st, rs := srv.FaultStats(), srv.Requests(); st.Dropped != 1 || len(rs) != 1 || rs[0].Status != 0 {
		t.Errorf("stats %+v, log %+v", st, rs)
	}
}

func TestFaultAfterCommit(t *testing.T) {
	srv, c := faultClient(t, hubspottest.WithFaults(hubspottest.Faults{Seed: 1, FaultAfterCommitRate: 1}))
	for _, tc := range []struct {
		path string
		body any
	}{
		{"/engagements/v1/engagements", map[string]any{"engagement": map[string]any{"type": "NOTE"}, "metadata": map[string]any{}}},
		{"/crm/v3/objects/tasks", map[string]any{"properties": map[string]string{"hs_task_subject": "b"}}},
		{"/crm/v3/objects/emails/batch/create", map[string]any{"inputs": []any{map[string]any{"properties": map[string]string{}}, map[string]any{"properties": map[string]string{}}}}},
	} {
		if _, _, err := c.do("POST", tc.path, tc.body); err == nil {
			t.Errorf("%s: the answer was not lost", tc.path)
		}
	}
	c.call("GET", "/crm/v3/objects/tasks", nil, 200, nil)                                              // not a create
	c.fail("POST", "/engagements/v1/engagements", map[string]any{"engagement": map[string]any{}}, 400) // a failed create is answered
	// Every record is an engagement: the v1 one, the task and the emails.
	if st := srv.FaultStats(); st.AfterCommit != 3 || srv.EngagementCount() != 4 || srv.TaskCount() != 1 || srv.EmailCount() != 2 {
		t.Errorf("stats %+v; stored %d %d %d", st, srv.EngagementCount(), srv.TaskCount(), srv.EmailCount())
	}
}

func TestFaultsAreDeterministic(t *testing.T) {
	run := func() (string, hubspottest.FaultStats) {
		srv, c := faultClient(t, hubspottest.WithFaults(hubspottest.Faults{Seed: 7, GatewayErrorRate: 0.2, DropRate: 0.2, FaultAfterCommitRate: 0.3}))
		out := ""
		for range 60 {
			resp, _, err := c.do("POST", "/crm/v3/objects/tasks", map[string]any{"properties": map[string]string{}})
			switch {
			case err != nil:
				out += "x"
			default:
				out += string(rune('0' + resp.StatusCode/100))
			}
		}
		return out, srv.FaultStats()
	}
	a, sa := run()
	b, sb := run()
	if a != b || sa != sb {
		t.Errorf("runs differ:\n%s %+v\n%s %+v", a, sa, b, sb)
	}
	if sa.Gateway == 0 || sa.Dropped == 0 || sa.AfterCommit == 0 || strings.Count(a, "2") == 0 {
		t.Errorf("want every kind of fault and some successes: %s %+v", a, sa)
	}
}

func TestLatency(t *testing.T) {
	srv, c := start(t, hubspottest.WithLatency(40*time.Millisecond, 10*time.Millisecond))
	begin := time.Now()
	c.call("GET", "/calling/v1/dispositions", nil, 200, nil)
	if d := time.Since(begin); d < 40*time.Millisecond {
		t.Errorf("answered in %v, want at least 40ms", d)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/calling/v1/dispositions", nil)
	req.Header.Set("Authorization", "Bearer "+srv.Token())
	if _, err := http.DefaultClient.Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err %v, want the deadline", err)
	}
	if st := srv.FaultStats(); st.Delayed != 2 {
		t.Errorf("stats %+v", st)
	}
}
