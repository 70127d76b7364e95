import { createHash } from 'node:crypto';
import {
  addDays,
  EXPIRY_NOTICE_DAYS,
  isDue,
  tenantPurgeAt,
  tenantPurgeNoticeAt,
} from '../../src-shared/retention/deadlines.js';
import { formatInstant } from '../../src-shared/time/formatInstant.js';
import type { Job, JobContext } from '../jobs/job.js';
import { bilingual, queueNotice, tenantAdminIds, type NoticeContent } from './noticeOutbox.js';

const jstDate = (d: Date): string => formatInstant(d, 'Asia/Tokyo').slice(0, 10);

interface ExpiringAlbum {
  readonly albumId: string;
  readonly title: string;
  readonly firstExpiry: Date;
  readonly photos: number;
}

export function photoExpiryNotice(albums: readonly ExpiringAlbum[]): NoticeContent {
  const ja = albums.map(
    (a) => `・${a.title}: ${a.photos} 枚、${jstDate(a.firstExpiry)} から順に削除されます`,
  );
  const en = albums.map(
    (a) => `- ${a.title}: ${a.photos} photo(s), deleted from ${jstDate(a.firstExpiry)} (JST)`,
  );
  return {
    kind: 'photo_expiry',
    subject: '【Weebum】写真の保存期限のお知らせ / Photos reaching their retention limit',
    body: bilingual(
      [
        '次のアルバムの写真は、アップロードから1年4か月の保存期限を迎えるため削除されます。',
        '必要な写真は期限までにアルバムのエクスポートで保存してください。ページのレイアウトは残ります。',
        '',
        ...ja,
      ].join('\n'),
      [
        'Photos in the albums below reach the end of their retention period (16 months after',
        'upload) and will be deleted. Export the album before then to keep a copy; page',
        'layouts are kept.',
        '',
        ...en,
      ].join('\n'),
    ),
  };
}

/**
 * P11: 30 days before photos expire, tenant admins (of the studio and of the school) and album
 * members get one notice listing every album of theirs with photos expiring within 30 days.
 * The dedup key is the list itself: a repeated run sends nothing; an album entering the window
 * later makes a new notice.
 */
export async function queuePhotoExpiryNotices(ctx: JobContext): Promise<number> {
  const at = ctx.now();
  const { rows } = await ctx.db.query<{
    album_id: string;
    title: string | null;
    studio_tenant_id: string;
    school_tenant_id: string;
    first_expiry: Date;
    photos: string;
  }>(
    `SELECT a.id AS album_id, a.document->>'title' AS title, a.studio_tenant_id,
            a.school_tenant_id, min(p.expires_at) AS first_expiry, count(*) AS photos
       FROM photos p
       JOIN albums a ON a.id = p.album_id
       JOIN tenants st ON st.id = a.studio_tenant_id
       JOIN tenants sc ON sc.id = a.school_tenant_id
      WHERE p.expires_at > $1 AND p.expires_at <= $2 AND a.deleted_at IS NULL
        AND NOT st.legal_hold AND NOT sc.legal_hold
      GROUP BY a.id
      ORDER BY min(p.expires_at), a.id`,
    [at, addDays(at, EXPIRY_NOTICE_DAYS)],
  );
  if (rows.length === 0) return 0;
  // Who hears about which album: both tenants' admins, and its members.
  const perUser = new Map<string, { tenantId: string; albums: ExpiringAlbum[] }>();
  for (const row of rows) {
    const album: ExpiringAlbum = {
      albumId: row.album_id,
      title: row.title ?? row.album_id,
      firstExpiry: row.first_expiry,
      photos: Number(row.photos),
    };
    const { rows: people } = await ctx.db.query<{ id: string; tenant_id: string }>(
      `SELECT u.id, u.tenant_id FROM users u
        WHERE (u.tenant_id IN ($1, $2) AND u.role IN ('studio_admin', 'school_admin'))
           OR u.id IN (SELECT user_id FROM album_members WHERE album_id = $3)`,
      [row.studio_tenant_id, row.school_tenant_id, row.album_id],
    );
    for (const person of people) {
      const entry = perUser.get(person.id) ?? { tenantId: person.tenant_id, albums: [] };
      entry.albums.push(album);
      perUser.set(person.id, entry);
    }
  }
  let queued = 0;
  for (const [userId, { tenantId, albums }] of perUser) {
    const list = albums.map((a) => `${a.albumId}@${jstDate(a.firstExpiry)}`).join(',');
    const digest = createHash('sha256').update(list).digest('hex').slice(0, 32);
    queued += await queueNotice(ctx.db, {
      tenantId,
      userIds: [userId],
      dedupKey: `photo-expiry:${digest}`,
      content: photoExpiryNotice(albums),
      at,
    });
  }
  return queued;
}

