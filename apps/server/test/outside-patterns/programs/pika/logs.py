"""Publish/subscribe: `emit text` broadcasts on the fanout exchange 'logs'; `receive` binds a
private, server-named queue to it and prints every log."""
import json
import os
import signal
import sys

import pika


def say(**what):
    print(json.dumps(what), flush=True)


def main(role, args):
    connection = pika.BlockingConnection(pika.URLParameters(os.environ["AMQP_URL"]))
    channel = connection.channel()
    channel.exchange_declare(exchange="logs", exchange_type="fanout")
    if role == "emit":
        text = " ".join(args) or "info: Hello World!"
        channel.basic_publish(exchange="logs", routing_key="", body=text)
        say(sent=text)
        connection.close()
        return

    queue = channel.queue_declare(queue="", exclusive=True).method.queue
    channel.queue_bind(exchange="logs", queue=queue)

    def on_message(_channel, _method, _properties, body):
        say(received=body.decode(), queue=queue)

    channel.basic_consume(queue=queue, on_message_callback=on_message, auto_ack=True)
    signal.signal(signal.SIGTERM, lambda *_: channel.stop_consuming())
    say(ready=queue)
    channel.start_consuming()
    connection.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
