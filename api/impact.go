package api

import (
	"fmt"
	"html/template"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"sinergi/errs"
	"sinergi/i18n"
	"sinergi/impact"
	"sinergi/tz"
)

type participantIn struct {
	Name            *string `json:"name"`
	NIP             *string `json:"nip"`
	Unit            *string `json:"unit"`
	Email           *string `json:"email"`
	SupervisorName  *string `json:"supervisor_name"`
	SupervisorEmail *string `json:"supervisor_email"`
}

type participantOut struct {
	ID              int64     `json:"id"`
	CourseID        int64     `json:"course_id"`
	Name            string    `json:"name"`
	NIP             string    `json:"nip,omitempty"`
	Unit            string    `json:"unit"`
	Email           string    `json:"email"`
	SupervisorName  string    `json:"supervisor_name"`
	SupervisorEmail string    `json:"supervisor_email"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
}

func participantDTO(p impact.Participant) participantOut {
	return participantOut{ID: p.ID, CourseID: p.CourseID, Name: p.Name, NIP: p.NIP, Unit: p.Unit, Email: p.Email,
		SupervisorName: p.SupervisorName, SupervisorEmail: p.SupervisorEmail, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

func orEmpty(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (s *Server) listParticipants(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	ps, err := s.Impact.Participants(c.Request.Context(), principal(c).InstitutionID, id)
	if err != nil {
		fail(c, err)
		return
	}
	items := make([]participantOut, len(ps))
	for i, p := range ps {
		items[i] = participantDTO(p)
	}
	c.JSON(http.StatusOK, impactListOut[participantOut]{Items: items})
}

func (s *Server) createParticipant(c *gin.Context) {
	id, err := s.ownCourse(c)
	if err != nil {
		fail(c, err)
		return
	}
	var in participantIn
	if err := s.bind(c, &in); err != nil {
		fail(c, err)
		return
	}
	p, err := s.Impact.AddParticipant(c.Request.Context(), principal(c).InstitutionID, id, impact.Participant{Name: orEmpty(in.Name),
		NIP: orEmpty(in.NIP), Unit: orEmpty(in.Unit), Email: orEmpty(in.Email), SupervisorName: orEmpty(in.SupervisorName), SupervisorEmail: orEmpty(in.SupervisorEmail)})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, participantDTO(p))
}

func (s *Server) getParticipant(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	p, err := s.Impact.Participant(c.Request.Context(), principal(c).InstitutionID, id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, participantDTO(p))
}

func (s *Server) patchParticipant(c *gin.Context) {
	id, err := pathID(c, "id")
	if err == nil { // another institution's participant is 404 before the body is read
		_, err = s.Impact.Participant(c.Request.Context(), principal(c).InstitutionID, id)
	}
	if err != nil {
		fail(c, err)
		return
	}
	var in participantIn
	if err := s.bind(c, &in); err != nil {
		fail(c, err)
		return
	}
	p, err := s.Impact.UpdateParticipant(c.Request.Context(), principal(c).InstitutionID, id, impact.ParticipantChange{Name: in.Name,
		NIP: in.NIP, Unit: in.Unit, Email: in.Email, SupervisorName: in.SupervisorName, SupervisorEmail: in.SupervisorEmail})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, participantDTO(p))
}

func (s *Server) deleteParticipant(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	if err := s.Impact.RemoveParticipant(c.Request.Context(), principal(c).InstitutionID, id); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// importParticipants runs a participant roster import for a course: a dry
// run unless dry_run=false, with the people import's report.
func (s *Server) importParticipants(c *gin.Context) {
	id, err := s.ownCourse(c)
	if err != nil {
		fail(c, err)
		return
	}
	table, dryRun, err := importTable(c)
	if err != nil {
		fail(c, err)
		return
	}
	report, err := s.Impact.ImportParticipants(c.Request.Context(), principal(c).InstitutionID, id, table, !dryRun)
	writeImportReport(c, report, err)
}

// participantTemplate serves the participant roster template.
func participantTemplate(format string) gin.HandlerFunc {
	return spreadsheetTemplate(format, "templat-peserta", impact.ImportColumns, impact.ImportExample, impact.ImportColumnHelp)
}

// invitePlans mails the action plan link to every participant without
// plans.
func (s *Server) invitePlans(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	n, err := s.Impact.InvitePlans(c.Request.Context(), principal(c).InstitutionID, id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, queuedOut{Queued: n})
}

type planOut struct {
	ID           int64            `json:"id"`
	Position     int              `json:"position"`
	Change       string           `json:"change"`
	Indicator    string           `json:"indicator"`
	Baseline     float64          `json:"baseline"`
	Target       float64          `json:"target"`
	DueDate      string           `json:"due_date"`
	SessionIDs   []int64          `json:"session_ids"`
	TrainerIDs   []int64          `json:"trainer_ids"`
	Progress     *progressOut     `json:"progress"`
	Confirmation *confirmationOut `json:"confirmation"`
}

type progressOut struct {
	Status   string   `json:"status"`
	Value    *float64 `json:"value"`
	Evidence string   `json:"evidence"`
}

type confirmationOut struct {
	Implemented bool     `json:"implemented"`
	Behaviour   int      `json:"behaviour"`
	Value       *float64 `json:"value"`
	Comment     string   `json:"comment"`
}

func plansDTO(answers []impact.PlanAnswer) []planOut {
	out := make([]planOut, len(answers))
	for i, a := range answers {
		out[i] = planOut{ID: a.ID, Position: a.Position, Change: a.Change, Indicator: a.Indicator, Baseline: a.Baseline, Target: a.Target,
			DueDate: a.Due.Format(time.DateOnly), SessionIDs: a.Sessions, TrainerIDs: a.Trainers}
		if g := a.Progress; g != nil {
			out[i].Progress = &progressOut{Status: g.Status, Value: g.Value, Evidence: g.Evidence}
		}
		if k := a.Confirmation; k != nil {
			out[i].Confirmation = &confirmationOut{Implemented: k.Implemented, Behaviour: k.Behaviour, Value: k.Value, Comment: k.Comment}
		}
	}
	return out
}

// followUpOut is a participant's follow-up and where it stands.
type followUpOut struct {
	State               impact.State `json:"state"`
	DueAt               time.Time    `json:"due_at"`
	NextAt              *time.Time   `json:"next_at"`
	ExpiresAt           *time.Time   `json:"expires_at"`
	Reminders           int          `json:"reminders"`
	SupervisorReminders int          `json:"supervisor_reminders"`
	OpenedAt            *time.Time   `json:"opened_at"`
	ReportedAt          *time.Time   `json:"reported_at"`
	ConfirmedAt         *time.Time   `json:"confirmed_at"`
}

func followUpDTO(f *impact.FollowUp) *followUpOut {
	if f == nil {
		return nil
	}
	return &followUpOut{State: f.State, DueAt: f.Due, NextAt: f.Next, ExpiresAt: f.Expires, Reminders: f.Reminders,
		SupervisorReminders: f.SupervisorReminders, OpenedAt: f.OpenedAt, ReportedAt: f.ReportedAt, ConfirmedAt: f.ConfirmedAt}
}

// planStatusOut is a participant with their plans and follow-up.
type planStatusOut struct {
	Participant participantOut `json:"participant"`
	Plans       []planOut      `json:"plans"`
	FollowUp    *followUpOut   `json:"follow_up"`
}

// actionPlans lists a course's participants with their plans and
// follow-ups.
func (s *Server) actionPlans(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	st, err := s.Impact.Statuses(c.Request.Context(), principal(c).InstitutionID, id)
	if err != nil {
		fail(c, err)
		return
	}
	items := make([]planStatusOut, len(st))
	for i, x := range st {
		items[i] = planStatusOut{Participant: participantDTO(x.Participant), Plans: plansDTO(x.Plans), FollowUp: followUpDTO(x.FollowUp)}
	}
	c.JSON(http.StatusOK, impactListOut[planStatusOut]{Items: items})
}

type impactSettingsIO struct {
	FollowUpDays int `json:"follow_up_days"`
	ReminderDays int `json:"reminder_days"`
	Reminders    int `json:"reminders"`
	WindowDays   int `json:"window_days"`
	PlanDays     int `json:"plan_days"`
}

func (s *Server) getImpactSettings(c *gin.Context) {
	set, err := s.Impact.Settings(c.Request.Context(), principal(c).InstitutionID)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, impactSettingsIO(set))
}

func (s *Server) putImpactSettings(c *gin.Context) {
	var in impactSettingsIO
	if err := s.bind(c, &in); err != nil {
		fail(c, err)
		return
	}
	if err := s.Impact.PutSettings(c.Request.Context(), principal(c).InstitutionID, impact.Settings(in)); err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, in)
}

type figuresOut struct {
	Ratings          int      `json:"ratings"`
	ReactionMean     *float64 `json:"reaction_mean"`
	Plans            int      `json:"plans"`
	Reported         int      `json:"reported"`
	Confirmed        int      `json:"confirmed"`
	Implemented      int      `json:"implemented"`
	ImplementedShare *float64 `json:"implemented_share"`
	ShareLow         *float64 `json:"implemented_share_low"`
	ShareHigh        *float64 `json:"implemented_share_high"`
	BehaviourMean    *float64 `json:"behaviour_mean"`
	Measured         int      `json:"measured"`
	Improved         int      `json:"improved"`
	Attainment       *float64 `json:"attainment"`
	Confidence       string   `json:"confidence"`
	Note             string   `json:"note"`
}

func figuresDTO(f impact.Figures) figuresOut {
	return figuresOut{Ratings: f.Ratings, ReactionMean: f.ReactionMean, Plans: f.Plans, Reported: f.Reported, Confirmed: f.Confirmed,
		Implemented: f.Implemented, ImplementedShare: f.ImplementedShare, ShareLow: f.ShareLow, ShareHigh: f.ShareHigh,
		BehaviourMean: f.BehaviourMean, Measured: f.Measured, Improved: f.Improved, Attainment: f.Attainment, Confidence: f.Confidence, Note: f.Note}
}

type trainerRefOut struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

func trainerRef(p impact.Person) trainerRefOut {
	return trainerRefOut{ID: p.ID, Name: p.Name, Kind: p.Kind}
}

type trainerFiguresOut struct {
	Person  trainerRefOut `json:"person"`
	Figures figuresOut    `json:"figures"`
}

type pairFiguresOut struct {
	Widyaiswara  trainerRefOut `json:"widyaiswara"`
	Practitioner trainerRefOut `json:"practitioner"`
	Figures      figuresOut    `json:"figures"`
}

// reportOut is an impact report: the total, per trainer and per pair.
type reportOut struct {
	CourseID int64               `json:"course_id,omitempty"`
	Total    figuresOut          `json:"total"`
	Trainers []trainerFiguresOut `json:"trainers"`
	Pairs    []pairFiguresOut    `json:"pairs"`
}

func reportDTO(r impact.Report) reportOut {
	out := reportOut{CourseID: r.CourseID, Total: figuresDTO(r.Total), Trainers: make([]trainerFiguresOut, len(r.Trainers)),
		Pairs: make([]pairFiguresOut, len(r.Pairs))}
	for i, t := range r.Trainers {
		out.Trainers[i] = trainerFiguresOut{Person: trainerRef(t.Person), Figures: figuresDTO(t.Figures)}
	}
	for i, p := range r.Pairs {
		out.Pairs[i] = pairFiguresOut{Widyaiswara: trainerRef(p.Widyaiswara), Practitioner: trainerRef(p.Practitioner), Figures: figuresDTO(p.Figures)}
	}
	return out
}

func xlsx(c *gin.Context, name string, body []byte) {
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Data(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body)
}

// courseImpact reports the four levels of a course (JSON, or XLSX).
func (s *Server) courseImpact(asXLSX bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := pathID(c, "id")
		if err != nil {
			fail(c, err)
			return
		}
		r, err := s.Impact.CourseReport(c.Request.Context(), principal(c).InstitutionID, id)
		if err != nil {
			fail(c, err)
			return
		}
		if !asXLSX {
			c.JSON(http.StatusOK, reportDTO(r))
			return
		}
		body, err := impact.XLSX(fmt.Sprintf("pelatihan %d", id), r)
		if err != nil {
			fail(c, err)
			return
		}
		xlsx(c, fmt.Sprintf("dampak-pelatihan-%d.xlsx", id), body)
	}
}

// institutionImpact reports the four levels over every course of the
// institution, per trainer and per pair (JSON, or XLSX).
func (s *Server) institutionImpact(asXLSX bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		r, err := s.Impact.InstitutionReport(c.Request.Context(), principal(c).InstitutionID)
		if err != nil {
			fail(c, err)
			return
		}
		if !asXLSX {
			c.JSON(http.StatusOK, reportDTO(r))
			return
		}
		body, err := impact.XLSX("semua pelatihan", r)
		if err != nil {
			fail(c, err)
			return
		}
		xlsx(c, "dampak-pelatihan.xlsx", body)
	}
}

// impactForm resolves a link of purpose from the path.
func (s *Server) impactForm(c *gin.Context, purpose string) (impact.Form, bool) {
	token := c.Param("token")
	if len(token) < 22 || len(token) > 64 {
		fail(c, impact.ErrLinkClosed)
		return impact.Form{}, false
	}
	f, err := s.Impact.Form(c.Request.Context(), token, purpose)
	if err != nil {
		fail(c, err)
		return impact.Form{}, false
	}
	return f, true
}

type formTrainerRefOut struct {
	PersonID int64  `json:"person_id"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Role     string `json:"role"`
}

