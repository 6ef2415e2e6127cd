package i18n

import (
	"fmt"
	"time"
)

// Month is a calendar month: "Oktober 2026" or "October 2026".
type Month struct {
	Year  int
	Month time.Month
}

// MonthOf reads a YYYYMM number, as the ledger keeps its months.
func MonthOf(yyyymm int) Month { return Month{Year: yyyymm / 100, Month: time.Month(yyyymm % 100)} }

// Tell implements Teller.
func (m Month) Tell(l Lang) string {
	if m.Month < time.January || m.Month > time.December {
		return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month))
	}
	if l == English {
		return fmt.Sprintf("%s %d", m.Month, m.Year)
	}
	return fmt.Sprintf("%s %d", bulan[m.Month-1], m.Year)
}

// String tells the month in English.
func (m Month) String() string { return m.Tell(English) }
