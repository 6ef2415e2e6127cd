package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"gorm.io/gorm"

	"sinergi/audit"
	"sinergi/errs"
	"sinergi/postgres"
	"sinergi/tenant"
)

// accounts is the console's sign-in use case over db.
func accounts(db *gorm.DB) tenant.Accounts {
	return tenant.Accounts{Store: postgres.AccountStore{DB: db}, Tx: postgres.Transactor{DB: db},
		Now: func() time.Time { return time.Now().UTC() }}
}

// userCmd runs `sinergi user create`: a console user of an institution
// (staff) or of the platform (admin). The password is read from stdin
// with --password-stdin, else made at random; either way it is printed
// only when it was made here.
func userCmd(ctx context.Context, db *gorm.DB, out io.Writer, in io.Reader, args []string, inst, email, name, role string, stdin bool) error {
	if len(args) != 1 || args[0] != "create" {
		return errors.New("usage: sinergi user create --email ADDRESS --role staff|admin [--institution CODE] [--name NAME] [--password-stdin]")
	}
	ctx = audit.WithActor(ctx, audit.Actor{Role: "cli"})
	u := tenant.User{Email: email, Name: name, Role: tenant.Role(role)}
	if role == string(tenant.Staff) {
		if inst == "" {
			return errors.New("--institution CODE is required for a staff user")
		}
		in, err := (postgres.TenantStore{DB: db}).InstitutionByCode(ctx, strings.ToUpper(inst))
		if err != nil {
			return fmt.Errorf("institution %s: %w", inst, err)
		}
		u.InstitutionID = in.ID
	}
	password := ""
	if stdin {
		line, err := bufio.NewReader(in).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		password = strings.TrimRight(line, "\r\n")
	}
	created, pw, err := accounts(db).CreateUser(ctx, u, password)
	if err != nil {
		if e, ok := errs.As(err); ok && len(e.Fields) > 0 {
			return fmt.Errorf("%s", e.Error())
		}
		return err
	}
	fmt.Fprintf(out, "user %d created: %s (%s)\n", created.ID, created.Email, created.Role)
	if !stdin {
		fmt.Fprintf(out, "one-time password (shown only now): %s\n", pw)
	}
	return nil
}

// demoConsoleUser makes the demo's staff user of the first institution
// once and returns its sign-in. The password is kept beside the demo keys
// (mode 600) so that seeding again prints the same one; without a keys
// file a user that already exists is reported without a password.
func demoConsoleUser(ctx context.Context, db *gorm.DB, inst int64, kept map[string]string) (email, password string, err error) {
	email = "staf@bpsdm-jabar.demo.id"
	store := postgres.AccountStore{DB: db}
	if _, hash, err := store.UserByEmail(ctx, email); err == nil {
		if pw := kept["console"]; pw != "" && tenant.CheckPassword(hash, pw) {
			return email, pw, nil
		}
		return email, "", nil
	} else if errs.KindOf(err) != errs.NotFound {
		return "", "", err
	}
	_, password, err = accounts(db).CreateUser(ctx, tenant.User{InstitutionID: inst, Role: tenant.Staff, Email: email,
		Name: "Staf Demo BPSDM Jawa Barat"}, "")
	return email, password, err
}
