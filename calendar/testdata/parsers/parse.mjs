// Reads iCalendar files with ical.js (the parser Thunderbird uses) and
// prints what it understood as JSON: one entry per file.
import ICAL from 'ical.js';
import { readFileSync } from 'node:fs';

const out = process.argv.slice(2).map((file) => {
  const comp = new ICAL.Component(ICAL.parse(readFileSync(file, 'utf8')));
  for (const tz of comp.getAllSubcomponents('vtimezone')) {
    ICAL.TimezoneService.register(new ICAL.Timezone(tz));
  }
  return {
    method: comp.getFirstPropertyValue('method') || '',
    events: comp.getAllSubcomponents('vevent').map((v) => {
      const ev = new ICAL.Event(v);
      return {
        uid: ev.uid,
        sequence: ev.sequence,
        status: v.getFirstPropertyValue('status') || '',
        start: ev.startDate.toJSDate().toISOString(),
        end: ev.endDate.toJSDate().toISOString(),
        floating: ev.startDate.zone === ICAL.Timezone.localTimezone,
        attendees: v.getAllProperties('attendee').map((a) => ({
          address: String(a.getFirstValue()).toLowerCase(),
          partstat: a.getParameter('partstat') || '',
          cn: a.getParameter('cn') || '',
        })),
      };
    }),
  };
});
process.stdout.write(JSON.stringify(out));
