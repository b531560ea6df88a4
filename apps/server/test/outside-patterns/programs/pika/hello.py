"""Hello world: `send [text]` puts one message on the queue 'hello'; `receive` prints each one."""
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
    channel.queue_declare(queue="hello")
    if role == "send":
        text = args[0] if args else "Hello World!"
        channel.basic_publish(exchange="", routing_key="hello", body=text)
        say(sent=text)
        connection.close()
        return

    def on_message(_channel, _method, _properties, body):
        say(received=body.decode())

    channel.basic_consume(queue="hello", on_message_callback=on_message, auto_ack=True)
    signal.signal(signal.SIGTERM, lambda *_: channel.stop_consuming())
    say(ready="hello")
    channel.start_consuming()
    connection.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
