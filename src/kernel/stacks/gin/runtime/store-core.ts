/**
 * `internal/store`: the parts every generated app shares — rows, errors, paging, the generic
 * in-memory and PostgreSQL repositories, and the row codec helpers. Entity files (entity/store.ts)
 * only describe their table and how a record maps to a row.
 */

/** `internal/store/store.go` */
export function storeGo(): string {
  return `// Package store keeps the application's records, in memory (tests, local runs) or in PostgreSQL
// (the server), behind one Repository interface per entity. Handlers never know which one they use.
package store

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"
)

// Row is a record as stored: column name → value (string, int64, float64, bool, time.Time or nil).
type Row map[string]any

// ErrNotFound reports that there is no live record with the given id.
var ErrNotFound = errors.New("record not found")

// ConstraintKind says which kind of table constraint refused a write.
type ConstraintKind string

// The constraint kinds.
const (
	UniqueViolation     ConstraintKind = "unique"
	ForeignKeyViolation ConstraintKind = "foreign-key"
	StillReferenced     ConstraintKind = "restrict"
)

// ConstraintError is a write that a table constraint refused. Both stores return it, so handlers
// answer 409 the same way whichever store is in use.
type ConstraintError struct {
	Kind       ConstraintKind
	Table      string
	Constraint string
	// Field is the JSON field the constraint is about, when there is exactly one.
	Field   string
	Message string
}

func (e *ConstraintError) Error() string { return e.Message }

// Paging selects one page of a list, counted from 1.
type Paging struct {
	Page     int
	PageSize int
}

func (p Paging) offset() int { return (p.Page - 1) * p.PageSize }

// ListOptions are a list's page, its order and its exact-match filters (JSON field → value).
type ListOptions struct {
	Paging
	SortField  string
	Descending bool
	Filters    map[string]any
}

// ResultPage is one page of records and the number of matching records on all pages.
type ResultPage[T any] struct {
	Items []T
	Total int
}

// Repository stores the records of one entity. The in-memory implementation enforces the same
// unique and foreign-key constraints as the migrations, so tests see what PostgreSQL reports.
type Repository[T any] interface {
	// List returns a page of live records matching every filter, in the requested order.
	List(ctx context.Context, options ListOptions) (ResultPage[T], error)
	// Search returns live records whose searchable fields contain text, ignoring case.
	Search(ctx context.Context, text string, paging Paging) (ResultPage[T], error)
	// FindByID returns the live record with this id, or ErrNotFound.
	FindByID(ctx context.Context, id string) (T, error)
	// ListBy returns the live records whose reference field points at id, oldest first.
	ListBy(ctx context.Context, field string, id string) ([]T, error)
	// Insert stores a new record and returns it as stored.
	Insert(ctx context.Context, record T) (T, error)
	// Update applies change to the live record with this id, atomically; change may refuse by
	// returning an error, which Update returns unchanged. ErrNotFound when there is no such record.
	Update(ctx context.Context, id string, change func(record *T) error) (T, error)
	// Remove deletes the record (with soft delete: marks it deleted); ErrNotFound when there is none.
	Remove(ctx context.Context, id string, at time.Time) error
}

// Sealer encrypts and decrypts column values at rest (security.FieldCipher implements it).
type Sealer interface {
	Seal(plaintext []byte, column string) (string, error)
	Open(sealed string, column string) ([]byte, error)
}

// NewID returns a random (version 4) UUID.
func NewID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
`;
}

