package hubspottest

import (
	"regexp"
	"slices"
	"strings"
)

// apiRoot is a path up to its API's version segment: /crm/v3,
// /engagements/v1, /crm/objects/2026-09.
var apiRoot = regexp.MustCompile(`^(/[^/{]+)+?/(v[0-9]+|[0-9]{4}-[0-9]{2})(/|$)`)

// APIs returns the roots of the APIs a Server answers (/calling/v1,
// /crm/objects/2026-03, /crm/objects/2026-09, /crm/v3, /engagements/v1, …),
// sorted, read from the documents it serves: a version mounted is a version
// listed.
func APIs() ([]string, error) {
	sr, err := loadRoutes()
	if err != nil {
		return nil, err
	}
	var roots []string
	for pattern := range sr.byPattern {
		_, path, _ := strings.Cut(pattern, " ")
		if m := apiRoot.FindString(path); m != "" {
			roots = append(roots, strings.TrimSuffix(m, "/"))
		}
	}
	slices.Sort(roots)
	return slices.Compact(roots), nil
}
