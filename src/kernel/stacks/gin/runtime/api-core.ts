/**
 * `internal/api`: what every generated Gin app shares — the error shape, request validation,
 * middleware (request logs, recovery, security headers, rate limiting), authentication and
 * idempotency keys. Entity handlers (entity/handlers.ts) build on these.
 */

/** `internal/api/errors.go` */
export function errorsGo(modulePath: string): string {
  return `package api

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"${modulePath}/internal/store"
)

// errorDetail is one problem with one input, e.g. {"path": "email", "message": "must be an email address"}.
type errorDetail struct {
	Path    string \`json:"path"\`
	Message string \`json:"message"\`
}

// apiError is an error with its HTTP status; every error leaves the API in the contract's shape:
// {"error": {"code": "...", "message": "...", "details": [{"path": "...", "message": "..."}]}}.
type apiError struct {
	status  int
	code    string
	message string
	details []errorDetail
}

func (e *apiError) Error() string { return e.message }

func validationFailed(details []errorDetail) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "validation_failed", message: "the request is invalid", details: details}
}

func notFound(what string) *apiError {
	return &apiError{status: http.StatusNotFound, code: "not_found", message: what + " not found"}
}

func conflict(message string) *apiError {
	return &apiError{status: http.StatusConflict, code: "conflict", message: message}
}

// fail answers with the error in the contract's shape. entity names what ErrNotFound is about.
// Unexpected errors are logged and answered with a bare 500: never a stack trace or a driver message.
func (s *server) fail(c *gin.Context, entity string, err error) {
	var problem *apiError
	var constraint *store.ConstraintError
	switch {
	case errors.As(err, &problem):
	case errors.Is(err, store.ErrNotFound):
		problem = notFound(entity)
	case errors.As(err, &constraint):
		// A duplicate value, a reference to a missing record or a record still in use: the request
		// conflicts with the current state of the data.
		problem = conflict(constraint.Message)
	default:
		s.logger.Error("request failed", map[string]any{"method": c.Request.Method, "path": c.Request.URL.Path, "error": err.Error()})
		problem = &apiError{status: http.StatusInternalServerError, code: "internal", message: "internal server error"}
	}
	body := gin.H{"code": problem.code, "message": problem.message}
	if problem.details != nil {
		body["details"] = problem.details
	}
	c.AbortWithStatusJSON(problem.status, gin.H{"error": body})
}

// noRoute answers requests that no route matches.
func (s *server) noRoute(c *gin.Context) {
	s.fail(c, "", &apiError{status: http.StatusNotFound, code: "not_found", message: "no route for " + c.Request.Method + " " + c.Request.URL.Path})
}
`;
}

