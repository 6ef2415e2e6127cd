"""Reads iCalendar files with Debian's python3-icalendar and prints what it
understood as JSON, one entry per file (run with /usr/bin/python3)."""
import json
import sys

from icalendar import Calendar

out = []
for path in sys.argv[1:]:
    with open(path, 'rb') as f:
        cal = Calendar.from_ical(f.read())
    events = []
    for ev in cal.walk('VEVENT'):
        start = ev.decoded('DTSTART')
        end = ev.decoded('DTEND')
        atts = ev.get('ATTENDEE', [])
        if not isinstance(atts, list):
            atts = [atts]
        events.append({
            'uid': str(ev.get('UID')),
            'sequence': int(ev.get('SEQUENCE', 0)),
            'status': str(ev.get('STATUS', '')),
            'start': start.astimezone(__import__('datetime').timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.000Z'),
            'end': end.astimezone(__import__('datetime').timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.000Z'),
            'floating': start.tzinfo is None,
            'attendees': [{'address': str(a).lower(), 'partstat': str(a.params.get('PARTSTAT', '')),
                           'cn': str(a.params.get('CN', ''))} for a in atts],
        })
    out.append({'method': str(cal.get('METHOD', '')), 'events': events})
print(json.dumps(out))
