package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"gorm.io/gorm"

	"sinergi/audit"
	"sinergi/errs"
	"sinergi/i18n"
	"sinergi/internal/sheet"
	"sinergi/postgres"
	"sinergi/profile"
)

// importer is the roster import use case over db.
func importer(db *gorm.DB) profile.Importer {
	return profile.Importer{Store: postgres.PeopleStore{DB: db}, Tx: postgres.Transactor{DB: db}, Now: time.Now}
}

// parseInterleaved parses flags that may come before or after the
// positional arguments ("import FILE --institution X") and returns the
// positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// importCmd checks a roster file for the institution with the given code
// and, with apply, writes it in one transaction. It prints the report; a
// file with problems is an error (exit status 1) and changes nothing.
func importCmd(ctx context.Context, db *gorm.DB, w io.Writer, code string, files []string, apply bool) error {
	if code == "" || len(files) != 1 {
		return errors.New("usage: sinergi import FILE --institution CODE [--apply]")
	}
	body, err := os.ReadFile(files[0])
	if err != nil {
		return err
	}
	table, err := sheet.Read(body)
	if err != nil {
		if e, ok := errs.As(err); ok { // staff read it: in Indonesian
			t := e.Text()
			return fmt.Errorf("%s: %s", files[0], i18n.Sprintf(i18n.Indonesian, t.Format, t.Args...))
		}
		return fmt.Errorf("%s: %w", files[0], err)
	}
	inst, err := postgres.TenantStore{DB: db}.InstitutionByCode(ctx, code)
	if err != nil {
		if errs.KindOf(err) == errs.NotFound {
			return fmt.Errorf("no institution with code %q", code)
		}
		return err
	}
	ctx = audit.WithActor(ctx, audit.Actor{Role: "import"})
	report, err := importer(db).Import(ctx, inst.ID, table, apply)
	if err != nil && !errors.Is(err, profile.ErrImportRejected) {
		return err
	}
	printReport(w, files[0], report)
	switch {
	case !report.OK():
		return fmt.Errorf("%s: %d masalah; tidak ada data yang diubah", files[0], len(report.Problems))
	case !apply:
		fmt.Fprintln(w, "uji saja (dry run): tidak ada yang ditulis; tambahkan --apply untuk menerapkan")
	}
	return nil
}

func printReport(w io.Writer, name string, r profile.ImportReport) {
	state := "uji (dry run)"
	if r.Applied {
		state = "diterapkan"
	}
	fmt.Fprintf(w, "%s: %d baris, %s: %d baru, %d diubah, %d tetap\n", name, r.Rows, state, r.Created, r.Updated, r.Unchanged)
	for _, p := range r.Problems {
		field := p.Field
		if field == "" {
			field = "-"
		}
		fmt.Fprintf(w, "  baris %d, kolom %s [%s]: %s\n", p.Row, field, p.Code, p.Message)
	}
}