/** `internal/store/codec.go`: records ↔ rows, shared by both stores. */
export function codecGo(): string {
  return `package store

import (
	"encoding/json"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"
)

// entityTable describes how one entity is stored. Every identifier the PostgreSQL repository writes
// into SQL comes from these constants; values are always parameters ($1, $2…).
type entityTable struct {
	name       string
	columns    []string
	softDelete bool
	// JSON field → column, for sorting, filtering and references (owned-record lookups).
	sortColumns      map[string]string
	filterColumns    map[string]string
	referenceColumns map[string]string
	// numericSort lists decimal fields: stored as text in memory, they sort by value.
	numericSort   map[string]bool
	searchColumns []string
}

// codec turns a record into its row and back (encrypting and decrypting sealed columns).
type codec[T any] struct {
	encode func(record T, sealer Sealer) (Row, error)
	decode func(row Row, sealer Sealer) (T, error)
}

// opt is the stored value of an optional field: nil, or what the pointer points at.
func opt[T any](value *T) any {
	if value == nil {
		return nil
	}
	return *value
}

// objectOrNil is a JSON object field as a value to seal: nil when the object is absent.
func objectOrNil(value map[string]any) any {
	if value == nil {
		return nil
	}
	return value
}

// rowWriter builds a row, remembering the first error.
type rowWriter struct {
	row    Row
	sealer Sealer
	err    error
}

func newRowWriter(sealer Sealer) *rowWriter {
	return &rowWriter{row: Row{}, sealer: sealer}
}

func (w *rowWriter) put(column string, value any) {
	if t, ok := value.(time.Time); ok {
		value = t.UTC()
	}
	w.row[column] = value
}

// object stores a JSON object as its text (a jsonb column).
func (w *rowWriter) object(column string, value map[string]any) {
	if value == nil {
		w.row[column] = nil
		return
	}
	text, err := json.Marshal(value)
	if err != nil && w.err == nil {
		w.err = fmt.Errorf("column %s: %w", column, err)
	}
	w.row[column] = string(text)
}

// seal stores the value encrypted: its JSON, sealed with the column name bound in.
func (w *rowWriter) seal(column string, value any) {
	if value == nil {
		w.row[column] = nil
		return
	}
	if w.sealer == nil {
		w.fail(column, fmt.Errorf("no encryption key configured"))
		return
	}
	plaintext, err := json.Marshal(value)
	if err != nil {
		w.fail(column, err)
		return
	}
	sealed, err := w.sealer.Seal(plaintext, column)
	if err != nil {
		w.fail(column, err)
		return
	}
	w.row[column] = sealed
}

func (w *rowWriter) fail(column string, err error) {
	if w.err == nil {
		w.err = fmt.Errorf("column %s: %w", column, err)
	}
}

// rowReader reads a row's columns as Go values, remembering the first error. PostgreSQL and the
// in-memory store return slightly different types (e.g. DATE as time.Time or text); both are read.
type rowReader struct {
	row    Row
	sealer Sealer
	err    error
}

func (r *rowReader) fail(column string, err error) {
	if r.err == nil {
		r.err = fmt.Errorf("column %s: %w", column, err)
	}
}

func (r *rowReader) optText(column string) *string {
	switch v := r.row[column].(type) {
	case nil:
		return nil
	case string:
		return &v
	case []byte:
		text := string(v)
		return &text
	case time.Time:
		// A DATE column comes back from PostgreSQL as midnight UTC.
		text := v.Format("2006-01-02")
		return &text
	default:
		r.fail(column, fmt.Errorf("unexpected %T", v))
		return nil
	}
}

func (r *rowReader) text(column string) string {
	if value := r.optText(column); value != nil {
		return *value
	}
	return ""
}

func (r *rowReader) optInteger(column string) *int64 {
	switch v := r.row[column].(type) {
	case nil:
		return nil
	case int64:
		return &v
	case int:
		n := int64(v)
		return &n
	case string:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			r.fail(column, err)
			return nil
		}
		return &n
	default:
		r.fail(column, fmt.Errorf("unexpected %T", v))
		return nil
	}
}

func (r *rowReader) integer(column string) int64 {
	if value := r.optInteger(column); value != nil {
		return *value
	}
	return 0
}

func (r *rowReader) optNumber(column string) *float64 {
	switch v := r.row[column].(type) {
	case nil:
		return nil
	case float64:
		return &v
	case int64:
		f := float64(v)
		return &f
	case string:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			r.fail(column, err)
			return nil
		}
		return &f
	default:
		r.fail(column, fmt.Errorf("unexpected %T", v))
		return nil
	}
}

func (r *rowReader) number(column string) float64 {
	if value := r.optNumber(column); value != nil {
		return *value
	}
	return 0
}

func (r *rowReader) optBoolean(column string) *bool {
	switch v := r.row[column].(type) {
	case nil:
		return nil
	case bool:
		return &v
	default:
		r.fail(column, fmt.Errorf("unexpected %T", v))
		return nil
	}
}

func (r *rowReader) boolean(column string) bool {
	if value := r.optBoolean(column); value != nil {
		return *value
	}
	return false
}

func (r *rowReader) optTimestamp(column string) *time.Time {
	switch v := r.row[column].(type) {
	case nil:
		return nil
	case time.Time:
		t := v.UTC()
		return &t
	default:
		r.fail(column, fmt.Errorf("unexpected %T", v))
		return nil
	}
}

func (r *rowReader) timestamp(column string) time.Time {
	if value := r.optTimestamp(column); value != nil {
		return *value
	}
	return time.Time{}
}

func (r *rowReader) object(column string) map[string]any {
	text := r.optText(column)
	if text == nil {
		return nil
	}
	var value map[string]any
	if err := json.Unmarshal([]byte(*text), &value); err != nil {
		r.fail(column, err)
	}
	return value
}

// open decrypts a sealed column into target (a pointer to the field).
func (r *rowReader) open(column string, target any) {
	sealed := r.optText(column)
	if sealed == nil {
		return
	}
	if r.sealer == nil {
		r.fail(column, fmt.Errorf("no encryption key configured"))
		return
	}
	plaintext, err := r.sealer.Open(*sealed, column)
	if err != nil {
		r.fail(column, err)
		return
	}
	if err := json.Unmarshal(plaintext, target); err != nil {
		r.fail(column, err)
	}
}

// compareValues orders two stored values as PostgreSQL does: NULL after every other value.
func compareValues(a, b any, numeric bool) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	switch x := a.(type) {
	case string:
		y, _ := b.(string)
		if numeric {
			return compareDecimals(x, y)
		}
		return strings.Compare(x, y)
	case int64:
		y, _ := b.(int64)
		return compareOrdered(x, y)
	case float64:
		y, _ := b.(float64)
		return compareOrdered(x, y)
	case bool:
		y, _ := b.(bool)
		return compareOrdered(boolRank(x), boolRank(y))
	case time.Time:
		y, _ := b.(time.Time)
		return compareOrdered(x.UnixNano(), y.UnixNano())
	default:
		return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
	}
}

func compareOrdered[V int | int64 | float64](a, b V) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	default:
		return 0
	}
}

func boolRank(value bool) int {
	if value {
		return 1
	}
	return 0
}

func compareDecimals(a, b string) int {
	x, okX := new(big.Rat).SetString(a)
	y, okY := new(big.Rat).SetString(b)
	if !okX || !okY {
		return strings.Compare(a, b)
	}
	return x.Cmp(y)
}

// sortRows orders rows like ORDER BY column [DESC], id [DESC].
func sortRows(rows []Row, column string, descending, numeric bool) {
	sort.SliceStable(rows, func(i, j int) bool {
		order := compareValues(rows[i][column], rows[j][column], numeric)
		if order == 0 {
			order = compareValues(rows[i]["id"], rows[j]["id"], false)
		}
		if descending {
			order = -order
		}
		return order < 0
	})
}

// sortedKeys returns a map's keys in order, so that generated SQL is always the same.
func sortedKeys(values map[string]any) []string {
	keys := make([]string, 0, len(values))
	for key := range values {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	return keys
}
`;
}

