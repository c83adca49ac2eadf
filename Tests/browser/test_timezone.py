#!/usr/bin/python3
"""A server configured for another time zone (`serve --timezone Europe/Berlin`):
the page shows every time in that zone, names it, and reads the start time
typed into the meeting form in it (with the offset of that date).

    /usr/bin/python3 Tests/browser/run.py test_timezone
"""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_page import ADMIN_TOKEN, Run, Server, click, css, fill, fill_fields, js, make_driver, set_value, shot, visible, wait  # noqa: E402,F401
from test_rehearsal import rpc  # noqa: E402


def main():
    work = tempfile.mkdtemp(prefix="roadshow-tz-")
    shots = os.environ.get("ROADSHOW_SHOTS") or os.path.join(work, "shots")
    os.makedirs(shots, exist_ok=True)
    server = Server(work, extra_args=["--timezone", "Europe/Berlin"])
    run = Run(shots)
    a = None
    st = {}
    try:
        server.start()
        a = make_driver("en-US")

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
    except Exception as e:  # noqa: BLE001
        print("FAIL setup: %s" % e, flush=True)
        run.failed += 1
    finally:
        if a:
            a.quit()
        server.stop()
    if not run.failed:
        shutil.rmtree(work, ignore_errors=True)
    return run.passed, run.failed


if __name__ == "__main__":
    p, f = main()
    print("%d passed, %d failed" % (p, f))
    sys.exit(1 if f else 0)