/** `internal/api/validation.go` */
export function validationGo(): string {
  return `package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"math/big"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
)

// Request validation is explicit: every input (path, query, body) is checked against rules
// generated from the same plan as the OpenAPI document, and a 400 lists every problem with its
// field path. Bodies are then decoded into the record types, already normalised (decimals to
// their scale, instants to UTC, UUIDs to lower case).

type valueKind int

const (
	kindString valueKind = iota
	kindInteger
	kindNumber
	kindBoolean
	kindObject
)

// fieldRule is what one body field or query parameter must satisfy.
type fieldRule struct {
	name string
	kind valueKind
	// format is "", uuid, email, uri, date, date-time, decimal or card-number.
	format    string
	enum      []string
	minLength int
	// maxLength 0 means no limit.
	maxLength int
	pattern   *regexp.Regexp
	minimum   *float64
	maximum   *float64
	nullable  bool
	required  bool
	// fallback is applied when the field is absent: JSON text for a body, the raw text for a query.
	fallback string
	// scale is the number of fraction digits of a decimal.
	scale int
}

// maxBodyBytes bounds request bodies.
const maxBodyBytes = 100 << 10

func bound(value float64) *float64 { return &value }

func ptr[T any](value T) *T { return &value }

var (
	uuidPattern     = regexp.MustCompile(\`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$\`)
	emailPattern    = regexp.MustCompile(\`^[A-Za-z0-9_'+.-]*[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9-]*\\.)+[A-Za-z]{2,}$\`)
	datePattern     = regexp.MustCompile(\`^\\d{4}-\\d{2}-\\d{2}$\`)
	dateTimePattern = regexp.MustCompile(\`^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$\`)
	cardPattern     = regexp.MustCompile(\`^[0-9]{12,19}$\`)
	decimalPattern  = regexp.MustCompile(\`^-?[0-9]+(\\.[0-9]+)?$\`)
)

// readObject reads the request body as a JSON object, keeping each field's raw JSON.
func readObject(c *gin.Context) (map[string]json.RawMessage, *apiError) {
	body, err := io.ReadAll(io.LimitReader(c.Request.Body, maxBodyBytes+1))
	if err != nil {
		return nil, validationFailed([]errorDetail{{Path: "", Message: "the body could not be read"}})
	}
	if len(body) > maxBodyBytes {
		return nil, &apiError{status: http.StatusRequestEntityTooLarge, code: "validation_failed", message: "the request body is too large"}
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return nil, validationFailed([]errorDetail{{Path: "", Message: "must be an object"}})
		}
		problem := validationFailed([]errorDetail{{Path: "", Message: "the body is not valid JSON"}})
		problem.message = "the request body is not valid JSON"
		return nil, problem
	}
	if raw == nil {
		return nil, validationFailed([]errorDetail{{Path: "", Message: "must be an object"}})
	}
	return raw, nil
}

// checkBody checks a body against its rules: unknown fields, missing required ones, types and
// constraints. Valid values are normalised in place; on create, absent fields get their fallback.
// A patch (creating false) must change at least one field.
func checkBody(raw map[string]json.RawMessage, rules []fieldRule, creating bool) []errorDetail {
	var details []errorDetail
	known := make(map[string]bool, len(rules))
	for _, rule := range rules {
		known[rule.name] = true
	}
	var unknown []string
	for name := range raw {
		if !known[name] {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	for _, name := range unknown {
		details = append(details, errorDetail{Path: name, Message: "is not a known field"})
	}
	for _, rule := range rules {
		value, present := raw[rule.name]
		if !present && creating && rule.fallback != "" {
			raw[rule.name] = json.RawMessage(rule.fallback)
			continue
		}
		if !present {
			if creating && rule.required {
				details = append(details, errorDetail{Path: rule.name, Message: "is required"})
			}
			continue
		}
		if string(bytes.TrimSpace(value)) == "null" {
			if !rule.nullable {
				details = append(details, errorDetail{Path: rule.name, Message: kindMessage(rule)})
			}
			continue
		}
		normalised, problem := checkJSON(rule, value)
		if problem != "" {
			details = append(details, errorDetail{Path: rule.name, Message: problem})
			continue
		}
		raw[rule.name] = normalised
	}
	if !creating && len(raw) == 0 && len(details) == 0 {
		details = append(details, errorDetail{Path: "", Message: "must change at least one field"})
	}
	return details
}

// decodeInto decodes checked fields into target (a record or a patch of one); fields absent from
// raw are left as they are, which is what makes a PATCH partial.
func decodeInto(raw map[string]json.RawMessage, target any) error {
	encoded, err := json.Marshal(raw)
	if err != nil {
		return err
	}
	return json.Unmarshal(encoded, target)
}

// textField is a string field of a checked body, or nil when it is absent or null.
func textField(raw map[string]json.RawMessage, name string) *string {
	value, ok := raw[name]
	if !ok {
		return nil
	}
	var text *string
	if err := json.Unmarshal(value, &text); err != nil {
		return nil
	}
	return text
}

func checkJSON(rule fieldRule, value json.RawMessage) (json.RawMessage, string) {
	switch rule.kind {
	case kindString:
		var text string
		if err := json.Unmarshal(value, &text); err != nil {
			return nil, kindMessage(rule)
		}
		normalised, problem := checkString(rule, text)
		if problem != "" {
			return nil, problem
		}
		encoded, _ := json.Marshal(normalised)
		return encoded, ""
	case kindInteger, kindNumber:
		number := strings.TrimSpace(string(value))
		if number == "" || !(number[0] == '-' || (number[0] >= '0' && number[0] <= '9')) {
			return nil, "must be a number"
		}
		if _, problem := checkNumber(rule, number); problem != "" {
			return nil, problem
		}
		return value, ""
	case kindBoolean:
		if text := string(bytes.TrimSpace(value)); text != "true" && text != "false" {
			return nil, kindMessage(rule)
		}
		return value, ""
	default:
		if trimmed := bytes.TrimSpace(value); len(trimmed) == 0 || trimmed[0] != '{' {
			return nil, kindMessage(rule)
		}
		return value, ""
	}
}

// checkString checks a string value and returns it normalised.
func checkString(rule fieldRule, text string) (string, string) {
	if rule.enum != nil {
		for _, allowed := range rule.enum {
			if text == allowed {
				return text, ""
			}
		}
		return "", "must be one of: " + strings.Join(rule.enum, ", ")
	}
	switch rule.format {
	case "uuid":
		if !uuidPattern.MatchString(text) {
			return "", "must be a UUID"
		}
		return strings.ToLower(text), ""
	case "date":
		if _, err := time.Parse("2006-01-02", text); err != nil || !datePattern.MatchString(text) {
			return "", "must be a date (YYYY-MM-DD)"
		}
		return text, ""
	case "date-time":
		instant, err := time.Parse(time.RFC3339Nano, text)
		if err != nil || !dateTimePattern.MatchString(text) {
			return "", "must be a date and time with a time zone (RFC 3339)"
		}
		// PostgreSQL keeps microseconds; UTC so that both stores return the same text.
		return instant.UTC().Round(time.Microsecond).Format(time.RFC3339Nano), ""
	case "card-number":
		if !cardPattern.MatchString(text) {
			return "", "must be 12 to 19 digits"
		}
		if !luhn(text) {
			return "", "is not a valid card number"
		}
		return text, ""
	case "decimal":
		if !decimalPattern.MatchString(text) || (rule.pattern != nil && !rule.pattern.MatchString(text)) {
			return "", "must be a decimal number in a string, e.g. \\"12.50\\""
		}
		return toScale(text, rule.scale), ""
	case "email":
		if !emailPattern.MatchString(text) || strings.HasPrefix(text, ".") || strings.Contains(text, "..") {
			return "", "must be an email address"
		}
	case "uri":
		parsed, err := url.Parse(text)
		if err != nil || (parsed.Scheme != "http" && parsed.Scheme != "https") || parsed.Host == "" {
			return "", "must be an http(s) URL"
		}
	}
	length := utf8.RuneCountInString(text)
	if length < rule.minLength {
		if rule.minLength == 1 {
			return "", "must be at least 1 character long"
		}
		return "", "must be at least " + strconv.Itoa(rule.minLength) + " characters long"
	}
	if rule.maxLength > 0 && length > rule.maxLength {
		return "", "must be at most " + strconv.Itoa(rule.maxLength) + " characters long"
	}
	if rule.pattern != nil && !rule.pattern.MatchString(text) {
		return "", "has an invalid format"
	}
	return text, ""
}

// checkNumber checks a number written as text (JSON or query) and returns its value.
func checkNumber(rule fieldRule, text string) (any, string) {
	var value float64
	var result any
	if rule.kind == kindInteger {
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			if _, floatErr := strconv.ParseFloat(text, 64); floatErr == nil {
				return nil, "must be an integer"
			}
			return nil, "must be a number"
		}
		value, result = float64(n), n
	} else {
		f, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, "must be a number"
		}
		value, result = f, f
	}
	if rule.minimum != nil && value < *rule.minimum {
		return nil, "must be at least " + strconv.FormatFloat(*rule.minimum, 'f', -1, 64)
	}
	if rule.maximum != nil && value > *rule.maximum {
		return nil, "must be at most " + strconv.FormatFloat(*rule.maximum, 'f', -1, 64)
	}
	return result, ""
}

func kindMessage(rule fieldRule) string {
	switch rule.kind {
	case kindInteger, kindNumber:
		return "must be a number"
	case kindBoolean:
		return "must be a boolean"
	case kindObject:
		return "must be an object"
	default:
		return "must be a string"
	}
}

// parseQuery checks the query parameters against their rules and returns their typed values
// (string, int64, float64, bool or time.Time), with fallbacks applied. Unknown parameters are
// ignored.
func parseQuery(c *gin.Context, rules []fieldRule) (map[string]any, []errorDetail) {
	values := map[string]any{}
	var details []errorDetail
	query := c.Request.URL.Query()
	for _, rule := range rules {
		text, present := query.Get(rule.name), query.Has(rule.name)
		if !present {
			if rule.fallback == "" {
				if rule.required {
					details = append(details, errorDetail{Path: rule.name, Message: "is required"})
				}
				continue
			}
			text = rule.fallback
		}
		value, problem := queryValue(rule, text)
		if problem != "" {
			details = append(details, errorDetail{Path: rule.name, Message: problem})
			continue
		}
		values[rule.name] = value
	}
	return values, details
}

func queryValue(rule fieldRule, text string) (any, string) {
	switch rule.kind {
	case kindInteger, kindNumber:
		return checkNumber(rule, text)
	case kindBoolean:
		if text != "true" && text != "false" {
			return nil, "must be true or false"
		}
		return text == "true", ""
	}
	normalised, problem := checkString(rule, text)
	if problem != "" {
		return nil, problem
	}
	if rule.format == "date-time" {
		instant, _ := time.Parse(time.RFC3339Nano, normalised)
		return instant, ""
	}
	return normalised, ""
}

// pick returns the values of the named parameters that were given.
func pick(values map[string]any, names ...string) map[string]any {
	picked := map[string]any{}
	for _, name := range names {
		if value, ok := values[name]; ok {
			picked[name] = value
		}
	}
	return picked
}

// pageOf reads page and pageSize.
func pageOf(values map[string]any) (int, int) {
	page, _ := values["page"].(int64)
	size, _ := values["pageSize"].(int64)
	return int(page), int(size)
}

// sortOf reads sort: "field" or "-field" (descending).
func sortOf(values map[string]any) (string, bool) {
	order, _ := values["sort"].(string)
	if strings.HasPrefix(order, "-") {
		return order[1:], true
	}
	return order, false
}

// idParam is the {id} path parameter, which must be a UUID.
func idParam(c *gin.Context) (string, *apiError) {
	id := c.Param("id")
	if !uuidPattern.MatchString(id) {
		return "", validationFailed([]errorDetail{{Path: "id", Message: "must be a UUID"}})
	}
	return strings.ToLower(id), nil
}

// luhn is the checksum every payment card number satisfies.
func luhn(digits string) bool {
	sum := 0
	for i := 0; i < len(digits); i++ {
		digit := int(digits[len(digits)-1-i] - '0')
		if i%2 == 1 {
			digit *= 2
			if digit > 9 {
				digit -= 9
			}
		}
		sum += digit
	}
	return sum%10 == 0
}

// toScale writes a decimal with exactly scale fraction digits ("12.5" at 4 → "12.5000"), the text
// PostgreSQL returns for numeric(p, scale), so both stores answer the same.
func toScale(value string, scale int) string {
	rat, ok := new(big.Rat).SetString(value)
	if !ok {
		return value
	}
	return rat.FloatString(scale)
}
`;
}

