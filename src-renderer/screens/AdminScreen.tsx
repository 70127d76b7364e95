import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ROLES_BY_TENANT_KIND, type Role, type TenantKind } from '../../src-shared/auth/roles.js';
import type { MethodResult } from '../../src-shared/desktop/contract.js';
import type { AppError } from '../../src-shared/result.js';
import { formText } from '../components/formText.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Modal } from '../components/Modal.js';
import { useT } from '../i18n/i18nStore.js';
import { useApi, useSession } from '../stores/sessionStore.js';

type User = MethodResult<'admin.users.list'>[number];

/** The kind of tenant an admin manages, from their role (the session carries no kind). */
export function tenantKindOf(role: Role | undefined): TenantKind | null {
  if (role === 'studio_admin' || role === 'designer') return 'studio';
  if (role === 'school_admin' || role === 'school_staff') return 'school';
  return null;
}

/** A temporary password, shown once: closing the dialog forgets it. */
function TemporaryPassword({
  name,
  password,
  onClose,
}: {
  readonly name: string;
  readonly password: string;
  readonly onClose: () => void;
}) {
  const t = useT();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  return (
    <Modal title={t('admin.tempPasswordTitle', { name })} onClose={onClose}>
      <p>{t('admin.tempPasswordOnce')}</p>
      <p className="temp-password">
        <code data-testid="temporary-password">{password}</code>
        <button
          type="button"
          onClick={() => {
            navigator.clipboard.writeText(password).then(
              () => setCopied('yes'),
              () => setCopied('failed'),
            );
          }}
        >
          {t('admin.copy')}
        </button>
      </p>
      {copied && (
        <p role="status" className={copied === 'yes' ? 'notice' : 'error'}>
          {t(copied === 'yes' ? 'admin.copied' : 'admin.copyFailed')}
        </p>
      )}
      <div className="actions">
        <button type="button" className="primary" onClick={onClose}>
          {t('admin.close')}
        </button>
      </div>
    </Modal>
  );
}

function Confirm({
  title,
  yes,
  onYes,
  onNo,
}: {
  readonly title: string;
  readonly yes: string;
  readonly onYes: () => void;
  readonly onNo: () => void;
}) {
  const t = useT();
  return (
    <Modal title={title} onClose={onNo}>
      <div className="actions">
        <button type="button" onClick={onNo}>
          {t('admin.cancel')}
        </button>
        <button type="button" className="danger" onClick={onYes}>
          {yes}
        </button>
      </div>
    </Modal>
  );
}

type Pending = { kind: 'delete' | 'reset'; user: User } | null;