type formSessionRefOut struct {
	ID       int64               `json:"id"`
	Topic    string              `json:"topic"`
	Start    string              `json:"start"`
	Trainers []formTrainerRefOut `json:"trainers"`
}

type nameUnitOut struct {
	Name string `json:"name"`
	Unit string `json:"unit"`
}

type nameOut struct {
	Name string `json:"name"`
}

type behaviourScaleOut struct {
	Min    int      `json:"min"`
	Max    int      `json:"max"`
	Labels []string `json:"labels"`
}

// impactFormOut is what a link's page holds, for clients that ask for JSON.
type impactFormOut struct {
	Purpose        string              `json:"purpose"`
	Participant    nameUnitOut         `json:"participant"`
	Course         nameOut             `json:"course"`
	Sessions       []formSessionRefOut `json:"sessions"`
	Plans          []planOut           `json:"plans"`
	Answered       bool                `json:"answered"`
	ExpiresAt      string              `json:"expires_at"`
	BehaviourScale *behaviourScaleOut  `json:"behaviour_scale,omitempty"`
	Supervisor     *nameOut            `json:"supervisor,omitempty"`
	Statuses       []string            `json:"statuses,omitempty"`
}

// formJSON is what a link's page holds, for clients that ask for JSON.
func formJSON(f impact.Form, purpose string) impactFormOut {
	loc := tz.MustLoad(zoneOf(f.Course.Zone))
	sessions := make([]formSessionRefOut, len(f.Sessions))
	for i, x := range f.Sessions {
		trainers := make([]formTrainerRefOut, len(x.Trainers))
		for j, t := range x.Trainers {
			trainers[j] = formTrainerRefOut{PersonID: t.PersonID, Name: t.Name, Kind: t.Kind, Role: t.Role}
		}
		sessions[i] = formSessionRefOut{ID: x.ID, Topic: x.Topic, Start: x.Start.In(tz.MustLoad(zoneOf(x.Zone))).Format(time.RFC3339), Trainers: trainers}
	}
	out := impactFormOut{Purpose: purpose, Participant: nameUnitOut{Name: f.Participant.Name, Unit: f.Participant.Unit},
		Course: nameOut{Name: f.Course.Name}, Sessions: sessions, Plans: plansDTO(f.Plans), Answered: f.Answered,
		ExpiresAt: f.Link.Expires.In(loc).Format(time.RFC3339)}
	if purpose == impact.PurposeConfirm {
		out.BehaviourScale = &behaviourScaleOut{Min: 1, Max: 4, Labels: impact.BehaviourScale()}
		out.Supervisor = &nameOut{Name: f.Participant.SupervisorName}
	}
	if purpose == impact.PurposeProgress {
		out.Statuses = []string{"done", "partial", "not_started"}
	}
	return out
}

