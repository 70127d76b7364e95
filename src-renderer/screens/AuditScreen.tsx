import { useCallback, useEffect, useMemo, useState } from 'react';
import type { MethodResult } from '../../src-shared/desktop/contract.js';
import type { AppError } from '../../src-shared/result.js';
import type { DisplayZone } from '../../src-shared/time/formatInstant.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { instantIn } from '../components/formatTime.js';
import { useT, type Translate } from '../i18n/i18nStore.js';
import { ja } from '../i18n/messages.ja.js';
import { can } from '../../src-shared/auth/roles.js';
import { useAlbums } from '../stores/albumsStore.js';
import { useApi, useSession } from '../stores/sessionStore.js';

type AuditEvent = MethodResult<'admin.audit.list'>['events'][number];
const PAGE = 100;

/** A catalog label for a known code, else the code itself (new server actions still show). */
function label(t: Translate, prefix: 'audit.action' | 'audit.outcome', code: string): string {
  const key = `${prefix}.${code}`;
  return Object.prototype.hasOwnProperty.call(ja, key) ? t(key as keyof typeof ja) : code;
}

/** An id as a name (the tenant's users, this account's albums); the id stays as a tooltip. */
function Who({
  id,
  names,
}: {
  readonly id: string | null;
  readonly names: ReadonlyMap<string, string>;
}) {
  if (!id) return <>—</>;
  const name = names.get(id);
  return name ? (
    <span title={id}>{name}</span>
  ) : (
    <span className="mono small" title={id}>
      {id.slice(0, 8)}…
    </span>
  );
}

/** The tenant's audit events, newest first, in JST (default) or UTC. */
export function AuditScreen() {
  const t = useT();
  const api = useApi();
  const [zone, setZone] = useState<DisplayZone>('Asia/Tokyo');
  const [events, setEvents] = useState<readonly AuditEvent[]>([]);
  const [nextBefore, setNextBefore] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  const [version, setVersion] = useState(0);
  const role = useSession((s) => s.session?.role);
  const [userNames, setUserNames] = useState<ReadonlyMap<string, string>>(new Map());
  const albums = useAlbums((s) => s.albums);
  const names = useMemo(
    () => new Map([...albums.map((a) => [a.id, a.title] as const), ...userNames]),
    [albums, userNames],
  );
  useEffect(() => {
    if (!can(role, 'user.read')) return;
    let live = true;
    void api['admin.users.list']({}).then((result) => {
      if (live && result.ok) setUserNames(new Map(result.value.map((u) => [u.id, u.displayName])));
    });
    return () => {
      live = false;
    };
  }, [api, role, version]);

  const show = useCallback(
    (result: MethodResult<'admin.audit.list'> | null, error: AppError | null, more: boolean) => {
      setError(error);
      if (!result) return;
      setEvents((old) => (more ? [...old, ...result.events] : result.events));
      setNextBefore(result.nextBefore);
    },
    [],
  );
  useEffect(() => {
    let live = true;
    void api['admin.audit.list']({ tz: zone, limit: PAGE }).then((result) => {
      if (live) show(result.ok ? result.value : null, result.ok ? null : result.error, false);
    });
    return () => {
      live = false;
    };
  }, [api, zone, version, show]);

  async function more(before: string) {
    const result = await api['admin.audit.list']({ tz: zone, limit: PAGE, before });
    show(result.ok ? result.value : null, result.ok ? null : result.error, true);
  }

  return (
    <section className="screen" aria-labelledby="audit-title">
      <div className="screen-head">
        <h2 id="audit-title">{t('audit.title')}</h2>
        <div className="segmented" role="radiogroup" aria-label={t('audit.zone')}>
          {(
            [
              ['Asia/Tokyo', 'audit.zone.jst'],
              ['UTC', 'audit.zone.utc'],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className={zone === value ? 'active' : undefined}>
              <input
                type="radio"
                name="zone"
                value={value}
                checked={zone === value}
                onChange={() => setZone(value)}
              />
              {t(label)}
            </label>
          ))}
        </div>
        <button type="button" onClick={() => setVersion((v) => v + 1)}>
          {t('audit.refresh')}
        </button>
      </div>
      <ErrorMessage error={error} />
      {events.length === 0 ? (
        <p className="empty">{t('audit.empty')}</p>
      ) : (
        <table className="table audit">
          <thead>
            <tr>
              <th scope="col">{t('audit.col.time')}</th>
              <th scope="col">{t('audit.col.action')}</th>
              <th scope="col">{t('audit.col.outcome')}</th>
              <th scope="col">{t('audit.col.actor')}</th>
              <th scope="col">{t('audit.col.target')}</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <tr key={event.id}>
                <td className="mono nowrap">{instantIn(event.occurredAt, zone)}</td>
                <td>
                  {label(t, 'audit.action', event.action)}
                  <div className="mono small muted">{event.action}</div>
                </td>
                <td>
                  <span className={`badge ${event.outcome === 'success' ? 'ok' : 'warn'}`}>
                    {label(t, 'audit.outcome', event.outcome)}
                  </span>
                </td>
                <td>
                  <Who id={event.actorId} names={names} />
                </td>
                <td>
                  <Who id={event.targetId} names={names} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {nextBefore && (
        <button type="button" onClick={() => void more(nextBefore)}>
          {t('audit.more')}
        </button>
      )}
    </section>
  );
}
