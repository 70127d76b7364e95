import { it } from 'vitest';
import { albumWithDesigner, pageFor, withText, albumSettings } from '../testing/albumFixtures.js';
import { as } from '../testing/accountFixtures.js';
import { startTestServer } from '../testing/testServer.js';
it('probe', async () => {
  const server = await startTestServer({ dialect: 'pglite' });
  const w = await albumWithDesigner(server, () => new Date(), 'p');
  const a = as(server, w.studio.admin.accessToken);
  let r = await a(`/v1/albums/${w.albumId}/pages`, 'POST', withText(pageFor(w.albumId, { id: 'p1' }), 'a\u0000b'));
  console.log('page', r.status, r.text.slice(0, 200));
  r = await a(`/v1/albums/${w.albumId}`, 'PATCH', { settings: albumSettings({ title: 'a\u0000b' }) });
  console.log('album', r.status, r.text.slice(0, 200));
  r = await a(`/v1/albums/${w.albumId}/changes?limit=1e309`);
  console.log('changes', r.status, r.text.slice(0, 200));
  r = await a(`/v1/audit-events?before=9999999999999999999`);
  console.log('audit', r.status, r.text.slice(0, 200));
  await server.close();
}, 60000);
