import { useEffect } from 'react';
import { can } from '../src-shared/auth/roles.js';
import { Header } from './components/Header.js';
import { StatusBar } from './components/StatusBar.js';
import { useT } from './i18n/i18nStore.js';
import { AdminScreen } from './screens/AdminScreen.js';
import { AlbumsScreen } from './screens/AlbumsScreen.js';
import { AlbumWorkspace } from './screens/AlbumWorkspace.js';
import { AuditScreen } from './screens/AuditScreen.js';
import { PasswordChangeScreen } from './screens/PasswordChangeScreen.js';
import { SignInScreen } from './screens/SignInScreen.js';
import { useNavigation } from './stores/navigationStore.js';
import { useSession } from './stores/sessionStore.js';

/** The signed-in screens; a screen the role may not use falls back to the first it may. */
function SignedIn() {
  const role = useSession((s) => s.session?.role);
  const { screen, go } = useNavigation();
  const allowed =
    screen.name === 'admin'
      ? can(role, 'user.manage')
      : screen.name === 'audit'
        ? can(role, 'audit.read')
        : can(role, 'album.read');
  const fallback = can(role, 'album.read') ? 'albums' : can(role, 'audit.read') ? 'audit' : null;
  useEffect(() => {
    if (!allowed && fallback && fallback !== screen.name) go({ name: fallback });
  }, [allowed, fallback, screen.name, go]);

  const notRemembered = useSession((s) => s.session?.remembered === false);
  const t = useT();
  return (
    <>
      {notRemembered && (
        <p className="banner" role="status">
          {t('signIn.notRemembered')}
        </p>
      )}
      <main className="content">
        {screen.name === 'albums' && <AlbumsScreen />}
        {screen.name === 'album' && <AlbumWorkspace albumId={screen.albumId} />}
        {screen.name === 'admin' && allowed && <AdminScreen />}
        {screen.name === 'audit' && allowed && <AuditScreen />}
      </main>
      <StatusBar />
    </>
  );
}

export function App() {
  const t = useT();
  const phase = useSession((s) => s.phase);
  const mustChange = useSession((s) => s.session?.passwordChangeRequired ?? false);
  const userId = useSession((s) => s.session?.userId);
  const go = useNavigation((s) => s.go);
  // Each sign-in starts at the albums.
  useEffect(() => go({ name: 'albums' }), [userId, go]);

  return (
    <div className="app">
      <Header />
      {phase === 'starting' && <p className="centered-page">{t('app.loading')}</p>}
      {phase === 'no-host' && (
        <main className="centered-page">
          <p className="card" role="alert">
            {t('app.noHost')}
          </p>
        </main>
      )}
      {phase === 'signed-out' && <SignInScreen />}
      {phase === 'signed-in' && (mustChange ? <PasswordChangeScreen /> : <SignedIn />)}
    </div>
  );
}
