import { spawn } from 'node:child_process';
import { WarrenError } from '../errors/warren-error';

/** A restart command that has not finished in this time is stopped and counts as failed. */
const COMMAND_TIMEOUT_MS = 120_000;
/** The end of the command's output kept for the error message. */
const OUTPUT_TAIL = 600;

interface Log {
  info: (obj: object, msg: string) => void;
  warn: (obj: object, msg: string) => void;
}

/**
 * Restarts the broker with the command its operator set (WARREN_BROKER_RESTART), for lessons
 * that show what survives a real restart. Warren never fakes one: without the setting every
 * restart is refused. One restart at a time for the whole server, as it stops the broker for
 * everyone on it.
 */
export class BrokerRestart {
  private running = false;

  constructor(
    private readonly command: string | undefined,
    private readonly log: Log,
    private readonly timeoutMs = COMMAND_TIMEOUT_MS,
  ) {}

  /** Whether the operator allows restarts. */
  get allowed(): boolean {
    return this.command !== undefined;
  }

  get busy(): boolean {
    return this.running;
  }

  /**
   * Holds the server's one restart while `work` runs; `work` is handed the function that runs
   * the operator's command. Refused when restarts are not allowed or one is under way.
   */
  async exclusive<T>(work: (runCommand: () => Promise<void>) => Promise<T>): Promise<T> {
    const command = this.command;
    if (command === undefined) {
      throw new WarrenError(
        'BROKER_RESTART_NOT_ALLOWED',
        'This Warren does not restart the broker; its operator allows it with WARREN_BROKER_RESTART (for example WARREN_BROKER_RESTART=rabbitmqctl), because a restart stops the broker for every session on it.',
      );
    }
    if (this.running) throw new WarrenError('BROKER_RESTART_BUSY');
    this.running = true;
    try {
      return await work(() => this.run(command));
    } finally {
      this.running = false;
    }
  }

  private run(command: string): Promise<void> {
    this.log.info({ command }, 'restarting the broker');
    return new Promise((resolve, reject) => {
      const child = spawn(command, {
        shell: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: this.timeoutMs,
      });
      let output = '';
      const keep = (chunk: Buffer) => {
        output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL);
      };
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      child.on('error', (error) => reject(failed(`could not be started: ${error.message}`)));
      child.on('close', (code, signal) => {
        if (code === 0) {
          resolve();
          return;
        }
        const how =
          signal !== null
            ? `was stopped (${signal}) after ${this.timeoutMs / 1000} s`
            : `ended with exit code ${code}`;
        const said = output.trim();
        this.log.warn({ command, code, signal, output: said }, 'broker restart command failed');
        reject(failed(`${how}${said === '' ? '' : `: ${said}`}`));
      });
    });
  }
}

function failed(what: string): WarrenError {
  return new WarrenError(
    'BROKER_RESTART_FAILED',
    `The broker restart command set by WARREN_BROKER_RESTART ${what}`,
    {
      hint: 'Check that the broker is running (rabbitmqctl await_startup) and that the command works on the host of this Warren.',
    },
  );
}
