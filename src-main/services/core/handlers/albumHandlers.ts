import { randomUUID } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { DesktopError } from '../../../../src-shared/desktop/api.js';
import type { AlbumSummary } from '../../../../src-shared/desktop/contract.js';
import { albumApi } from '../../../../src-shared/cloud/albums.js';
import { blankPage } from '../../../../src-shared/model/blankPage.js';
import { parseAlbum } from '../../../../src-shared/model/parse.js';
import { valueOf } from '../desktopErrors.js';
import type { CoreContext, NamespaceHandlers } from './context.js';
import { newPageId } from './pageHandlers.js';

export function albumHandlers(ctx: CoreContext): NamespaceHandlers<'albums'> {
  const { store, conflicts } = ctx;

  function summary(albumId: string): AlbumSummary | null {
    const got = store.albums.get(albumId);
    if (!got.ok || !got.value || got.value.accessLost) return null;
    const album = got.value.album;
    const pages = store.pages.list(albumId);
    return {
      id: album.id,
      title: album.title,
      schoolName: album.schoolName,
      fiscalYear: album.fiscalYear,
      status: album.status,
      pageCount: pages.ok ? pages.value.length : 0,
      pendingChanges: store.outbox.list({ albumId }).length,
      conflicts: conflicts.count(albumId),
    };
  }

  return {
    async 'albums.list'() {
      return valueOf(store.albums.list(ctx.accountId())).flatMap((r) => summary(r.album.id) ?? []);
    },
    async 'albums.create'({ schoolTenantId, ...settings }) {
      const created = await ctx.cloud().call(albumApi.create, {
        body: { schoolTenantId, settings: { ...settings, status: 'draft' } },
      });
      const parsed = parseAlbum(created.settings);
      if (!parsed.ok) throw new DesktopError('invalid_document', parsed.error.message);
      store.albums.upsertRemote(ctx.accountId(), parsed.value, created.version);
      for (let i = 0; i < settings.pageCount; i++) {
        store.pages.saveLocal(parsed.value.id, blankPage(parsed.value.id, newPageId(), i));
      }
      ctx.syncSoon();
      const made = summary(parsed.value.id);
      if (!made) throw new DesktopError('album_not_found', 'The album could not be opened');
      return made;
    },
    async 'albums.open'({ albumId }) {
      return ctx.requireAlbum(albumId);
    },
    async 'albums.exportArchive'({ albumId, destinationPath }) {
      if (!isAbsolute(destinationPath)) {
        throw new DesktopError(
          'invalid_path',
          'Choose where to save the archive (保存先を選んでください)',
        );
      }
      // Streamed to a temporary name beside the target, renamed only when complete: a cut
      // connection or a killed app never leaves a partial archive under the chosen name.
      const temporary = `${destinationPath}.${randomUUID()}.part`;
      try {
        await ctx.cloud().download(albumApi.export, temporary, { params: { albumId } });
        await rename(temporary, destinationPath);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
      return { path: destinationPath, bytes: (await stat(destinationPath)).size };
    },
  };
}
