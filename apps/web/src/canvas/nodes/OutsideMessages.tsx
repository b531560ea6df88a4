import { useState } from 'react';
import { useOutsideMessages } from '../../live/outside-messages';
import { MessageProperties } from './MessageProperties';

/**
 * An outside client's recent messages, opened from its node: what it sent and received, and
 * for the one clicked, the properties the broker traced (reply-to, correlation id, headers…).
 */
export function OutsideMessages({ clientId }: { clientId: string }) {
  const messages = useOutsideMessages(clientId);
  const [open, setOpen] = useState(false);
  const [picked, setPicked] = useState<number | undefined>(undefined);
  if (messages.length === 0) return null;
  const chosen = messages.find((m) => m.seq === picked);
  return (
    <div className="outside-messages nodrag nowheel">
      <button
        type="button"
        className="outside-messages__toggle"
        data-testid={`outside-messages-toggle-${clientId}`}
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {open ? 'Hide' : 'Show'} messages ({messages.length})
      </button>
      {open && (
        <ol className="outside-messages__list" data-testid={`outside-messages-${clientId}`}>
          {[...messages].reverse().map((m) => (
            <li key={m.seq}>
              <button
                type="button"
                className={`outside-messages__row${m.seq === picked ? ' is-picked' : ''}`}
                data-testid={`outside-message-${m.messageKey}-${m.direction}`}
                title={m.messageId ?? m.messageKey}
                onClick={() => setPicked(m.seq === picked ? undefined : m.seq)}
              >
                <span className="outside-messages__direction">{m.direction}</span>
                <code>{m.where}</code>
              </button>
            </li>
          ))}
        </ol>
      )}
      {open && chosen && (
        <MessageProperties properties={chosen.properties} messageKey={chosen.messageKey} />
      )}
    </div>
  );
}
