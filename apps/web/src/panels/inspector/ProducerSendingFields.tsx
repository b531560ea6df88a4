import { Toggle } from './fields';
import { readRate, type ProducerFieldsProps } from './producer-fields';
import { DraftCell, IntegerCell } from './PropCell';

/** How a producer sends: delivery guarantees, continuous sending and the reliable outbox. */

/** Mandatory, publisher confirms or transactions: what the producer learns back. */
export function DeliveryFields({ producer, update }: Omit<ProducerFieldsProps, 'problems'>) {
  const confirms = producer.confirms !== false && producer.transactions !== true;
  return (
    <div className="toggles toggles--stacked">
      <Toggle
        label="mandatory"
        checked={producer.mandatory}
        onChange={(mandatory) => update({ mandatory })}
        testId="inspector-mandatory"
        hint="An unroutable message comes back to the producer (basic.return) instead of being dropped"
      />
      <Toggle
        label="publisher confirms"
        checked={confirms}
        onChange={(on) =>
          update(on ? { confirms: undefined, transactions: undefined } : { confirms: false })
        }
        testId="inspector-producer-confirms"
        hint="The broker acks (or nacks) every message once it has taken responsibility for it"
      />
      <Toggle
        label="transactions"
        checked={producer.transactions === true}
        onChange={(on) =>
          update(on ? { transactions: true, confirms: false } : { transactions: undefined })
        }
        testId="inspector-producer-transactions"
        hint="tx.select / tx.commit around each send; slower, and it excludes confirms"
      />
    </div>
  );
}

/** Messages per second and burst size for continuous sending. */
export function RateFields({ producer, update, problems }: ProducerFieldsProps) {
  return (
    <div className="prop-grid">
      <DraftCell
        label="rate (msg/s)"
        hint="Messages per second while started; empty or 0: one-shot sends only"
        field="ratePerSecond"
        problems={problems}
        value={producer.ratePerSecond === undefined ? '' : String(producer.ratePerSecond)}
        read={readRate}
        onCommit={(ratePerSecond) => update({ ratePerSecond })}
        testId="inspector-producer-rate"
        placeholder="one-shot"
        inputMode="decimal"
      />
      <IntegerCell
        label="burst"
        hint="Messages sent together at each tick; the rate stays the same on average"
        field="burst"
        problems={problems}
        value={producer.burst}
        onCommit={(burst) => update({ burst })}
        testId="inspector-producer-burst"
        placeholder="1"
      />
    </div>
  );
}

/** The reliable producer: an outbox re-sending what the broker did not confirm in time. */
export function OutboxFields({ producer, update, problems }: ProducerFieldsProps) {
  const outbox = producer.outbox;
  return (
    <>
      <Toggle
        label="reliable producer (outbox)"
        checked={outbox !== undefined}
        onChange={(on) =>
          update({
            outbox: on ? { timeoutMs: 3000, maxAttempts: 3 } : undefined,
            // The outbox learns of success from confirms.
            ...(on && { confirms: undefined, transactions: undefined }),
          })
        }
        testId="inspector-producer-reliable"
        hint="Log each message as sending, confirmed or failed; re-send what is not confirmed in time"
      />
      {outbox && (
        <div className="prop-grid">
          <IntegerCell
            label="re-send after (ms)"
            hint="A message not confirmed within this time is sent again, with the same message id"
            field="timeoutMs"
            problems={problems}
            value={outbox.timeoutMs}
            onCommit={(v) => v !== undefined && update({ outbox: { ...outbox, timeoutMs: v } })}
            testId="inspector-producer-outbox-timeout"
          />
          <IntegerCell
            label="max attempts"
            hint="After this many sends the message is marked failed"
            field="maxAttempts"
            problems={problems}
            value={outbox.maxAttempts}
            onCommit={(v) => v !== undefined && update({ outbox: { ...outbox, maxAttempts: v } })}
            testId="inspector-producer-outbox-attempts"
          />
        </div>
      )}
    </>
  );
}
