package v1map

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The range of Millis values: the years 0001 to 9999, which ISO 8601 writes
// with four digits.
var (
	minMillis = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	maxMillis = time.Date(9999, 12, 31, 23, 59, 59, 999e6, time.UTC).UnixMilli()
)

// isoMillis is the layout of Millis properties, as HubSpot returns them.
const isoMillis = "2006-01-02T15:04:05.000Z"

// problem is why a value does not convert; the caller adds where.
type problem string

func (p problem) Error() string { return string(p) }

const (
	notString    = problem("not a JSON string")
	notInteger   = problem("not a JSON integer in the int64 range")
	notBool      = problem("not true or false")
	negative     = problem("not a positive id")
	outOfRange   = problem("outside the years 0001 to 9999")
	badTime      = problem("neither ISO 8601 nor epoch milliseconds")
	badNumber    = problem("not an integer in the int64 range")
	badList      = problem("not a list of epoch milliseconds")
	badAttach    = problem("not a list of objects with a positive id")
	badHeader    = problem("not a JSON object (from, sender) or a list of objects (to, cc, bcc)")
	badIDs       = problem("not a list of positive ids")
	wrongType    = problem("not the type converted")
	badDirection = problem("not EMAIL, INCOMING_EMAIL or FORWARDED_EMAIL")
	inactive     = problem("an inactive engagement cannot be stored: object records are active until archived")
)

// isNull reports whether raw is absent or the JSON null.
func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null"
}

// isEmptyList reports whether raw is the JSON empty list, whatever its
// spacing.
func isEmptyList(raw json.RawMessage) bool {
	var list []json.RawMessage
	return json.Unmarshal(raw, &list) == nil && list != nil && len(list) == 0
}

// jsonString decodes a JSON string; one with no escapes, no control
// characters and valid UTF-8 (most are) without the decoder.
func jsonString(raw json.RawMessage) (string, error) {
	if n := len(raw); n >= 2 && raw[0] == '"' && raw[n-1] == '"' {
		inner := raw[1 : n-1]
		plain := utf8.Valid(inner)
		for _, c := range inner {
			if c < 0x20 || c == '"' || c == '\\' {
				plain = false
				break
			}
		}
		if plain {
			return string(inner), nil
		}
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", notString
	}
	return s, nil
}

// jsonInt decodes a JSON integer exactly (ids exceed 2^53, so never through
// a float).
func jsonInt(raw json.RawMessage) (int64, error) {
	n, err := strconv.ParseInt(string(bytes.TrimSpace(raw)), 10, 64)
	if err != nil {
		return 0, notInteger
	}
	return n, nil
}

// formatMillis writes epoch milliseconds as HubSpot writes times.
func formatMillis(ms int64) (string, error) {
	if ms < minMillis || ms > maxMillis {
		return "", outOfRange
	}
	return time.UnixMilli(ms).UTC().Format(isoMillis), nil
}

// parseMillis reads a time property: epoch milliseconds or ISO 8601 (RFC
// 3339, any fraction, cut to the millisecond).
func parseMillis(s string) (int64, error) {
	if s != "" && (s[0] == '-' || s[0] >= '0' && s[0] <= '9') && !strings.ContainsAny(s, "T:") {
		ms, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, badTime
		}
		if ms < minMillis || ms > maxMillis {
			return 0, outOfRange
		}
		return ms, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return 0, badTime
	}
	ms := t.UnixMilli()
	if ms < minMillis || ms > maxMillis {
		return 0, outOfRange
	}
	return ms, nil
}

// parseInteger reads an integer property. HubSpot's number properties can
// come back with a fraction ("3800.0"); an integral one is accepted.
func parseInteger(s string) (int64, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	// ±2^53: beyond, a float64 no longer holds every integer.
	if err != nil || f != float64(int64(f)) || f > 1<<53 || f < -(1<<53) {
		return 0, badNumber
	}
	return int64(f), nil
}

// appendJSONString appends s as a JSON string.
func appendJSONString(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always marshals
	return append(b, q...)
}

// splitList cuts a ";"-separated property into its parts; "" has none.
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ";")
}

// millisList converts a JSON list of epoch milliseconds to "a;b".
func millisList(raw json.RawMessage) (string, error) {
	var ms []int64
	if err := json.Unmarshal(raw, &ms); err != nil {
		return "", badList
	}
	var b strings.Builder
	for i, m := range ms {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(strconv.FormatInt(m, 10))
	}
	return b.String(), nil
}

// millisListJSON converts "a;b" back to a JSON list.
func millisListJSON(s string) (json.RawMessage, error) {
	b := []byte{'['}
	for i, part := range splitList(s) {
		n, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64)
		if err != nil {
			return nil, badList
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, n, 10)
	}
	return append(b, ']'), nil
}

// attachmentIDs converts v1 attachments ([{"id":n},…]) to "n;m", and names
// the attachment fields other than id, which the property cannot hold.
func attachmentIDs(raw json.RawMessage) (ids string, dropped []string, err error) {
	var list []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		return "", nil, badAttach
	}
	var b strings.Builder
	for i, a := range list {
		id, err := jsonInt(a["id"])
		if err != nil || id <= 0 {
			return "", nil, badAttach
		}
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(strconv.FormatInt(id, 10))
		for k := range a {
			if k != "id" {
				dropped = append(dropped, "attachments."+k)
			}
		}
	}
	return b.String(), dropped, nil
}

// attachmentsJSON converts "n;m" back to [{"id":n},{"id":m}].
func attachmentsJSON(s string) (json.RawMessage, error) {
	b := []byte{'['}
	for i, part := range splitList(s) {
		n, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64)
		if err != nil || n <= 0 {
			return nil, badAttach
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = strconv.AppendInt(b, n, 10)
		b = append(b, '}')
	}
	return append(b, ']'), nil
}

// headerParts are the parts of hs_email_headers, in the order they are
// written; from and sender are objects, the others lists of objects.
var headerParts = [...]string{"from", "sender", "to", "cc", "bcc"}

// headerPart checks one part of an email header and returns it compacted.
func headerPart(name string, raw json.RawMessage) (json.RawMessage, error) {
	var buf bytes.Buffer
	buf.Grow(len(raw))
	if json.Compact(&buf, raw) != nil {
		return nil, badHeader
	}
	compact := buf.Bytes()
	if name == "from" || name == "sender" {
		if compact[0] != '{' {
			return nil, badHeader
		}
		return compact, nil
	}
	var list []json.RawMessage
	if compact[0] != '[' || json.Unmarshal(compact, &list) != nil {
		return nil, badHeader
	}
	for _, c := range list {
		if c[0] != '{' {
			return nil, badHeader
		}
	}
	return compact, nil
}

// emailHeaders writes the hs_email_headers text from its parts (absent ones
// left out).
func emailHeaders(parts *[len(headerParts)]json.RawMessage) string {
	b := []byte{'{'}
	for i, p := range parts {
		if p == nil {
			continue
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = appendJSONString(b, headerParts[i])
		b = append(b, ':')
		b = append(b, p...)
	}
	return string(append(b, '}'))
}
