package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/engagekit/hubspot-engagements/facade/webhook"
)

// secretVar is the environment variable the app's client secret is read
// from; it is never a flag (flags show in ps and shell history).
const secretVar = "HUBSPOT_CLIENT_SECRET"

func (a *app) webhooksCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "webhooks",
		Short: "Receive HubSpot's webhook deliveries",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(a.webhooksListenCmd())
	hideClientFlags(cmd)
	return cmd
}

func (a *app) webhooksListenCmd() *cobra.Command {
	var addr, out, publicURL string
	var maxBody int64
	var legacy bool
	cmd := &cobra.Command{
		Use:   "listen --addr HOST:PORT --out FILE",
		Short: "Receive HubSpot's webhook deliveries and append each verified event to a file",
		Long: `Listen serves HubSpot's webhook deliveries (package facade/webhook) until
interrupted: it checks each request's v3 signature with the app's client
secret, read from ` + secretVar + ` (never a flag), refuses a request
unsigned, wrongly signed or with a timestamp over five minutes old (401), a
body over --max-body (413) and a body that is not HubSpot's payload (400),
and appends every new event to --out, one JSON object a line, as HubSpot
sent it. The file is synced before HubSpot gets its 2xx: an event HubSpot
counts as delivered is on disk, and one that is not gets redelivered.

Each event is written once: a redelivery (same portal, subscription and
event id) is answered 2xx without writing it again, also after a restart,
since the events already in --out are read when it starts. Two listeners
cannot share one --out.

Behind a proxy that changes the scheme, host or path, give the URL HubSpot
calls with --url, so that signatures are checked against it.`,
		Example: `  HUBSPOT_CLIENT_SECRET=... engagements webhooks listen --addr 127.0.0.1:8090 --out events.jsonl
  engagements webhooks listen --addr :8090 --out events.jsonl --url https://hooks.example.com/hubspot`,
		Args: cobra.NoArgs,
		RunE: wrapRun(func(cmd *cobra.Command, _ []string) error {
			secret := strings.TrimSpace(a.getenv(secretVar))
			if secret == "" {
				return usagef("set %s to the app's client secret (HubSpot: the app's Auth settings): webhooks listen checks every delivery's signature with it", secretVar)
			}
			if out == "" {
				return usagef("--out FILE is required: where verified events are appended")
			}
			opts := []webhook.Option{webhook.WithMaxBody(maxBody),
				webhook.WithLogger(slog.New(slog.NewTextHandler(lockedWriter{a, a.stderr}, nil)))}
			if publicURL != "" {
				opts = append(opts, webhook.WithURL(publicURL))
			}
			if legacy {
				opts = append(opts, webhook.WithLegacySignatures())
			}
			return a.listenWebhooks(secret, addr, out, opts)
		}),
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8090", "address to listen on, HOST:PORT")
	cmd.Flags().StringVar(&out, "out", "", "file the verified events are appended to, one JSON object a line")
	cmd.Flags().StringVar(&publicURL, "url", "", "the URL HubSpot calls, when a proxy in front changes it")
	cmd.Flags().Int64Var(&maxBody, "max-body", webhook.DefaultMaxBody, "largest delivery body accepted, in bytes")
	cmd.Flags().BoolVar(&legacy, "legacy-signatures", false, "also accept v1/v2 signatures on requests without a v3 one (they can be replayed)")
	return cmd
}

// listenWebhooks serves the receiver until the command's context ends.
func (a *app) listenWebhooks(secret, addr, out string, opts []webhook.Option) error {
	f, err := openLocked("--out", out, false)
	if err != nil {
		return err
	}
	defer f.Close()
	sink, err := newEventFile(f, out)
	if err != nil {
		return err
	}
	h, err := webhook.New(secret, sink.write, append(opts, webhook.WithStore(sink))...)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return usagef("cannot listen on %s: %v", addr, err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: webhook.DefaultTimeout,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(a.ctx) },
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(a.stdout, "listening for HubSpot webhooks at http://%s (%d events already in %s)\n", ln.Addr(), sink.count(), out)
	a.say("serving until interrupted (Ctrl-C)")
	select {
	case err = <-served:
	case <-a.ctx.Done():
		// Let deliveries in progress finish (each is bounded by HubSpot's
		// timeout), and the writes they started.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(a.ctx), webhook.DefaultTimeout)
		err = srv.Shutdown(ctx)
		cancel()
		h.Wait()
	}
	a.say("webhooks: %d events written to %s", sink.written(), out)
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	if err != nil {
		return err
	}
	if err := sink.failed(); err != nil {
		return err
	}
	return nil
}

// eventFile is the --out file: the events it holds (by key) serve as the
// receiver's Store, so a restarted listener skips what it wrote before.
type eventFile struct {
	mu   sync.Mutex
	f    *os.File
	path string
	keys map[string]bool
	old  int   // events the file held when the listener started
	n    int   // events written by this run
	err  error // the first failed write, reported when the listener stops
}

// newEventFile reads the events f holds, dropping a last line a crash cut
// short (its delivery was never answered 2xx, so HubSpot sends it again).
func newEventFile(f *os.File, path string) (*eventFile, error) {
	size, err := dropPartialLine(f)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	ef := &eventFile{f: f, path: path, keys: map[string]bool{}}
	sc := bufio.NewScanner(io.NewSectionReader(f, 0, size))
	sc.Buffer(make([]byte, 64<<10), webhook.DefaultMaxBody+1)
	for line := 1; sc.Scan(); line++ {
		var e webhook.Event
		if err := e.UnmarshalJSON(sc.Bytes()); err != nil {
			return nil, usagef("--out %s: line %d is not a HubSpot event (%v): give a file this command wrote, or a new one", path, line, err)
		}
		ef.keys[e.Key()] = true
	}
	if err := sc.Err(); err != nil {
		return nil, usagef("--out %s: %v", path, err)
	}
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		return nil, err
	}
	ef.old = len(ef.keys)
	return ef, nil
}