/** `internal/store/memory.go`: the in-memory database and the in-memory repository. */
export function memoryGo(softDeleteMarker: string): string {
  return `package store

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// MemoryDB is an in-memory stand-in for PostgreSQL: rows per table, keyed by id, with the unique and
// foreign-key constraints of the migrations enforced the way PostgreSQL enforces them (including ON
// DELETE CASCADE, RESTRICT and SET NULL). Rows hold exactly what PostgreSQL would store
// (ciphertext, card tokens), so tests can check what lands in storage.
type MemoryDB struct {
	mu     sync.Mutex
	tables map[string]*memoryTable
}

type memoryTable struct {
	schema tableSchema
	rows   map[string]Row
	order  []string
}

// NewMemoryDB returns an empty database with the application's tables.
func NewMemoryDB() *MemoryDB {
	db := &MemoryDB{tables: map[string]*memoryTable{}}
	for _, schema := range tables {
		db.tables[schema.name] = &memoryTable{schema: schema, rows: map[string]Row{}}
	}
	return db
}

// Find returns a copy of the row with this id.
func (db *MemoryDB) Find(table, id string) (Row, bool) {
	db.mu.Lock()
	defer db.mu.Unlock()
	row, ok := db.table(table).rows[id]
	return copyRow(row), ok
}

// Rows returns copies of every row of the table, in insertion order.
func (db *MemoryDB) Rows(table string) []Row {
	db.mu.Lock()
	defer db.mu.Unlock()
	t := db.table(table)
	rows := make([]Row, 0, len(t.order))
	for _, id := range t.order {
		rows = append(rows, copyRow(t.rows[id]))
	}
	return rows
}

// Insert adds a row, unless a constraint refuses it.
func (db *MemoryDB) Insert(table string, row Row) error {
	db.mu.Lock()
	defer db.mu.Unlock()
	t := db.table(table)
	id := fmt.Sprint(row["id"])
	if _, taken := t.rows[id]; taken {
		return &ConstraintError{Kind: UniqueViolation, Table: table, Constraint: table + "_pkey", Message: "a record with this id already exists"}
	}
	if err := db.check(t, row, ""); err != nil {
		return err
	}
	t.rows[id] = copyRow(row)
	t.order = append(t.order, id)
	return nil
}

// Update replaces the row with this id by what change returns, unless change or a constraint
// refuses it; the whole change happens under one lock, like a transaction.
func (db *MemoryDB) Update(table, id string, change func(current Row) (Row, error)) (Row, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	t := db.table(table)
	current, ok := t.rows[id]
	if !ok {
		return nil, ErrNotFound
	}
	next, err := change(copyRow(current))
	if err != nil {
		return nil, err
	}
	next["id"] = id
	if err := db.check(t, next, id); err != nil {
		return nil, err
	}
	t.rows[id] = copyRow(next)
	return copyRow(next), nil
}

// Delete removes the row and applies ON DELETE to the rows that reference it.
func (db *MemoryDB) Delete(table, id string) error {
	db.mu.Lock()
	defer db.mu.Unlock()
	if _, ok := db.table(table).rows[id]; !ok {
		return ErrNotFound
	}
	// Check every RESTRICT first, so that a refused delete changes nothing.
	if err := db.checkRestrict(table, id, map[string]bool{}); err != nil {
		return err
	}
	db.cascade(table, id)
	return nil
}

// Clear empties every table.
func (db *MemoryDB) Clear() {
	db.mu.Lock()
	defer db.mu.Unlock()
	for _, t := range db.tables {
		t.rows = map[string]Row{}
		t.order = nil
	}
}

func (db *MemoryDB) table(name string) *memoryTable {
	t, ok := db.tables[name]
	if !ok {
		panic("store: unknown table " + name)
	}
	return t
}

func (db *MemoryDB) check(t *memoryTable, row Row, ownID string) error {
	for _, unique := range t.schema.uniques {
		if err := db.checkUnique(t, unique, row, ownID); err != nil {
			return err
		}
	}
	for _, key := range t.schema.foreignKeys {
		value := row[key.column]
		if value == nil {
			continue
		}
		if _, ok := db.table(key.references).rows[fmt.Sprint(value)]; !ok {
			field := t.schema.fields[key.column]
			return &ConstraintError{Kind: ForeignKeyViolation, Table: t.schema.name, Constraint: key.name, Field: field, Message: orColumn(field, key.column) + " does not refer to an existing record"}
		}
	}
	return nil
}

func (db *MemoryDB) checkUnique(t *memoryTable, unique uniqueKey, row Row, ownID string) error {
	for _, column := range unique.columns {
		// As in SQL, NULL never equals NULL: a key with a null never collides.
		if row[column] == nil {
			return nil
		}
	}
	for id, other := range t.rows {
		if id == ownID {
			continue
		}
		same := true
		for _, column := range unique.columns {
			if compareValues(other[column], row[column], false) != 0 {
				same = false
				break
			}
		}
		if same {
			field := ""
			message := "a record with these values already exists"
			if len(unique.columns) == 1 {
				field = t.schema.fields[unique.columns[0]]
				message = "a record with this " + orColumn(field, unique.columns[0]) + " already exists"
			}
			return &ConstraintError{Kind: UniqueViolation, Table: t.schema.name, Constraint: unique.name, Field: field, Message: message}
		}
	}
	return nil
}

func (db *MemoryDB) checkRestrict(table, id string, seen map[string]bool) error {
	marker := table + ":" + id
	if seen[marker] {
		return nil
	}
	seen[marker] = true
	for _, child := range db.tables {
		for _, key := range child.schema.foreignKeys {
			if key.references != table {
				continue
			}
			for childID, row := range child.rows {
				if fmt.Sprint(row[key.column]) != id {
					continue
				}
				switch key.onDelete {
				case "restrict":
					return &ConstraintError{Kind: StillReferenced, Table: table, Constraint: key.name, Message: "the record is still referenced by " + child.schema.name}
				case "cascade":
					if err := db.checkRestrict(child.schema.name, childID, seen); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

func (db *MemoryDB) cascade(table, id string) {
	t := db.table(table)
	delete(t.rows, id)
	for i, candidate := range t.order {
		if candidate == id {
			t.order = append(t.order[:i], t.order[i+1:]...)
			break
		}
	}
	for _, child := range db.tables {
		for _, key := range child.schema.foreignKeys {
			if key.references != table {
				continue
			}
			for _, childID := range append([]string(nil), child.order...) {
				row, ok := child.rows[childID]
				if !ok || fmt.Sprint(row[key.column]) != id {
					continue
				}
				if key.onDelete == "cascade" {
					db.cascade(child.schema.name, childID)
				} else if key.onDelete == "set null" {
					row[key.column] = nil
				}
			}
		}
	}
}

func copyRow(row Row) Row {
	if row == nil {
		return nil
	}
	out := make(Row, len(row))
	for column, value := range row {
		out[column] = value
	}
	return out
}

func orColumn(field, column string) string {
	if field != "" {
		return field
	}
	return column
}

// memoryRepository is Repository[T] over a MemoryDB table.
type memoryRepository[T any] struct {
	db     *MemoryDB
	table  *entityTable
	codec  codec[T]
	sealer Sealer
}

func newMemoryRepository[T any](db *MemoryDB, table *entityTable, c codec[T], sealer Sealer) *memoryRepository[T] {
	return &memoryRepository[T]{db: db, table: table, codec: c, sealer: sealer}
}

func (r *memoryRepository[T]) List(_ context.Context, options ListOptions) (ResultPage[T], error) {
	column, ok := r.table.sortColumns[options.SortField]
	if !ok {
		return ResultPage[T]{}, fmt.Errorf("%s: cannot sort by %q", r.table.name, options.SortField)
	}
	var matching []Row
	for _, row := range r.liveRows() {
		keep := true
		for _, field := range sortedKeys(options.Filters) {
			filterColumn, ok := r.table.filterColumns[field]
			if !ok {
				return ResultPage[T]{}, fmt.Errorf("%s: cannot filter on %q", r.table.name, field)
			}
			if row[filterColumn] == nil || compareValues(row[filterColumn], options.Filters[field], false) != 0 {
				keep = false
				break
			}
		}
		if keep {
			matching = append(matching, row)
		}
	}
	sortRows(matching, column, options.Descending, r.table.numericSort[options.SortField])
	return r.page(matching, options.Paging)
}

func (r *memoryRepository[T]) Search(_ context.Context, text string, paging Paging) (ResultPage[T], error) {
	needle := strings.ToLower(text)
	var matching []Row
	for _, row := range r.liveRows() {
		for _, column := range r.table.searchColumns {
			if value, ok := row[column].(string); ok && strings.Contains(strings.ToLower(value), needle) {
				matching = append(matching, row)
				break
			}
		}
	}
	sortRows(matching, "created_at", true, false)
	return r.page(matching, paging)
}

func (r *memoryRepository[T]) FindByID(_ context.Context, id string) (T, error) {
	var zero T
	row, ok := r.db.Find(r.table.name, id)
	if !ok || !r.live(row) {
		return zero, ErrNotFound
	}
	return r.codec.decode(row, r.sealer)
}

func (r *memoryRepository[T]) ListBy(_ context.Context, field string, id string) ([]T, error) {
	column, ok := r.table.referenceColumns[field]
	if !ok {
		return nil, fmt.Errorf("%s: no reference field %q", r.table.name, field)
	}
	var owned []Row
	for _, row := range r.liveRows() {
		if row[column] == id {
			owned = append(owned, row)
		}
	}
	sortRows(owned, "created_at", false, false)
	return r.decodeAll(owned)
}

func (r *memoryRepository[T]) Insert(_ context.Context, record T) (T, error) {
	var zero T
	row, err := r.codec.encode(record, r.sealer)
	if err != nil {
		return zero, err
	}
	if err := r.db.Insert(r.table.name, row); err != nil {
		return zero, err
	}
	return r.codec.decode(row, r.sealer)
}

func (r *memoryRepository[T]) Update(_ context.Context, id string, change func(record *T) error) (T, error) {
	var zero T
	row, err := r.db.Update(r.table.name, id, func(current Row) (Row, error) {
		if !r.live(current) {
			return nil, ErrNotFound
		}
		record, err := r.codec.decode(current, r.sealer)
		if err != nil {
			return nil, err
		}
		if err := change(&record); err != nil {
			return nil, err
		}
		return r.codec.encode(record, r.sealer)
	})
	if err != nil {
		return zero, err
	}
	return r.codec.decode(row, r.sealer)
}

func (r *memoryRepository[T]) Remove(_ context.Context, id string, at time.Time) error {
	if r.table.softDelete {
${softDeleteMarker === "" ? "" : `\t\t${softDeleteMarker}\n`}		_, err := r.db.Update(r.table.name, id, func(current Row) (Row, error) {
			if !r.live(current) {
				return nil, ErrNotFound
			}
			current["deleted_at"] = at.UTC()
			current["updated_at"] = at.UTC()
			return current, nil
		})
		return err
	}
	return r.db.Delete(r.table.name, id)
}

func (r *memoryRepository[T]) live(row Row) bool {
	return !r.table.softDelete || row["deleted_at"] == nil
}

func (r *memoryRepository[T]) liveRows() []Row {
	var live []Row
	for _, row := range r.db.Rows(r.table.name) {
		if r.live(row) {
			live = append(live, row)
		}
	}
	return live
}

func (r *memoryRepository[T]) page(rows []Row, paging Paging) (ResultPage[T], error) {
	start := paging.offset()
	if start > len(rows) {
		start = len(rows)
	}
	end := start + paging.PageSize
	if end > len(rows) {
		end = len(rows)
	}
	items, err := r.decodeAll(rows[start:end])
	return ResultPage[T]{Items: items, Total: len(rows)}, err
}

func (r *memoryRepository[T]) decodeAll(rows []Row) ([]T, error) {
	items := make([]T, 0, len(rows))
	for _, row := range rows {
		item, err := r.codec.decode(row, r.sealer)
		if err != nil {
			return nil, err
		}
		items = append(items, item)
	}
	return items, nil
}
`;
}

