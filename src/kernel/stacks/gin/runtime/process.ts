/**
 * The process edges of the generated Gin app: configuration, JSON logs, encryption and card
 * tokens, the migration runner and the two commands (server, migrate).
 */
import type { ApiPlan } from "../../../generate/plan-schema.js";
import type { Features } from "../../shared/features.js";
import { align, goString, lines, tabs } from "../go.js";
import type { Markers } from "../markers.js";

/** `internal/config/config.go` */
export function configGo(plan: ApiPlan, features: Features): string {
  const fields = align(
    [
      ["Port", "int"],
      ["DatabaseURL", "string"],
      "// LogLevel is debug, info, warn or error.",
      ["LogLevel", "string"],
      "// TrustedProxies are the proxies (IPs or CIDRs) whose X-Forwarded-For is believed; none by default.",
      ["TrustedProxies", "[]string"],
      features.auth === "api-key" ? "// APIKeys maps each accepted X-API-Key to its role." : "",
      features.auth === "api-key" ? ["APIKeys", "map[string]string"] : "",
      features.jwt ? "// JWTSecret verifies HS256 bearer tokens." : "",
      features.jwt ? ["JWTSecret", "string"] : "",
      features.encryption
        ? "// DataEncryptionKey is the AES-256-GCM key of encrypted columns (32 bytes)."
        : "",
      features.encryption ? ["DataEncryptionKey", "[]byte"] : "",
      features.card ? "// CardTokenKey is the HMAC key of card tokens." : "",
      features.card ? ["CardTokenKey", "string"] : "",
      features.rateLimit ? "// RateLimit is the number of requests each client may make per window." : "",
      features.rateLimit ? ["RateLimit", "RateLimit"] : "",
    ].filter((row) => row !== ""),
  );
  const loads = lines(
    `cfg.Port = intVar(lookup, "PORT", 8080, 1, 65535, &problems)`,
    `cfg.DatabaseURL = required(lookup, "DATABASE_URL", "is required (postgres://user:password@host:5432/database)", &problems)`,
    `cfg.LogLevel = oneOf(lookup, "LOG_LEVEL", "info", []string{"debug", "info", "warn", "error"}, &problems)`,
    `cfg.TrustedProxies = list(lookup, "TRUSTED_PROXIES")
for _, proxy := range cfg.TrustedProxies {
	if net.ParseIP(proxy) == nil {
		if _, _, err := net.ParseCIDR(proxy); err != nil {
			problems = append(problems, "TRUSTED_PROXIES: "+proxy+" is neither an IP address nor a CIDR range")
		}
	}
}`,
    features.auth === "api-key" &&
      `cfg.APIKeys = apiKeys(required(lookup, "API_KEYS", "is required: comma-separated key:role pairs, e.g. s3cret:admin", &problems), &problems)`,
    features.jwt &&
      `cfg.JWTSecret = required(lookup, "JWT_SECRET", "is required (at least 32 characters)", &problems)
if cfg.JWTSecret != "" && len(cfg.JWTSecret) < 32 {
	problems = append(problems, "JWT_SECRET: must be at least 32 characters")
}`,
    features.encryption &&
      `if key := required(lookup, "DATA_ENCRYPTION_KEY", "is required: 32 bytes, base64-encoded (openssl rand -base64 32)", &problems); key != "" {
	decoded, err := base64.StdEncoding.DecodeString(key)
	if err != nil || len(decoded) != 32 {
		problems = append(problems, "DATA_ENCRYPTION_KEY: must be 32 bytes, base64-encoded (openssl rand -base64 32)")
	}
	cfg.DataEncryptionKey = decoded
}`,
    features.card &&
      `cfg.CardTokenKey = required(lookup, "CARD_TOKEN_KEY", "is required (at least 16 characters)", &problems)
if cfg.CardTokenKey != "" && len(cfg.CardTokenKey) < 16 {
	problems = append(problems, "CARD_TOKEN_KEY: must be at least 16 characters")
}`,
    plan.rateLimit !== null &&
      `cfg.RateLimit = RateLimit{
	Requests: intVar(lookup, "RATE_LIMIT_REQUESTS", ${plan.rateLimit.requests}, 1, 1<<30, &problems),
	Window:   time.Duration(intVar(lookup, "RATE_LIMIT_WINDOW_SECONDS", ${plan.rateLimit.windowSeconds}, 1, 1<<30, &problems)) * time.Second,
}`,
  );
  const imports = [
    ...(features.encryption ? ['"encoding/base64"'] : []),
    '"net"',
    '"strconv"',
    '"strings"',
    ...(features.rateLimit ? ['"time"'] : []),
  ];
  return `// Package config reads the configuration from the environment (twelve-factor), once, at start-up:
// the process refuses to start with a message naming every missing or malformed variable.
package config

import (
${imports.map((path) => `\t${path}`).join("\n")}
)

// Config is the application's configuration.
type Config struct {
${tabs(fields.join("\n"))}
}
${
  features.rateLimit
    ? `
// RateLimit is a number of requests per window.
type RateLimit struct {
	Requests int
	Window   time.Duration
}
`
    : ""
}
// Error lists every problem with the environment.
type Error struct {
	Problems []string
}

func (e *Error) Error() string {
	return "invalid configuration:\\n  " + strings.Join(e.Problems, "\\n  ")
}

// Load reads the configuration through lookup (os.LookupEnv in the server, a map in tests).
func Load(lookup func(name string) (string, bool)) (Config, error) {
	var cfg Config
	var problems []string
${tabs(loads)}
	if len(problems) > 0 {
		return Config{}, &Error{Problems: problems}
	}
	return cfg, nil
}

func required(lookup func(string) (string, bool), name, message string, problems *[]string) string {
	value, _ := lookup(name)
	if strings.TrimSpace(value) == "" {
		*problems = append(*problems, name+": "+message)
	}
	return value
}

func intVar(lookup func(string) (string, bool), name string, fallback, min, max int, problems *[]string) int {
	value, ok := lookup(name)
	if !ok || value == "" {
		return fallback
	}
	n, err := strconv.Atoi(value)
	if err != nil || n < min || n > max {
		*problems = append(*problems, name+": must be a whole number from "+strconv.Itoa(min)+" to "+strconv.Itoa(max))
		return fallback
	}
	return n
}

func oneOf(lookup func(string) (string, bool), name, fallback string, allowed []string, problems *[]string) string {
	value, ok := lookup(name)
	if !ok || value == "" {
		return fallback
	}
	for _, candidate := range allowed {
		if value == candidate {
			return value
		}
	}
	*problems = append(*problems, name+": must be one of "+strings.Join(allowed, ", "))
	return fallback
}

func list(lookup func(string) (string, bool), name string) []string {
	value, _ := lookup(name)
	var items []string
	for _, item := range strings.Split(value, ",") {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	return items
}${
    features.auth === "api-key"
      ? `

// apiKeys parses key1:role1,key2:role2. Keys may not contain ":" or ",".
func apiKeys(text string, problems *[]string) map[string]string {
	keys := map[string]string{}
	if text == "" {
		return keys
	}
	for _, pair := range strings.Split(text, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		separator := strings.LastIndex(pair, ":")
		if separator <= 0 || separator == len(pair)-1 {
			*problems = append(*problems, "API_KEYS: every entry must be key:role")
			return keys
		}
		keys[pair[:separator]] = pair[separator+1:]
	}
	if len(keys) == 0 {
		*problems = append(*problems, "API_KEYS: at least one key:role pair is required")
	}
	return keys
}`
      : ""
  }
`;
}

