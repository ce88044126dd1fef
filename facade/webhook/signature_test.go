package webhook

import "testing"

// The client secret of HubSpot's worked examples.
const docSecret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy"

// docBody is the body of HubSpot's v1 example ("v1 request validation").
const docBody = `[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]`

// TestSignVectors checks the signers against HubSpot's published values:
// the worked examples of its v1 and v2 validation pages, and the vectors
// of HubSpot's own client libraries (hubspot-api-nodejs
// test/unit/signature.spec.ts, hubspot-api-python
// tests/spec/utils/test_signature.py), which hold the only v3 vector
// HubSpot publishes: its v3 page gives the steps but no worked example.
func TestSignVectors(t *testing.T) {
	const uri = "https://www.example.com/webhook_uri"
	pyBody := []byte(`{'example_field':'example_value'}`)
	tests := []struct {
		name, got, want string
	}{
		{"v1 docs example", SignV1(docSecret, []byte(docBody)), "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de"},
		{"v2 docs GET example", SignV2(docSecret, "GET", uri, nil), "eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e"},
		{"v2 nodejs POST with body", SignV2(docSecret, "POST", uri, []byte(`{"example_field":"example_value"}`)), "9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900"},
		{"v1 python", SignV1(docSecret, pyBody), "69fc6631a867edd4f9e9e627fc5c1148e3fbdd8b21837b6d2b8901c1fa57f750"},
		{"v2 python", SignV2(docSecret, "POST", uri, pyBody), "4fe4e3a7d3cf09db53be39d0a58130e2aaba074ec123a9e355b876a689a1c383"},
		{"v3 python", SignV3(docSecret, "POST", uri, pyBody, "15000000"), "HPW73RUtKmcYoEDADG0s6MmGFWUzWJKAW07r8RDgcQw="},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, tt.got, tt.want)
		}
	}
}

func TestCanonicalURI(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.com/hook", "https://example.com/hook"},
		// The twelve HubSpot lists, upper and lower case hex.
		{"https://example.com/a%3Ab%2Fc%3Fd%40e%21f%24g%27h%28i%29j%2Ak%2Cl%3Bm", "https://example.com/a:b/c?d@e!f$g'h(i)j*k,l;m"},
		{"https://example.com/a%3ab%2fc", "https://example.com/a:b/c"},
		// Others stay escaped: space, &, =, #, %, +.
		{"https://example.com/x?q=a%20b%26c%3Dd%23e%25f%2Bg", "https://example.com/x?q=a%20b%26c%3Dd%23e%25f%2Bg"},
		// Broken escapes are kept as they are.
		{"https://example.com/%", "https://example.com/%"},
		{"https://example.com/%3", "https://example.com/%3"},
		{"https://example.com/%zz%3A", "https://example.com/%zz:"},
		// A decoded % does not start a new escape.
		{"https://example.com/%253A", "https://example.com/%253A"},
	}
	for _, tt := range tests {
		if got := CanonicalURI(tt.in); got != tt.want {
			t.Errorf("CanonicalURI(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// The v3 signature covers the decoded form: the escaped and decoded
	// URLs sign alike.
	a := SignV3(docSecret, "POST", "https://example.com/hook?x=%2A", nil, "1")
	b := SignV3(docSecret, "POST", "https://example.com/hook?x=*", nil, "1")
	if a != b {
		t.Errorf("escaped and decoded URI sign differently: %s, %s", a, b)
	}
}

func TestEqualSignatures(t *testing.T) {
	v3 := SignV3(docSecret, "POST", "https://example.com/", nil, "1")
	hex := SignV1(docSecret, nil)
	tests := []struct {
		name string
		ok   bool
		want bool
	}{
		{"base64 same", equalBase64(v3, v3), true},
		{"base64 other", equalBase64(SignV3("other", "POST", "https://example.com/", nil, "1"), v3), false},
		{"base64 not base64", equalBase64("%%%", v3), false},
		{"base64 empty", equalBase64("", v3), false},
		{"base64 truncated", equalBase64(v3[:20], v3), false},
		{"hex same", equalHex(hex, hex), true},
		{"hex upper case", equalHex("232DB2615F3D666FE21A8EC971AC7B5402D33B9A925784DF3CA654D05F4817DE", SignV1(docSecret, []byte(docBody))), true},
		{"hex other", equalHex(SignV1("x", nil), hex), false},
		{"hex not hex", equalHex("zz", hex), false},
	}
	for _, tt := range tests {
		if tt.ok != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.ok, tt.want)
		}
	}
}
