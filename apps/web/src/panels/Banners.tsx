import { Fragment, type ReactNode } from 'react';
import { alarmSentence } from '@warren/protocol';
import { useShallow } from 'zustand/react/shallow';
import { selectBanners } from '../store/selectors';
import { useWarren } from '../store/store';

const defaultBrokerMessage =
  'RabbitMQ is not reachable - start it with `rabbitmq-server -detached` or `docker compose up`';

/** Renders `backticked` parts of a server sentence as code. */
function withCode(text: string): ReactNode {
  return text
    .split(/(`[^`]+`)/)
    .map((part, i) =>
      part.startsWith('`') && part.endsWith('`') && part.length > 1 ? (
        <code key={i}>{part.slice(1, -1)}</code>
      ) : (
        <Fragment key={i}>{part}</Fragment>
      ),
    );
}

export function Banners() {
  const { server, serverMessage, broker } = useWarren(useShallow(selectBanners));
  const serverDown = server === 'offline';
  // While the server is away, what it last said about the broker is stale: show one problem.
  const brokerDown = !serverDown && broker !== null && (!broker.amqp || !broker.management);
  // A resource alarm: the broker is up but blocks every publisher until it clears.
  const alarms = !serverDown && !brokerDown ? (broker?.alarms ?? []) : [];
  if (!serverDown && !brokerDown && alarms.length === 0) return null;
  let brokerText = defaultBrokerMessage;
  if (broker && !broker.amqp) brokerText = broker.message ?? defaultBrokerMessage;
  else if (broker && !broker.management)
    brokerText =
      broker.message ??
      'The RabbitMQ management API is not reachable - enable it with `rabbitmq-plugins enable rabbitmq_management`';
  return (
    <div className="banners">
      {serverDown && (
        <div className="banner banner--server" data-testid="server-banner" role="alert">
          <span className="banner__dot" />
          <span>
            <strong>Warren server not reachable.</strong>{' '}
            {serverMessage && serverMessage !== 'Warren server not reachable'
              ? `${serverMessage} `
              : ''}
            Retrying… You can keep drawing; apply when it is back.
          </span>
        </div>
      )}
      {alarms.length > 0 && (
        <div
          className="banner banner--broker"
          data-testid="broker-alarm-banner"
          data-alarms={alarms.join(' ')}
          role="alert"
        >
          <span className="banner__dot" />
          <span>{alarmSentence(alarms)} Producers wait and send again when it clears.</span>
        </div>
      )}
      {brokerDown && broker && (
        <div className="banner banner--broker" data-testid="broker-banner" role="alert">
          <span className="banner__dot" />
          <span>
            {withCode(brokerText)}
            {broker.hint && broker.hint !== brokerText && (
              <span className="banner__hint"> {withCode(broker.hint)}</span>
            )}
          </span>
        </div>
      )}
    </div>
  );
}