/** `internal/logging/logging.go`: JSON logs with sensitive values masked. */
export function loggingGo(plan: ApiPlan, markers: Markers): string {
  const cardInputs = plan.entities.flatMap((entity) =>
    entity.card === null ? [] : [entity.card.inputField],
  );
  const columns = plan.entities.flatMap((entity) =>
    entity.fields
      .filter((field) => plan.maskedFields.includes(field.name) && field.column !== null)
      .map((field) => field.column as string),
  );
  const masked = [...new Set([...plan.maskedFields, ...cardInputs, ...columns])].sort();
  const maskedLines = [...new Set([...masked, "authorization", "password", "x-api-key"])].map(
    (name) => `${goString(name)}: true,`,
  );
  return `// Package logging writes structured JSON logs, one object per line, with the values of sensitive
// fields masked wherever they appear and card-number-like digit runs masked in every string.
// (log/slog needs Go 1.21; this is a small logger on encoding/json.)
package logging

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Level orders log lines by importance.
type Level int

// The levels, least important first.
const (
	LevelDebug Level = iota
	LevelInfo
	LevelWarn
	LevelError
)

var levelNames = map[Level]string{LevelDebug: "debug", LevelInfo: "info", LevelWarn: "warn", LevelError: "error"}

${markers.control("mark-sensitive", "mask-in-logs") === "" ? "" : `${markers.control("mark-sensitive", "mask-in-logs")}\n`}// maskedFields are the JSON fields (and their columns) whose values never reach the logs, along
// with credentials.
var maskedFields = map[string]bool{
${tabs(
  align(
    [...maskedLines].sort().map((line) => {
      const [name = "", value = ""] = line.split(": ");
      return [`${name}:`, value];
    }),
  ).join("\n"),
)}
}

// cardNumber matches 12 to 19 digits, with spaces or dashes between them.
var cardNumber = regexp.MustCompile(\`\\b(?:\\d[ -]?){12,18}\\d\\b\`)

// MaskCardNumbers replaces card-number-like digit runs with a mask.
func MaskCardNumbers(text string) string {
	return cardNumber.ReplaceAllString(text, "[masked card number]")
}

// Logger writes JSON lines to an io.Writer.
type Logger struct {
	mu  sync.Mutex
	out io.Writer
	min Level
}

// New returns a logger writing lines at level and above (debug, info, warn or error) to out.
func New(out io.Writer, level string) *Logger {
	min := LevelInfo
	for candidate, name := range levelNames {
		if name == level {
			min = candidate
		}
	}
	return &Logger{out: out, min: min}
}

// Discard returns a logger that writes nothing (tests).
func Discard() *Logger { return &Logger{out: io.Discard, min: LevelError + 1} }

// Debug logs at debug level.
func (l *Logger) Debug(message string, fields map[string]any) { l.log(LevelDebug, message, fields) }

// Info logs at info level.
func (l *Logger) Info(message string, fields map[string]any) { l.log(LevelInfo, message, fields) }

// Warn logs at warn level.
func (l *Logger) Warn(message string, fields map[string]any) { l.log(LevelWarn, message, fields) }

// Error logs at error level.
func (l *Logger) Error(message string, fields map[string]any) { l.log(LevelError, message, fields) }

func (l *Logger) log(level Level, message string, fields map[string]any) {
	if level < l.min {
		return
	}
	entry := make(map[string]any, len(fields)+3)
	for key, value := range fields {
		entry[key] = mask(key, value)
	}
	entry["time"] = time.Now().UTC().Format(time.RFC3339Nano)
	entry["level"] = levelNames[level]
	entry["msg"] = MaskCardNumbers(message)
	line, err := json.Marshal(entry)
	if err != nil {
		line = []byte(fmt.Sprintf(\`{"level":"error","msg":"unloggable entry: %s"}\`, strings.ReplaceAll(err.Error(), \`"\`, "'")))
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	_, _ = l.out.Write(append(line, '\\n'))
}

// mask returns value with sensitive fields masked, at any depth.
func mask(key string, value any) any {
	if maskedFields[key] || maskedFields[strings.ToLower(key)] {
		return "[masked]"
	}
	switch v := value.(type) {
	case nil, bool, int, int64, float64:
		return v
	case string:
		return MaskCardNumbers(v)
	case error:
		return MaskCardNumbers(v.Error())
	case fmt.Stringer:
		return MaskCardNumbers(v.String())
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, inner := range v {
			out[k] = mask(k, inner)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, inner := range v {
			out[i] = mask("", inner)
		}
		return out
	default:
		// Structs, slices and maps of other types: through JSON, then masked like the rest.
		encoded, err := json.Marshal(v)
		if err != nil {
			return fmt.Sprintf("[unloggable %T]", v)
		}
		var generic any
		if err := json.Unmarshal(encoded, &generic); err != nil {
			return fmt.Sprintf("[unloggable %T]", v)
		}
		return mask("", generic)
	}
}
`;
}

