import { can } from '../../src-shared/auth/roles.js';
import { useT } from '../i18n/i18nStore.js';
import { useNavigation, type Screen } from '../stores/navigationStore.js';
import { useSession } from '../stores/sessionStore.js';
import { LanguageSwitch } from './LanguageSwitch.js';

/** App name, navigation for what the role may do, who is signed in, language. */
export function Header() {
  const t = useT();
  const session = useSession((s) => s.session);
  const signOut = useSession((s) => s.signOut);
  const { screen, go } = useNavigation();
  const ready = session !== null && !session.passwordChangeRequired;
  const links: { screen: Screen; label: string; show: boolean }[] = [
    { screen: { name: 'albums' }, label: t('nav.albums'), show: can(session?.role, 'album.read') },
    { screen: { name: 'admin' }, label: t('nav.admin'), show: can(session?.role, 'user.manage') },
    { screen: { name: 'audit' }, label: t('nav.audit'), show: can(session?.role, 'audit.read') },
  ];
  const current = screen.name === 'album' ? 'albums' : screen.name;
  return (
    <header className="app-header">
      <div className="brand">
        <h1>{t('app.name')}</h1>
        <span className="tagline">{t('app.tagline')}</span>
      </div>
      {ready && (
        <nav className="main-nav" aria-label={t('nav.main')}>
          {links
            .filter((l) => l.show)
            .map((l) => (
              <button
                key={l.screen.name}
                type="button"
                aria-current={current === l.screen.name ? 'page' : undefined}
                onClick={() => go(l.screen)}
              >
                {l.label}
              </button>
            ))}
        </nav>
      )}
      <div className="header-end">
        {session && (
          <span className="who">
            {t('nav.signedInAs', { name: session.displayName, role: t(`role.${session.role}`) })}
          </span>
        )}
        <LanguageSwitch />
        {session && (
          <button type="button" onClick={() => void signOut()}>
            {t('nav.signOut')}
          </button>
        )}
      </div>
    </header>
  );
}
