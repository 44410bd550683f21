#!/usr/bin/env python3
"""fail2ban's own jail counting, for comparison with logsleuth's blacklist.

Reads JSON lines {"ip": ..., "time": epoch seconds} (one per failure, in log
order) on stdin, feeds them to fail2ban's FailManager exactly as
Filter.processLineAndAdd does (one FailTicket per matched line; a ban when the
attempts reach maxretry), and prints {"banned": [...], "failures": N}.

Usage: fail2ban-jail.py [MAXRETRY [FINDTIME]]   (defaults: sshd jail, 5 and 600)
Needs the fail2ban package (Debian: /usr/bin/python3 with fail2ban installed).
"""
import json
import sys

from fail2ban.server.failmanager import FailManager
from fail2ban.server.ticket import FailTicket


def main():
    maxretry = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    findtime = int(sys.argv[2]) if len(sys.argv) > 2 else 600
    manager = FailManager()
    manager.setMaxRetry(maxretry)
    manager.setMaxTime(findtime)
    banned = []
    failures = 0
    for line in sys.stdin:
        if not line.strip():
            continue
        failure = json.loads(line)
        failures += 1
        attempts = manager.addFailure(FailTicket(failure["ip"], failure["time"]))
        if attempts >= maxretry:
            # Filter.performBan: the ticket leaves the fail list for the jail.
            manager.toBan(failure["ip"])
            if failure["ip"] not in banned:
                banned.append(failure["ip"])
    print(json.dumps({"banned": sorted(banned), "failures": failures}))


if __name__ == "__main__":
    main()
