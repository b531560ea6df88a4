"""Routing by key: `emit EXCHANGE TYPE KEY text` publishes on a direct or topic exchange;
`receive EXCHANGE TYPE KEY...` binds a private, server-named queue with each key and prints
what arrives with its routing key."""
import json
import os
import signal
import sys

import pika


def say(**what):
    print(json.dumps(what), flush=True)


def main(role, exchange, kind, args):
    connection = pika.BlockingConnection(pika.URLParameters(os.environ["AMQP_URL"]))
    channel = connection.channel()
    channel.exchange_declare(exchange=exchange, exchange_type=kind)
    if role == "emit":
        key, text = args[0], " ".join(args[1:])
        channel.basic_publish(exchange=exchange, routing_key=key, body=text)
        say(sent=text, key=key)
        connection.close()
        return

    queue = channel.queue_declare(queue="", exclusive=True).method.queue
    for key in args:
        channel.queue_bind(exchange=exchange, queue=queue, routing_key=key)

    def on_message(_channel, method, _properties, body):
        say(received=body.decode(), key=method.routing_key, queue=queue)

    channel.basic_consume(queue=queue, on_message_callback=on_message, auto_ack=True)
    signal.signal(signal.SIGTERM, lambda *_: channel.stop_consuming())
    say(ready=queue)
    channel.start_consuming()
    connection.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:])
