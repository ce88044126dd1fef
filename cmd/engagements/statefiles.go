package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/engagekit/hubspot-engagements/facade"
)

// The files the tool writes beside its output and reads back (FILE.cursor,
// RESULTS.inflight and the results file itself) are validated when read:
// a damaged one is refused with one line naming it (exit 2), never trusted.

// errLocked is lockFile's answer when another run holds the lock.
var errLocked = errors.New("locked by another run")

// Bounds of what is read back.
const (
	maxStateFile   = 1 << 20 // FILE.cursor and RESULTS.inflight
	maxResultLine  = 64 << 10
	maxResultError = 4 << 10 // an error's text in the results file
	maxResultID    = 64
	maxLineNumber  = 1 << 40
	maxCursorLen   = 64 << 10
)

// readSmallFile reads a state file of at most maxStateFile bytes.
func readSmallFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxStateFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxStateFile {
		return nil, usagef("cannot read %s: larger than %d bytes, so not a file this tool wrote", path, maxStateFile)
	}
	return b, nil
}

// badState is the one-line error for a state file that does not hold what
// this tool writes there.
func badState(path string, err error) error {
	return usagef("cannot read %s: %v (it was not written by this tool, or was damaged; move it away to start over)", path, err)
}

// strictJSON decodes one JSON value from b into v, refusing unknown fields
// and anything after the value.
func strictJSON(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if _, err := d.Token(); err != io.EOF {
		return errors.New("data after the JSON value")
	}
	return nil
}

// decodeResult reads and checks one line of a results file.
func decodeResult(b []byte) (result, error) {
	var r result
	if err := strictJSON(b, &r); err != nil {
		return r, err
	}
	switch {
	case r.Line < 1 || r.Line > maxLineNumber:
		return r, fmt.Errorf("line number %d out of range", r.Line)
	case r.ID == "" && r.Error == "":
		return r, fmt.Errorf("line %d has neither an id nor an error", r.Line)
	case r.ID != "" && (r.Error != "" || r.Uncertain):
		return r, fmt.Errorf("line %d has both an id and an error", r.Line)
	case r.ID != "" && !validID(r.ID):
		return r, fmt.Errorf("line %d: id %q is not a HubSpot record id", r.Line, r.ID)
	case len(r.Error) > maxResultError:
		return r, fmt.Errorf("line %d: error text longer than %d bytes", r.Line, maxResultError)
	case r.Refused && (r.ID != "" || r.Uncertain):
		return r, fmt.Errorf("line %d is both refused and created or uncertain", r.Line)
	case len(r.Digest) > 64 || strings.Trim(r.Digest, "0123456789abcdef") != "":
		return r, fmt.Errorf("line %d: digest %q is not one this tool writes", r.Line, r.Digest)
	}
	return r, nil
}

// validID accepts HubSpot record ids: short, printable, no spaces.
func validID(id string) bool {
	if len(id) > maxResultID || !utf8.ValidString(id) {
		return false
	}
	for _, r := range id {
		if !unicode.IsPrint(r) || unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// encodeResult is a results-file line, its error text bounded.
func encodeResult(r result) []byte {
	if len(r.Error) > maxResultError {
		cut := maxResultError - len("…")
		for cut > 0 && !utf8.RuneStart(r.Error[cut]) {
			cut--
		}
		r.Error = r.Error[:cut] + "…"
	}
	b, _ := json.Marshal(r)
	return append(b, '\n')
}

// readResults reads a results file: each line's last entry, except that an
// id, once recorded, stays.
func readResults(path string) (map[int]result, error) {
	done := map[int]result{}
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return done, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	lr := newLineReader(f, maxResultLine)
	for {
		l, err := lr.next()
		if err == io.EOF {
			return done, nil
		}
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(l.text)) == 0 && !l.tooLong {
			continue
		}
		if l.tooLong {
			return nil, badState(path, fmt.Errorf("line %d is longer than %d bytes", l.n, maxResultLine))
		}
		r, err := decodeResult(l.text)
		if err != nil {
			return nil, badState(path, fmt.Errorf("line %d: %w", l.n, err))
		}
		if prev, ok := done[r.Line]; !ok || prev.ID == "" {
			done[r.Line] = r
		}
	}
}

// inflight is what RESULTS.inflight holds while lines are being created:
// the lines, and the results file's length when this run started (an
// outcome written after it settles the line).
type inflight struct {
	Lines        []int `json:"lines"`
	ResultsBytes int64 `json:"resultsBytes"`
}

// decodeInflight reads and checks an inflight file against the size of the
// results file it belongs to.
func decodeInflight(b []byte, resultsSize int64) (inflight, error) {
	var fl inflight
	if err := strictJSON(b, &fl); err != nil {
		return fl, err
	}
	if fl.ResultsBytes < 0 || fl.ResultsBytes > resultsSize {
		return fl, fmt.Errorf("resultsBytes %d is outside the results file (%d bytes)", fl.ResultsBytes, resultsSize)
	}
	for _, l := range fl.Lines {
		if l < 1 || l > maxLineNumber {
			return fl, fmt.Errorf("line number %d out of range", l)
		}
	}
	return fl, nil
}

// decodeExportState reads and checks FILE.cursor.
func decodeExportState(b []byte) (exportState, error) {
	var s exportState
	if err := strictJSON(b, &s); err != nil {
		return s, err
	}
	switch {
	case checkObject(s.Object) != nil:
		return s, fmt.Errorf("unknown object %q", s.Object)
	case s.APIVersion != "" && !slices.Contains(facade.APIVersions, facade.APIVersion(s.APIVersion)):
		return s, fmt.Errorf("unknown API version %q", s.APIVersion)
	case s.Format != "" && s.Format != formatCSV:
		return s, fmt.Errorf("unknown format %q", s.Format)
	case s.Bytes < 0:
		return s, fmt.Errorf("negative position %d", s.Bytes)
	case s.Records < 0:
		return s, fmt.Errorf("negative record count %d", s.Records)
	case len(s.Cursor) > maxCursorLen:
		return s, fmt.Errorf("cursor longer than %d bytes", maxCursorLen)
	case s.Since != "":
		if _, err := parseTime(s.Since); err != nil {
			return s, fmt.Errorf("since: %w", err)
		}
	}
	return s, nil
}

// namedFile is a file the command reads or writes, for refuseSameFile.
type namedFile struct {
	what string // "--in", "--results", …
	info os.FileInfo
}

// statIfExists gives path's FileInfo, or nil when there is no such file.
func statIfExists(what, path string) namedFile {
	st, err := os.Stat(path)
	if err != nil {
		return namedFile{what: what}
	}
	return namedFile{what: what, info: st}
}

// refuseSameFile fails when two of files are the same file (by device and
// inode, so links and other spellings of a path count): a command reading
// what it writes would read its own output forever or destroy its input.
func refuseSameFile(files ...namedFile) error {
	for i, f := range files {
		for _, g := range files[i+1:] {
			if f.info != nil && g.info != nil && os.SameFile(f.info, g.info) {
				return usagef("%s and %s are the same file (%s): use different files", f.what, g.what, f.info.Name())
			}
		}
	}
	return nil
}

// inputLine is one line of an input read by lineReader.
type inputLine struct {
	n       int    // its number, from 1
	text    []byte // without the line ending; valid until the next call
	tooLong bool   // longer than the bound: text is empty
	size    int64  // its length in bytes
}

// lineReader reads lines of any length with bounded memory: a line longer
// than max is reported as tooLong, and its bytes are skipped.
type lineReader struct {
	r   *bufio.Reader
	max int
	n   int
	buf []byte
}

func newLineReader(r io.Reader, max int) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 64<<10), max: max}
}