/** `internal/api/middleware.go`: request logs, recovery, security headers and rate limiting. */
export function middlewareGo(options: {
  readonly securityHeaders: boolean;
  readonly rateLimit: boolean;
  readonly securityMarker: string;
  readonly rateMarker: string;
}): string {
  const imports = [
    '"crypto/rand"',
    ...(options.rateLimit ? ['"crypto/sha256"'] : []),
    '"encoding/hex"',
    '"net/http"',
    '"regexp"',
    ...(options.rateLimit ? ['"strconv"', '"sync"'] : []),
    '"time"',
  ];
  const securityHeaders = options.securityHeaders
    ? `

// securityHeaders are conservative headers for a JSON API: no sniffing, no framing, no referrer,
// HTTPS only, and a content security policy that forbids everything (the API serves no HTML).
${options.securityMarker === "" ? "" : `${options.securityMarker}\n`}func securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		header := c.Writer.Header()
		header.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		header.Set("Cross-Origin-Resource-Policy", "same-origin")
		header.Set("Referrer-Policy", "no-referrer")
		header.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		header.Set("X-Content-Type-Options", "nosniff")
		header.Set("X-Frame-Options", "DENY")
		c.Next()
	}
}`
    : "";
  const rateLimit = options.rateLimit
    ? `

// rateLimiter allows each client a number of requests per fixed window; the next one gets 429 with
// Retry-After. A client is its API key (by digest) when it sends one, its IP address otherwise. It
// counts in memory: with several replicas each counts on its own (use a shared store such as Redis
// when the limit must hold across them).
type rateLimiter struct {
	mu       sync.Mutex
	requests int
	window   time.Duration
	now      func() time.Time
	windows  map[string]*rateWindow
}

type rateWindow struct {
	start time.Time
	count int
}

// sweepAt is the number of windows kept before expired ones are dropped, so memory stays bounded.
const sweepAt = 10000

func newRateLimiter(requests int, window time.Duration, now func() time.Time) *rateLimiter {
	return &rateLimiter{requests: requests, window: window, now: now, windows: map[string]*rateWindow{}}
}

${options.rateMarker === "" ? "" : `${options.rateMarker}\n`}func (s *server) rateLimit(limiter *rateLimiter) gin.HandlerFunc {
	return func(c *gin.Context) {
		now := limiter.now()
		client := "ip:" + c.ClientIP()
		if key := c.GetHeader("X-API-Key"); key != "" {
			digest := sha256.Sum256([]byte(key))
			client = "key:" + hex.EncodeToString(digest[:8])
		}
		limiter.mu.Lock()
		window, ok := limiter.windows[client]
		if !ok || now.Sub(window.start) >= limiter.window {
			if len(limiter.windows) >= sweepAt {
				for key, old := range limiter.windows {
					if now.Sub(old.start) >= limiter.window {
						delete(limiter.windows, key)
					}
				}
			}
			window = &rateWindow{start: now}
			limiter.windows[client] = window
		}
		window.count++
		count, start := window.count, window.start
		limiter.mu.Unlock()

		remaining := limiter.requests - count
		if remaining < 0 {
			remaining = 0
		}
		c.Header("RateLimit-Limit", strconv.Itoa(limiter.requests))
		c.Header("RateLimit-Remaining", strconv.Itoa(remaining))
		if count > limiter.requests {
			retry := int((start.Add(limiter.window).Sub(now) + time.Second - 1) / time.Second)
			if retry < 1 {
				retry = 1
			}
			c.Header("Retry-After", strconv.Itoa(retry))
			s.fail(c, "", &apiError{status: http.StatusTooManyRequests, code: "rate_limited", message: "too many requests; retry later"})
			return
		}
		c.Next()
	}
}`
    : "";
  return `package api

import (
${imports.map((path) => `\t${path}`).join("\n")}

	"github.com/gin-gonic/gin"
)

var requestIDPattern = regexp.MustCompile(\`^[A-Za-z0-9._-]{1,128}$\`)

// requestLog writes one JSON line per request: method, path (never the query string), status,
// duration and a request id, which is echoed in X-Request-Id.
func (s *server) requestLog() gin.HandlerFunc {
	return func(c *gin.Context) {
		started := time.Now()
		requestID := c.GetHeader("X-Request-Id")
		if !requestIDPattern.MatchString(requestID) {
			var random [16]byte
			_, _ = rand.Read(random[:])
			requestID = hex.EncodeToString(random[:])
		}
		c.Header("X-Request-Id", requestID)
		c.Next()
		s.logger.Info("request", map[string]any{
			"requestId":  requestID,
			"method":     c.Request.Method,
			"path":       c.Request.URL.Path,
			"status":     c.Writer.Status(),
			"durationMs": float64(time.Since(started).Microseconds()) / 1000,
		})
	}
}

// recoverer turns a panic into a logged error and a bare 500 in the contract's shape.
func (s *server) recoverer() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if recovered := recover(); recovered != nil {
				s.logger.Error("panic while serving a request", map[string]any{"method": c.Request.Method, "path": c.Request.URL.Path, "panic": recovered})
				c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": gin.H{"code": "internal", "message": "internal server error"}})
			}
		}()
		c.Next()
	}
}${securityHeaders}${rateLimit}
`;
}