// write appends the events, one a line as HubSpot sent them, and syncs
// the file before the Handler answers 2xx.
func (ef *eventFile) write(_ context.Context, events []webhook.Event) error {
	var b []byte
	for _, e := range events {
		b = append(append(b, e.Raw...), '\n')
	}
	ef.mu.Lock()
	defer ef.mu.Unlock()
	off, err := ef.f.Seek(0, io.SeekCurrent)
	if err == nil {
		_, err = ef.f.Write(b)
	}
	if err == nil {
		err = ef.f.Sync()
	}
	if err != nil {
		// Leave no part of the lines: HubSpot delivers them again.
		_ = ef.f.Truncate(off)
		_, _ = ef.f.Seek(off, io.SeekStart)
		if ef.err == nil {
			ef.err = fmt.Errorf("writing %s: %w", ef.path, err)
		}
		return err
	}
	ef.n += len(events)
	return nil
}

// Seen reports which keys the file holds.
func (ef *eventFile) Seen(_ context.Context, keys []string) ([]bool, error) {
	ef.mu.Lock()
	defer ef.mu.Unlock()
	out := make([]bool, len(keys))
	for i, k := range keys {
		out[i] = ef.keys[k]
	}
	return out, nil
}

// Add records keys whose events write put in the file.
func (ef *eventFile) Add(_ context.Context, keys []string) error {
	ef.mu.Lock()
	defer ef.mu.Unlock()
	for _, k := range keys {
		ef.keys[k] = true
	}
	return nil
}

func (ef *eventFile) count() int { ef.mu.Lock(); defer ef.mu.Unlock(); return ef.old }

func (ef *eventFile) written() int { ef.mu.Lock(); defer ef.mu.Unlock(); return ef.n }

func (ef *eventFile) failed() error { ef.mu.Lock(); defer ef.mu.Unlock(); return ef.err }