/** `internal/store/postgres.go`: the PostgreSQL repository, row scanning and error translation. */
export function postgresGo(softDeleteMarker: string): string {
  return `package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lib/pq"
)

// pgRepository is Repository[T] over a PostgreSQL table. Identifiers in SQL come from the entity's
// table description, never from a request; every value is a parameter.
type pgRepository[T any] struct {
	db     *sql.DB
	table  *entityTable
	codec  codec[T]
	sealer Sealer
}

func newPgRepository[T any](db *sql.DB, table *entityTable, c codec[T], sealer Sealer) *pgRepository[T] {
	return &pgRepository[T]{db: db, table: table, codec: c, sealer: sealer}
}

func (r *pgRepository[T]) List(ctx context.Context, options ListOptions) (ResultPage[T], error) {
	column, ok := r.table.sortColumns[options.SortField]
	if !ok {
		return ResultPage[T]{}, fmt.Errorf("%s: cannot sort by %q", r.table.name, options.SortField)
	}
	where := r.liveCondition()
	var args []any
	for _, field := range sortedKeys(options.Filters) {
		filterColumn, ok := r.table.filterColumns[field]
		if !ok {
			return ResultPage[T]{}, fmt.Errorf("%s: cannot filter on %q", r.table.name, field)
		}
		args = append(args, options.Filters[field])
		where = append(where, fmt.Sprintf("%s = $%d", filterColumn, len(args)))
	}
	direction := "ASC"
	if options.Descending {
		direction = "DESC"
	}
	return r.page(ctx, where, args, column+" "+direction+", id "+direction, options.Paging)
}

func (r *pgRepository[T]) Search(ctx context.Context, text string, paging Paging) (ResultPage[T], error) {
	// ! escapes LIKE's wildcards in the text, so "50%" matches literally.
	escaped := strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace(text)
	clauses := make([]string, 0, len(r.table.searchColumns))
	for _, column := range r.table.searchColumns {
		clauses = append(clauses, column+" ILIKE $1 ESCAPE '!'")
	}
	where := append(r.liveCondition(), "("+strings.Join(clauses, " OR ")+")")
	return r.page(ctx, where, []any{"%" + escaped + "%"}, "created_at DESC, id DESC", paging)
}

func (r *pgRepository[T]) FindByID(ctx context.Context, id string) (T, error) {
	var zero T
	where := append([]string{"id = $1"}, r.liveCondition()...)
	row, err := scanRow(r.db.QueryRowContext(ctx, r.selectFrom()+" WHERE "+strings.Join(where, " AND "), id), r.table.columns)
	if errors.Is(err, sql.ErrNoRows) {
		return zero, ErrNotFound
	}
	if err != nil {
		return zero, err
	}
	return r.codec.decode(row, r.sealer)
}

func (r *pgRepository[T]) ListBy(ctx context.Context, field string, id string) ([]T, error) {
	column, ok := r.table.referenceColumns[field]
	if !ok {
		return nil, fmt.Errorf("%s: no reference field %q", r.table.name, field)
	}
	where := append([]string{column + " = $1"}, r.liveCondition()...)
	rows, err := r.db.QueryContext(ctx, r.selectFrom()+" WHERE "+strings.Join(where, " AND ")+" ORDER BY created_at, id", id)
	if err != nil {
		return nil, err
	}
	return r.decodeRows(rows)
}

func (r *pgRepository[T]) Insert(ctx context.Context, record T) (T, error) {
	var zero T
	row, err := r.codec.encode(record, r.sealer)
	if err != nil {
		return zero, err
	}
	placeholders := make([]string, len(r.table.columns))
	args := make([]any, len(r.table.columns))
	for i, column := range r.table.columns {
		placeholders[i] = fmt.Sprintf("$%d", i+1)
		args[i] = row[column]
	}
	query := "INSERT INTO " + r.table.name + " (" + strings.Join(r.table.columns, ", ") + ") VALUES (" +
		strings.Join(placeholders, ", ") + ") RETURNING " + strings.Join(r.table.columns, ", ")
	stored, err := scanRow(r.db.QueryRowContext(ctx, query, args...), r.table.columns)
	if err != nil {
		return zero, translatePgError(err, false)
	}
	return r.codec.decode(stored, r.sealer)
}

func (r *pgRepository[T]) Update(ctx context.Context, id string, change func(record *T) error) (T, error) {
	var zero T
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return zero, err
	}
	defer func() { _ = tx.Rollback() }()
	// FOR UPDATE holds the row until commit, so concurrent changes (e.g. two state transitions)
	// apply one after the other and the second sees the first.
	where := append([]string{"id = $1"}, r.liveCondition()...)
	current, err := scanRow(tx.QueryRowContext(ctx, r.selectFrom()+" WHERE "+strings.Join(where, " AND ")+" FOR UPDATE", id), r.table.columns)
	if errors.Is(err, sql.ErrNoRows) {
		return zero, ErrNotFound
	}
	if err != nil {
		return zero, err
	}
	record, err := r.codec.decode(current, r.sealer)
	if err != nil {
		return zero, err
	}
	if err := change(&record); err != nil {
		return zero, err
	}
	next, err := r.codec.encode(record, r.sealer)
	if err != nil {
		return zero, err
	}
	var sets []string
	var args []any
	for _, column := range r.table.columns {
		if column == "id" {
			continue
		}
		args = append(args, next[column])
		sets = append(sets, fmt.Sprintf("%s = $%d", column, len(args)))
	}
	args = append(args, id)
	query := fmt.Sprintf("UPDATE %s SET %s WHERE id = $%d RETURNING %s", r.table.name, strings.Join(sets, ", "), len(args), strings.Join(r.table.columns, ", "))
	stored, err := scanRow(tx.QueryRowContext(ctx, query, args...), r.table.columns)
	if err != nil {
		return zero, translatePgError(err, false)
	}
	if err := tx.Commit(); err != nil {
		return zero, translatePgError(err, false)
	}
	return r.codec.decode(stored, r.sealer)
}

func (r *pgRepository[T]) Remove(ctx context.Context, id string, at time.Time) error {
	var result sql.Result
	var err error
	if r.table.softDelete {
${softDeleteMarker === "" ? "" : `\t\t${softDeleteMarker}\n`}		result, err = r.db.ExecContext(ctx, "UPDATE "+r.table.name+" SET deleted_at = $2, updated_at = $2 WHERE id = $1 AND deleted_at IS NULL", id, at.UTC())
	} else {
		result, err = r.db.ExecContext(ctx, "DELETE FROM "+r.table.name+" WHERE id = $1", id)
	}
	if err != nil {
		return translatePgError(err, true)
	}
	if count, err := result.RowsAffected(); err != nil || count == 0 {
		return ErrNotFound
	}
	return nil
}

func (r *pgRepository[T]) selectFrom() string {
	return "SELECT " + strings.Join(r.table.columns, ", ") + " FROM " + r.table.name
}

func (r *pgRepository[T]) liveCondition() []string {
	if r.table.softDelete {
		return []string{"deleted_at IS NULL"}
	}
	return nil
}

// page returns one page of the rows matching where (conditions joined by AND) and their count.
func (r *pgRepository[T]) page(ctx context.Context, where []string, args []any, orderBy string, paging Paging) (ResultPage[T], error) {
	filter := ""
	if len(where) > 0 {
		filter = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := r.db.QueryRowContext(ctx, "SELECT count(*) FROM "+r.table.name+filter, args...).Scan(&total); err != nil {
		return ResultPage[T]{}, err
	}
	query := fmt.Sprintf("%s%s ORDER BY %s LIMIT $%d OFFSET $%d", r.selectFrom(), filter, orderBy, len(args)+1, len(args)+2)
	rows, err := r.db.QueryContext(ctx, query, append(args, paging.PageSize, paging.offset())...)
	if err != nil {
		return ResultPage[T]{}, err
	}
	items, err := r.decodeRows(rows)
	return ResultPage[T]{Items: items, Total: total}, err
}

func (r *pgRepository[T]) decodeRows(rows *sql.Rows) ([]T, error) {
	defer rows.Close()
	items := []T{}
	for rows.Next() {
		row, err := scanRow(rows, r.table.columns)
		if err != nil {
			return nil, err
		}
		item, err := r.codec.decode(row, r.sealer)
		if err != nil {
			return nil, err
		}
		items = append(items, item)
	}
	return items, rows.Err()
}

type scanner interface {
	Scan(dest ...any) error
}

// scanRow reads one result row into a Row; text the driver returns as bytes becomes a string.
func scanRow(s scanner, columns []string) (Row, error) {
	values := make([]any, len(columns))
	targets := make([]any, len(columns))
	for i := range values {
		targets[i] = &values[i]
	}
	if err := s.Scan(targets...); err != nil {
		return nil, err
	}
	row := make(Row, len(columns))
	for i, column := range columns {
		if b, ok := values[i].([]byte); ok {
			row[column] = string(b)
		} else {
			row[column] = values[i]
		}
	}
	return row, nil
}

// translatePgError turns a unique or foreign-key violation into a ConstraintError naming the
// field. PostgreSQL's own message quotes the offending value, so it is never passed on.
func translatePgError(err error, deleting bool) error {
	var pgErr *pq.Error
	if !errors.As(err, &pgErr) {
		return err
	}
	code := string(pgErr.Code)
	if code != "23505" && code != "23503" {
		return err
	}
	for _, schema := range tables {
		for _, unique := range schema.uniques {
			if unique.name == pgErr.Constraint && code == "23505" {
				field, message := "", "a record with these values already exists"
				if len(unique.columns) == 1 {
					field = schema.fields[unique.columns[0]]
					message = "a record with this " + orColumn(field, unique.columns[0]) + " already exists"
				}
				return &ConstraintError{Kind: UniqueViolation, Table: schema.name, Constraint: unique.name, Field: field, Message: message}
			}
		}
		for _, key := range schema.foreignKeys {
			if key.name != pgErr.Constraint || code != "23503" {
				continue
			}
			if deleting {
				return &ConstraintError{Kind: StillReferenced, Table: key.references, Constraint: key.name, Message: "the record is still referenced by " + schema.name}
			}
			field := schema.fields[key.column]
			return &ConstraintError{Kind: ForeignKeyViolation, Table: schema.name, Constraint: key.name, Field: field, Message: orColumn(field, key.column) + " does not refer to an existing record"}
		}
	}
	return err
}
`;
}

