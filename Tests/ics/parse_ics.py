#!/usr/bin/python3
"""Parses an .ics file with the `icalendar` library and prints its one event as JSON.

Usage: /usr/bin/python3 Tests/ics/parse_ics.py FILE.ics

Prints {"summary", "location", "url", "description", "dtstart", "dtend", "uid",
"dtstamp", "organizer", "alarms"} with times in ISO 8601 UTC ("2026-12-01T06:00:00Z").
Exits 1 when the file cannot be read or parsed, or does not hold exactly one
VEVENT; exits 3 when the icalendar library is missing (python3-icalendar).
"""

import json
import sys
from datetime import datetime, timedelta, timezone

try:
    import icalendar
except ImportError:
    print("the icalendar library is missing: apt-get install -y python3-icalendar", file=sys.stderr)
    sys.exit(3)


def fail(message):
    print("parse_ics: " + message, file=sys.stderr)
    sys.exit(1)


def utc(value, name):
    if value is None:
        return None
    dt = value.dt
    if not isinstance(dt, datetime):
        fail("%s is a date, not a date-time" % name)
    if dt.tzinfo is None or dt.utcoffset() is None:
        fail("%s is a floating time, not UTC" % name)
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def text(component, name):
    value = component.get(name)
    return None if value is None else str(value)


def main(argv):
    if len(argv) != 2:
        print("usage: parse_ics.py FILE.ics", file=sys.stderr)
        return 2
    try:
        with open(argv[1], "rb") as f:
            data = f.read()
    except OSError as e:
        fail("cannot read %s: %s" % (argv[1], e))
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        fail("not UTF-8: %s" % e)
    try:
        cal = icalendar.Calendar.from_ical(data)
    except Exception as e:  # the library raises ValueError and friends on bad content lines
        fail("cannot parse: %s: %s" % (type(e).__name__, e))
    if cal.name != "VCALENDAR":
        fail("top component is %s, not VCALENDAR" % cal.name)
    errors = []
    for component in cal.walk():
        for prop, message in getattr(component, "errors", []) or []:
            errors.append("%s %s: %s" % (component.name, prop, message))
    if errors:
        fail("; ".join(errors))
    events = cal.walk("VEVENT")
    if len(events) != 1:
        fail("expected one VEVENT, found %d" % len(events))
    ev = events[0]
    alarms = []
    for alarm in ev.walk("VALARM"):
        trigger = alarm.get("TRIGGER")
        seconds = None
        if trigger is not None and isinstance(trigger.dt, timedelta):
            seconds = int(trigger.dt.total_seconds())
        alarms.append({
            "action": text(alarm, "ACTION"),
            "triggerSeconds": seconds,
            "description": text(alarm, "DESCRIPTION"),
        })
    organizer = ev.get("ORGANIZER")
    result = {
        "version": text(cal, "VERSION"),
        "prodid": text(cal, "PRODID"),
        "method": text(cal, "METHOD"),
        "uid": text(ev, "UID"),
        "summary": text(ev, "SUMMARY"),
        "location": text(ev, "LOCATION"),
        "url": text(ev, "URL"),
        "description": text(ev, "DESCRIPTION"),
        "dtstamp": utc(ev.get("DTSTAMP"), "DTSTAMP"),
        "dtstart": utc(ev.get("DTSTART"), "DTSTART"),
        "dtend": utc(ev.get("DTEND"), "DTEND"),
        "organizer": None if organizer is None else {
            "address": str(organizer),
            "cn": organizer.params.get("CN"),
        },
        "alarms": alarms,
    }
    json.dump(result, sys.stdout, ensure_ascii=False, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
