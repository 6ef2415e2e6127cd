package console_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"sinergi/tenant"
)

// adminClient makes the platform admin and signs them in.
func (e *env) adminClient() *client {
	e.t.Helper()
	_, _, err := e.app.Accounts.CreateUser(context.Background(), tenant.User{Email: "admin@sinergi.example.id", Role: tenant.Admin}, password)
	must(e.t, err)
	c := e.client()
	if r := c.login("admin@sinergi.example.id", password); r.Location != "/console/admin" {
		e.t.Fatalf("the admin's sign-in went to %q", r.Location)
	}
	return c
}

// staffClient signs in a staff user.
func (e *env) staffClient(email string) *client {
	e.t.Helper()
	c := e.client()
	if r := c.login(email, password); r.Location != "/console/dashboard" {
		e.t.Fatalf("%s's sign-in went to %q (%d)", email, r.Location, r.Status)
	}
	return c
}

func (e *env) userID(email string) int64 {
	e.t.Helper()
	var id int64
	must(e.t, e.db.Raw("SELECT id FROM users WHERE email = ?", email).Scan(&id).Error)
	return id
}

func (e *env) count(query string, args ...any) int64 {
	e.t.Helper()
	var n int64
	must(e.t, e.db.Raw(query, args...).Scan(&n).Error)
	return n
}

// Every settings and admin page answers to its role.
func TestSettingsAndAdminPagesRender(t *testing.T) {
	e := newEnv(t)
	staff := e.staffClient(e.staffA)
	for _, p := range []string{"/console/settings", "/console/settings/rates", "/console/users",
		fmt.Sprintf("/console/users/%d/deactivate", e.userID(e.staffA))} {
		r := staff.get(p)
		if r.Status != http.StatusOK {
			t.Errorf("staff GET %s: %d\n%s", p, r.Status, r.Body)
		}
	}
	admin := e.adminClient()
	for _, p := range []string{"/console/admin", "/console/admin/ceilings", "/console/admin/holidays?year=2026",
		"/console/admin/keys", "/console/admin/keys/rotate"} {
		if r := admin.get(p); r.Status != http.StatusOK {
			t.Errorf("admin GET %s: %d\n%s", p, r.Status, r.Body)
		}
	}
}
