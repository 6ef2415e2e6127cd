package certification

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	"rsc.io/qr"
)

var bulan = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}

// Tanggal writes a date the Indonesian way: 7 Desember 2026.
func Tanggal(t time.Time) string {
	return fmt.Sprintf("%d %s %d", t.Day(), bulan[t.Month()-1], t.Year())
}

// QRPNG encodes text as a QR code PNG (error correction M).
func QRPNG(text string) ([]byte, error) {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return nil, err
	}
	code.Scale = 8
	return code.PNG(), nil
}

// PDF renders the printable certificate (A4 landscape) with a QR code
// that opens verifyURL.
func PDF(c Certificate, verifyURL string) ([]byte, error) {
	png, err := QRPNG(verifyURL)
	if err != nil {
		return nil, err
	}
	pdf := fpdf.New("L", "mm", "A4", "")
	pdf.SetTitle("Sertifikat "+c.Number, true)
	pdf.SetAuthor(c.Issuer, true)
	pdf.SetCreationDate(c.IssuedAt)
	pdf.SetModificationDate(c.IssuedAt)
	pdf.SetMargins(20, 18, 20)
	pdf.SetAutoPageBreak(false, 0)
	pdf.AddPage()
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	w, h := pdf.GetPageSize()
	pdf.SetDrawColor(20, 70, 120)
	pdf.SetLineWidth(1.2)
	pdf.Rect(10, 10, w-20, h-20, "D")
	pdf.SetLineWidth(0.4)
	pdf.Rect(13, 13, w-26, h-26, "D")

	center := func(y float64, size float64, style, text string) {
		pdf.SetFont("Helvetica", style, size)
		pdf.SetXY(20, y)
		pdf.CellFormat(w-40, size*0.5, tr(text), "", 0, "C", false, 0, "")
	}
	center(24, 16, "B", strings.ToUpper(c.Issuer))
	center(40, 30, "B", "SERTIFIKAT")
	center(54, 12, "", "Nomor: "+c.Number)
	center(68, 12, "", "diberikan kepada")
	center(78, 24, "B", c.HolderName)
	holder := c.HolderOrganisation
	if c.HolderNIP != "" {
		holder = "NIP " + c.HolderNIP + " - " + holder
	}
	center(92, 11, "", holder)
	center(104, 12, "", "atas peran sebagai "+c.RoleLabel()+" pada")
	center(114, 16, "B", c.CourseName)
	period := Tanggal(c.StartDate)
	if !c.EndDate.Equal(c.StartDate) {
		period += " s.d. " + Tanggal(c.EndDate)
	}
	center(126, 12, "", fmt.Sprintf("%s, %s, sebanyak %d JP (1 JP = 45 menit)", c.Place, period, c.JP))

	pdf.SetFont("Helvetica", "", 11)
	pdf.SetXY(w-110, 142)
	pdf.CellFormat(90, 6, tr(Tanggal(c.IssuedAt)), "", 2, "C", false, 0, "")
	pdf.CellFormat(90, 6, tr(c.SignerTitle), "", 2, "C", false, 0, "")
	pdf.SetY(pdf.GetY() + 14)
	pdf.SetX(w - 110)
	pdf.SetFont("Helvetica", "B", 11)
	pdf.CellFormat(90, 6, tr(c.SignerName), "", 2, "C", false, 0, "")
	if c.SignerNIP != "" {
		pdf.SetFont("Helvetica", "", 10)
		pdf.SetX(w - 110)
		pdf.CellFormat(90, 5, tr("NIP "+c.SignerNIP), "", 2, "C", false, 0, "")
	}
	pdf.SetFont("Helvetica", "I", 8)
	pdf.SetX(w - 110)
	pdf.CellFormat(90, 5, tr("Ditandatangani secara elektronik (Ed25519, kunci "+c.KeyID+")"), "", 2, "C", false, 0, "")

	pdf.RegisterImageOptionsReader("qr", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(png))
	pdf.ImageOptions("qr", 24, 138, 42, 42, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	pdf.SetFont("Helvetica", "", 8)
	pdf.SetXY(70, 160)
	pdf.MultiCell(100, 4, tr("Pindai kode QR atau buka "+verifyURL+" untuk memeriksa keaslian dan status sertifikat ini. Kode verifikasi: "+c.Code), "", "L", false)
	if c.Status == Revoked {
		// A revoked certificate is stamped across the page, so a printout
		// cannot pass for a valid one.
		pdf.SetTextColor(200, 20, 20)
		pdf.SetFont("Helvetica", "B", 80)
		pdf.TransformBegin()
		pdf.TransformRotate(20, w/2, h/2)
		pdf.SetXY(0, h/2-20)
		pdf.CellFormat(w, 40, "DICABUT", "", 0, "C", false, 0, "")
		pdf.TransformEnd()
		pdf.SetFont("Helvetica", "B", 10)
		pdf.SetXY(20, h-24)
		reason := "DICABUT"
		if c.RevokedAt != nil {
			reason += " pada " + Tanggal(*c.RevokedAt)
		}
		if c.RevokedReason != "" {
			reason += ": " + c.RevokedReason
		}
		pdf.CellFormat(w-40, 5, tr(reason), "", 0, "C", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
