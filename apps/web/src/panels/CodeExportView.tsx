import { memo, useMemo } from 'react';
import { tokenize } from './explain/code-tokens';

/** Read-only code with line numbers and light highlighting; the text itself is unchanged. */
export const CodeExportView = memo(function CodeExportView({
  code,
  language,
  testId,
}: {
  code: string;
  language: string;
  testId: string;
}) {
  const tokens = useMemo(() => tokenize(code, language), [code, language]);
  const lineCount = useMemo(() => code.split('\n').length, [code]);
  const gutter = useMemo(
    () => Array.from({ length: lineCount }, (_, i) => String(i + 1)).join('\n'),
    [lineCount],
  );
  return (
    <div className="code-view" tabIndex={0} aria-label={`${language} code`}>
      <pre className="code-view__gutter" aria-hidden="true">
        {gutter}
      </pre>
      <pre className="code-view__code" data-testid={testId} data-language={language}>
        <code>
          {tokens.map((token, i) =>
            token.kind === 'plain' ? (
              token.text
            ) : (
              <span key={i} className={`tok tok--${token.kind}`}>
                {token.text}
              </span>
            ),
          )}
        </code>
      </pre>
    </div>
  );
});
