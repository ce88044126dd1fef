package redislimit

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/engagekit/hubspot-engagements/facade"
	"github.com/engagekit/hubspot-engagements/hubspottest"
)

// job is the work of one client, in this process or in a worker process
// (the test binary run again): export every task, and create emails.
type job struct {
	Name   string // names the emails it creates: NAME-0, NAME-1, …
	Fake   string // the fake HubSpot's URL
	Token  string
	Redis  string // the Redis URL; "" paces in the client, as without this package
	Max    int    // the rolling limit, per WindowMS
	Window time.Duration
	Margin time.Duration // 0: the default
	Probe  time.Duration // 0: the default
	// Timeout bounds the Redis calls; 0: the default. The tests that count
	// 429s raise it: under the race detector, with several processes on
	// two cores, a call can take longer than 50 ms, and a Limiter that
	// falls back while the others stay on Redis overruns the budget by its
	// share until it rejoins.
	Timeout time.Duration
	Skew    time.Duration // added to the Limiter's local clock
	Whole   bool          // WithoutFallbackShare
	// AwaitRejoin makes the job, when it ends with its Limiter pacing in
	// process, wait (10 s at most) until the Limiter rejoins Redis.
	AwaitRejoin bool
	Page        int // the export's page size; 0: no export
	Create      int // emails to create, in batches of 100 run 10 at once
}

// result is what a job did.
type result struct {
	Exported  int    // tasks exported
	IDs       string // a hash of the sorted ids exported
	Created   int    // emails created, by the answers
	FellBack  int    // times the Limiter lost Redis
	Rejoined  int    // times it rejoined
	Err       string // the first error, if any
	Duplicate bool   // an id was exported twice
}

// client builds the job's facade.Client and, with Redis, its Limiter.
func (j job) client(ctx context.Context, r *result) (*facade.Client, func(), error) {
	opts := []facade.Option{facade.WithToken(j.Token), facade.WithBaseURL(j.Fake)}
	if j.Redis == "" {
		c, err := facade.New(append(opts, facade.WithRateLimit(j.Max, j.Window))...)
		return c, func() {}, err
	}
	var mu sync.Mutex
	rejoined := make(chan struct{}, 100)
	lopts := []Option{WithBudget(TokenBudget(j.Token)), WithLimit(j.Max, j.Window), WithObserver(func(e Event) {
		mu.Lock()
		defer mu.Unlock()
		if e.Kind == FellBack {
			r.FellBack++
		} else {
			r.Rejoined++
			rejoined <- struct{}{}
		}
	})}
	if j.Margin > 0 {
		lopts = append(lopts, WithMargin(j.Margin))
	}
	if j.Probe > 0 {
		lopts = append(lopts, WithProbeInterval(j.Probe))
	}
	if j.Whole {
		lopts = append(lopts, WithoutFallbackShare())
	}
	if j.Timeout > 0 {
		lopts = append(lopts, WithTimeout(j.Timeout))
	}
	if j.Skew != 0 {
		lopts = append(lopts, func(c *config) error {
			c.now = func() time.Time { return time.Now().Add(j.Skew) }
			return nil
		})
	}
	lim, err := FromURL(ctx, j.Redis, lopts...)
	if err != nil {
		return nil, nil, err
	}
	c, err := facade.New(append(opts, facade.WithLimiter(lim))...)
	done := sync.OnceFunc(func() {
		// A job that ends before its Limiter rejoined waits for the probe.
		deadline := time.After(10 * time.Second)
		for j.AwaitRejoin && !lim.Shared() {
			select {
			case <-rejoined:
			case <-deadline:
				lim.Close()
				return
			}
		}
		lim.Close()
	})
	return c, done, err
}

// run does the job with c.
func (j job) run(ctx context.Context, c *facade.Client, r *result) {
	var mu sync.Mutex
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if r.Err == "" && err != nil {
			r.Err = err.Error()
		}
	}
	var wg sync.WaitGroup
	if j.Create > 0 {
		wg.Go(func() {
			in := make([]facade.Properties, j.Create)
			for i := range in {
				in[i] = facade.Properties{facade.EmailSubjectProperty: fmt.Sprintf("%s-%d", j.Name, i)}
			}
			res, err := c.Emails.BatchCreate(ctx, createInputs(in), facade.BatchCreateParams{})
			fail(err)
			if res != nil {
				r.Created = len(res.Records) - len(res.Failures)
			}
		})
	}
	if j.Page > 0 {
		var ids []string
		for t, err := range c.Tasks.List(ctx, facade.ListParams{Limit: j.Page}).All() {
			if err != nil {
				fail(err)
				break
			}
			ids = append(ids, t.ID())
		}
		r.Exported, r.IDs = len(ids), idHash(ids)
		slices.Sort(ids)
		r.Duplicate = len(slices.Compact(ids)) != r.Exported
	}
	wg.Wait()
}