/** `internal/store/audit.go` */
export function auditGo(marker: string): string {
  return `package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lib/pq"
)

// AuditEvent says who read or changed which record, and which sensitive fields that involved. It
// names fields only, never their values, so the trail itself holds no personal data.
type AuditEvent struct {
	// Actor is the caller's id (never a credential), or "anonymous".
	Actor string
	// Action is read, list, search, create, update, delete, export, erase or an action's verb.
	Action   string
	Entity   string
	EntityID string
	Fields   []string
}

// AuditEntry is a recorded AuditEvent.
type AuditEntry struct {
	AuditEvent
	ID         string
	OccurredAt time.Time
}

// AuditLog records audit events; the PostgreSQL table is append-only.
type AuditLog interface {
	Record(ctx context.Context, events []AuditEvent) error
}

// MemoryAuditLog keeps audit entries in memory (tests, local runs).
type MemoryAuditLog struct {
	mu      sync.Mutex
	entries []AuditEntry
}

// Record appends the events.
func (l *MemoryAuditLog) Record(_ context.Context, events []AuditEvent) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, event := range events {
		event.Fields = append([]string(nil), event.Fields...)
		l.entries = append(l.entries, AuditEntry{AuditEvent: event, ID: NewID(), OccurredAt: time.Now().UTC()})
	}
	return nil
}

// Entries returns a copy of every entry, oldest first.
func (l *MemoryAuditLog) Entries() []AuditEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]AuditEntry(nil), l.entries...)
}

type pgAuditLog struct {
	db *sql.DB
}

func (l pgAuditLog) Record(ctx context.Context, events []AuditEvent) error {
	if len(events) == 0 {
		return nil
	}
	values := make([]string, 0, len(events))
	args := make([]any, 0, 5*len(events))
	for i, event := range events {
		n := 5 * i
		values = append(values, "($"+strconv.Itoa(n+1)+", $"+strconv.Itoa(n+2)+", $"+strconv.Itoa(n+3)+", $"+strconv.Itoa(n+4)+", $"+strconv.Itoa(n+5)+")")
		args = append(args, event.Actor, event.Action, event.Entity, event.EntityID, pq.Array(event.Fields))
	}
${marker === "" ? "" : `\t${marker}\n`}	_, err := l.db.ExecContext(ctx, "INSERT INTO audit_log (actor, action, entity, entity_id, fields) VALUES "+strings.Join(values, ", "), args...)
	return err
}
`;
}

