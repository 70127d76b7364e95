import type { FastifyInstance } from 'fastify';
import { albumApi } from '../../src-shared/cloud/albums.js';
import { addRoute } from '../http/route.js';
import { requireAuth } from '../http/requireAuth.js';
import type { AlbumExporter } from './albumExport.js';

/** The album archive (P1), for whoever may read the album; format in docs/export-format.md. */
export function registerAlbumExportRoutes(app: FastifyInstance, exporter: AlbumExporter): void {
  addRoute(app, albumApi.export, {
    handler: async ({ params, request, reply }) => {
      const { fileName, stream } = await exporter.exportAlbum(
        { auth: requireAuth(request), sourceAddress: request.ip },
        params.albumId,
      );
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .header('cache-control', 'no-store')
        .send(stream);
    },
  });
}
