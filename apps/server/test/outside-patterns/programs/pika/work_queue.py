"""Work queue: `new-task text...` sends each task, persistent, to the durable 'task_queue';
`worker` takes one task at a time and acknowledges it when done (a dot is a tenth of a second)."""
import json
import os
import signal
import sys
import time

import pika


def say(**what):
    print(json.dumps(what), flush=True)


def main(role, args):
    connection = pika.BlockingConnection(pika.URLParameters(os.environ["AMQP_URL"]))
    channel = connection.channel()
    channel.queue_declare(queue="task_queue", durable=True)
    if role == "new-task":
        for task in args:
            channel.basic_publish(
                exchange="",
                routing_key="task_queue",
                body=task,
                properties=pika.BasicProperties(delivery_mode=2),  # persistent
            )
            say(sent=task)
        connection.close()
        return

    def on_message(ch, method, _properties, body):
        task = body.decode()
        time.sleep(task.count(".") / 10)
        say(received=task)
        ch.basic_ack(delivery_tag=method.delivery_tag)

    channel.basic_qos(prefetch_count=1)
    channel.basic_consume(queue="task_queue", on_message_callback=on_message)
    signal.signal(signal.SIGTERM, lambda *_: channel.stop_consuming())
    say(ready="task_queue")
    channel.start_consuming()
    connection.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