func idHash(ids []string) string {
	ids = slices.Sorted(slices.Values(ids))
	h := sha256.New()
	for _, id := range ids {
		io.WriteString(h, id+"\n")
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

const workerEnv = "REDISLIMIT_TEST_WORKER"

// TestWorker is a worker process's body: the test binary, run again with
// the job in workerEnv, builds its client, says "ready", waits for a line
// on standard input, does the job and prints its result.
func TestWorker(t *testing.T) {
	spec := os.Getenv(workerEnv)
	if spec == "" {
		t.Skip("run by the multi-process tests and benchmarks only")
	}
	var j job
	if err := json.Unmarshal([]byte(spec), &j); err != nil {
		t.Fatal(err)
	}
	var r result
	ctx := context.Background()
	c, done, err := j.client(ctx, &r)
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	fmt.Println("ready")
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	j.run(ctx, c, &r)
	done()
	out, _ := json.Marshal(r)
	fmt.Printf("result %s\n", out)
}

// fleet is a set of worker processes.
type fleet struct {
	cmds    []*exec.Cmd
	stdins  []io.WriteCloser
	lines   []*bufio.Scanner
	stderrs []*bytes.Buffer
	start   time.Time
}

// startFleet starts one worker process per job and returns when each has
// its client ready.
func startFleet(t testing.TB, jobs []job) *fleet {
	t.Helper()
	f := &fleet{}
	for _, j := range jobs {
		spec, _ := json.Marshal(j)
		cmd := exec.Command(os.Args[0], "-test.run=^TestWorker$", "-test.count=1", "-test.v=false", "-test.bench=^$")
		cmd.Env = append(os.Environ(), workerEnv+"="+string(spec))
		in, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		f.cmds, f.stdins, f.stderrs = append(f.cmds, cmd), append(f.stdins, in), append(f.stderrs, &stderr)
		f.lines = append(f.lines, bufio.NewScanner(out))
	}
	for i, sc := range f.lines {
		if !sc.Scan() || sc.Text() != "ready" {
			t.Fatalf("worker %d did not get ready: %q\n%s", i, sc.Text(), f.stderrs[i])
		}
	}
	return f
}

// run starts every worker's job at once and returns their results and the
// wall time from the start to the last result.
func (f *fleet) run(t testing.TB) ([]result, time.Duration) {
	t.Helper()
	f.start = time.Now()
	for _, in := range f.stdins {
		if _, err := io.WriteString(in, "go\n"); err != nil {
			t.Fatal(err)
		}
	}
	results := make([]result, len(f.cmds))
	var last atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, len(f.cmds))
	for i, sc := range f.lines {
		wg.Go(func() {
			for sc.Scan() {
				if rest, ok := bytes.CutPrefix(sc.Bytes(), []byte("result ")); ok {
					last.Store(int64(time.Since(f.start)))
					errs[i] = json.Unmarshal(rest, &results[i])
					return
				}
			}
			errs[i] = fmt.Errorf("no result")
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("worker %d: %v\n%s", i, err, f.stderrs[i])
		}
		if err := f.cmds[i].Wait(); err != nil {
			t.Fatalf("worker %d: %v\n%s", i, err, f.stderrs[i])
		}
	}
	return results, time.Duration(last.Load())
}

// tap counts the requests on their way to the fake and closes a channel
// when the count reaches its number: the test acts at a point of the run,
// without sleeping.
type tap struct {
	next http.Handler
	n    atomic.Int64
	at   map[int64]chan struct{}
}

func newTap(t testing.TB, srv *hubspottest.Server, at ...int64) (*tap, string) {
	tp := &tap{next: srv.Handler(), at: map[int64]chan struct{}{}}
	for _, n := range at {
		tp.at[n] = make(chan struct{})
	}
	front := httptest.NewServer(tp)
	t.Cleanup(front.Close)
	return tp, front.URL
}

func (tp *tap) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if ch, ok := tp.at[tp.n.Add(1)]; ok {
		close(ch)
	}
	tp.next.ServeHTTP(w, r)
}

// count429 counts the answers 429 of the fake.
func count429(srv *hubspottest.Server) (n429, total int) {
	for _, r := range srv.Requests() {
		if r.Status == http.StatusTooManyRequests {
			n429++
		}
	}
	return n429, len(srv.Requests())
}

// checkExact checks that every job exported exactly the seeded tasks, once
// each, and that the fake stores every email the jobs created, once each.
func checkExact(t testing.TB, srv *hubspottest.Server, seeded []string, jobs []job, results []result) {
	t.Helper()
	want := idHash(seeded)
	for i, r := range results {
		if r.Err != "" {
			t.Errorf("job %d failed: %s", i, r.Err)
		}
		if jobs[i].Page > 0 && (r.Exported != len(seeded) || r.IDs != want || r.Duplicate) {
			t.Errorf("job %d exported %d tasks (hash %s, duplicates %v), want the %d seeded (hash %s)", i, r.Exported, r.IDs, r.Duplicate, len(seeded), want)
		}
		if r.Created != jobs[i].Create {
			t.Errorf("job %d created %d emails, want %d", i, r.Created, jobs[i].Create)
		}
	}
	seen := map[string]int{}
	for _, e := range srv.Emails() {
		if e.Has(facade.EmailSubjectProperty) {
			seen[e.Prop(facade.EmailSubjectProperty)]++
		}
	}
	for _, j := range jobs {
		for i := range j.Create {
			if n := seen[fmt.Sprintf("%s-%d", j.Name, i)]; n != 1 {
				t.Errorf("email %s-%d stored %d times", j.Name, i, n)
			}
		}
	}
}

// createInputs are BatchCreate's inputs of props, without associations.
func createInputs(props []facade.Properties) []facade.CreateInput {
	in := make([]facade.CreateInput, len(props))
	for i, p := range props {
		in[i].Properties = p
	}
	return in
}
