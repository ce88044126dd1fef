package webhook

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// FuzzDecode: any body either is refused with a *DecodeError or decodes
// to events that survive Encode and Decode unchanged.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		docBody, `[]`, `[{"eventId":1,"mergedObjectIds":[1,"2"],"primaryObjectId":1}]`,
		`[{"eventId":"7","associationRemoved":true,"fromObjectId":"3","x":{"y":[1]}}]`,
		`[{"eventId":1,"occurredAt":-1,"attemptNumber":99999999999}]`, `[{"eventId":1,"eventId":2}]`,
		`[{"eventId":1,"propertyValue":"\u0000\ud800"}]`, `{`, `[null]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		events, err := Decode(body)
		if err != nil {
			if _, ok := err.(*DecodeError); !ok {
				t.Fatalf("error %T: %v", err, err)
			}
			return
		}
		checkRoundTrip(t, events)
	})
}

// FuzzSignatureHeaders: whatever the signature headers say, the Handler
// never panics, answers one of its statuses, and calls the application
// only for a request signed with the secret.
func FuzzSignatureHeaders(f *testing.F) {
	now := time.Now()
	good := SignV3(testSecret, http.MethodPost, testURL, []byte(docBody), Timestamp(now))
	f.Add(good, Timestamp(now), "", "", "v3", docBody)
	f.Add("", "", SignV1(testSecret, []byte(docBody)), "v1", "", docBody)
	f.Add("====", "-1", "zz", "v2", "9999999999999999999", "[")
	f.Add(good[:10], "1e3", "", "V1", "0", docBody)
	f.Fuzz(func(t *testing.T, v3, ts, legacy, version, timeout, body string) {
		called := false
		h, err := New(testSecret, func(context.Context, []Event) error { called = true; return nil }, WithLegacySignatures(), WithMaxBody(4096))
		if err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest(http.MethodPost, testURL, strings.NewReader(body))
		for k, v := range map[string]string{HeaderSignatureV3: v3, HeaderTimestamp: ts, HeaderSignature: legacy, HeaderSignatureVersion: version, HeaderTimeout: timeout} {
			if v != "" && !strings.ContainsAny(v, "\r\n\x00") {
				r.Header.Set(k, v)
			}
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		switch w.Code {
		case 204, 400, 401, 413:
		default:
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		if called {
			signedV3 := r.Header.Get(HeaderSignatureV3) != "" && equalBase64(r.Header.Get(HeaderSignatureV3), SignV3(testSecret, http.MethodPost, testURL, []byte(body), r.Header.Get(HeaderTimestamp)))
			signedOld := r.Header.Get(HeaderSignatureV3) == "" && (equalHex(legacy, SignV1(testSecret, []byte(body))) || equalHex(legacy, SignV2(testSecret, http.MethodPost, testURL, []byte(body))))
			if !signedV3 && !signedOld {
				t.Fatalf("the application was called for an unsigned request")
			}
		}
	})
}

// FuzzCanonicalURI: decoding leaves no escape HubSpot decodes, so it is
// idempotent, and it never lengthens the URI.
func FuzzCanonicalURI(f *testing.F) {
	f.Add("https://example.com/a%3Ab%2f%253A%%3A3A")
	f.Fuzz(func(t *testing.T, uri string) {
		c := CanonicalURI(uri)
		if CanonicalURI(c) != c || len(c) > len(uri) {
			t.Fatalf("CanonicalURI(%q) = %q, again %q", uri, c, CanonicalURI(c))
		}
	})
}