/** `internal/api/auth.go`: API keys or HS256 bearer JWTs → a caller with a role; roles → 401 / 403. */
export function authGo(kind: "api-key" | "jwt", marker: string): string {
  const apiKey = kind === "api-key";
  const imports = apiKey
    ? ['"crypto/sha256"', '"crypto/subtle"', '"encoding/hex"', '"net/http"']
    : [
        '"crypto/hmac"',
        '"crypto/sha256"',
        '"encoding/base64"',
        '"encoding/json"',
        '"errors"',
        '"net/http"',
        '"strings"',
        '"time"',
      ];
  const authenticator = apiKey
    ? `// apiKeyAuthenticator: callers send X-API-Key; keys and their roles come from API_KEYS. Keys are
// compared as SHA-256 digests in constant time, and a caller is identified by a digest prefix,
// never by the key itself.
func apiKeyAuthenticator(keys map[string]string) authenticator {
	type known struct {
		digest [32]byte
		caller caller
	}
	var all []known
	for key, role := range keys {
		digest := sha256.Sum256([]byte(key))
		all = append(all, known{digest: digest, caller: caller{ID: "api-key:" + hex.EncodeToString(digest[:6]), Role: role}})
	}
	return func(r *http.Request) (caller, bool) {
		presented := r.Header.Get("X-API-Key")
		if presented == "" {
			return caller{}, false
		}
		digest := sha256.Sum256([]byte(presented))
		for _, candidate := range all {
			if subtle.ConstantTimeCompare(candidate.digest[:], digest[:]) == 1 {
				return candidate.caller, true
			}
		}
		return caller{}, false
	}
}`
    : `// jwtAuthenticator: callers send Authorization: Bearer <JWT>, signed with HS256 and JWT_SECRET; the
// role is the role claim and the caller id the sub claim. Tokens signed otherwise, tampered with,
// expired (exp) or not yet valid (nbf) are refused. For OAuth identity providers, verify RS256
// tokens against the provider's JWKS instead.
func jwtAuthenticator(secret []byte, now func() time.Time) authenticator {
	return func(r *http.Request) (caller, bool) {
		header := r.Header.Get("Authorization")
		if !strings.HasPrefix(header, "Bearer ") {
			return caller{}, false
		}
		claims, err := verifyHS256(strings.TrimPrefix(header, "Bearer "), secret, now())
		if err != nil {
			return caller{}, false
		}
		role, ok := claims["role"].(string)
		if !ok || role == "" {
			return caller{}, false
		}
		subject, _ := claims["sub"].(string)
		if subject == "" {
			subject = "unknown"
		}
		return caller{ID: subject, Role: role}, true
	}
}

// verifyHS256 checks a compact JWT's HS256 signature and its exp and nbf claims, and returns its
// claims. Only HS256 is accepted, whatever the token's header says (no "alg": "none").
func verifyHS256(token string, secret []byte, now time.Time) (map[string]any, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, errors.New("not a compact JWT")
	}
	var header struct {
		Alg string \`json:"alg"\`
	}
	if err := decodeSegment(parts[0], &header); err != nil || header.Alg != "HS256" {
		return nil, errors.New("not an HS256 token")
	}
	signature, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[2], "="))
	if err != nil {
		return nil, err
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(parts[0] + "." + parts[1]))
	if !hmac.Equal(signature, mac.Sum(nil)) {
		return nil, errors.New("bad signature")
	}
	var claims map[string]any
	if err := decodeSegment(parts[1], &claims); err != nil {
		return nil, err
	}
	if exp, ok := claims["exp"].(float64); ok && !now.Before(time.Unix(int64(exp), 0)) {
		return nil, errors.New("expired")
	}
	if nbf, ok := claims["nbf"].(float64); ok && now.Before(time.Unix(int64(nbf), 0)) {
		return nil, errors.New("not valid yet")
	}
	return claims, nil
}

func decodeSegment(segment string, target any) error {
	decoded, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(segment, "="))
	if err != nil {
		return err
	}
	return json.Unmarshal(decoded, target)
}`;
  return `package api

import (
${imports.map((path) => `\t${path}`).join("\n")}

	"github.com/gin-gonic/gin"
)

// Authentication says who is calling; authorisation says whether their role may call this route.
// Missing or invalid credentials are a 401, a role that may not do this a 403.

// caller is who made a request: a stable id for logs and the audit trail (never a secret) and a role.
type caller struct {
	ID   string
	Role string
}

// authenticator finds the caller of a request; false when its credentials are missing or invalid.
type authenticator func(r *http.Request) (caller, bool)

const callerKey = "caller"

${authenticator}

// allow lets authenticated callers with one of the roles through (no roles: nobody).
${marker === "" ? "" : `${marker}\n`}func (s *server) allow(roles ...string) gin.HandlerFunc {
	return s.guard(func(role string) bool {
		for _, allowed := range roles {
			if role == allowed {
				return true
			}
		}
		return false
	})
}

// allowNone refuses every caller: no role is granted this operation (grant one in the brief's
// roles and regenerate, or add it here). Callers without credentials still get 401.
func (s *server) allowNone() gin.HandlerFunc {
	return s.allow()
}

// allowAny lets any authenticated caller through.
func (s *server) allowAny() gin.HandlerFunc {
	return s.guard(func(string) bool { return true })
}

func (s *server) guard(permitted func(role string) bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		who, ok := s.authenticate(c.Request)
		if !ok {
			c.Header("WWW-Authenticate", ${apiKey ? '"ApiKey"' : '"Bearer"'})
			s.fail(c, "", &apiError{status: http.StatusUnauthorized, code: "unauthorized", message: "missing or invalid credentials"})
			return
		}
		if !permitted(who.Role) {
			s.fail(c, "", &apiError{status: http.StatusForbidden, code: "forbidden", message: "the role \\"" + who.Role + "\\" may not do this"})
			return
		}
		c.Set(callerKey, who)
		c.Next()
	}
}

// actorOf is who made the request, for the audit trail and idempotency scopes.
func actorOf(c *gin.Context) string {
	if who, ok := c.Get(callerKey); ok {
		return who.(caller).ID
	}
	return "anonymous"
}
`;
}

