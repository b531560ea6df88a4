import { exchangeTypeOf, type Topology } from '../model';
import { pyValue, tsString } from './literals';

/**
 * Small programs in the clients people use that publish one message to a session and read it
 * back, on the session's own AMQP URL: bring your own code, and watch it on the canvas.
 */

export const SNIPPET_LANGUAGES = ['pika', 'amqplib', 'spring', 'go', 'dotnet'] as const;
export type SnippetLanguage = (typeof SNIPPET_LANGUAGES)[number];

export interface ConnectSnippet {
  language: SnippetLanguage;
  /** What the tab says: the client library and its language. */
  title: string;
  /** Where to put it and how to run it. */
  filename: string;
  run: string;
  code: string;
}

/** Where the snippets publish and what they read. */
export interface SnippetTarget {
  exchange: string;
  routingKey: string;
  queue: string;
  /** The diagram has no queue: the snippet declares `queue` itself. */
  declareQueue: boolean;
}

/** The first binding of an exchange to a queue, else the first queue, else a queue of its own. */
export function snippetTarget(topology: Topology): SnippetTarget {
  const named = new Map(topology.queues.filter((q) => !q.serverNamed).map((q) => [q.name, q]));
  // Headers and consistent-hash exchanges route on more than a key: a plain message may go nowhere.
  const byKey = new Set(['direct', 'topic', 'fanout']);
  const binding = topology.bindings.find(
    (b) =>
      b.destinationType === 'queue' &&
      named.has(b.destination) &&
      byKey.has(exchangeTypeOf(topology, b.source) ?? ''),
  );
  if (binding) {
    return {
      exchange: binding.source,
      routingKey: binding.routingKey.replace(/[*#]/g, 'demo'),
      queue: binding.destination,
      declareQueue: false,
    };
  }
  const queue = [...named.values()][0];
  if (queue)
    return { exchange: '', routingKey: queue.name, queue: queue.name, declareQueue: false };
  return { exchange: '', routingKey: 'hello', queue: 'hello', declareQueue: true };
}

/** A double-quoted literal Java, Go and C# read back as the same string. */
function cString(text: string): string {
  return JSON.stringify(text);
}

function pika(url: string, t: SnippetTarget): string {
  return `import pika

params = pika.URLParameters(${pyValue(url)})
params.client_properties = {"connection_name": "my pika client"}
connection = pika.BlockingConnection(params)
channel = connection.channel()
${t.declareQueue ? `channel.queue_declare(queue=${pyValue(t.queue)})\n` : ''}
channel.basic_publish(
    exchange=${pyValue(t.exchange)},
    routing_key=${pyValue(t.routingKey)},
    body=b"Hello from pika",
    properties=pika.BasicProperties(content_type="text/plain"),
)
print("sent")


def on_message(ch, method, properties, body):
    print("received", body.decode())
    ch.basic_ack(method.delivery_tag)
    ch.stop_consuming()


channel.basic_consume(queue=${pyValue(t.queue)}, on_message_callback=on_message)
channel.start_consuming()
connection.close()
`;
}

function amqplib(url: string, t: SnippetTarget): string {
  return `import amqp from 'amqplib';

const connection = await amqp.connect(${tsString(url)}, {
  clientProperties: { connection_name: 'my amqplib client' },
});
const channel = await connection.createChannel();
${t.declareQueue ? `await channel.assertQueue(${tsString(t.queue)});\n` : ''}
channel.publish(${tsString(t.exchange)}, ${tsString(t.routingKey)}, Buffer.from('Hello from amqplib'), {
  contentType: 'text/plain',
});
console.log('sent');

await channel.consume(${tsString(t.queue)}, async (message) => {
  if (message === null) return;
  console.log('received', message.content.toString());
  channel.ack(message);
  await connection.close();
});
`;
}

function spring(url: string, t: SnippetTarget): string {
  return `// src/main/resources/application.properties:
//   spring.rabbitmq.addresses=${url}
//   spring.application.name=my spring client
package demo;

import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
${t.declareQueue ? 'import org.springframework.amqp.core.Queue;\n' : ''}
@SpringBootApplication
public class WarrenDemo {
  public static void main(String[] args) {
    SpringApplication.run(WarrenDemo.class, args);
  }
${t.declareQueue ? `\n  @Bean\n  Queue queue() {\n    return new Queue(${cString(t.queue)});\n  }\n` : ''}
  @Bean
  CommandLineRunner send(RabbitTemplate rabbit) {
    return args -> {
      rabbit.convertAndSend(${cString(t.exchange)}, ${cString(t.routingKey)}, "Hello from Spring AMQP");
      System.out.println("sent");
    };
  }

  @RabbitListener(queues = ${cString(t.queue)})
  public void receive(String body) {
    System.out.println("received " + body);
  }
}
`;
}

function go(url: string, t: SnippetTarget): string {
  return `package main

import (
	"context"
	"fmt"
	"log"

	amqp "github.com/rabbitmq/amqp091-go"
)

func main() {
	config := amqp.Config{Properties: amqp.Table{"connection_name": "my go client"}}
	conn, err := amqp.DialConfig(${cString(url)}, config)
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	ch, err := conn.Channel()
	if err != nil {
		log.Fatal(err)
	}
${t.declareQueue ? `	if _, err := ch.QueueDeclare(${cString(t.queue)}, false, false, false, false, nil); err != nil {\n		log.Fatal(err)\n	}\n` : ''}
	err = ch.PublishWithContext(context.Background(), ${cString(t.exchange)}, ${cString(t.routingKey)}, false, false,
		amqp.Publishing{ContentType: "text/plain", Body: []byte("Hello from Go")})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("sent")

	deliveries, err := ch.Consume(${cString(t.queue)}, "", false, false, false, false, nil)
	if err != nil {
		log.Fatal(err)
	}
	message := <-deliveries
	fmt.Println("received", string(message.Body))
	message.Ack(false)
}
`;
}

function dotnet(url: string, t: SnippetTarget): string {
  return `using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

var factory = new ConnectionFactory { Uri = new Uri(${cString(url)}) };
await using var connection = await factory.CreateConnectionAsync("my .NET client");
await using var channel = await connection.CreateChannelAsync();
${t.declareQueue ? `await channel.QueueDeclareAsync(${cString(t.queue)}, false, false, false);\n` : ''}
await channel.BasicPublishAsync(${cString(t.exchange)}, ${cString(t.routingKey)}, Encoding.UTF8.GetBytes("Hello from .NET"));
Console.WriteLine("sent");

var received = new TaskCompletionSource();
var consumer = new AsyncEventingBasicConsumer(channel);
consumer.ReceivedAsync += async (_, message) =>
{
    Console.WriteLine($"received {Encoding.UTF8.GetString(message.Body.ToArray())}");
    await channel.BasicAckAsync(message.DeliveryTag, false);
    received.TrySetResult();
};
await channel.BasicConsumeAsync(${cString(t.queue)}, false, consumer);
await received.Task;
`;
}

/** The five snippets for a session's AMQP URL and diagram. */
export function connectSnippets(url: string, topology: Topology): ConnectSnippet[] {
  const target = snippetTarget(topology);
  return [
    {
      language: 'pika',
      title: 'Python · pika',
      filename: 'send_receive.py',
      run: 'pip install pika && python send_receive.py',
      code: pika(url, target),
    },
    {
      language: 'amqplib',
      title: 'Node.js · amqplib',
      filename: 'send-receive.mjs',
      run: 'npm install amqplib && node send-receive.mjs',
      code: amqplib(url, target),
    },
    {
      language: 'spring',
      title: 'Java · Spring AMQP',
      filename: 'src/main/java/demo/WarrenDemo.java',
      run: 'a Spring Boot app with spring-boot-starter-amqp: ./mvnw spring-boot:run',
      code: spring(url, target),
    },
    {
      language: 'go',
      title: 'Go · amqp091-go',
      filename: 'main.go',
      run: 'go mod init demo && go get github.com/rabbitmq/amqp091-go && go run .',
      code: go(url, target),
    },
    {
      language: 'dotnet',
      title: '.NET · RabbitMQ.Client',
      filename: 'Program.cs',
      run: 'dotnet new console && dotnet add package RabbitMQ.Client --version 7.* && dotnet run',
      code: dotnet(url, target),
    },
  ];
}
