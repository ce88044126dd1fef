package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/engagekit/hubspot-engagements/facade"
	"github.com/engagekit/hubspot-engagements/hubspottest"
)

func (a *app) noteCmd() *cobra.Command {
	var contact, owner int64
	var body, bodyFile, when, format string
	cmd := &cobra.Command{
		Use:   "note --contact ID (--body TEXT | --body-file F) [--owner ID] [--time TIME] [--format table|json|jsonl]",
		Short: "Log a NOTE on a contact",
		Long: `Note logs a NOTE engagement on a contact and prints it: on a terminal its id
alone; piped, the created engagement as one JSON line, as HubSpot returned
it; --format chooses (table: the id; json: the engagement, indented; jsonl:
one line). With --api-version 2026-03 it creates a note object
(/crm/objects/2026-03/notes; 2026-09: /crm/objects/2026-09/notes) with its
contact association in the same
request; the id is the note's, and json or jsonl print the v1 shape made
from it. The body comes from one of --body and --body-file ("-" reads
standard input) and may hold at most 65536 characters (UTF-16 code units,
as HubSpot counts them); a longer body is refused before anything is sent.

When HubSpot's answer is lost (the connection dropped, Ctrl-C while it was
being read), the note may have been created: the command says so and exits
non-zero, and does not send it again. Check the contact's timeline before
logging it again.`,
		Example: `  engagements note --contact 5001 --body "Called back; sending the contract"
  id=$(engagements note --contact 5001 --body "Called back" --format table)   # the id alone, in a script
  engagements note --api-version 2026-03 --contact 5001 --body "Called back" --format json
  engagements note --contact 5001 --owner 7001 --time 2025-03-15T14:30:00Z --body-file note.txt
  engagements note --contact 5001 --body-file - --format json < note.txt`,
		Args: cobra.NoArgs,
		RunE: wrapRun(func(cmd *cobra.Command, _ []string) error {
			if contact <= 0 {
				return usagef("--contact is required: the contact's id")
			}
			if (body == "") == (bodyFile == "") {
				return usagef("give the note's body with exactly one of --body and --body-file")
			}
			chosen, err := a.printFormat(format)
			if err != nil {
				return err
			}
			if bodyFile != "" {
				b, err := readInput(a.stdin, bodyFile, 4*facade.MaxNoteBody+1)
				if err != nil {
					return usagef("cannot read --body-file: %v", err)
				}
				body = string(b)
			}
			in := facade.EngagementInput{Metadata: &facade.NoteMetadata{Body: body}, OwnerID: owner,
				Associations: facade.Associations{ContactIDs: []int64{contact}}}
			if when != "" {
				t, err := parseTime(when)
				if err != nil {
					return err
				}
				in.Timestamp = t
			}
			// Refuse an over-long body before connecting at all.
			if err := facade.ValidateEngagement(in); err != nil {
				return err
			}
			if err := a.connect(); err != nil {
				return err
			}
			e, err := a.client.Engagements.Create(a.ctx, in)
			if errors.As(err, new(*facade.UncertainError)) {
				return fmt.Errorf("the note may have been created (HubSpot's answer was lost), so it was not sent again: check contact %d's timeline before logging it again: %w", contact, err)
			}
			if err != nil {
				return err
			}
			return a.printRecords(chosen, []json.RawMessage{e.JSON()}, true, func(w io.Writer) error {
				_, err := fmt.Fprintln(w, e.ID())
				return err
			})
		}),
	}
	cmd.Flags().Int64Var(&contact, "contact", 0, "the contact's id (required)")
	const oneRequired = " (one of --body or --body-file is required)"
	cmd.Flags().StringVar(&body, "body", "", "the note's text"+oneRequired)
	cmd.Flags().StringVar(&bodyFile, "body-file", "", "read the note's text from this file (- for standard input)"+oneRequired)
	cmd.Flags().Int64Var(&owner, "owner", 0, "the HubSpot owner id")
	cmd.Flags().StringVar(&when, "time", "", "when it happened (RFC 3339, a date or epoch ms; default now)")
	addPrintFormatFlag(cmd, &format, "table (the id), json or jsonl (the created engagement)")
	return cmd
}

