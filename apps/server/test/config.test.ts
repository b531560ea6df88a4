import { hostname } from 'node:os';
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

describe('several servers', () => {
  it('names this server by host and port, and reaches it at HOST:PORT by default', () => {
    const config = loadConfig({ HOST: '10.1.2.3', PORT: '8081' });
    expect(config.serverName).toBe(`${hostname()}:8081`);
    expect(config.internalUrl).toBe('http://10.1.2.3:8081');
  });

  it('uses the host name when listening on every interface, and finds the port out for PORT=0', () => {
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '8080' }).internalUrl).toBe(
      `http://${hostname()}:8080`,
    );
    expect(loadConfig({ PORT: '0' }).internalUrl).toBeUndefined();
  });

  it('takes INTERNAL_URL and WARREN_SERVER_NAME, and answers to the internal host name', () => {
    const config = loadConfig({ INTERNAL_URL: 'http://warren-2:8080/', WARREN_SERVER_NAME: 'w2' });
    expect(config.internalUrl).toBe('http://warren-2:8080');
    expect(config.serverName).toBe('w2');
    expect(config.allowedHosts).toContain('warren-2');
    expect(() => loadConfig({ INTERNAL_URL: 'ftp://x' })).toThrow(/INTERNAL_URL/);
  });
});
