package postgres_test

import (
	"context"
	"testing"

	"sinergi/internal/pgtest"
	"sinergi/postgres"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestMigrationsDownAndUpAgain(t *testing.T) {
	db := pgtest.NewDB(t)
	ctx := context.Background()
	p, err := postgres.Migrator(db)
	if err != nil {
		t.Fatal(err)
	}
	columns := func() []string {
		var cols []string
		if err := db.Raw(`SELECT table_name || '.' || column_name || ':' || data_type FROM information_schema.columns
			WHERE table_schema = 'public' AND table_name <> 'goose_db_version' ORDER BY 1`).Scan(&cols).Error; err != nil {
			t.Fatal(err)
		}
		return cols
	}
	before := columns()
	if len(before) == 0 {
		t.Fatal("no tables after migrating up")
	}
	current, err := p.GetDBVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 0); err != nil {
		t.Fatalf("down to 0: %v", err)
	}
	if left := columns(); len(left) != 0 {
		t.Fatalf("tables left after down: %v", left)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
	after := columns()
	if v, _ := p.GetDBVersion(ctx); v != current {
		t.Fatalf("version %d after up, want %d", v, current)
	}
	if len(after) != len(before) {
		t.Fatalf("schema differs after down and up: %d columns, want %d", len(after), len(before))
	}
	for i := range before {
		if before[i] != after[i] {
			t.Fatalf("column %d: %s, want %s", i, after[i], before[i])
		}
	}
	var manajerial int64
	db.Raw("SELECT count(*) FROM competencies WHERE type = 'manajerial'").Scan(&manajerial)
	if manajerial != 8 {
		t.Fatalf("%d manajerial competencies after re-migration", manajerial)
	}
}
