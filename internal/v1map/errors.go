package v1map

import (
	"fmt"
	"strings"
)

// maxQuoted bounds how much of a refused value an error repeats: values are
// engagement content (bodies, addresses), not secrets, but an error is no
// place for a 64 KiB note.
const maxQuoted = 40

// TypeError reports an engagement type the table does not know: not one of
// EMAIL (or INCOMING_EMAIL, FORWARDED_EMAIL), CALL, MEETING, TASK, NOTE.
// Types HubSpot uses internally (PUBLISHING_TASK, …) have no object API.
type TypeError struct {
	// Type is the engagement type asked for.
	Type string
}

// Error names the unknown type.
func (e *TypeError) Error() string {
	return fmt.Sprintf("v1map: engagement type %s has no object type", quote(e.Type))
}

// ValueError reports a value that cannot be converted: a v1 field whose JSON
// is not of the field's kind or is out of range, or a property value that
// does not parse. It names both sides of the mapping.
type ValueError struct {
	// Type is the engagement type being converted.
	Type string
	// Field is the v1 field, as a path ("engagement.timestamp",
	// "metadata.reminders", "associations.contactIds").
	Field string
	// Property is the object property ("hs_timestamp"), or "" when the
	// field has none.
	Property string
	// Problem says what is wrong with the value.
	Problem string
	// Value is the start of the refused value, as found.
	Value string
	// Unstorable is set for a valid v1 value that no object record can
	// hold (engagement.active false: object records are active until
	// archived), as against a value that is malformed.
	Unstorable bool
}

// Error describes the refused value in one line.
func (e *ValueError) Error() string {
	side := e.Field
	if e.Property != "" {
		side += " ↔ " + e.Property
	}
	return fmt.Sprintf("v1map: %s %s: %s (got %s)", e.Type, side, e.Problem, quote(e.Value))
}

// UnmappedError reports fields of a v1 request (ModeRequest) that the object
// APIs cannot store: fields HubSpot has no property for (engagement.uid, …),
// association kinds with no object association (ownerIds, workflowIds,
// contentIds) and fields the table does not know. Sending the request without
// them would silently lose data, so nothing is converted.
type UnmappedError struct {
	// Type is the engagement type being converted.
	Type string
	// Fields are the refused fields as paths, sorted.
	Fields []string
}

// Error lists the refused fields.
func (e *UnmappedError) Error() string {
	return fmt.Sprintf("v1map: %s fields with no property on the object APIs: %s", e.Type, strings.Join(e.Fields, ", "))
}

// quote renders at most maxQuoted bytes of s, quoted, cut on a rune
// boundary.
func quote(s string) string {
	if len(s) <= maxQuoted {
		return fmt.Sprintf("%q", s)
	}
	cut := maxQuoted
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return fmt.Sprintf("%q…", s[:cut])
}
