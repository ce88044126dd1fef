package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// outputFormat reads --output: table, json or jsonl; "" chooses a table on
// a terminal and JSON Lines when standard output is piped, as gh does.
func (a *app) outputFormat(s string) (string, error) {
	switch s {
	case "table", "json", "jsonl":
		return s, nil
	case "":
		if isTerminal(a.stdout) {
			return "table", nil
		}
		return "jsonl", nil
	}
	return "", usagef("--output %q: use table, json or jsonl", s)
}

// addOutputFlag gives cmd the --output (-o) flag into p, which
// outputFormat reads, with its completion; choices says what each format
// prints.
func addOutputFlag(cmd *cobra.Command, p *string, choices string) {
	cmd.Flags().StringVarP(p, "output", "o", "", choices+" (default: table on a terminal, jsonl when piped)")
	_ = cmd.RegisterFlagCompletionFunc("output", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"table", "json", "jsonl"}, cobra.ShellCompDirectiveNoFileComp
	})
}

// printRecords writes records to standard output: "table" with table,
// "json" as one indented JSON value (the record itself when single, else an
// array), "jsonl" one compact record per line. Records keep their bytes
// (HubSpot's), only re-spaced.
func (a *app) printRecords(format string, recs []json.RawMessage, single bool, table func(io.Writer) error) error {
	if format == "table" {
		return table(a.stdout)
	}
	var buf bytes.Buffer
	if format == "jsonl" {
		for _, r := range recs {
			if err := json.Compact(&buf, r); err != nil {
				return err
			}
			buf.WriteByte('\n')
		}
	} else {
		var v json.RawMessage
		if single {
			v = recs[0]
		} else {
			v = append(v, '[')
			for i, r := range recs {
				if i > 0 {
					v = append(v, ',')
				}
				v = append(v, r...)
			}
			v = append(v, ']')
		}
		if err := json.Indent(&buf, v, "", "  "); err != nil {
			return err
		}
		buf.WriteByte('\n')
	}
	_, err := a.stdout.Write(buf.Bytes())
	return err
}

// readInput reads a whole input named by a flag, "-" being standard input,
// refusing one longer than limit bytes.
func readInput(stdin io.Reader, name string, limit int64) ([]byte, error) {
	r := stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("longer than %d bytes", limit)
	}
	return b, nil
}