/** Tenant admins: the tenant's users; add, disable, delete, reset a password. */
export function AdminScreen() {
  const t = useT();
  const api = useApi();
  const session = useSession((s) => s.session);
  const kind = tenantKindOf(session?.role);
  const roles = kind ? ROLES_BY_TENANT_KIND[kind] : [];
  const [users, setUsers] = useState<readonly User[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  const [formError, setFormError] = useState<AppError | null>(null);
  const [shown, setShown] = useState<{ name: string; password: string } | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const [version, setVersion] = useState(0);
  const load = useCallback(async () => setVersion((v) => v + 1), []);
  useEffect(() => {
    let live = true;
    void api['admin.users.list']({}).then((result) => {
      if (!live) return;
      if (result.ok) setUsers(result.value);
      setError(result.ok ? null : result.error);
    });
    return () => {
      live = false;
    };
  }, [api, version]);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const email = formText(data, 'email').trim();
    setBusy(true);
    const result = await api['admin.users.create']({
      loginId: formText(data, 'loginId').trim(),
      displayName: formText(data, 'displayName').trim(),
      role: formText(data, 'role') as Role,
      ...(email ? { email } : {}),
    });
    setBusy(false);
    if (!result.ok) {
      setFormError(result.error);
      return;
    }
    setFormError(null);
    form.reset();
    setShown({ name: result.value.user.displayName, password: result.value.temporaryPassword });
    await load();
  }

  async function run(work: () => Promise<{ ok: boolean; error?: AppError }>) {
    const result = await work();
    setError(result.ok ? null : (result.error ?? null));
    await load();
  }

  async function confirm() {
    if (!pending) return;
    const { kind: action, user } = pending;
    setPending(null);
    setNotice(null);
    if (action === 'delete') {
      await run(() => api['admin.users.delete']({ userId: user.id }));
      setNotice(t('admin.deleted'));
    } else {
      const result = await api['admin.users.resetPassword']({ userId: user.id });
      if (result.ok) setShown({ name: user.displayName, password: result.value.temporaryPassword });
      else setError(result.error);
      await load();
    }
  }

  return (
    <section className="screen" aria-labelledby="admin-title">
      <h2 id="admin-title">{t('admin.title')}</h2>
      <form className="card form inline-form" onSubmit={(e) => void create(e)}>
        <h3>{t('admin.create')}</h3>
        <div className="row">
          <label>
            {t('admin.loginId')}
            <input name="loginId" required maxLength={254} autoComplete="off" />
          </label>
          <label>
            {t('admin.displayName')}
            <input name="displayName" required maxLength={200} autoComplete="off" />
          </label>
          <label>
            {t('admin.email')}
            <input name="email" type="email" maxLength={254} autoComplete="off" />
          </label>
          <label>
            {t('admin.role')}
            <select name="role" defaultValue={roles[roles.length - 1]}>
              {roles.map((role) => (
                <option key={role} value={role}>
                  {t(`role.${role}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="primary" disabled={busy}>
            {t('admin.createSubmit')}
          </button>
        </div>
        <ErrorMessage error={formError} />
      </form>

      <h3>{t('admin.users')}</h3>
      <ErrorMessage error={error} />
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {users.length === 0 ? (
        <p className="empty">{t('admin.empty')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('admin.col.loginId')}</th>
              <th scope="col">{t('admin.col.displayName')}</th>
              <th scope="col">{t('admin.col.role')}</th>
              <th scope="col">{t('admin.col.state')}</th>
              <th scope="col">{t('admin.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => {
              const self = user.id === session?.userId;
              return (
                <tr key={user.id} data-login-id={user.loginId}>
                  <td className="mono">{user.loginId}</td>
                  <td>
                    {user.displayName}
                    {self && <span className="muted"> {t('admin.you')}</span>}
                  </td>
                  <td>{t(`role.${user.role}`)}</td>
                  <td>
                    <span className={`badge ${user.disabled ? 'warn' : 'ok'}`}>
                      {t(user.disabled ? 'admin.state.disabled' : 'admin.state.active')}
                    </span>
                    {user.passwordChangeRequired && (
                      <span className="badge pending">{t('admin.state.mustChange')}</span>
                    )}
                  </td>
                  <td>
                    {!self && (
                      <div className="row-actions">
                        <button
                          type="button"
                          onClick={() =>
                            void run(() =>
                              api['admin.users.update']({
                                userId: user.id,
                                disabled: !user.disabled,
                              }),
                            )
                          }
                        >
                          {t(user.disabled ? 'admin.enable' : 'admin.disable')}
                        </button>
                        <button type="button" onClick={() => setPending({ kind: 'reset', user })}>
                          {t('admin.resetPassword')}
                        </button>
                        <button
                          type="button"
                          className="danger"
                          onClick={() => setPending({ kind: 'delete', user })}
                        >
                          {t('admin.delete')}
                        </button>
                      </div>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {pending && (
        <Confirm
          title={t(pending.kind === 'delete' ? 'admin.confirmDelete' : 'admin.confirmReset', {
            name: pending.user.displayName,
          })}
          yes={t(pending.kind === 'delete' ? 'admin.confirmDeleteYes' : 'admin.confirmResetYes')}
          onYes={() => void confirm()}
          onNo={() => setPending(null)}
        />
      )}
      {shown && (
        <TemporaryPassword
          name={shown.name}
          password={shown.password}
          onClose={() => setShown(null)}
        />
      )}
    </section>
  );
}
