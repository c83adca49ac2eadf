#!/usr/bin/python3
"""A server configured for another time zone (`serve --timezone Europe/Berlin`):
the page shows every time in that zone, names it, and reads the start time
typed into the meeting form in it (with the offset of that date).

    /usr/bin/python3 Tests/browser/run.py test_timezone
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ADMIN_TOKEN, Session, click, css, fill, fill_fields, js, rpc, run_module, set_value, shot, visible, wait  # noqa: E402


def main():
    st = {}
    with Session("roadshow-tz-", server_args=["--timezone", "Europe/Berlin"]) as s:
        server, run, shots = s.server, s.run, s.shots
        server.start()
        a = s.driver("en-US")

        def meeting_in_berlin_time():
            a.get(server.url + "/")
            visible(a, "#signin-form")
            [acc] = rpc(a, ADMIN_TOKEN, ("account.create", {"name": "Invest Berlin", "kind": "organizer"}))
            st["org"] = acc["token"]
            fill(a, "#signin-form input[name=token]", st["org"])
            click(a, "#signin-submit")
            visible(a, "#meeting-form")
            label = css(a, "label[for='%s']" % css(a, "#meeting-form [data-field=startsAt]").get_attribute("id")).text
            assert "Europe/Berlin" in label, "the start-time label names the server's zone: %r" % label
            assert js(a, "return import('/i18n.js').then((m) => m.timeZone())") == "Europe/Berlin"
            # 14:00 on 1 December in Berlin is 13:00 UTC (winter, UTC+1).
            set_value(a, "#meeting-form [data-field=startsAt]", "2026-12-01T14:00")
            fill_fields(a, "#meeting-form", {"title": "Roadshow", "company.name": "Firma GmbH", "project.name": "Werk", "system.name": "Zoom"})
            click(a, "#meeting-form button[type=submit]")
            visible(a, "#meeting-title")
            [m] = rpc(a, st["org"], ("meeting.list", {}))
            assert m["meetings"][0]["startsAt"] == "2026-12-01T13:00:00.000Z", m["meetings"][0]["startsAt"]
            wait(a, lambda d: "Europe/Berlin (UTC+1)" in css(d, "main").text, msg="zone named")
            main_text = css(a, "main").text
            assert "14:00" in main_text and "13:00" not in main_text, "the start shown in Berlin time: %s" % main_text[:300]
            shot(a, shots, "tz-berlin-meeting")
        run.check("serve --timezone Europe/Berlin: the form reads and the page shows Berlin time, and names the zone", meeting_in_berlin_time, a)
        s.check_ops(a)
    return s.result()


if __name__ == "__main__":
    run_module(main)
