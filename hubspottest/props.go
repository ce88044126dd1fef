package hubspottest

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/engagekit/hubspot-engagements/internal/props"
)

// PropertyType is the type of a property's values, as HubSpot's properties
// API names it.
type PropertyType string

// The property types the server checks values against.
const (
	// String takes any text.
	String PropertyType = "string"
	// Number takes a decimal number ("42", "-1.5").
	Number PropertyType = "number"
	// Enumeration takes one of the property's Options.
	Enumeration PropertyType = "enumeration"
	// DateTime takes an RFC 3339 time, a date (YYYY-MM-DD) or epoch
	// milliseconds.
	DateTime PropertyType = "datetime"
	// Date takes a date (YYYY-MM-DD) or the epoch milliseconds of a
	// midnight UTC.
	Date PropertyType = "date"
	// Bool takes "true" or "false".
	Bool PropertyType = "bool"
)

// Property describes a property of an object type: HubSpot's own ones are
// known to the server (see the package documentation); a test declares its
// custom ones with WithProperty.
type Property struct {
	// Name is the property's internal name, like "hs_task_status".
	Name string
	// Type is the type of its values (String when empty).
	Type PropertyType
	// Options are the values an Enumeration property takes.
	Options []string
	// Unique makes the property's values unique among the records of the
	// object type (HubSpot's hasUniqueValue): a create or update that
	// repeats the value of another record is answered 409 CONFLICT, and a
	// batch read can look records up by it (idProperty).
	Unique bool
	// RequiredOnCreate makes the property one the account's create-record
	// form requires. From the 2026-09 API on, HubSpot enforces that on API
	// writes too ("CRM API write validation enforcement"): a create, batch
	// create or upsert that creates a record without a value for it is
	// answered 400 VALIDATION_ERROR, an errors[] entry of code
	// MISSING_REQUIRED_PROPERTY naming it in context.propertyName. The
	// older wires (v3, 2026-03, v1) accept the same request, as HubSpot's
	// do.
	RequiredOnCreate bool
}

// objectTypes are the object types a server keeps records of: those of
// internal/props's table.
var objectTypes = func() []string {
	var ts []string
	for _, o := range props.Objects {
		ts = append(ts, o.Type)
	}
	return ts
}()

// ObjectTypes returns the object types a server keeps records of and
// serves on every wire, the ones WithProperty accepts: tasks, emails,
// notes, calls and meetings.
func ObjectTypes() []string { return slices.Clone(objectTypes) }

var propertyName = regexp.MustCompile(`^[a-z0-9_]{1,100}$`)

// check returns why p cannot be declared, or nil.
func (p Property) check(objectType string) error {
	switch {
	case !slices.Contains(objectTypes, objectType):
		return fmt.Errorf("hubspottest: unknown object type %q (want one of %s)", objectType, strings.Join(objectTypes, ", "))
	case !propertyName.MatchString(p.Name):
		return fmt.Errorf("hubspottest: property name %q: want 1 to 100 of a-z, 0-9 and _", p.Name)
	case !slices.Contains([]PropertyType{"", String, Number, Enumeration, DateTime, Date, Bool}, p.Type):
		return fmt.Errorf("hubspottest: property %s: unknown type %q", p.Name, p.Type)
	case p.Type == Enumeration && len(p.Options) == 0:
		return fmt.Errorf("hubspottest: enumeration property %s has no options", p.Name)
	case p.Type != Enumeration && len(p.Options) > 0:
		return fmt.Errorf("hubspottest: property %s has options but is not an enumeration", p.Name)
	}
	return nil
}

// ParseProperty reads a property declaration of the form
// objectType:name[:type[:flags]] (type defaults to string; an
// enumeration's options follow its type after a "=", separated by "|";
// flags are unique and required, RequiredOnCreate, separated by ","),
// for example "tasks:my_import_key:string:unique",
// "notes:region:string:required" or "emails:tier:enumeration=gold|silver".
func ParseProperty(s string) (objectType string, p Property, err error) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 4 {
		return "", p, fmt.Errorf("hubspottest: property %q: want objectType:name[:type[:unique,required]]", s)
	}
	objectType, p.Name, p.Type = parts[0], parts[1], String
	if len(parts) > 2 {
		typ, opts, found := strings.Cut(parts[2], "=")
		p.Type = PropertyType(typ)
		if found {
			p.Options = strings.Split(opts, "|")
		}
	}
	if len(parts) > 3 {
		for _, f := range strings.Split(parts[3], ",") {
			switch f {
			case "unique":
				p.Unique = true
			case "required":
				p.RequiredOnCreate = true
			default:
				return "", p, fmt.Errorf("hubspottest: property %q: the fourth part can only be \"unique\", \"required\" or both, separated by \",\"", s)
			}
		}
	}
	return objectType, p, p.check(objectType)
}

// invalidValue is one entry of HubSpot's "Property values were not valid"
// answer.
type invalidValue struct {
	IsValid   bool   `json:"isValid"`
	Message   string `json:"message"`
	Error     string `json:"error"`
	Name      string `json:"name"`
	Localized string `json:"localizedErrorMessage"`
	PortalID  int64  `json:"portalId"`
	input     int    // which input of a batch, -1 for a single record
}