// next returns the next line, or io.EOF after the last.
func (l *lineReader) next() (inputLine, error) {
	l.buf = l.buf[:0]
	var size int64
	tooLong := false
	for {
		chunk, err := l.r.ReadSlice('\n')
		size += int64(len(chunk))
		if !tooLong {
			if len(l.buf)+len(chunk) > l.max+2 { // room for "\r\n"
				tooLong, l.buf = true, l.buf[:0]
			} else {
				l.buf = append(l.buf, chunk...)
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && size == 0:
			return inputLine{}, io.EOF
		case err != nil && err != io.EOF:
			return inputLine{}, err
		}
		l.n++
		text := bytes.TrimSuffix(bytes.TrimSuffix(l.buf, []byte("\n")), []byte("\r"))
		if !tooLong && len(text) > l.max {
			tooLong, text = true, nil
		}
		if tooLong {
			text = nil
		}
		return inputLine{n: l.n, text: text, tooLong: tooLong, size: size}, nil
	}
}

// dropPartialLine truncates f after its last newline, dropping a line an
// interruption cut short, and returns f's new length.
func dropPartialLine(f *os.File) (int64, error) {
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	size := st.Size()
	if size == 0 {
		return 0, nil
	}
	buf := make([]byte, 64<<10)
	end := size
	for end > 0 {
		lo := max(end-int64(len(buf)), 0)
		n, err := f.ReadAt(buf[:end-lo], lo)
		if err != nil && n < int(end-lo) {
			return 0, err
		}
		if i := bytes.LastIndexByte(buf[:n], '\n'); i >= 0 {
			keep := lo + int64(i) + 1
			if keep == size {
				return size, nil
			}
			return keep, f.Truncate(keep)
		}
		end = lo
	}
	return 0, f.Truncate(0)
}

// writeFileAtomic writes b to a temporary file beside path, syncs it, renames
// it over path and syncs the directory: a crash leaves either the old
// content or the new.
func writeFileAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, werr := f.Write(b)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

// syncDir makes a rename or removal in dir durable. Some systems cannot sync
// a directory; that is not an error worth stopping for.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return nil
	}
	defer d.Close()
	_ = d.Sync()
	return nil
}

// openLocked opens path for appending (creating it; with excl, only if it
// does not exist) and locks it for the whole run.
func openLocked(what, path string, excl bool) (*os.File, error) {
	flags := os.O_RDWR | os.O_CREATE
	if excl {
		flags |= os.O_EXCL
	}
	f, err := os.OpenFile(path, flags, 0o644)
	if err != nil {
		if os.IsExist(err) {
			return nil, usagef("%s exists: use --resume to continue, or give another file", path)
		}
		return nil, usagef("cannot write %s: %v", what, err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		if errors.Is(err, errLocked) {
			return nil, usagef("%s is in use by another run of this tool (%s): wait for it to finish, or stop it first", path, strings.TrimPrefix(what, "--"))
		}
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	return f, nil
}
