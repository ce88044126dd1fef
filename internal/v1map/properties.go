package v1map

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
)

// Mode says what a v1 record given to ToProperties is, and so what happens
// to the fields the object APIs cannot take.
type Mode uint8

const (
	// ModeRequest: the body of a v1 create or update, about to be sent to
	// the object APIs. Read-only fields are left out and listed in
	// unmapped (both APIs ignore them). Fields with no property are
	// refused with *UnmappedError: sending the rest would lose them
	// silently.
	ModeRequest Mode = iota
	// ModeRecord: a whole record as HubSpot stores it (a fake's store, an
	// import, a recorded answer). Read-only fields are converted too;
	// fields with no property are left out and listed in unmapped.
	ModeRecord
)

// Record is a v1 engagement at the JSON level, as both the facade and a fake
// hold it: the "engagement" and "metadata" objects field by field, and the
// top-level "attachments" list (nil when absent). A JSON null is an absent
// field. Associations are converted apart, by ToAssociations and
// FromAssociations; scheduledTasks (HubSpot's reminders of a TASK, derived
// from metadata.reminders) are not converted.
type Record struct {
	Engagement  map[string]json.RawMessage
	Metadata    map[string]json.RawMessage
	Attachments json.RawMessage
}

// emailFromProps are the read-only properties HubSpot fills from
// hs_email_headers (emails guide, "Read only properties"); FromProperties
// reads the sender from them when an email has no headers.
var emailFromProps = []string{"hs_email_from_email", "hs_email_from_firstname", "hs_email_from_lastname"}

// ToProperties converts a v1 record of type engType to object properties:
// each field's value in the property the table names, in the property's
// format (see Format). unmapped lists, sorted, the fields of rec whose
// values are not in props: read-only fields in ModeRequest, fields with no
// property in ModeRecord. A value that cannot be converted is a
// *ValueError; in ModeRequest, fields with no property are an
// *UnmappedError; an unknown engType is a *TypeError.
//
// Equivalences, where the property cannot tell two v1 values apart:
// ownerId 0 and no ownerId; and, for a TASK, no attachments and [] (tasks
// have no hs_attachment_ids). engagement.type of an EMAIL sets
// hs_email_direction; when the record has no type (an update), the
// direction is left alone.
func ToProperties(engType string, rec Record, mode Mode) (props map[string]string, unmapped []string, err error) {
	t, err := lookup(engType)
	if err != nil {
		return nil, nil, err
	}
	c := toConv{t: t, engType: engType, mode: mode,
		props: make(map[string]string, len(rec.Engagement)+len(rec.Metadata)+1)}
	var headers [len(headerParts)]json.RawMessage
	for i := range t.fields {
		f := &t.fields[i]
		var raw json.RawMessage
		switch f.Section {
		case SectionEngagement:
			raw = rec.Engagement[f.Name]
		case SectionMetadata:
			raw = rec.Metadata[f.Name]
		default:
			raw = rec.Attachments
		}
		raw = bytes.TrimSpace(raw)
		if isNull(raw) {
			continue
		}
		if f.Format == EmailHeader {
			part := slices.Index(headerParts[:], f.Name)
			if headers[part], err = headerPart(f.Name, raw); err != nil {
				return nil, nil, c.valueError(f, err, raw)
			}
			continue
		}
		if err := c.field(f, raw); err != nil {
			return nil, nil, err
		}
	}
	if slices.ContainsFunc(headers[:], func(p json.RawMessage) bool { return p != nil }) {
		c.props[t.headers] = emailHeaders(&headers)
	}
	c.unknown(rec.Engagement, t.engagement, SectionEngagement)
	c.unknown(rec.Metadata, t.metadata, SectionMetadata)
	slices.Sort(c.unmapped)
	slices.Sort(c.refused)
	if len(c.refused) > 0 {
		return nil, nil, &UnmappedError{Type: engType, Fields: slices.Compact(c.refused)}
	}
	return c.props, slices.Compact(c.unmapped), nil
}

