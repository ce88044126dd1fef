package facade

import (
	"bytes"
	"encoding/json"
)

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

type jsonRaw = json.RawMessage

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
