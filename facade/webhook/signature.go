package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// The headers HubSpot signs its requests with ("Validating requests from
// HubSpot", developers.hubspot.com/docs/apps/legacy-apps/authentication/validating-requests).
const (
	// HeaderSignatureV3 carries the v3 signature: base64 of
	// HMAC-SHA256(client secret, method + URI + body + timestamp).
	HeaderSignatureV3 = "X-HubSpot-Signature-v3"
	// HeaderTimestamp carries the time of the request, in milliseconds
	// since the Unix epoch, that the v3 signature covers.
	HeaderTimestamp = "X-HubSpot-Request-Timestamp"
	// HeaderSignature carries the v1 or v2 signature, as
	// HeaderSignatureVersion says: hex of SHA-256(secret + body) for v1,
	// of SHA-256(secret + method + URI + body) for v2.
	HeaderSignature = "X-HubSpot-Signature"
	// HeaderSignatureVersion names the version of HeaderSignature: "v1" or
	// "v2" (HubSpot also sends "v3" when the request carries a v3
	// signature).
	HeaderSignatureVersion = "X-HubSpot-Signature-Version"
	// HeaderTimeout is how long, in milliseconds, HubSpot waits for the
	// answer to this request; HubSpot sends it with its deliveries.
	HeaderTimeout = "X-HubSpot-Timeout-Millis"
)

// uriDecodes are the percent-encodings HubSpot's v3 instructions say to
// decode in the request URI before signing: step 2 of "Validate the v3
// request signature" lists exactly these twelve. Other escapes (%20, %26,
// %3D, …) stay as they are.
var uriDecodes = [...]struct {
	hex byte // the two hex digits as one byte: 0x3A for %3A
	c   byte
}{
	{0x3A, ':'}, {0x2F, '/'}, {0x3F, '?'}, {0x40, '@'}, {0x21, '!'}, {0x24, '$'},
	{0x27, '\''}, {0x28, '('}, {0x29, ')'}, {0x2A, '*'}, {0x2C, ','}, {0x3B, ';'},
}

// CanonicalURI returns uri as HubSpot signs it in v3: with %3A, %2F, %3F,
// %40, %21, %24, %27, %28, %29, %2A, %2C and %3B decoded (either case of
// hex digit), and nothing else changed.
func CanonicalURI(uri string) string {
	if !strings.Contains(uri, "%") {
		return uri
	}
	var b strings.Builder
	b.Grow(len(uri))
	for i := 0; i < len(uri); i++ {
		if uri[i] == '%' && i+2 < len(uri) {
			if v, err := strconv.ParseUint(uri[i+1:i+3], 16, 8); err == nil {
				if c, ok := decoded(byte(v)); ok {
					b.WriteByte(c)
					i += 2
					continue
				}
			}
		}
		b.WriteByte(uri[i])
	}
	return b.String()
}

func decoded(v byte) (byte, bool) {
	for _, d := range uriDecodes {
		if d.hex == v {
			return d.c, true
		}
	}
	return 0, false
}

// SignV3 returns the v3 signature HubSpot sends in X-HubSpot-Signature-v3
// for a request: base64 of HMAC-SHA256 keyed with the app's client secret
// over method, CanonicalURI(uri), body and the timestamp's milliseconds as
// decimal text (the value of X-HubSpot-Request-Timestamp). uri is the full
// URL HubSpot called, scheme and host included.
func SignV3(secret, method, uri string, body []byte, timestamp string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(method))
	mac.Write([]byte(CanonicalURI(uri)))
	mac.Write(body)
	mac.Write([]byte(timestamp))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// SignV2 returns the v2 signature of a request: hex of SHA-256 over
// secret + method + uri + body.
func SignV2(secret, method, uri string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(secret))
	h.Write([]byte(method))
	h.Write([]byte(uri))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// SignV1 returns the v1 signature of a request: hex of SHA-256 over
// secret + body.
func SignV1(secret string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(secret))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// Timestamp formats t as X-HubSpot-Request-Timestamp does: milliseconds
// since the Unix epoch.
func Timestamp(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

// equalBase64 compares a base64 signature with the expected one in
// constant time (for signatures of the expected length), after decoding:
// text that is not base64 never matches.
func equalBase64(got, want string) bool {
	g, err := base64.StdEncoding.DecodeString(got)
	if err != nil {
		return false
	}
	w, _ := base64.StdEncoding.DecodeString(want)
	return hmac.Equal(g, w)
}

// equalHex compares a hex signature with the expected one in constant
// time, after decoding (either case of hex digit).
func equalHex(got, want string) bool {
	g, err := hex.DecodeString(got)
	if err != nil {
		return false
	}
	w, _ := hex.DecodeString(want)
	return hmac.Equal(g, w)
}
