import type { Topology } from '../model';

/** The forms Warren writes a diagram out as. */
export const CODE_FORMATS = ['amqplib', 'pika', 'rabbitmqadmin', 'curl', 'terraform'] as const;
export type CodeFormat = (typeof CODE_FORMATS)[number];

export interface GeneratedCode {
  format: CodeFormat;
  /** A file name that suits the form: `warren-topology.ts`, `setup.sh`, `main.tf`... */
  filename: string;
  /** Language tag for highlighting: typescript, python, bash, hcl. */
  language: string;
  code: string;
}

export interface CodegenOptions {
  /** amqp://user:pass@host:port/vhost for client code; defaults to the local broker. */
  amqpUrl?: string;
  /** http://host:15672 for the management API; defaults to the local broker. */
  managementUrl?: string;
  /** The vhost to declare into; defaults to '/'. */
  vhost?: string;
  user?: string;
  password?: string;
}

/** Runnable code (or commands) that declare `topology` on a broker. */
export function generateCode(
  topology: Topology,
  format: CodeFormat,
  options: CodegenOptions = {},
): GeneratedCode {
  void topology;
  void options;
  throw new Error(`generateCode(${format}): not implemented yet`);
}