// propertySet is what a server knows of the properties of one object type.
type propertySet struct {
	defs     map[string]Property
	unique   []string          // names of the unique properties, sorted
	required []string          // names of the properties required on create, sorted
	defaults map[string]string // set on create when the input leaves them out
}

func newPropertySet(defs []Property, defaults map[string]string) *propertySet {
	ps := &propertySet{defs: map[string]Property{}, defaults: maps.Clone(defaults)}
	for _, p := range defs {
		ps.add(p)
	}
	return ps
}

func (ps *propertySet) add(p Property) {
	if p.Type == "" {
		p.Type = String
	}
	ps.defs[p.Name] = p
	ps.unique = slices.DeleteFunc(ps.unique, func(n string) bool { return n == p.Name })
	if p.Unique {
		ps.unique = append(ps.unique, p.Name)
		slices.Sort(ps.unique)
	}
	ps.required = slices.DeleteFunc(ps.required, func(n string) bool { return n == p.Name })
	if p.RequiredOnCreate {
		ps.required = append(ps.required, p.Name)
		slices.Sort(ps.required)
	}
}

// datedVersion is the version of a dated object API path
// (/crm/objects/2026-09/…), "" for any other.
var datedVersion = regexp.MustCompile(`/crm/objects/([0-9]{4}-[0-9]{2})/`)

// validatesWrites reports whether r's wire enforces the account's
// required properties on writes: the dated versions from 2026-09 on
// (dated versions compare as text).
func validatesWrites(r *http.Request) bool {
	m := datedVersion.FindStringSubmatch(r.URL.Path)
	return m != nil && m[1] >= "2026-09"
}

// missingRequired returns the properties required on create that a
// create's props leave out or empty, as HubSpot refuses them on the wires
// that enforce them (none on the others).
func (st *objectStore) missingRequired(r *http.Request, props map[string]*string, input int) []invalidValue {
	if !validatesWrites(r) {
		return nil
	}
	var bad []invalidValue
	for _, n := range st.props.required {
		if v := props[n]; v == nil || *v == "" {
			msg := fmt.Sprintf("A value for %s must be provided", n)
			bad = append(bad, invalidValue{Message: msg, Error: "MISSING_REQUIRED_PROPERTY", Name: n, Localized: msg, PortalID: st.s.cfg.portalID, input: input})
		}
	}
	return bad
}

func (ps *propertySet) isUnique(name string) bool { return slices.Contains(ps.unique, name) }

// check returns why the value v of the property name is refused, as HubSpot
// words it, or nil. A nil v (a null sent by a client) clears the value, as
// "" does.
func (ps *propertySet) check(name string, v *string, portal int64, input int) *invalidValue {
	bad := func(code, format string, args ...any) *invalidValue {
		msg := fmt.Sprintf(format, args...)
		return &invalidValue{Message: msg, Error: code, Name: name, Localized: msg, PortalID: portal, input: input}
	}
	p, ok := ps.defs[name]
	if !ok {
		return bad("PROPERTY_DOESNT_EXIST", "Property %q does not exist", name)
	}
	if v == nil || *v == "" || p.Type == String {
		return nil
	}
	s := *v
	if strings.TrimSpace(s) != s {
		return bad("LEADING_TRAILING_WHITESPACE", "%q includes leading or trailing whitespace.", s)
	}
	switch p.Type {
	case Enumeration, Bool:
		opts := p.Options
		if p.Type == Bool {
			opts = []string{"true", "false"}
		}
		if !slices.Contains(opts, s) {
			return bad("INVALID_OPTION", "%s was not one of the allowed options: [%s]", s, strings.Join(opts, ", "))
		}
	case Number:
		if f, err := strconv.ParseFloat(s, 64); err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return bad("INVALID_NUMBER", "%s was not a valid number.", s)
		}
	case DateTime:
		if _, ok := parseTime(s); !ok {
			return bad("INVALID_LONG", "%s was not a valid long.", s)
		}
	case Date:
		if t, ok := parseTime(s); !ok || !t.Equal(t.Truncate(24*time.Hour)) {
			return bad("INVALID_DATE", "%s is not a valid date: use YYYY-MM-DD or the epoch milliseconds of a midnight UTC.", s)
		}
	}
	return nil
}

// parseTime reads a HubSpot time value: epoch milliseconds, RFC 3339 or a
// date.
func parseTime(s string) (time.Time, bool) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.UnixMilli(n).UTC(), true
	}
	for _, layout := range []string{time.RFC3339Nano, time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// checkAll checks the properties of one input and returns what is refused,
// in property-name order.
func (ps *propertySet) checkAll(props map[string]*string, portal int64, input int) []invalidValue {
	var bad []invalidValue
	for _, name := range slices.Sorted(maps.Keys(props)) {
		if e := ps.check(name, props[name], portal, input); e != nil {
			bad = append(bad, *e)
		}
	}
	return bad
}

// invalidMessage is the message of HubSpot's answer to invalid property
// values: the entries as a JSON array after a fixed text.
func invalidMessage(bad []invalidValue) string {
	b, _ := json.Marshal(bad)
	return "Property values were not valid: " + string(b)
}
