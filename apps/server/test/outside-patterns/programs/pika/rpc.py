"""Request/reply: `server` answers fib(n) requests on 'rpc_queue'; `client N [--direct-reply-to]`
asks for fib(N) and waits for the answer, on its own server-named callback queue or on the
broker's direct reply-to pseudo-queue."""
import json
import os
import signal
import sys
import uuid

import pika

DIRECT_REPLY_TO = "amq.rabbitmq.reply-to"


def say(**what):
    print(json.dumps(what), flush=True)


def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def serve(channel):
    channel.queue_declare(queue="rpc_queue")

    def on_request(ch, method, properties, body):
        n = int(body)
        say(received=n, correlation_id=properties.correlation_id)
        ch.basic_publish(
            exchange="",
            routing_key=properties.reply_to,
            properties=pika.BasicProperties(correlation_id=properties.correlation_id),
            body=str(fib(n)),
        )
        ch.basic_ack(delivery_tag=method.delivery_tag)

    channel.basic_qos(prefetch_count=1)
    channel.basic_consume(queue="rpc_queue", on_message_callback=on_request)
    signal.signal(signal.SIGTERM, lambda *_: channel.stop_consuming())
    say(ready="rpc_queue")
    channel.start_consuming()


def call(connection, channel, n, direct):
    if direct:
        callback = DIRECT_REPLY_TO
    else:
        callback = channel.queue_declare(queue="", exclusive=True).method.queue
    correlation_id = str(uuid.uuid4())
    answer = []

    def on_response(_channel, _method, properties, body):
        if properties.correlation_id == correlation_id:
            answer.append(int(body))

    channel.basic_consume(queue=callback, on_message_callback=on_response, auto_ack=True)
    channel.basic_publish(
        exchange="",
        routing_key="rpc_queue",
        properties=pika.BasicProperties(reply_to=callback, correlation_id=correlation_id),
        body=str(n),
    )
    say(sent=n, correlation_id=correlation_id, reply_to=callback)
    while not answer:
        connection.process_data_events(time_limit=1)
    say(answer=answer[0], correlation_id=correlation_id)


def main(role, args):
    connection = pika.BlockingConnection(pika.URLParameters(os.environ["AMQP_URL"]))
    channel = connection.channel()
    if role == "server":
        serve(channel)
    else:
        call(connection, channel, int(args[0]), "--direct-reply-to" in args)
    connection.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
