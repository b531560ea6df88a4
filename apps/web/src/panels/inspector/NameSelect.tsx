/**
 * A choice among the diagram's exchanges or queues by name, with a first option for '' (the
 * default exchange, no queue yet). A name not in the diagram is still shown, so nothing is
 * lost on the way through the inspector.
 */
export function NameSelect({
  value,
  names,
  empty,
  onChange,
  testId,
}: {
  value: string | undefined;
  names: readonly string[];
  /** What '' is called. */
  empty: string;
  onChange: (name: string) => void;
  testId: string;
}) {
  const current = value ?? '';
  return (
    <select data-testid={testId} value={current} onChange={(e) => onChange(e.target.value)}>
      <option value="">{empty}</option>
      {names.map((name) => (
        <option key={name} value={name}>
          {name}
        </option>
      ))}
      {current !== '' && !names.includes(current) && <option value={current}>{current}</option>}
    </select>
  );
}

/** An exchange by name; '' is the default exchange. */
export function ExchangeSelect(props: Omit<Parameters<typeof NameSelect>[0], 'empty'>) {
  return <NameSelect {...props} empty="(default exchange)" />;
}
