import './zodJitless.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { connectDesktopApi } from './desktop/desktopApi.js';
import { useSession } from './stores/sessionStore.js';
import './styles/app.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
void useSession.getState().start(connectDesktopApi(window.location));
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