/** `internal/security/cipher.go` */
export function cipherGo(): string {
  return `// Package security holds field-level encryption and card tokenisation.
package security

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// FieldCipher encrypts column values at rest with AES-256-GCM and a random 96-bit nonce per value,
// stored as text v1:<nonce>:<tag>:<ciphertext> (base64 parts). The column name is bound in as
// additional authenticated data, so a ciphertext copied into another column fails to decrypt
// instead of being misread. Rotate keys by adding a v2 prefix and re-encrypting in a job.
type FieldCipher struct {
	aead cipher.AEAD
}

const version = "v1"

// NewFieldCipher returns a cipher for a 32-byte key.
func NewFieldCipher(key []byte) (*FieldCipher, error) {
	if len(key) != 32 {
		return nil, errors.New("the data encryption key must be 32 bytes")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &FieldCipher{aead: aead}, nil
}

// Seal encrypts plaintext for column.
func (c *FieldCipher) Seal(plaintext []byte, column string) (string, error) {
	nonce := make([]byte, c.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	sealed := c.aead.Seal(nil, nonce, plaintext, []byte(column))
	tagStart := len(sealed) - c.aead.Overhead()
	encode := base64.StdEncoding.EncodeToString
	return strings.Join([]string{version, encode(nonce), encode(sealed[tagStart:]), encode(sealed[:tagStart])}, ":"), nil
}

// Open decrypts a value Seal produced for the same column.
func (c *FieldCipher) Open(stored string, column string) ([]byte, error) {
	parts := strings.Split(stored, ":")
	if len(parts) != 4 || parts[0] != version {
		return nil, fmt.Errorf("%s: not a %s ciphertext", column, version)
	}
	var decoded [3][]byte
	for i, part := range parts[1:] {
		bytes, err := base64.StdEncoding.DecodeString(part)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", column, err)
		}
		decoded[i] = bytes
	}
	nonce, tag, ciphertext := decoded[0], decoded[1], decoded[2]
	if len(nonce) != c.aead.NonceSize() {
		return nil, fmt.Errorf("%s: bad nonce", column)
	}
	plaintext, err := c.aead.Open(nil, nonce, append(ciphertext, tag...), []byte(column))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", column, err)
	}
	return plaintext, nil
}
`;
}