/** `internal/api/idempotency.go`: the Idempotency-Key middleware. */
export function idempotencyGo(modulePath: string, marker: string): string {
  return `package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"${modulePath}/internal/store"
)

// idempotent guards operations that must not happen twice (e.g. moving money). The client sends
// Idempotency-Key; the first request with a key runs and its 2xx response is stored; a repeat gets
// the stored response back (with Idempotent-Replayed: true) without running again.
//
// The key is claimed before the handler runs, so two concurrent requests with the same key cannot
// both run: the second gets 409 while the first is in progress. A failed request releases its key
// so that the client can retry. Reusing a key with a different body is a 409 too. Keys are scoped
// per caller and per route, so callers never see each other's responses.
func (s *server) idempotent() gin.HandlerFunc {
	return func(c *gin.Context) {
		key := c.GetHeader("Idempotency-Key")
		if strings.TrimSpace(key) == "" || len(key) > 255 {
			s.fail(c, "", validationFailed([]errorDetail{{Path: "Idempotency-Key", Message: "header is required (a unique value of at most 255 characters)"}}))
			return
		}
		body, err := io.ReadAll(io.LimitReader(c.Request.Body, maxBodyBytes+1))
		if err != nil {
			s.fail(c, "", err)
			return
		}
		c.Request.Body = io.NopCloser(bytes.NewReader(body))
		scope := actorOf(c) + " " + c.Request.Method + " " + c.Request.URL.Path
		hash := requestHash(body)
		ctx := c.Request.Context()
${marker === "" ? "" : `\t\t${marker}\n`}		claim, err := s.stores.Idempotency.Claim(ctx, scope, key, hash)
		if err != nil {
			s.fail(c, "", err)
			return
		}
		if claim.State != store.Claimed {
			switch {
			case claim.RequestHash != hash:
				s.fail(c, "", conflict("this Idempotency-Key was already used with a different request body"))
			case claim.State == store.InProgress:
				s.fail(c, "", conflict("a request with this Idempotency-Key is still in progress"))
			default:
				for name, value := range claim.Response.Headers {
					c.Header(name, value)
				}
				c.Header("Idempotent-Replayed", "true")
				c.Data(claim.Response.Status, "application/json; charset=utf-8", claim.Response.Body)
				c.Abort()
			}
			return
		}

		// Hold the response until it is stored: 2xx completes the key, anything else releases it.
		held := &heldResponse{ResponseWriter: c.Writer, status: http.StatusOK}
		c.Writer = held
		c.Next()
		c.Writer = held.ResponseWriter
		if held.status >= 200 && held.status < 300 {
			response := store.StoredResponse{Status: held.status, Body: held.body.Bytes(), Headers: map[string]string{}}
			if location := c.Writer.Header().Get("Location"); location != "" {
				response.Headers["Location"] = location
			}
			err = s.stores.Idempotency.Complete(ctx, scope, key, response)
		} else {
			err = s.stores.Idempotency.Release(ctx, scope, key)
		}
		if err != nil {
			s.logger.Error("idempotency key not saved", map[string]any{"path": c.Request.URL.Path, "error": err.Error()})
			c.Writer.Header().Del("Location")
			c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": gin.H{"code": "internal", "message": "internal server error"}})
			return
		}
		c.Writer.WriteHeader(held.status)
		_, _ = c.Writer.Write(held.body.Bytes())
	}
}

// requestHash identifies a request body: the SHA-256 of its canonical JSON (keys sorted), so that
// the same body sent with different spacing or key order counts as the same request.
func requestHash(body []byte) string {
	canonical := body
	var value any
	if err := json.Unmarshal(body, &value); err == nil {
		if encoded, err := json.Marshal(value); err == nil {
			canonical = encoded
		}
	}
	digest := sha256.Sum256(canonical)
	return hex.EncodeToString(digest[:])
}

// heldResponse keeps what the handler writes instead of sending it.
type heldResponse struct {
	gin.ResponseWriter
	status int
	body   bytes.Buffer
}

func (w *heldResponse) WriteHeader(status int) { w.status = status }

func (w *heldResponse) WriteHeaderNow() {}

func (w *heldResponse) Write(data []byte) (int, error) { return w.body.Write(data) }

func (w *heldResponse) WriteString(text string) (int, error) { return w.body.WriteString(text) }

func (w *heldResponse) Status() int { return w.status }

func (w *heldResponse) Size() int { return w.body.Len() }

func (w *heldResponse) Written() bool { return w.body.Len() > 0 }
`;
}
