package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// printFormat reads the --format of a command that prints records: table,
// json or jsonl; "" chooses a table on a terminal and JSON Lines when
// standard output is piped, as gh does.
func (a *app) printFormat(s string) (string, error) {
	switch s {
	case "table", "json", formatJSONL:
		return s, nil
	case "":
		if isTerminal(a.stdout) {
			return "table", nil
		}
		return formatJSONL, nil
	}
	return "", usagef("--format %q: use table, json or jsonl", s)
}

// addFormatFlag gives cmd the --format flag into p, with usage and the
// completion of choices: one flag names the format of records on every
// command (--out names a file).
func addFormatFlag(cmd *cobra.Command, p *string, usage string, choices ...string) {
	cmd.Flags().StringVar(p, "format", "", usage)
	_ = cmd.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return choices, cobra.ShellCompDirectiveNoFileComp
	})
}

// addPrintFormatFlag is addFormatFlag for the commands that print records
// (printFormat); what says what each format prints.
func addPrintFormatFlag(cmd *cobra.Command, p *string, what string) {
	addFormatFlag(cmd, p, what+" (default: table on a terminal, jsonl when piped)", "table", "json", formatJSONL)
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