func zoneOf(z string) string {
	if tz.Valid(z) {
		return z
	}
	return "Asia/Jakarta"
}

var impactPage = template.Must(template.New("impact").Funcs(template.FuncMap{
	"seq": func(n int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = i + 1
		}
		return out
	},
	"inc":    func(i int) int { return i + 1 },
	"fmtnum": func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) },
}).Parse(`<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1b2733}main{max-width:38rem;margin:0 auto;padding:1.25rem}
fieldset{background:#fff;border:0;border-radius:10px;margin:1rem 0;padding:1rem 1.25rem}legend{font-weight:700;padding:0}
label{display:block;margin:.5rem 0 .2rem}input[type=text],input[type=number],input[type=date],textarea{width:100%;box-sizing:border-box;padding:.4rem}
.opt label{display:inline-block;margin-right:.8rem}button{font-size:1.05rem;padding:.8rem 1.2rem;border:0;border-radius:8px;background:#14467a;color:#fff}
.msg{padding:.8rem 1rem;border-radius:8px;background:#e3f6e8}.err{background:#fdeaea}</style></head>
<body><main><h1>{{.Title}}</h1><p>{{.F.Participant.Name}}<br><small>{{.F.Course.Name}}</small></p>
{{if .Done}}<p class="msg" id="result">{{.Done}}</p>{{else}}
{{if .Error}}<p class="msg err">{{.Error}}</p>{{end}}
<form method="post">
{{if eq .Purpose "plan"}}{{range seq 3}}{{$i := .}}
<fieldset><legend>Rencana aksi {{$i}}{{if ne $i 1}} (opsional){{end}}</legend>
<label>Perubahan yang akan Anda lakukan di tempat kerja</label><textarea name="change_{{$i}}" maxlength="1000"{{if eq $i 1}} required{{end}}></textarea>
<label>Indikator</label><input type="text" name="indicator_{{$i}}" maxlength="300">
<label>Nilai awal (baseline)</label><input type="number" step="any" name="baseline_{{$i}}">
<label>Target</label><input type="number" step="any" name="target_{{$i}}">
<label>Tanggal target</label><input type="date" name="due_{{$i}}">
<label>Sesi yang menjadi dasar</label>{{range $.F.Sessions}}<div class="opt"><label><input type="checkbox" name="sessions_{{$i}}" value="{{.ID}}"> {{.Topic}}{{range .Trainers}} · {{.Name}}{{end}}</label></div>{{end}}
</fieldset>{{end}}
{{else if eq .Purpose "progress"}}{{range .F.Plans}}
<fieldset><legend>Rencana aksi {{.Position}}</legend><p>{{.Change}}<br><small>Indikator: {{.Indicator}} · awal {{fmtnum .Baseline}} · target {{fmtnum .Target}}</small></p>
<div class="opt"><label><input type="radio" name="status_{{.ID}}" value="done" required> terlaksana</label><label><input type="radio" name="status_{{.ID}}" value="partial"> sebagian</label><label><input type="radio" name="status_{{.ID}}" value="not_started"> belum</label></div>
<label>Nilai indikator saat ini</label><input type="number" step="any" name="value_{{.ID}}">
<label>Bukti (uraian atau tautan dokumen)</label><textarea name="evidence_{{.ID}}" maxlength="2000"></textarea></fieldset>{{end}}
{{else}}{{range .F.Plans}}
<fieldset><legend>Rencana aksi {{.Position}}</legend><p>{{.Change}}<br><small>Indikator: {{.Indicator}} · awal {{fmtnum .Baseline}} · target {{fmtnum .Target}}</small></p>
{{if .Progress}}<p><small>Laporan peserta: {{.Progress.Status}}{{if .Progress.Evidence}} — {{.Progress.Evidence}}{{end}}</small></p>{{end}}
<label>Apakah rencana aksi ini terlaksana?</label><div class="opt"><label><input type="radio" name="implemented_{{.ID}}" value="true" required> ya</label><label><input type="radio" name="implemented_{{.ID}}" value="false"> tidak</label></div>
<label>Perubahan perilaku kerja yang Anda amati</label><div class="opt">{{$id := .ID}}{{range $k, $l := $.Scale}}<label><input type="radio" name="behaviour_{{$id}}" value="{{inc $k}}" required> {{inc $k}} {{$l}}</label>{{end}}</div>
<label>Nilai indikator menurut Anda</label><input type="number" step="any" name="value_{{.ID}}">
<label>Catatan (opsional)</label><textarea name="comment_{{.ID}}" maxlength="2000"></textarea></fieldset>{{end}}
{{end}}<button type="submit">Kirim</button></form>{{end}}
</main></body></html>`))

