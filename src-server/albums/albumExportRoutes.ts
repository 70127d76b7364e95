import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { addRoute } from '../http/route.js';
import { requireAuth } from '../http/requireAuth.js';
import type { AlbumExporter } from './albumExport.js';
import { AlbumParams } from './albumRoutes.js';

/** The album archive (P1), for whoever may read the album; format in docs/export-format.md. */
export function registerAlbumExportRoutes(app: FastifyInstance, exporter: AlbumExporter): void {
  addRoute(app, {
    method: 'GET',
    url: '/v1/albums/:albumId/export',
    access: { action: 'album.export' },
    summary: 'The album as a zip: manifest, pages, photo originals with their metadata',
    tags: ['albums'],
    params: AlbumParams,
    reply: z.unknown().meta({ description: 'application/zip (streamed)' }),
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
