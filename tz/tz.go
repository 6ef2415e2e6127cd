// Package tz knows Indonesia's four IANA time zones and their WIB/WITA/WIT
// labels. Locations are loaded once by the caller that needs them; the
// embedded tzdata keeps the binary independent of the host's zoneinfo.
package tz

import (
	"fmt"
	"time"
	_ "time/tzdata" // the service must not depend on the host's zoneinfo
)

// Zones lists the IANA zones Indonesia uses, west to east.
var Zones = []string{"Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar", "Asia/Jayapura"}

var labels = map[string]string{
	"Asia/Jakarta":   "WIB",
	"Asia/Pontianak": "WIB",
	"Asia/Makassar":  "WITA",
	"Asia/Jayapura":  "WIT",
}

// Valid reports whether name is one of the four Indonesian zones.
func Valid(name string) bool {
	_, ok := labels[name]
	return ok
}

// Label returns WIB, WITA or WIT for a valid zone and "" otherwise.
func Label(name string) string { return labels[name] }

// Load returns the location of a valid zone.
func Load(name string) (*time.Location, error) {
	if !Valid(name) {
		return nil, fmt.Errorf("time zone %q is not one of %v", name, Zones)
	}
	return time.LoadLocation(name)
}

// MustLoad is Load for zones already validated; it panics on a bad name.
func MustLoad(name string) *time.Location {
	loc, err := Load(name)
	if err != nil {
		panic(err)
	}
	return loc
}