var impactTitles = map[string]string{impact.PurposePlan: "Rencana aksi", impact.PurposeProgress: "Kemajuan rencana aksi",
	impact.PurposeConfirm: "Konfirmasi atasan"}

const impactThanks = "Terima kasih, jawaban Anda sudah tercatat."

func (s *Server) renderImpact(c *gin.Context, f impact.Form, purpose string, status int, done, problem string) {
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Status(status)
	_ = impactPage.Execute(c.Writer, map[string]any{"F": f, "Purpose": purpose, "Title": impactTitles[purpose], "Done": done,
		"Error": problem, "Scale": impact.BehaviourScale()})
}

// getImpactLink shows a link's form: HTML for a browser, JSON otherwise.
func (s *Server) getImpactLink(purpose string) gin.HandlerFunc {
	return func(c *gin.Context) {
		f, ok := s.impactForm(c, purpose)
		if !ok {
			return
		}
		c.Header("Cache-Control", "no-store")
		if wantsHTML(c) {
			done := ""
			if f.Answered {
				done = impactThanks
			}
			s.renderImpact(c, f, purpose, http.StatusOK, done, "")
			return
		}
		c.JSON(http.StatusOK, formJSON(f, purpose))
	}
}

type planIn struct {
	Change     string  `json:"change"`
	Indicator  string  `json:"indicator"`
	Baseline   float64 `json:"baseline"`
	Target     float64 `json:"target"`
	DueDate    string  `json:"due_date"`
	SessionIDs []int64 `json:"session_ids"`
	TrainerIDs []int64 `json:"trainer_ids"`
}