func (a *app) dispositionsCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "dispositions [--format table|json|jsonl]",
		Short: "List the account's call dispositions",
		Long: `Dispositions lists the account's call dispositions: the id to put in a CALL's
metadata.disposition, the label HubSpot shows, and whether the account
deleted it. On a terminal, a table (ID, LABEL, DELETED); piped, JSON Lines
({"id":…,"label":…} per line, "deleted":true on deleted ones); --format
chooses. HubSpot has no dated endpoint for dispositions: this reads
/calling/v1/dispositions whatever --api-version says.`,
		Args: cobra.NoArgs,
		RunE: wrapRun(func(cmd *cobra.Command, _ []string) error {
			chosen, err := a.printFormat(format)
			if err != nil {
				return err
			}
			if err := a.connect(); err != nil {
				return err
			}
			var recs []json.RawMessage
			var ds []facade.Disposition
			for d, err := range a.client.Engagements.Dispositions(a.ctx).All() {
				if err != nil {
					return err
				}
				rec, err := json.Marshal(d)
				if err != nil {
					return err
				}
				recs, ds = append(recs, rec), append(ds, d)
			}
			return a.printRecords(chosen, recs, false, func(w io.Writer) error {
				tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tLABEL\tDELETED")
				for _, d := range ds {
					fmt.Fprintf(tw, "%s\t%s\t%v\n", d.ID, d.Label, d.Deleted)
				}
				return tw.Flush()
			})
		}),
	}
	addPrintFormatFlag(cmd, &format, "table, json or jsonl")
	return cmd
}

