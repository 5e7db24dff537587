#!/usr/bin/python3
"""A notification server for the desktop app's end-to-end tests: it owns
org.freedesktop.Notifications on the session bus it is started on, as a desktop's notification
daemon does, and writes each notification it is asked to show as a JSON line to the file given.
`org.careplan.TestControl.Click(id)` sends ActionInvoked(id, "default"), as a click on the
notification does. Debian's python3-dbus and python3-gi (run with /usr/bin/python3)."""

import json
import sys

import dbus
import dbus.service
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"


class Server(dbus.service.Object):
    def __init__(self, bus, record):
        super().__init__(bus, PATH)
        self.record = record
        self.next_id = 0

    @dbus.service.method(NAME, in_signature="", out_signature="as")
    def GetCapabilities(self):
        return ["actions", "body"]

    @dbus.service.method(NAME, in_signature="", out_signature="ssss")
    def GetServerInformation(self):
        return ("careplan-test", "careplan", "1", "1.2")

    @dbus.service.method(NAME, in_signature="susssasa{sv}i", out_signature="u")
    def Notify(self, app_name, replaces_id, icon, summary, body, actions, hints, timeout):
        self.next_id += 1
        with open(self.record, "a", encoding="utf-8") as out:
            line = {"id": self.next_id, "app": str(app_name), "summary": str(summary), "body": str(body),
                    "actions": [str(a) for a in actions]}
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        return self.next_id

    @dbus.service.method(NAME, in_signature="u", out_signature="")
    def CloseNotification(self, notification_id):
        self.NotificationClosed(notification_id, 3)

    @dbus.service.signal(NAME, signature="us")
    def ActionInvoked(self, notification_id, action_key):
        pass

    @dbus.service.signal(NAME, signature="uu")
    def NotificationClosed(self, notification_id, reason):
        pass

    @dbus.service.method("org.careplan.TestControl", in_signature="u", out_signature="")
    def Click(self, notification_id):
        self.ActionInvoked(notification_id, "default")


def main():
    DBusGMainLoop(set_as_default=True)
    bus = dbus.SessionBus()
    name = dbus.service.BusName(NAME, bus, do_not_queue=True)
    Server(bus, sys.argv[1])
    print("ready", flush=True)
    GLib.MainLoop().run()
    del name


if __name__ == "__main__":
    main()