export function contractEndedNotice(tenantName: string, purgeAt: Date): NoticeContent {
  return {
    kind: 'contract_ended',
    subject: '【Weebum】ご契約終了のお知らせ / Your contract has ended',
    body: bilingual(
      `${tenantName} 様\n\nご契約が終了しました。データは閲覧とエクスポートのみ可能です（変更はできません）。\n` +
        `すべてのデータは ${jstDate(purgeAt)}（日本時間）に削除されます。必要なデータはそれまでにエクスポートしてください。`,
      `Dear ${tenantName},\n\nYour contract has ended. Your data can still be read and exported, but not changed.\n` +
        `All of it will be deleted on ${jstDate(purgeAt)} (JST). Export what you need before then.`,
    ),
  };
}

export function purgeWarningNotice(tenantName: string, purgeAt: Date): NoticeContent {
  return {
    kind: 'tenant_purge_warning',
    subject: '【Weebum】データ削除の予告（30日前） / Your data will be deleted in 30 days',
    body: bilingual(
      `${tenantName} 様\n\nご契約終了から1年が経過するため、${jstDate(purgeAt)}（日本時間）にすべてのデータを削除します。`,
      `Dear ${tenantName},\n\nOne year after your contract ended, all of your data will be deleted on ${jstDate(purgeAt)} (JST).`,
    ),
  };
}

/**
 * P4: notices to a tenant's admins when the contract ends and 30 days before the purge. The
 * dedup key names the contract end, so a changed end date makes new notices.
 */
export async function queueContractNotices(ctx: JobContext): Promise<number> {
  const at = ctx.now();
  const { rows } = await ctx.db.query<{
    id: string;
    name: string;
    contract_end: Date;
    legal_hold: boolean;
  }>(
    `SELECT id, name, contract_end, legal_hold FROM tenants
      WHERE contract_end IS NOT NULL AND contract_end <= $1 ORDER BY contract_end, id`,
    [at],
  );
  let queued = 0;
  for (const tenant of rows) {
    const purgeAt = tenantPurgeAt(tenant.contract_end);
    if (isDue(purgeAt, at)) continue;
    const admins = await tenantAdminIds(ctx.db, tenant.id);
    const end = tenant.contract_end.toISOString();
    queued += await queueNotice(ctx.db, {
      tenantId: tenant.id,
      userIds: admins,
      dedupKey: `contract-ended:${tenant.id}:${end}`,
      content: contractEndedNotice(tenant.name, purgeAt),
      at,
    });
    if (!tenant.legal_hold && isDue(tenantPurgeNoticeAt(tenant.contract_end), at)) {
      queued += await queueNotice(ctx.db, {
        tenantId: tenant.id,
        userIds: admins,
        dedupKey: `tenant-purge:${tenant.id}:${end}`,
        content: purgeWarningNotice(tenant.name, purgeAt),
        at,
      });
    }
  }
  return queued;
}

export const deadlineNoticesJob = (): Job => ({
  name: 'notices.deadlines',
  schedule: { kind: 'daily_jst', hour: 9, minute: 0 },
  run: async (ctx) => ({
    processed: (await queuePhotoExpiryNotices(ctx)) + (await queueContractNotices(ctx)),
  }),
});