type progressIn struct {
	PlanID   int64    `json:"plan_id"`
	Status   string   `json:"status"`
	Value    *float64 `json:"value"`
	Evidence string   `json:"evidence"`
}

type confirmationIn struct {
	PlanID      int64    `json:"plan_id"`
	Implemented bool     `json:"implemented"`
	Behaviour   int      `json:"behaviour"`
	Value       *float64 `json:"value"`
	Comment     string   `json:"comment"`
}

type impactAnswerIn struct {
	Plans         []planIn         `json:"plans"`
	Progress      []progressIn     `json:"progress"`
	Confirmations []confirmationIn `json:"confirmations"`
}

// dueDate reads a plan's date; a bad one becomes a field error.
func dueDate(v string, field string, f errs.Fields) time.Time {
	if v == "" {
		return time.Time{}
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		f.Add(field, "must be a date such as 2027-03-31")
	}
	return d
}

// formNumber reads an optional number from an HTML form.
func formNumber(c *gin.Context, name string, f errs.Fields) *float64 {
	v := strings.TrimSpace(strings.ReplaceAll(c.PostForm(name), ",", "."))
	if v == "" {
		return nil
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		f.Add(name, "must be a number")
		return nil
	}
	return &x
}

// readAnswer reads the answer of a link from JSON or an HTML form.
func (s *Server) readAnswer(c *gin.Context, f impact.Form, purpose string) (impactAnswerIn, error) {
	var in impactAnswerIn
	if !strings.HasPrefix(c.ContentType(), "application/x-www-form-urlencoded") {
		err := s.bind(c, &in)
		return in, err
	}
	bad := errs.Fields{}
	switch purpose {
	case impact.PurposePlan:
		for i := 1; i <= impact.MaxPlans; i++ {
			n := strconv.Itoa(i)
			if strings.TrimSpace(c.PostForm("change_"+n)) == "" {
				continue
			}
			p := planIn{Change: c.PostForm("change_" + n), Indicator: c.PostForm("indicator_" + n), DueDate: c.PostForm("due_" + n)}
			if v := formNumber(c, "baseline_"+n, bad); v != nil {
				p.Baseline = *v
			}
			if v := formNumber(c, "target_"+n, bad); v != nil {
				p.Target = *v
			}
			for _, v := range c.PostFormArray("sessions_" + n) {
				if id, err := strconv.ParseInt(v, 10, 64); err == nil {
					p.SessionIDs = append(p.SessionIDs, id)
				}
			}
			in.Plans = append(in.Plans, p)
		}
	case impact.PurposeProgress:
		for _, p := range f.Plans {
			id := strconv.FormatInt(p.ID, 10)
			in.Progress = append(in.Progress, progressIn{PlanID: p.ID, Status: c.PostForm("status_" + id),
				Value: formNumber(c, "value_"+id, bad), Evidence: c.PostForm("evidence_" + id)})
		}
	default:
		for _, p := range f.Plans {
			id := strconv.FormatInt(p.ID, 10)
			b, _ := strconv.Atoi(c.PostForm("behaviour_" + id))
			in.Confirmations = append(in.Confirmations, confirmationIn{PlanID: p.ID, Implemented: c.PostForm("implemented_"+id) == "true",
				Behaviour: b, Value: formNumber(c, "value_"+id, bad), Comment: c.PostForm("comment_" + id)})
		}
	}
	return in, bad.Err()
}

