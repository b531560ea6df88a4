import type {
  ApplyTopologyResponse,
  CreateSessionResponse,
  ErrorBody,
  ExplainResponse,
  PublishRequest,
  PublishResponse,
} from '@warren/protocol';
import type { ExplainMessage, Topology } from '@warren/topology';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One HTTP reply of Warren's API: its status and its JSON body (undefined when empty). */
export interface WarrenReply {
  status: number;
  body: unknown;
}

/** How the harness talks to Warren: one HTTP request, in process or over the network. */
export type WarrenRequest = (
  method: HttpMethod,
  url: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<WarrenReply>;

/** The part of a Fastify instance `injectRequest` needs (`app.inject`). */
export interface Injector {
  inject(options: {
    method: HttpMethod;
    url: string;
    headers?: Record<string, string>;
    payload?: unknown;
  }): Promise<{ statusCode: number; body: string }>;
}

/** Warren's app, built in this process, as a WarrenRequest: every call goes through `inject`. */
export function injectRequest(app: Injector): WarrenRequest {
  return async (method, url, body, headers) => {
    const reply = await app.inject({
      method,
      url,
      ...(headers ? { headers } : {}),
      ...(body === undefined ? {} : { payload: body }),
    });
    return {
      status: reply.statusCode,
      body: reply.body === '' ? undefined : (JSON.parse(reply.body) as unknown),
    };
  };
}

/** What Warren answered to one publish: the outcome it reports, or the error it refused with. */
export interface PublishObservation {
  status: number;
  /** The error code of a refused publish. */
  code?: string;
  /** The publish outcome's routedQueues: the firehose's routed_queues, as Warren reports them. */
  routedQueues?: string[];
  /** Whether the broker sent the message back (basic.return). */
  returned?: boolean;
}

/** One Warren session, driven through its HTTP API as a user's script drives it. */
export class WarrenSession {
  private constructor(
    private readonly request: WarrenRequest,
    readonly id: string,
    readonly vhost: string,
    private readonly headers: Record<string, string>,
    /** Where clients outside Warren connect to the session's vhost. */
    readonly amqpUrl: string,
  ) {}

  static async open(request: WarrenRequest): Promise<WarrenSession> {
    const reply = await request('POST', '/api/sessions', {});
    if (reply.status !== 201)
      throw new Error(`creating a session answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    const body = reply.body as CreateSessionResponse;
    return new WarrenSession(
      request,
      body.id,
      body.vhost,
      { authorization: `Bearer ${body.editToken}` },
      body.amqp.url,
    );
  }

  /** PUTs the next diagram over the current one; objects whose settings changed are recreated. */
  async apply(
    topology: Topology,
  ): Promise<{ status: number; body: ApplyTopologyResponse | ErrorBody }> {
    const reply = await this.request(
      'PUT',
      `/api/sessions/${this.id}/topology?recreate=true`,
      topology,
      this.headers,
    );
    return { status: reply.status, body: reply.body as ApplyTopologyResponse | ErrorBody };
  }

  async publish(message: ExplainMessage): Promise<PublishObservation> {
    const request: PublishRequest = {
      exchange: message.exchange,
      routingKey: message.routingKey,
      payload: 'differential',
      mandatory: message.mandatory ?? false,
      ...(message.headers ? { headers: message.headers as PublishRequest['headers'] } : {}),
    };
    const reply = await this.request(
      'POST',
      `/api/sessions/${this.id}/publish`,
      request,
      this.headers,
    );
    if (reply.status !== 200) {
      const code = (reply.body as Partial<ErrorBody> | undefined)?.error?.code;
      return { status: reply.status, ...(code === undefined ? {} : { code }) };
    }
    const body = reply.body as PublishResponse;
    return { status: 200, routedQueues: body.routedQueues, returned: body.returned !== undefined };
  }

  /** What the explainer says of `message` on the session's live topology (POST /api/explain). */
  async explain(message: ExplainMessage): Promise<ExplainResponse> {
    const reply = await this.request('POST', '/api/explain', { message, sessionId: this.id });
    if (reply.status !== 200)
      throw new Error(`explain answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    return reply.body as ExplainResponse;
  }

  /** The session's topology as it is now, clients' objects included. */
  async topology(): Promise<Topology> {
    const reply = await this.request('GET', `/api/sessions/${this.id}`);
    if (reply.status !== 200)
      throw new Error(
        `reading the session answered ${reply.status}: ${JSON.stringify(reply.body)}`,
      );
    return (reply.body as { topology: Topology }).topology;
  }

  async close(): Promise<WarrenReply> {
    return this.request('DELETE', `/api/sessions/${this.id}`, undefined, this.headers);
  }
}