/** `internal/store/idempotency.go` */
export function idempotencyStoreGo(): string {
  return `package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"sync"
)

// StoredResponse is the first response to a request with an Idempotency-Key.
type StoredResponse struct {
	Status  int
	Body    []byte
	Headers map[string]string
}

// ClaimState is what claiming a key found.
type ClaimState int

// The claim states: the caller now owns the key, another request holds it, or it is done.
const (
	Claimed ClaimState = iota
	InProgress
	Completed
)

// Claim is the result of claiming an idempotency key.
type Claim struct {
	State       ClaimState
	RequestHash string
	Response    StoredResponse
}

// IdempotencyStore remembers idempotency keys and the responses they produced.
type IdempotencyStore interface {
	// Claim takes (scope, key) for a request with this body hash, or reports who holds it.
	Claim(ctx context.Context, scope, key, requestHash string) (Claim, error)
	Complete(ctx context.Context, scope, key string, response StoredResponse) error
	Release(ctx context.Context, scope, key string) error
}

// MemoryIdempotencyStore keeps keys in memory (tests, a single replica).
type MemoryIdempotencyStore struct {
	mu      sync.Mutex
	entries map[string]*Claim
}

// Claim takes the key, or reports who holds it.
func (s *MemoryIdempotencyStore) Claim(_ context.Context, scope, key, requestHash string) (Claim, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.entries == nil {
		s.entries = map[string]*Claim{}
	}
	id := scope + "\\x00" + key
	entry, ok := s.entries[id]
	if !ok {
		s.entries[id] = &Claim{State: InProgress, RequestHash: requestHash}
		return Claim{State: Claimed}, nil
	}
	return *entry, nil
}

// Complete stores the response of a claimed key.
func (s *MemoryIdempotencyStore) Complete(_ context.Context, scope, key string, response StoredResponse) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if entry, ok := s.entries[scope+"\\x00"+key]; ok {
		entry.State = Completed
		entry.Response = response
	}
	return nil
}

// Release forgets a key whose request failed, so that the client can retry.
func (s *MemoryIdempotencyStore) Release(_ context.Context, scope, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.entries, scope+"\\x00"+key)
	return nil
}

// pgIdempotencyStore keeps keys in idempotency_keys; status_code 0 marks a request in progress.
type pgIdempotencyStore struct {
	db *sql.DB
}

func (s pgIdempotencyStore) Claim(ctx context.Context, scope, key, requestHash string) (Claim, error) {
	result, err := s.db.ExecContext(ctx,
		"INSERT INTO idempotency_keys (key, scope, request_hash, status_code) VALUES ($1, $2, $3, 0) ON CONFLICT (scope, key) DO NOTHING",
		key, scope, requestHash)
	if err != nil {
		return Claim{}, err
	}
	if count, err := result.RowsAffected(); err == nil && count == 1 {
		return Claim{State: Claimed}, nil
	}
	var hash string
	var status int
	var body, headers []byte
	err = s.db.QueryRowContext(ctx,
		"SELECT request_hash, status_code, response_body, response_headers FROM idempotency_keys WHERE scope = $1 AND key = $2",
		scope, key).Scan(&hash, &status, &body, &headers)
	if errors.Is(err, sql.ErrNoRows) {
		// Released between the insert and the select: the client may simply retry.
		return Claim{State: InProgress, RequestHash: requestHash}, nil
	}
	if err != nil {
		return Claim{}, err
	}
	if status == 0 {
		return Claim{State: InProgress, RequestHash: hash}, nil
	}
	stored := StoredResponse{Status: status, Body: body, Headers: map[string]string{}}
	if err := json.Unmarshal(headers, &stored.Headers); err != nil {
		return Claim{}, err
	}
	return Claim{State: Completed, RequestHash: hash, Response: stored}, nil
}

func (s pgIdempotencyStore) Complete(ctx context.Context, scope, key string, response StoredResponse) error {
	headers, err := json.Marshal(response.Headers)
	if err != nil {
		return err
	}
	body := string(response.Body)
	if body == "" {
		body = "null"
	}
	_, err = s.db.ExecContext(ctx,
		"UPDATE idempotency_keys SET status_code = $3, response_body = $4, response_headers = $5 WHERE scope = $1 AND key = $2",
		scope, key, response.Status, body, string(headers))
	return err
}

func (s pgIdempotencyStore) Release(ctx context.Context, scope, key string) error {
	_, err := s.db.ExecContext(ctx, "DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2", scope, key)
	return err
}
`;
}