/** `internal/security/cards.go` */
export function cardsGo(): string {
  return `package security

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// CardTokenizer replaces card numbers, which are never stored (PCI DSS 3.4), with an HMAC-SHA256
// token, which recognises the same card again without being able to recover the number, and the
// last four digits for display. To charge cards, replace the token with a payment vault reference.
type CardTokenizer struct {
	key []byte
}

// NewCardTokenizer returns a tokenizer keyed with CARD_TOKEN_KEY.
func NewCardTokenizer(key string) *CardTokenizer {
	return &CardTokenizer{key: []byte(key)}
}

// Tokenize returns the card number's token (hex) and its last four digits.
func (t *CardTokenizer) Tokenize(number string) (token string, last4 string) {
	mac := hmac.New(sha256.New, t.key)
	mac.Write([]byte(number))
	return hex.EncodeToString(mac.Sum(nil)), number[len(number)-4:]
}
`;
}

/** `internal/migrate/migrate.go` */
export function migrateGo(): string {
  return `// Package migrate applies the SQL files of migrations/ in order and records each in
// schema_migrations (the same bookkeeping the other qlf stacks use). A pair of files is
// NNNN_name.up.sql and NNNN_name.down.sql; each file runs in its own transaction. An advisory lock
// makes concurrent runs (several replicas starting at once) wait for each other.
package migrate

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
)

// Migration is one numbered schema change.
type Migration struct {
	Version string
	Name    string
	Up      string
	Down    string
}

var fileName = regexp.MustCompile(\`^(\\d+)_([A-Za-z0-9_-]+)\\.(up|down)\\.sql$\`)

// lockKey is an arbitrary constant: the key of this application's migration lock.
const lockKey = 727274001

// Load reads the migrations in dir of fsys, in version order.
func Load(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	byVersion := map[string]*Migration{}
	for _, entry := range entries {
		match := fileName.FindStringSubmatch(entry.Name())
		if match == nil {
			continue
		}
		text, err := fs.ReadFile(fsys, dir+"/"+entry.Name())
		if err != nil {
			return nil, err
		}
		migration, ok := byVersion[match[1]]
		if !ok {
			migration = &Migration{Version: match[1], Name: match[2]}
			byVersion[match[1]] = migration
		}
		if match[3] == "up" {
			migration.Up = string(text)
		} else {
			migration.Down = string(text)
		}
	}
	var migrations []Migration
	for _, migration := range byVersion {
		if migration.Up != "" {
			migrations = append(migrations, *migration)
		}
	}
	sort.Slice(migrations, func(i, j int) bool { return migrations[i].Version < migrations[j].Version })
	return migrations, nil
}

// Up applies every migration not applied yet and returns the versions it applied.
func Up(ctx context.Context, db *sql.DB, migrations []Migration) ([]string, error) {
	return withLock(ctx, db, func(conn *sql.Conn, applied map[string]bool) ([]string, error) {
		var done []string
		for _, migration := range migrations {
			if applied[migration.Version] {
				continue
			}
			if err := run(ctx, conn, migration.Up, migration.Version+"_"+migration.Name+".up.sql"); err != nil {
				return done, err
			}
			if _, err := conn.ExecContext(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", migration.Version, migration.Name); err != nil {
				return done, err
			}
			done = append(done, migration.Version)
		}
		return done, nil
	})
}

// Down rolls back the last steps applied migrations (all of them when steps < 0).
func Down(ctx context.Context, db *sql.DB, migrations []Migration, steps int) ([]string, error) {
	return withLock(ctx, db, func(conn *sql.Conn, applied map[string]bool) ([]string, error) {
		var done []string
		for i := len(migrations) - 1; i >= 0; i-- {
			migration := migrations[i]
			if steps >= 0 && len(done) >= steps {
				break
			}
			if !applied[migration.Version] {
				continue
			}
			if migration.Down == "" {
				return done, fmt.Errorf("migration %s has no down file", migration.Version)
			}
			if err := run(ctx, conn, migration.Down, migration.Version+"_"+migration.Name+".down.sql"); err != nil {
				return done, err
			}
			if _, err := conn.ExecContext(ctx, "DELETE FROM schema_migrations WHERE version = $1", migration.Version); err != nil {
				return done, err
			}
			done = append(done, migration.Version)
		}
		return done, nil
	})
}

func withLock(ctx context.Context, db *sql.DB, work func(conn *sql.Conn, applied map[string]bool) ([]string, error)) ([]string, error) {
	// The lock and the migrations share one connection: advisory locks belong to a session.
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", lockKey); err != nil {
		return nil, err
	}
	defer func() { _, _ = conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", lockKey) }()
	if _, err := conn.ExecContext(ctx, \`CREATE TABLE IF NOT EXISTS schema_migrations (
		version text PRIMARY KEY,
		name text NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now()
	)\`); err != nil {
		return nil, err
	}
	rows, err := conn.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return nil, err
	}
	applied := map[string]bool{}
	for rows.Next() {
		var version string
		if err := rows.Scan(&version); err != nil {
			rows.Close()
			return nil, err
		}
		applied[version] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return work(conn, applied)
}

func run(ctx context.Context, conn *sql.Conn, text, file string) error {
	// Without parameters the whole file goes as one simple query: its own BEGIN … COMMIT apply.
	if _, err := conn.ExecContext(ctx, text); err != nil {
		// The file's transaction is aborted; end it so that the connection is usable again.
		_, _ = conn.ExecContext(ctx, "ROLLBACK")
		return fmt.Errorf("%s failed: %w", file, err)
	}
	return nil
}
`;
}

