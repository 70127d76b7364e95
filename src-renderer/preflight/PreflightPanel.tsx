import type { PreflightIssue } from '../../src-shared/preflight/preflight.js';
import { summarize } from '../../src-shared/preflight/preflight.js';
import { useT } from '../i18n/i18nStore.js';

/** The page's heading key: album-wide issues come first under their own heading. */
const groupKey = (issue: PreflightIssue) => issue.pageNumber ?? 0;

/**
 * Preflight issues grouped by page, errors before warnings. Clicking an issue with an element
 * (or a page) calls `onSelectIssue`, so the editor can show it.
 */
export function PreflightPanel({
  issues,
  onSelectIssue,
}: {
  readonly issues: readonly PreflightIssue[];
  readonly onSelectIssue: (pageId: string, elementId: string | null) => void;
}) {
  const t = useT();
  const { errors, warnings } = summarize(issues);
  const groups = new Map<number, PreflightIssue[]>();
  for (const issue of issues) {
    const list = groups.get(groupKey(issue)) ?? [];
    list.push(issue);
    groups.set(groupKey(issue), list);
  }
  const ordered = [...groups.entries()].sort(([a], [b]) => a - b);
  return (
    <div className="preflight-panel" data-testid="preflight-panel">
      <p className="muted small" data-testid="preflight-summary">
        {issues.length === 0 ? t('preflight.none') : t('preflight.summary', { errors, warnings })}
      </p>
      {ordered.map(([page, list]) => (
        <section key={page} className="preflight-page">
          <h4>{page === 0 ? t('preflight.album') : t('preflight.pageN', { n: page })}</h4>
          <ul>
            {[...list]
              .sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1))
              .map((issue, i) => {
                const text = t(`preflight.code.${issue.code}`, issue.values);
                const label = (
                  <>
                    <span className={`severity ${issue.severity}`}>
                      {t(`preflight.severity.${issue.severity}`)}
                    </span>{' '}
                    {text}
                  </>
                );
                return (
                  <li
                    key={`${issue.code}-${issue.elementId ?? ''}-${i}`}
                    data-severity={issue.severity}
                  >
                    {issue.pageId === null ? (
                      label
                    ) : (
                      <button
                        type="button"
                        className="link preflight-issue"
                        data-page-id={issue.pageId}
                        data-element-id={issue.elementId ?? ''}
                        onClick={() => onSelectIssue(issue.pageId!, issue.elementId)}
                      >
                        {label}
                      </button>
                    )}
                  </li>
                );
              })}
          </ul>
        </section>
      ))}
    </div>
  );
}
