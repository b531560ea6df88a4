import { describe, expect, it } from 'vitest';
import { ConfigError, RABBITMQCTL_RESTART, loadConfig } from '../src/config';

describe('WARREN_BROKER_RESTART', () => {
  const restart = (value: string | undefined) =>
    loadConfig({ WARREN_BROKER_RESTART: value }).brokerRestartCommand;

  it('does not allow restarts unless the operator sets it', () => {
    for (const off of [undefined, '', ' ', 'false', '0', 'no', 'OFF']) {
      expect(restart(off), String(off)).toBeUndefined();
    }
  });

  it('takes rabbitmqctl (or yes) as stopping and starting the broker application', () => {
    expect(RABBITMQCTL_RESTART).toBe('rabbitmqctl stop_app && rabbitmqctl start_app');
    for (const on of ['rabbitmqctl', 'true', '1', 'Yes', 'on']) {
      expect(restart(on), on).toBe(RABBITMQCTL_RESTART);
    }
  });

  it('takes anything else as the shell command itself', () => {
    expect(restart('docker restart rabbitmq')).toBe('docker restart rabbitmq');
    expect(() => restart('x'.repeat(2001))).toThrow(ConfigError);
  });
});