/** `migrations.go` at the module root: the SQL migrations, embedded into the binaries. */
export function embedGo(packageName: string): string {
  return `// Package ${packageName} embeds the SQL migrations (migrations/*.sql), so that the server and
// migrate binaries carry them and the distroless image needs no other file.
package ${packageName}

import "embed"

// Migrations are the files of migrations/.
//
//go:embed migrations/*.sql
var Migrations embed.FS
`;
}

/** `cmd/migrate/main.go` */
export function migrateMainGo(modulePath: string, packageName: string): string {
  return `// Command migrate applies the embedded migrations to DATABASE_URL:
//
//	go run ./cmd/migrate up          apply every pending migration
//	go run ./cmd/migrate down        roll back the last one
//	go run ./cmd/migrate down all    roll back every one
//
// In the image it is /migrate (e.g. a Kubernetes init container or a one-off job).
package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"

	_ "github.com/lib/pq"

	${packageName} "${modulePath}"
	"${modulePath}/internal/migrate"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "migrate:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	command, steps := "up", 1
	if len(args) > 0 {
		command = args[0]
	}
	if len(args) > 1 {
		if args[1] == "all" {
			steps = -1
		} else if n, err := strconv.Atoi(args[1]); err == nil && n > 0 {
			steps = n
		} else {
			return fmt.Errorf("%q is not a number of steps (or all)", args[1])
		}
	}
	if command != "up" && command != "down" {
		return fmt.Errorf("unknown command %q (use up or down)", command)
	}
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		return fmt.Errorf("DATABASE_URL is not set")
	}
	db, err := sql.Open("postgres", url)
	if err != nil {
		return err
	}
	defer db.Close()
	migrations, err := migrate.Load(${packageName}.Migrations, "migrations")
	if err != nil {
		return err
	}
	ctx := context.Background()
	var versions []string
	if command == "up" {
		versions, err = migrate.Up(ctx, db, migrations)
	} else {
		versions, err = migrate.Down(ctx, db, migrations, steps)
	}
	if err != nil {
		return err
	}
	if len(versions) == 0 {
		fmt.Println("nothing to do")
	} else {
		fmt.Printf("%s: %s\\n", command, strings.Join(versions, ", "))
	}
	return nil
}
`;
}