// answerImpactLink records what a link's holder answers.
func (s *Server) answerImpactLink(purpose string) gin.HandlerFunc {
	return func(c *gin.Context) {
		f, ok := s.impactForm(c, purpose)
		if !ok {
			return
		}
		html := strings.HasPrefix(c.ContentType(), "application/x-www-form-urlencoded")
		in, err := s.readAnswer(c, f, purpose)
		if err == nil {
			ctx, token := c.Request.Context(), c.Param("token")
			switch purpose {
			case impact.PurposePlan:
				bad := errs.Fields{}
				plans := make([]impact.Plan, len(in.Plans))
				for i, p := range in.Plans {
					plans[i] = impact.Plan{Change: p.Change, Indicator: p.Indicator, Baseline: p.Baseline, Target: p.Target,
						Due: dueDate(p.DueDate, fmt.Sprintf("plans[%d].due_date", i), bad), Sessions: p.SessionIDs, Trainers: p.TrainerIDs}
				}
				if err = bad.Err(); err == nil {
					err = s.Impact.SubmitPlans(ctx, token, plans)
				}
			case impact.PurposeProgress:
				out := make([]impact.Progress, len(in.Progress))
				for i, p := range in.Progress {
					out[i] = impact.Progress{PlanID: p.PlanID, Status: p.Status, Value: p.Value, Evidence: p.Evidence}
				}
				err = s.Impact.SubmitProgress(ctx, token, out)
			default:
				out := make([]impact.Confirmation, len(in.Confirmations))
				for i, p := range in.Confirmations {
					out[i] = impact.Confirmation{PlanID: p.PlanID, Implemented: p.Implemented, Behaviour: p.Behaviour, Value: p.Value, Comment: p.Comment}
				}
				err = s.Impact.SubmitConfirmation(ctx, token, out)
			}
		}
		switch {
		case html && err != nil && errs.KindOf(err) == errs.Invalid:
			s.renderImpact(c, f, purpose, http.StatusUnprocessableEntity, "", "Periksa kembali isian Anda: "+problems(err))
		case err != nil:
			fail(c, err)
		case html:
			s.renderImpact(c, f, purpose, http.StatusCreated, impactThanks, "")
		default:
			c.JSON(http.StatusCreated, messageOnlyOut{Message: impactThanks})
		}
	}
}

// problems lists a validation error's fields for a page.
func problems(err error) string {
	e, ok := errs.As(err)
	if !ok || len(e.Fields) == 0 {
		return ""
	}
	var out []string
	for k := range e.Fields {
		t := e.FieldText(k)
		out = append(out, k+" "+i18n.Sprintf(i18n.Indonesian, t.Format, t.Args...))
	}
	sort.Strings(out)
	return strings.Join(out, "; ")
}

// ownCourse reads the course id of the path and checks, before anything in
// the body is read, that it is the institution's: another's is 404.
func (s *Server) ownCourse(c *gin.Context) (int64, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return 0, err
	}
	if _, err := s.Scheduling.Course(c.Request.Context(), principal(c).InstitutionID, id); err != nil {
		return 0, err
	}
	return id, nil
}

// impactListOut lists everything at once: next_cursor is always null.
type impactListOut[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

type queuedOut struct {
	Queued int `json:"queued"`
}

type messageOnlyOut struct {
	Message string `json:"message"`
}