func (a *app) fakeCmd() *cobra.Command {
	var addr, rateLimit, faults string
	var seed int64
	var latency, jitter time.Duration
	var tasks, emails, engagements int
	var properties []string
	cmd := &cobra.Command{
		Use:   "fake [--addr 127.0.0.1:8080] [--seed N] [--rate-limit 100/10s] [--latency 30ms] [--faults gateway=0.05,drop=0.01,commit=0.01] [--property tasks:my_key:string:unique]",
		Short: "Serve a fake HubSpot until interrupted, for tests in any language",
		Long: `Fake serves the in-process fake HubSpot (package hubspottest) as a process,
answering like HubSpot on four wires over one store: the v1 engagements
API and call dispositions (/engagements/v1, /calling/v1); the v3 CRM object
APIs (/crm/v3/objects/tasks and emails, and the generic
/crm/v3/objects/{type} for tasks, emails, notes, calls, meetings,
communications and postal_mail); and the dated object APIs of the same
seven, 2026-03
and 2026-09 (/crm/objects/2026-03, /crm/objects/2026-09). As in HubSpot, a
record made on one wire is read and changed on the others. It prints its
URL and a token to use, says on stderr which APIs it serves, and runs
until interrupted.

--faults takes comma-separated rates: gateway (HTML 502/503/504 pages), drop
(connections closed without an answer) and commit (creates stored, answer
lost), drawn from --seed.

The fake knows the properties HubSpot defines and refuses others, as
HubSpot does; --property declares one of yours (repeatable), as
OBJECT:NAME[:TYPE[:unique,required]] with TYPE string (default), number,
datetime, date, bool or enumeration=A|B|C; required makes it one the
account's create-record form requires, which the 2026-09 wire enforces
(400 VALIDATION_ERROR, MISSING_REQUIRED_PROPERTY) and the older ones do not.`,
		Example: `  engagements fake --addr 127.0.0.1:8080 --tasks 500 --emails 500 --engagements 100
  engagements fake --addr 127.0.0.1:0 --rate-limit 100/10s --latency 30ms --faults gateway=0.05,drop=0.01
  engagements fake --property tasks:my_import_key:string:unique --property emails:tier:enumeration=gold|silver`,
		Args: cobra.NoArgs,
		RunE: wrapRun(func(cmd *cobra.Command, _ []string) error {
			opts := []hubspottest.Option{hubspottest.WithAddr(addr), hubspottest.WithSeed(seed)}
			if rateLimit != "" {
				n, w, err := parseRate(rateLimit)
				if err != nil {
					return err
				}
				opts = append(opts, hubspottest.WithRateLimit(n, w), hubspottest.WithSearchRateLimit(5, time.Second))
			}
			if latency > 0 || jitter > 0 {
				opts = append(opts, hubspottest.WithLatency(latency, jitter))
			}
			if faults != "" {
				f, err := parseFaults(faults, seed)
				if err != nil {
					return err
				}
				opts = append(opts, hubspottest.WithFaults(f))
			}
			for _, p := range properties {
				typ, prop, err := hubspottest.ParseProperty(p)
				if err != nil {
					return usagef("--property %q: %v", p, err)
				}
				opts = append(opts, hubspottest.WithProperty(typ, prop))
			}
			srv, err := startFake(opts)
			if err != nil {
				return err
			}
			defer srv.Close()
			srv.SeedTasks(tasks)
			srv.SeedEmails(emails)
			for _, t := range []string{"NOTE", "CALL", "EMAIL", "MEETING", "TASK"} {
				srv.SeedEngagements(t, engagements)
			}
			fmt.Fprintf(a.stdout, "fake HubSpot at %s\nexport HUBSPOT_BASE_URL=%s HUBSPOT_TOKEN=%s\n", srv.URL, srv.URL, srv.Token())
			apis, err := hubspottest.APIs()
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "serving %s until interrupted (Ctrl-C)\n", strings.Join(apis, ", "))
			<-a.ctx.Done()
			return nil
		}),
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	cmd.Flags().Int64Var(&seed, "seed", 1, "seed of the sample data and of the faults")
	cmd.Flags().StringVar(&rateLimit, "rate-limit", "", "rolling rate limit per token, N/DURATION (e.g. 100/10s); off by default")
	cmd.Flags().DurationVar(&latency, "latency", 0, "added latency per answer")
	cmd.Flags().DurationVar(&jitter, "jitter", 0, "random variation of the latency (±)")
	cmd.Flags().StringVar(&faults, "faults", "", "fault rates: gateway=R,drop=R,commit=R")
	cmd.Flags().IntVar(&tasks, "tasks", 0, "tasks to seed")
	cmd.Flags().IntVar(&emails, "emails", 0, "emails to seed")
	cmd.Flags().IntVar(&engagements, "engagements", 0, "v1 engagements of each type to seed")
	cmd.Flags().StringArrayVar(&properties, "property", nil, "a custom property, OBJECT:NAME[:TYPE[:unique,required]] (repeatable)")
	return cmd
}

// startFake starts the server, turning its panic on a busy address into an error.
func startFake(opts []hubspottest.Option) (srv *hubspottest.Server, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = usagef("cannot serve: %v", r)
		}
	}()
	return hubspottest.NewServer(opts...), nil
}

func parseRate(s string) (int, time.Duration, error) {
	n, w, ok := strings.Cut(s, "/")
	max, err1 := strconv.Atoi(n)
	window, err2 := time.ParseDuration(w)
	if !ok || err1 != nil || err2 != nil || max < 1 || window <= 0 {
		return 0, 0, usagef("--rate-limit %q: use N/DURATION, for example 100/10s", s)
	}
	return max, window, nil
}

func parseFaults(s string, seed int64) (hubspottest.Faults, error) {
	f := hubspottest.Faults{Seed: seed}
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(part, "=")
		rate, err := strconv.ParseFloat(v, 64)
		if !ok || err != nil || rate < 0 || rate > 1 {
			return f, usagef("--faults %q: use gateway=R,drop=R,commit=R with rates between 0 and 1", s)
		}
		switch k {
		case "gateway":
			f.GatewayErrorRate = rate
		case "drop":
			f.DropRate = rate
		case "commit":
			f.FaultAfterCommitRate = rate
		default:
			return f, usagef("--faults: unknown fault %q (gateway, drop, commit)", k)
		}
	}
	return f, nil
}
