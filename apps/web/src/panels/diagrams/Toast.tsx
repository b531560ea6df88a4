import { useEffect } from 'react';
import { useWarren, type WarrenState } from '../../store/store';

const selectToast = (s: WarrenState) => s.toast;
const INFO_MS = 5000;

/** The one note at the bottom of the page; errors stay until closed, others fade after a while. */
export function Toast() {
  const toast = useWarren(selectToast);
  useEffect(() => {
    if (!toast || toast.tone === 'error' || toast.action) return;
    const timer = setTimeout(() => useWarren.getState().dismissToast(toast.id), INFO_MS);
    return () => clearTimeout(timer);
  }, [toast]);
  if (!toast) return null;
  return (
    <div
      className={`toast toast--${toast.tone}`}
      role={toast.tone === 'error' ? 'alert' : 'status'}
      data-testid="toast"
    >
      <span className="toast__text" data-testid="toast-text">
        {toast.text}
      </span>
      {toast.action && (
        <button
          type="button"
          className="toast__action"
          onClick={toast.action.run}
          data-testid={toast.action.testId}
        >
          {toast.action.label}
        </button>
      )}
      <button
        type="button"
        className="toast__close"
        aria-label="Dismiss"
        onClick={() => useWarren.getState().dismissToast(toast.id)}
      >
        ×
      </button>
    </div>
  );
}
