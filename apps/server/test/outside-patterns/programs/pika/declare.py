"""Declares only: an exchange 'inventory', a queue 'inventory.updates' bound to it with 'stock',
and its own exclusive server-named queue bound with 'audit'; then waits until stopped."""
import json
import os
import signal
import sys

import pika


def say(**what):
    print(json.dumps(what), flush=True)


def main():
    connection = pika.BlockingConnection(pika.URLParameters(os.environ["AMQP_URL"]))
    channel = connection.channel()
    channel.exchange_declare(exchange="inventory", exchange_type="direct")
    channel.queue_declare(queue="inventory.updates")
    channel.queue_bind(exchange="inventory", queue="inventory.updates", routing_key="stock")
    own = channel.queue_declare(queue="", exclusive=True).method.queue
    channel.queue_bind(exchange="inventory", queue=own, routing_key="audit")
    say(ready="declared", queue=own)
    stopped = []
    signal.signal(signal.SIGTERM, lambda *_: stopped.append(True))
    while not stopped:
        connection.sleep(0.1)
    connection.close()


if __name__ == "__main__":
    main()