/** `cmd/server/main.go` */
export function serverMainGo(modulePath: string, features: Features): string {
  const sealer = features.encryption
    ? `cipher, err := security.NewFieldCipher(cfg.DataEncryptionKey)
	if err != nil {
		return err
	}
	stores := store.NewPgStores(db, cipher)`
    : "stores := store.NewPgStores(db, nil)";
  const routesSealer = features.encryption
    ? `// A throwaway key: printing the routes serves no request and reads no data.
	cipher, err := security.NewFieldCipher(make([]byte, 32))
	if err != nil {
		return err
	}
	stores := store.NewMemoryStores(cipher)`
    : "stores := store.NewMemoryStores(nil)";
  return `// Command server runs the API: configuration from the environment, PostgreSQL stores, HTTP on PORT,
// and a graceful shutdown on SIGTERM (Kubernetes) or SIGINT (Ctrl-C): stop accepting connections,
// let in-flight requests finish, close the database pool.
//
//	go run ./cmd/server               serve
//	go run ./cmd/server -routes       print every route and exit
//	/server -healthcheck              exit 0 when the server on PORT answers /healthz (the image's HEALTHCHECK)
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gin-gonic/gin"
	_ "github.com/lib/pq"

	"${modulePath}/internal/api"
	"${modulePath}/internal/config"
	"${modulePath}/internal/logging"${features.encryption ? `\n\t"${modulePath}/internal/security"` : ""}
	"${modulePath}/internal/store"
)

// shutdownGrace is how long in-flight requests get before the process exits anyway.
const shutdownGrace = 10 * time.Second

func main() {
	healthcheck := flag.Bool("healthcheck", false, "probe /healthz of the server on PORT and exit 0 when it answers 200")
	routes := flag.Bool("routes", false, "print every route (METHOD PATH) and exit")
	flag.Parse()
	if os.Getenv("GIN_MODE") == "" {
		gin.SetMode(gin.ReleaseMode)
	}
	switch {
	case *healthcheck:
		os.Exit(probe())
	case *routes:
		if err := printRoutes(os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	default:
		if err := serve(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

func serve() error {
	cfg, err := config.Load(os.LookupEnv)
	if err != nil {
		return err
	}
	logger := logging.New(os.Stdout, cfg.LogLevel)
	db, err := sql.Open("postgres", cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(10)
	db.SetMaxIdleConns(10)
	db.SetConnMaxIdleTime(30 * time.Second)
	${sealer}
	server := &http.Server{
		Addr:              fmt.Sprintf(":%d", cfg.Port),
		Handler:           api.NewRouter(api.Deps{Config: cfg, Stores: stores, Logger: logger}),
		ReadHeaderTimeout: 10 * time.Second,
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	failed := make(chan error, 1)
	go func() {
		logger.Info("listening", map[string]any{"port": cfg.Port})
		if err := server.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			failed <- err
		}
	}()
	select {
	case err := <-failed:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down", nil)
	shutdown, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := server.Shutdown(shutdown); err != nil {
		return fmt.Errorf("in-flight requests did not finish in time: %w", err)
	}
	return nil
}

// printRoutes prints the routes the router registers, one METHOD PATH per line.
func printRoutes(out io.Writer) error {
	${routesSealer}
	router := api.NewRouter(api.Deps{Stores: stores.Stores, Logger: logging.Discard()})
	for _, route := range router.Routes() {
		fmt.Fprintf(out, "%s %s\\n", route.Method, route.Path)
	}
	return nil
}

// probe asks the server on PORT for /healthz: the image has no shell or curl, so the binary is its
// own health check.
func probe() int {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	client := http.Client{Timeout: 3 * time.Second}
	response, err := client.Get("http://127.0.0.1:" + port + "/healthz")
	if err != nil {
		return 1
	}
	defer response.Body.Close()
	if response.StatusCode != http.StatusOK {
		return 1
	}
	return 0
}
`;
}