// toConv is one ToProperties call.
type toConv struct {
	t                 *table
	engType           string
	mode              Mode
	props             map[string]string
	unmapped, refused []string
}

// drop records a field whose value does not reach props: refused in a
// request when it has no property, listed in unmapped otherwise.
func (c *toConv) drop(path string, access Access) {
	if c.mode == ModeRequest && access == NoProperty {
		c.refused = append(c.refused, path)
		return
	}
	c.unmapped = append(c.unmapped, path)
}

// unknown drops the fields of a section that the table does not name.
func (c *toConv) unknown(fields map[string]json.RawMessage, known map[string]*Field, s Section) {
	for name, raw := range fields {
		if _, ok := known[name]; !ok && !isNull(raw) {
			c.drop(s.String()+"."+name, NoProperty)
		}
	}
}

func (c *toConv) valueError(f *Field, err error, raw json.RawMessage) *ValueError {
	return &ValueError{Type: c.engType, Field: f.Path(), Property: f.Property, Problem: err.Error(), Value: string(raw)}
}

// field converts one present field.
func (c *toConv) field(f *Field, raw json.RawMessage) error {
	switch f.Format {
	case TypeName, Direction:
		s, err := jsonString(raw)
		if err == nil && s != c.engType {
			err = wrongType
		}
		if err != nil {
			return c.valueError(f, err, raw)
		}
		if f.Format == Direction {
			c.props[f.Property] = s
		}
		return nil
	case AlwaysTrue:
		switch string(raw) {
		case "true":
			return nil
		case "false":
			if c.mode == ModeRequest {
				e := c.valueError(f, inactive, raw)
				e.Unstorable = true
				return e
			}
			c.unmapped = append(c.unmapped, f.Path())
			return nil
		}
		return c.valueError(f, notBool, raw)
	}
	if f.Access == NoProperty || f.Access == ReadOnly && c.mode == ModeRequest {
		if f.Format == AttachmentIDs && isEmptyList(raw) {
			return nil // nothing is lost
		}
		c.drop(f.Path(), f.Access)
		return nil
	}
	var v string
	var err error
	switch f.Format {
	case Text:
		v, err = jsonString(raw)
	case Integer, Owner:
		var n int64
		if n, err = jsonInt(raw); err == nil {
			switch {
			case n < 0:
				err = negative
			case n > 0 || f.Format == Integer:
				v = strconv.FormatInt(n, 10)
			}
		}
	case Millis:
		var ms int64
		if ms, err = jsonInt(raw); err == nil {
			v, err = formatMillis(ms)
		}
	case Boolean:
		switch string(raw) {
		case "true", "false":
			v = string(raw)
		default:
			err = notBool
		}
	case MillisList:
		v, err = millisList(raw)
	case AttachmentIDs:
		var dropped []string
		v, dropped, err = attachmentIDs(raw)
		for _, d := range dropped {
			c.drop(d, NoProperty)
		}
	}
	if err != nil {
		return c.valueError(f, err, raw)
	}
	c.props[f.Property] = v
	return nil
}

