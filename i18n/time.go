package i18n

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

var (
	hari        = [...]string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}
	hariSingkat = [...]string{"Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"}
	bulan       = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
		"Oktober", "November", "Desember"}
)

// ShortDate is a date as lists and tables show it, with the weekday's
// short name: "Sen 15-02-2027" or "Mon 15-02-2027".
type ShortDate time.Time

// Tell implements Teller.
func (d ShortDate) Tell(l Lang) string {
	t := time.Time(d)
	if l == English {
		return t.Format("Mon 02-01-2006")
	}
	return hariSingkat[t.Weekday()] + t.Format(" 02-01-2006")
}

// String tells the date in English.
func (d ShortDate) String() string { return d.Tell(English) }

// Date is a calendar date: "Senin, 15 Februari 2027" or "Monday 15 February
// 2027".
type Date time.Time

// Tell implements Teller.
func (d Date) Tell(l Lang) string {
	t := time.Time(d)
	if l == English {
		return t.Format("Monday 2 January 2006")
	}
	return fmt.Sprintf("%s, %d %s %d", hari[t.Weekday()], t.Day(), bulan[t.Month()-1], t.Year())
}

// String tells the date in English.
func (d Date) String() string { return d.Tell(English) }

// Span is a time range in the venue zone with its label: "Senin, 15
// Februari 2027, 08:00–09:30 WIB". Start and End are already in the venue's
// location; Label is WIB, WITA or WIT.
type Span struct {
	Start, End time.Time
	Label      string
}

// Tell implements Teller. A range across midnight names both days.
func (s Span) Tell(l Lang) string {
	end := s.End.Format("15:04")
	if y, m, d := s.End.Date(); y != s.Start.Year() || m != s.Start.Month() || d != s.Start.Day() {
		end = Date(s.End).Tell(l) + " " + end
	}
	sep := ", "
	if l == English {
		sep = " "
	}
	return strings.TrimSpace(Date(s.Start).Tell(l) + sep + s.Start.Format("15:04") + "–" + end + " " + s.Label)
}

// String tells the span in English.
func (s Span) String() string { return s.Tell(English) }

// Moment is one instant in the venue zone with its label: "Senin, 15
// Februari 2027 08:00 WIB".
type Moment struct {
	At    time.Time
	Label string
}

// Tell implements Teller.
func (m Moment) Tell(l Lang) string {
	return strings.TrimSpace(Date(m.At).Tell(l) + " " + m.At.Format("15:04") + " " + m.Label)
}

// String tells the moment in English.
func (m Moment) String() string { return m.Tell(English) }

// Rupiah is an amount of money: "Rp1.500.000" in Indonesian, "Rp1,500,000"
// in English.
type Rupiah int64

// Tell implements Teller.
func (r Rupiah) Tell(l Lang) string {
	n := int64(r)
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	digits := strconv.FormatInt(n, 10)
	sepr := "."
	if l == English {
		sepr = ","
	}
	var b strings.Builder
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sepr)
		}
		b.WriteRune(c)
	}
	return sign + "Rp" + b.String()
}

// String tells the amount in English.
func (r Rupiah) String() string { return r.Tell(English) }
