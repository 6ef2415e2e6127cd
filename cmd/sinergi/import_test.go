package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sinergi/internal/pgtest"
	"sinergi/postgres"
	"sinergi/tenant"
)

// TestImportCommand runs "sinergi import" as a user would: a dry run
// writes nothing, --apply writes, a broken file is refused whole with
// every broken row printed.
func TestImportCommand(t *testing.T) {
	url := pgtest.URL(t)
	db, err := postgres.Open(context.Background(), url, 4)
	if err != nil {
		t.Fatal(err)
	}
	defer postgres.Close(db)
	ctx := context.Background()
	_, err = tenant.Service{Store: postgres.TenantStore{DB: db}}.CreateInstitution(ctx,
		tenant.Institution{Code: "BPSDM-T", Name: "BPSDM Provinsi T", Kind: "bpsdm_provinsi", Zone: "Asia/Jakarta"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const header = "nama;jenis;nip;jenjang;golongan;email;kepegawaian;organisasi;zona_waktu;kompetensi\n"
	good := file("roster.csv", header+
		"Rina Kusumawati;widyaiswara;197805122003122002;ahli_madya;IV/a;rina@bpsdm-t.go.id;pns;BPSDM T;WIB;integritas:4\n"+
		"Hendra Saputra;praktisi;;;;hendra@example.id;non_asn;BPBD Kabupaten T;WIB;\"pelayanan_publik:5; komunikasi:3\"\n")
	count := func() (people, levels int64) {
		db.Raw("SELECT count(*) FROM people").Scan(&people)
		db.Raw("SELECT count(*) FROM person_competencies").Scan(&levels)
		return people, levels
	}
	args := func(extra ...string) []string {
		return append([]string{"import", good, "--institution", "BPSDM-T", "--database-url", url}, extra...)
	}
	if err := run(args()); err != nil {
		t.Fatalf("dry run: %v", err)
	}
	if p, _ := count(); p != 0 {
		t.Fatalf("the dry run wrote %d people", p)
	}
	if err := run(args("--apply")); err != nil {
		t.Fatalf("apply: %v", err)
	}
	if p, l := count(); p != 2 || l != 3 {
		t.Fatalf("after --apply: %d people, %d competency levels; want 2 and 3", p, l)
	}

	broken := file("broken.csv", header+
		"Rina Kusumawati;widyaiswara;197805122003122002;ahli_madya;II/a;rina@bpsdm-t.go.id;pns;BPSDM T;WIB;\n"+
		"Hendra Saputra;praktisi;;;;hendra@example.id;non_asn;BPBD Kabupaten T;WIB;pelayanan_publik:7\n"+
		"Baru;praktisi;;;;baru@example.id;non_asn;;WIB;\n")
	var out bytes.Buffer
	err = importCmd(ctx, db, &out, "BPSDM-T", []string{broken}, true)
	if err == nil || !strings.Contains(err.Error(), "3 masalah; tidak ada data yang diubah") {
		t.Fatalf("broken file: err %v", err)
	}
	for _, want := range []string{
		"baris 2, kolom golongan [invalid_value]: tidak sesuai dengan jenjang ahli_madya",
		"baris 3, kolom kompetensi [bad_level]: level 7 untuk pelayanan_publik harus angka 1 sampai 5",
		"baris 4, kolom organisasi [invalid_value]: wajib diisi untuk praktisi",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	if p, l := count(); p != 2 || l != 3 {
		t.Fatalf("a refused file changed the roster: %d people, %d levels", p, l)
	}
	if err := run([]string{"import", good, "--institution", "NOPE", "--database-url", url}); err == nil ||
		!strings.Contains(err.Error(), `no institution with code "NOPE"`) {
		t.Fatalf("unknown institution: %v", err)
	}
}
