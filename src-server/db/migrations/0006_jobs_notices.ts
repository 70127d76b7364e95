import type { Migration } from './migration.js';

export const jobsNotices: Migration = {
  version: 6,
  name: 'jobs_notices',
  statements: [
    // One row per scheduled job: the last schedule slot it finished, so that of several
    // instances (each with its own scheduler) only the first runs a slot; the others find it
    // done once they get the job's advisory lock.
    `CREATE TABLE job_runs (
      name text PRIMARY KEY,
      last_slot timestamptz,
      last_started_at timestamptz,
      last_finished_at timestamptz,
      last_outcome text CHECK (last_outcome IN ('success', 'failure')),
      last_processed integer,
      last_error text
    )`,
    // The notice outbox (P9, P11, P4, P17): a notice is written in the transaction that decides
    // it, and a job sends it. The recipient address is FieldCipher text bound to the tenant and
    // this column (P8); subject and bodies name albums and dates, never a person. dedup_key
    // makes a deadline's warning one notice per recipient however often the job runs.
    `CREATE TABLE notices (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      user_id uuid REFERENCES users (id) ON DELETE CASCADE,
      kind text NOT NULL,
      dedup_key text NOT NULL UNIQUE,
      recipient_enc text NOT NULL,
      subject text NOT NULL,
      body_text text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL,
      last_error text,
      created_at timestamptz NOT NULL,
      sent_at timestamptz
    )`,
    `CREATE INDEX notices_pending ON notices (next_attempt_at) WHERE status = 'pending'`,
    `CREATE INDEX notices_tenant ON notices (tenant_id)`,
    // Incidents (P17): detection and notification times are kept so the 3-business-day target
    // can be checked afterwards. Affected tenants are ids without foreign keys: the record must
    // outlive a purged tenant.
    `CREATE TABLE incidents (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      title text NOT NULL,
      detected_at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL,
      notified_at timestamptz,
      affected_tenant_ids uuid[] NOT NULL,
      recorded_by uuid
    )`,
    // Expiry scans: ready photos by deadline; ended contracts.
    `CREATE INDEX photos_expires ON photos (expires_at) WHERE expires_at IS NOT NULL`,
    `CREATE INDEX tenants_contract_end ON tenants (contract_end) WHERE contract_end IS NOT NULL`,
  ],
};
