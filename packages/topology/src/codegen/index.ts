import { Type } from 'typebox';
import type { Topology } from '../model';
import { amqplibCode } from './amqplib';
import { connectionOf } from './connection';
import { pikaCode } from './pika';
import { curlCode, rabbitmqadminCode } from './shell';
import { terraformCode } from './terraform';

export * from './connect-snippets';

/** The forms Warren writes a diagram out as. */
export const CODE_FORMATS = ['amqplib', 'pika', 'rabbitmqadmin', 'curl', 'terraform'] as const;
export type CodeFormat = (typeof CODE_FORMATS)[number];

export const CodeFormatSchema = Type.Enum([...CODE_FORMATS], {
  description: 'amqplib (TypeScript), pika (Python), rabbitmqadmin, curl, terraform.',
});

export const GeneratedCodeSchema = Type.Object({
  format: CodeFormatSchema,
  /** A file name that suits the form: `warren-topology.ts`, `setup.sh`, `main.tf`... */
  filename: Type.String(),
  /** Language tag for highlighting: typescript, python, bash, hcl. */
  language: Type.String(),
  code: Type.String(),
});
export type GeneratedCode = Type.Static<typeof GeneratedCodeSchema>;

export const CodegenOptionsSchema = Type.Object(
  {
    /** amqp://user:pass@host:port/vhost for client code; defaults to the local broker. */
    amqpUrl: Type.Optional(Type.String({ maxLength: 2000 })),
    /** http://host:15672 for the management API; defaults to the local broker. */
    managementUrl: Type.Optional(Type.String({ maxLength: 2000 })),
    /** The vhost to declare into; defaults to '/'. */
    vhost: Type.Optional(Type.String({ maxLength: 255 })),
    user: Type.Optional(Type.String({ maxLength: 255 })),
    password: Type.Optional(Type.String({ maxLength: 255 })),
  },
  { additionalProperties: false },
);
export type CodegenOptions = Type.Static<typeof CodegenOptionsSchema>;

const FORMS: Record<
  CodeFormat,
  {
    filename: string;
    language: string;
    write: (topology: Topology, connection: ReturnType<typeof connectionOf>) => string;
  }
> = {
  amqplib: { filename: 'warren-topology.ts', language: 'typescript', write: amqplibCode },
  pika: { filename: 'warren_topology.py', language: 'python', write: pikaCode },
  rabbitmqadmin: {
    filename: 'declare-with-rabbitmqadmin.sh',
    language: 'bash',
    write: rabbitmqadminCode,
  },
  curl: { filename: 'declare-with-curl.sh', language: 'bash', write: curlCode },
  terraform: { filename: 'main.tf', language: 'hcl', write: terraformCode },
};

/**
 * Runnable code (or commands) that declare `topology` on a broker. Client code (amqplib,
 * pika) also runs the diagram's producers and consumers; policies, which no client can set,
 * appear there as the rabbitmqctl commands that set them.
 */
export function generateCode(
  topology: Topology,
  format: CodeFormat,
  options: CodegenOptions = {},
): GeneratedCode {
  const form = FORMS[format];
  if (form === undefined) {
    throw new Error(
      `Unknown code format '${String(format)}': use one of ${CODE_FORMATS.join(', ')}.`,
    );
  }
  return {
    format,
    filename: form.filename,
    language: form.language,
    code: form.write(topology, connectionOf(options)),
  };
}