// FromProperties converts the properties of an object of type engType back
// to a v1 record: each property the table names becomes its field, in the
// field's v1 form. A nil value (JSON null) is an absent property; an empty
// one is no value for numbers, times, owners and booleans, [] for lists,
// and "" for text. The result always has engagement.type (an email's from
// hs_email_direction) and engagement.active (true). Pass the object's id as
// props["hs_object_id"] when the answer lacks it. A property value that does
// not parse is a *ValueError; properties the table does not name are
// ignored.
func FromProperties(engType string, props map[string]*string) (Record, error) {
	t, err := lookup(engType)
	if err != nil {
		return Record{}, err
	}
	rec := Record{
		Engagement: make(map[string]json.RawMessage, 8),
		Metadata:   make(map[string]json.RawMessage, len(t.metadata)),
	}
	rec.Engagement["active"] = json.RawMessage("true")
	var headers map[string]json.RawMessage
	for i := range t.fields {
		f := &t.fields[i]
		if f.Format == TypeName || f.Format == Direction {
			typ := t.typ
			if f.Format == Direction {
				typ = engType
				if p := props[f.Property]; p != nil && *p != "" {
					if tables[*p] != t {
						return Record{}, fromError(engType, f, badDirection, *p)
					}
					typ = *p
				}
			}
			rec.Engagement["type"] = appendJSONString(nil, typ)
			continue
		}
		if f.Property == "" {
			continue
		}
		p := props[f.Property]
		if p == nil {
			continue
		}
		if f.Format == EmailHeader {
			if headers == nil {
				if headers, err = parseHeaders(*p); err != nil {
					return Record{}, fromError(engType, f, err, *p)
				}
			}
			if raw, ok := headers[f.Name]; ok && !isNull(raw) {
				if raw, err = headerPart(f.Name, raw); err != nil {
					return Record{}, fromError(engType, f, err, *p)
				}
				rec.Metadata[f.Name] = raw
			}
			continue
		}
		raw, err := fromValue(f.Format, *p)
		if err != nil {
			return Record{}, fromError(engType, f, err, *p)
		}
		if raw == nil {
			continue
		}
		switch f.Section {
		case SectionEngagement:
			rec.Engagement[f.Name] = raw
		case SectionMetadata:
			rec.Metadata[f.Name] = raw
		default:
			rec.Attachments = raw
		}
	}
	if t.headers != "" && props[t.headers] == nil {
		rec.Metadata["from"] = fromSender(props)
		if rec.Metadata["from"] == nil {
			delete(rec.Metadata, "from")
		}
	}
	return rec, nil
}

func fromError(engType string, f *Field, err error, value string) error {
	return &ValueError{Type: engType, Field: f.Path(), Property: f.Property, Problem: err.Error(), Value: value}
}

// fromValue converts one property value to its field's JSON; nil means no
// value.
func fromValue(format Format, s string) (json.RawMessage, error) {
	switch format {
	case Text:
		return appendJSONString(nil, s), nil
	case MillisList:
		return millisListJSON(s)
	case AttachmentIDs:
		return attachmentsJSON(s)
	}
	if s == "" {
		return nil, nil
	}
	switch format {
	case Boolean:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return nil, notBool
		}
		return strconv.AppendBool(nil, b), nil
	case Millis:
		ms, err := parseMillis(s)
		if err != nil {
			return nil, err
		}
		return strconv.AppendInt(nil, ms, 10), nil
	}
	// Integer, Owner
	n, err := parseInteger(s)
	if err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, negative
	}
	if n == 0 && format == Owner {
		return nil, nil
	}
	return strconv.AppendInt(nil, n, 10), nil
}

// parseHeaders reads the JSON object that hs_email_headers holds as text;
// "" is no headers.
func parseHeaders(s string) (map[string]json.RawMessage, error) {
	if s == "" {
		return nil, nil
	}
	var h map[string]json.RawMessage
	if err := json.Unmarshal([]byte(s), &h); err != nil || h == nil {
		return nil, errors.New("hs_email_headers is not a JSON object")
	}
	return h, nil
}

// fromSender builds metadata.from from HubSpot's read-only sender
// properties, for an email that has no hs_email_headers; nil when it has
// none of them.
func fromSender(props map[string]*string) json.RawMessage {
	b := []byte{'{'}
	for i, key := range [...]string{"email", "firstName", "lastName"} {
		if p := props[emailFromProps[i]]; p != nil && *p != "" {
			if len(b) > 1 {
				b = append(b, ',')
			}
			b = appendJSONString(b, key)
			b = append(b, ':')
			b = appendJSONString(b, *p)
		}
	}
	if len(b) == 1 {
		return nil
	}
	return append(b, '}')
}
