package demo

import (
	"reflect"
	"testing"
	"time"
)

func TestGenerateIsDeterministic(t *testing.T) {
	a, b := Generate(7), Generate(7)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave different data")
	}
	if reflect.DeepEqual(a, Generate(8)) {
		t.Fatal("another seed gave the same data")
	}
}

func TestGenerateMakesAValidRoster(t *testing.T) {
	today := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	insts := Generate(42)
	zones := map[string]bool{}
	var widyaiswara, practitioners int
	for _, in := range insts {
		zones[in.Tenant.Zone] = true
		if err := in.Tenant.Normalize(); err != nil {
			t.Fatalf("%s: %v", in.Tenant.Code, err)
		}
		emails := map[string]bool{}
		for _, p := range in.People {
			person := p.Person
			if err := person.Normalize(today); err != nil {
				t.Fatalf("%s %s: %v", in.Tenant.Code, p.Person.Email, err)
			}
			if emails[person.Email] {
				t.Fatalf("duplicate e-mail %s", person.Email)
			}
			emails[person.Email] = true
			if len(p.Levels) == 0 {
				t.Fatalf("%s has no competencies", person.Email)
			}
			if person.Kind == "widyaiswara" {
				widyaiswara++
			} else {
				practitioners++
			}
		}
	}
	if len(insts) != 3 || len(zones) != 3 || widyaiswara != 60 || practitioners != 300 {
		t.Fatalf("%d institutions in %d zones, %d widyaiswara, %d practitioners", len(insts), len(zones), widyaiswara, practitioners)
	}
}
