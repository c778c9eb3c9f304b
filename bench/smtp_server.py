"""A local SMTP server for the delivery bench, in a process of its own: it keeps nothing, counts
conversations and mails, and prints the counts as JSON when it is stopped (SIGTERM).

python bench/smtp_server.py PORT
"""

import json
import signal
import sys

from aiosmtpd.controller import Controller


class Counter:
    def __init__(self):
        self.connections = 0
        self.mails = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        self.connections += 1
        return responses

    async def handle_DATA(self, server, session, envelope):
        self.mails += 1
        return "250 OK"


def main(port: int) -> None:
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        signal.sigwait({signal.SIGTERM})
    finally:
        controller.stop()
        print(json.dumps({"connections": counter.connections, "mails": counter.mails}), flush=True)


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    main(int(sys.argv[1]))
